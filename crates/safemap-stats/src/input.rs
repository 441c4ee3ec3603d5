//! Checks and helpers shared by the spatial statistics (internal).

use crate::StatsError;

/// `values` has one finite entry per area of weights with `n` areas.
pub(crate) fn check_values(what: &'static str, values: &[f64], n: usize) -> Result<(), StatsError> {
    if values.len() != n {
        return Err(StatsError::LengthMismatch {
            what,
            len: values.len(),
            n,
        });
    }
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(StatsError::NotFinite {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// At least `min` areas.
pub(crate) fn check_n(n: usize, min: usize) -> Result<(), StatsError> {
    if n < min {
        Err(StatsError::TooFewAreas { n, min })
    } else {
        Ok(())
    }
}

/// Two-sided standard normal p-value `2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2)`, accurate in the
/// far tail (no `1 - cdf` cancellation).
pub(crate) fn two_sided_p(z: f64) -> f64 {
    statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2)
}
