//! Distance-band weights: every other point within a threshold distance is a neighbour.
//!
//! Point `j` is a neighbour of point `i` (`j != i`) when `d_ij <= threshold`, decided on
//! the squared distance exactly as computed, `dx * dx + dy * dy <= threshold * threshold`
//! in `f64` (so the band is closed, as in libpysal's `DistanceBand`). Coincident points
//! (`d = 0`) are neighbours. The relation is symmetric.
//!
//! The weight of a neighbour is given by [`BandWeighting`]: 1 ([`BandWeighting::Binary`],
//! the default) or `d_ij^-power` ([`BandWeighting::InverseDistance`], libpysal's
//! `DistanceBand(binary=False, alpha=-power)`), which refuses coincident points within the
//! band since `1/0` is infinite.
//!
//! A point with no other point within the threshold is an island (an empty row): see
//! [`Weights::islands`]. Queries run on an [`rstar`] R-tree in parallel with rayon; the
//! result does not depend on the number of threads.

use geo::Coord;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use safemap_types::Weights;

use super::{check_count, check_points, distance_2, WeightsBuildError};

/// How a neighbour within the band is weighted.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum BandWeighting {
    /// Weight 1 for every neighbour (the default).
    #[default]
    Binary,
    /// Weight `d^-power` (power finite and `> 0`; `1.0` is `1/d`). Coincident points within
    /// the band are an error.
    InverseDistance {
        /// The exponent of the decay.
        power: f64,
    },
}

/// Parameters for [`distance_band_weights`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistanceBandParams {
    threshold: f64,
    weighting: BandWeighting,
}

impl DistanceBandParams {
    /// Neighbours within `threshold` (in the points' units, metres in British National
    /// Grid; finite and `>= 0`, checked by [`distance_band_weights`]), binary weights.
    pub fn new(threshold: f64) -> Self {
        Self {
            threshold,
            weighting: BandWeighting::Binary,
        }
    }

    /// How neighbours are weighted (default [`BandWeighting::Binary`]).
    #[must_use]
    pub fn weighting(mut self, weighting: BandWeighting) -> Self {
        self.weighting = weighting;
        self
    }

    /// The threshold distance.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The weighting.
    pub fn band_weighting(&self) -> BandWeighting {
        self.weighting
    }
}

/// Distance-band weights of `points` (area `i` = `points[i]`). See the
/// [module docs](self).
///
/// ```
/// use geo::coord;
/// use safemap_geo::weights::{distance_band_weights, BandWeighting, DistanceBandParams};
///
/// let points = [coord! { x: 0.0, y: 0.0 }, coord! { x: 3.0, y: 4.0 }, coord! { x: 100.0, y: 0.0 }];
/// let w = distance_band_weights(&points, &DistanceBandParams::new(5.0))?;
/// assert_eq!(w.neighbours(0), &[1]);
/// assert_eq!(w.islands(), vec![2]);
/// let inv = DistanceBandParams::new(5.0).weighting(BandWeighting::InverseDistance { power: 1.0 });
/// assert_eq!(distance_band_weights(&points, &inv)?.values(0), &[0.2]);
/// # Ok::<(), safemap_geo::weights::WeightsBuildError>(())
/// ```
pub fn distance_band_weights(
    points: &[Coord<f64>],
    params: &DistanceBandParams,
) -> Result<Weights, WeightsBuildError> {
    let threshold = params.threshold;
    if !(threshold.is_finite() && threshold >= 0.0) {
        return Err(WeightsBuildError::BadThreshold { threshold });
    }
    if let BandWeighting::InverseDistance { power } = params.weighting {
        if !(power.is_finite() && power > 0.0) {
            return Err(WeightsBuildError::BadPower { power });
        }
    }
    check_count(points.len())?;
    check_points(points)?;

    let tree = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new([p.x, p.y], i as u32))
            .collect(),
    );
    let t2 = threshold * threshold;
    // The R-tree is asked for a slightly wider circle; the rule above decides.
    let query_2 = t2 * (1.0 + 1e-9) + f64::MIN_POSITIVE;
    let rows: Vec<Vec<(u32, f64)>> = points
        .par_iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut row: Vec<(u32, f64)> = tree
                .locate_within_distance([p.x, p.y], query_2)
                .filter(|g| g.data as usize != i)
                .filter_map(|g| {
                    let d2 = distance_2(p, points[g.data as usize]);
                    (d2 <= t2).then_some((g.data, d2))
                })
                .collect();
            row.sort_unstable_by_key(|&(j, _)| j);
            row
        })
        .collect();

    match params.weighting {
        BandWeighting::Binary => {
            let lists: Vec<Vec<u32>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(|(j, _)| j).collect())
                .collect();
            Ok(Weights::from_neighbour_lists(&lists)?)
        }
        BandWeighting::InverseDistance { power } => {
            for (i, row) in rows.iter().enumerate() {
                if let Some(&(j, _)) = row.iter().find(|&&(_, d2)| d2 == 0.0) {
                    let (i, j) = (i.min(j as usize), i.max(j as usize));
                    return Err(WeightsBuildError::CoincidentPoints {
                        i,
                        j,
                        x: points[i].x,
                        y: points[i].y,
                    });
                }
            }
            let lists: Vec<Vec<(u32, f64)>> = rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|(j, d2)| (j, d2.sqrt().powf(-power)))
                        .collect()
                })
                .collect();
            Ok(Weights::from_weighted_lists(&lists)?)
        }
    }
}
