//! Checks of the inputs shared by several computations.

use crate::AccessError;

/// `value` is a finite cost of at least 0.
pub(crate) fn check_cost_parameter(what: &'static str, value: f64) -> Result<(), AccessError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(AccessError::BadCostParameter { what, value })
    }
}

/// `values` has one finite amount of at least 0 per point, `n` points.
pub(crate) fn check_amounts(
    what: &'static str,
    values: &[f64],
    n: usize,
) -> Result<(), AccessError> {
    if values.len() != n {
        return Err(AccessError::LengthMismatch {
            what,
            len: values.len(),
            n,
        });
    }
    match values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(index) => Err(AccessError::BadAmount {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// The sum of `values` in order, starting from +0, so an empty sum is 0 and not the -0 that
/// std's `Sum for f64` starts from (it would be written out as `-0`).
pub(crate) fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |s, v| s + v)
}
