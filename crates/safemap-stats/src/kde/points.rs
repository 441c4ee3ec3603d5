//! [`KdePoints`]: checked point coordinates and weights.

use super::KdeError;

/// Point coordinates in metres, with optional non-negative weights, checked on construction.
#[derive(Debug, Clone, Copy)]
pub struct KdePoints<'a> {
    pub(super) xs: &'a [f64],
    pub(super) ys: &'a [f64],
    pub(super) weights: Option<&'a [f64]>,
}

impl<'a> KdePoints<'a> {
    /// Unweighted points (each weight 1).
    pub fn new(xs: &'a [f64], ys: &'a [f64]) -> Result<Self, KdeError> {
        check_coordinates(xs, ys)?;
        Ok(KdePoints {
            xs,
            ys,
            weights: None,
        })
    }

    /// Weighted points (e.g. population counts at population-weighted centroids).
    pub fn weighted(xs: &'a [f64], ys: &'a [f64], weights: &'a [f64]) -> Result<Self, KdeError> {
        check_coordinates(xs, ys)?;
        if weights.len() != xs.len() {
            return Err(KdeError::LengthMismatch {
                what: "weights",
                len: weights.len(),
                expected: xs.len(),
            });
        }
        if let Some((index, &value)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(KdeError::BadWeight { index, value });
        }
        Ok(KdePoints {
            xs,
            ys,
            weights: Some(weights),
        })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// True if there are no points.
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// `Σ w_i` (the number of points if unweighted).
    pub fn total_weight(&self) -> f64 {
        self.weights
            .map_or(self.xs.len() as f64, |w| w.iter().sum())
    }

    /// The weight of point `i` (1 if unweighted).
    #[inline]
    pub(super) fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }
}

fn check_coordinates(xs: &[f64], ys: &[f64]) -> Result<(), KdeError> {
    if ys.len() != xs.len() {
        return Err(KdeError::LengthMismatch {
            what: "ys",
            len: ys.len(),
            expected: xs.len(),
        });
    }
    for (what, values) in [("xs", xs), ("ys", ys)] {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(KdeError::NotFinite { what, index, value });
        }
    }
    Ok(())
}
