//! Multiple-testing corrections: Benjamini-Hochberg false discovery rate and Bonferroni.
//!
//! With `m` p-values sorted ascending `p_(1) <= ... <= p_(m)` and level `alpha`:
//!
//! ```text
//! Benjamini-Hochberg cut-off = max { i alpha / m : p_(i) <= i alpha / m }   (step-up)
//!                              alpha / m when no i qualifies
//! Bonferroni cut-off         = alpha / m
//! ```
//!
//! An area is significant at level `alpha` when its `p <= cut-off`. The BH cut-off is never
//! below the Bonferroni one, so FDR control is never stricter than Bonferroni.
//!
//! `fdr_cutoff` equals esda's `esda.fdr(pvalues, alpha)` (which returns `alpha / m` when no
//! p-value passes, as here). esda tests `p_(i) < i alpha / m` strictly; the two differ only
//! when a p-value equals its threshold exactly. GeoDa's FDR is a step-down rule, never more
//! lenient than this one. esda computes but does not apply the cut-off; safemap applies it
//! in [`crate::classes`].

use crate::StatsError;

/// Which correction for testing many areas at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Correction {
    /// No correction: the cut-off is `alpha` itself.
    None,
    /// Benjamini-Hochberg false discovery rate (the default).
    #[default]
    BenjaminiHochberg,
    /// Bonferroni family-wise error rate: `alpha / m`.
    Bonferroni,
}

impl Correction {
    /// Stable name, as in output columns (`…_class_fdr`) and the manifest: `none`, `fdr`,
    /// `bonferroni`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::BenjaminiHochberg => "fdr",
            Self::Bonferroni => "bonferroni",
        }
    }

    /// The p-value cut-off at level `alpha` for this set of p-values (every one in `[0, 1]`).
    /// With no p-values, `alpha`.
    ///
    /// ```
    /// use safemap_stats::Correction;
    /// let p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    /// assert_eq!(Correction::None.cutoff(&p, 0.05)?, 0.05);
    /// assert_eq!(Correction::Bonferroni.cutoff(&p, 0.05)?, 0.005);
    /// assert_eq!(Correction::BenjaminiHochberg.cutoff(&p, 0.05)?, 2.0 * 0.05 / 10.0);
    /// # Ok::<(), safemap_stats::StatsError>(())
    /// ```
    pub fn cutoff(self, p_values: &[f64], alpha: f64) -> Result<f64, StatsError> {
        check(p_values, alpha)?;
        let m = p_values.len();
        if m == 0 {
            return Ok(alpha);
        }
        Ok(match self {
            Self::None => alpha,
            Self::Bonferroni => alpha / m as f64,
            Self::BenjaminiHochberg => {
                let mut sorted = p_values.to_vec();
                sorted.sort_by(f64::total_cmp);
                sorted
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, &p)| (p, (i + 1) as f64 * alpha / m as f64))
                    .find(|&(p, threshold)| p <= threshold)
                    .map_or(alpha / m as f64, |(_, threshold)| threshold)
            }
        })
    }
}

fn check(p_values: &[f64], alpha: f64) -> Result<(), StatsError> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(StatsError::BadAlpha(alpha));
    }
    match p_values.iter().position(|p| !(0.0..=1.0).contains(p)) {
        Some(index) => Err(StatsError::BadPValue {
            index,
            value: p_values[index],
        }),
        None => Ok(()),
    }
}

/// The Benjamini-Hochberg cut-off at level `alpha` (see the module docs); equals
/// `esda.fdr(p_values, alpha)`.
///
/// ```
/// // Nothing passes: the Bonferroni bound alpha / m, as esda returns.
/// assert_eq!(safemap_stats::fdr_cutoff(&[0.5, 0.9], 0.05)?, 0.025);
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn fdr_cutoff(p_values: &[f64], alpha: f64) -> Result<f64, StatsError> {
    Correction::BenjaminiHochberg.cutoff(p_values, alpha)
}

/// The Bonferroni cut-off `alpha / m` for `m` tests (`alpha` when `m = 0`).
///
/// ```
/// assert_eq!(safemap_stats::bonferroni_cutoff(&[0.01, 0.2, 0.5, 0.7], 0.1)?, 0.025);
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn bonferroni_cutoff(p_values: &[f64], alpha: f64) -> Result<f64, StatsError> {
    Correction::Bonferroni.cutoff(p_values, alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_up_takes_the_largest_passing_rank() {
        // p_(3) = 0.03 > 3 * 0.05 / 5 = 0.03? equal: passes with <=; p_(4) = 0.041 <= 0.04? no.
        let p = [0.03, 0.2, 0.001, 0.041, 0.02];
        assert_eq!(fdr_cutoff(&p, 0.05).unwrap(), 3.0 * 0.05 / 5.0);
        // All pass: the cut-off is alpha.
        assert_eq!(fdr_cutoff(&[0.01, 0.02], 0.05).unwrap(), 0.05);
        assert_eq!(fdr_cutoff(&[], 0.05).unwrap(), 0.05);
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(fdr_cutoff(&[0.1], 1.0), Err(StatsError::BadAlpha(1.0)));
        assert!(matches!(
            fdr_cutoff(&[0.1, f64::NAN], 0.05),
            Err(StatsError::BadPValue { index: 1, .. })
        ));
        assert!(bonferroni_cutoff(&[1.5], 0.05).is_err());
    }
}
