//! Rates per *k* residents with exact intervals, expected counts and excess risk.
//!
//! For area *i* with observed count `O_i` and population `P_i`:
//!
//! ```text
//! rate_i        = O_i / P_i * per
//! interval_i    = poisson_interval(O_i) / P_i * per
//! b             = sum(O) / sum(P)            over areas with P > 0
//! expected_i    = P_i * b
//! excess_risk_i = O_i / expected_i           (ER of MISSION.md; "standardised ratio")
//! ```
//!
//! Areas whose population is missing, zero, negative or not finite get no rate, interval,
//! expected count or excess risk (never a division by zero); the caller reports them.

use crate::poisson::poisson_interval;

/// Parameters for [`area_rates`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateParams {
    per: f64,
    confidence: f64,
}

/// A parameter outside its domain.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RateError {
    /// The rate base must be positive and finite.
    #[error("rate base {0} must be a positive number (e.g. 1000 for a rate per 1,000)")]
    BadBase(f64),
    /// The confidence level must lie strictly between 0 and 1.
    #[error("confidence level {0} must lie strictly between 0 and 1 (e.g. 0.95)")]
    BadConfidence(f64),
    /// Counts and populations differ in length.
    #[error("{counts} counts but {populations} populations: one of each per area is needed")]
    LengthMismatch {
        /// Number of counts.
        counts: usize,
        /// Number of populations.
        populations: usize,
    },
}

impl RateParams {
    /// Rates per `per` residents with `confidence` intervals (e.g. `1000.0`, `0.95`).
    pub fn new(per: f64, confidence: f64) -> Result<Self, RateError> {
        Self {
            per: 1.0,
            confidence: 0.5,
        }
        .per(per)?
        .confidence(confidence)
    }

    /// Sets the rate base.
    pub fn per(mut self, per: f64) -> Result<Self, RateError> {
        if !(per.is_finite() && per > 0.0) {
            return Err(RateError::BadBase(per));
        }
        self.per = per;
        Ok(self)
    }

    /// Sets the confidence level of the intervals.
    pub fn confidence(mut self, confidence: f64) -> Result<Self, RateError> {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(RateError::BadConfidence(confidence));
        }
        self.confidence = confidence;
        Ok(self)
    }

    /// The rate base.
    pub fn base(&self) -> f64 {
        self.per
    }

    /// The confidence level.
    pub fn level(&self) -> f64 {
        self.confidence
    }
}

/// Rate, interval and excess risk of one area. All `None` when the population is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AreaRate {
    /// Observed count.
    pub count: u64,
    /// Rate per `per` residents.
    pub rate: Option<f64>,
    /// Lower limit of the exact interval for the rate.
    pub lower: Option<f64>,
    /// Upper limit of the exact interval for the rate.
    pub upper: Option<f64>,
    /// Expected count at the study-wide rate.
    pub expected: Option<f64>,
    /// Observed / expected.
    pub excess_risk: Option<f64>,
}

fn usable(p: Option<f64>) -> Option<f64> {
    p.filter(|p| p.is_finite() && *p > 0.0)
}

/// Rates for every area. `populations[i]` is `None` when area *i* has no population.
///
/// ```
/// use safemap_stats::{area_rates, RateParams};
/// let r = area_rates(&[10, 30], &[Some(1000.0), Some(2000.0)], RateParams::new(1000.0, 0.95)?)?;
/// assert_eq!(r[0].rate, Some(10.0));
/// assert!((r[1].excess_risk.unwrap() - 15.0 / (40.0 / 3.0)).abs() < 1e-12);
/// # Ok::<(), safemap_stats::RateError>(())
/// ```
pub fn area_rates(
    counts: &[u64],
    populations: &[Option<f64>],
    params: RateParams,
) -> Result<Vec<AreaRate>, RateError> {
    if counts.len() != populations.len() {
        return Err(RateError::LengthMismatch {
            counts: counts.len(),
            populations: populations.len(),
        });
    }
    let (sum_o, sum_p) = counts
        .iter()
        .zip(populations)
        .filter_map(|(&o, &p)| usable(p).map(|p| (o as f64, p)))
        .fold((0.0, 0.0), |(so, sp), (o, p)| (so + o, sp + p));
    let study_rate = (sum_p > 0.0).then(|| sum_o / sum_p);
    // An interval depends only on the count: computed once per distinct count (counts repeat
    // a lot, and each interval needs two gamma quantiles).
    let intervals: std::collections::HashMap<u64, crate::poisson::PoissonInterval> = counts
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<u64>>()
        .into_iter()
        .map(|c| (c, poisson_interval(c, params.confidence)))
        .collect();
    Ok(counts
        .iter()
        .zip(populations)
        .map(|(&count, &p)| match usable(p) {
            None => AreaRate {
                count,
                ..AreaRate::default()
            },
            Some(p) => {
                let ci = intervals[&count];
                let expected = study_rate.map(|b| p * b);
                AreaRate {
                    count,
                    rate: Some(count as f64 / p * params.per),
                    lower: Some(ci.lower / p * params.per),
                    upper: Some(ci.upper / p * params.per),
                    expected,
                    excess_risk: expected.filter(|e| *e > 0.0).map(|e| count as f64 / e),
                }
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_zero_population_get_no_rate() {
        let p = RateParams::new(1000.0, 0.95).unwrap();
        let r = area_rates(
            &[5, 5, 5, 5],
            &[None, Some(0.0), Some(f64::NAN), Some(500.0)],
            p,
        )
        .unwrap();
        for a in &r[..3] {
            assert_eq!(a.rate, None);
            assert_eq!(a.excess_risk, None);
            assert_eq!(a.count, 5);
        }
        assert_eq!(r[3].rate, Some(10.0));
        // Only the usable area defines the study rate, so its excess risk is exactly 1.
        assert_eq!(r[3].excess_risk, Some(1.0));
    }

    #[test]
    fn interval_contains_rate() {
        let p = RateParams::new(1000.0, 0.95).unwrap();
        let r = area_rates(&[0, 7, 120], &[Some(1500.0); 3], p).unwrap();
        for a in r {
            let (lo, rate, hi) = (a.lower.unwrap(), a.rate.unwrap(), a.upper.unwrap());
            assert!(lo <= rate && rate < hi);
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert_eq!(RateParams::new(0.0, 0.95), Err(RateError::BadBase(0.0)));
        assert_eq!(
            RateParams::new(1000.0, 1.0),
            Err(RateError::BadConfidence(1.0))
        );
        let p = RateParams::new(1000.0, 0.95).unwrap();
        assert!(matches!(
            area_rates(&[1], &[], p),
            Err(RateError::LengthMismatch { .. })
        ));
    }
}
