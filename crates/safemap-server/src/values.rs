//! Values derived from counts: rate per `rate_per` residents with its exact interval,
//! expected count, excess risk and the global Empirical-Bayes rate. The analyst gets them
//! from exact counts; the public role from published (rounded) counts, with suppressed areas
//! left out of the study-wide rate and the prior, so nothing derived reveals more than the
//! published counts do. Areas without data (no input file covers one of the filter's months)
//! are left out the same way, and say so: `no_data`, not zero and not suppressed.

use safemap_stats::{area_rates, empirical_bayes, EbParams, Prior, RateParams};
use serde::Serialize;

/// An area's count for one filter, as a role may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Events (exact for the analyst, published for the public).
    Count(u64),
    /// Withheld by the public rule.
    Suppressed,
    /// No input file covers the area in some month of the filter.
    NoData,
}

impl Shown {
    /// The count, if shown.
    pub fn value(self) -> Option<u64> {
        match self {
            Shown::Count(n) => Some(n),
            Shown::Suppressed | Shown::NoData => None,
        }
    }
}

/// The values of one area for one filter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Derived {
    /// Events (`None`: suppressed, or no data).
    pub count: Option<u64>,
    /// True when the public rule withheld the count.
    pub suppressed: bool,
    /// True when no input file covers the area in some month of the filter: every value is
    /// null, and the area is left out of the study-wide rate and the prior.
    pub no_data: bool,
    /// Events per `rate_per` residents.
    pub rate: Option<f64>,
    /// Lower limit of the exact Poisson interval of the rate.
    pub rate_lo: Option<f64>,
    /// Upper limit.
    pub rate_hi: Option<f64>,
    /// Events expected at the study-wide rate.
    pub expected: Option<f64>,
    /// Observed / expected.
    pub excess_risk: Option<f64>,
    /// Global Empirical-Bayes (Marshall) smoothed rate per `rate_per` residents.
    pub eb_rate: Option<f64>,
}

/// Derives every area's values from its count and population.
pub fn derive(counts: &[Shown], populations: &[Option<f64>], params: RateParams) -> Vec<Derived> {
    let pops: Vec<Option<f64>> = counts
        .iter()
        .zip(populations)
        .map(|(c, p)| c.value().and(*p))
        .collect();
    let raw: Vec<u64> = counts.iter().map(|c| c.value().unwrap_or(0)).collect();
    let rates = area_rates(&raw, &pops, params).unwrap_or_default();
    let eb = empirical_bayes(
        &raw.iter().map(|&c| c as f64).collect::<Vec<_>>(),
        &pops.iter().map(|p| p.unwrap_or(0.0)).collect::<Vec<_>>(),
        Prior::Global,
        EbParams::new(),
    )
    .ok();
    counts
        .iter()
        .enumerate()
        .map(|(i, &shown)| {
            let count = shown.value();
            let r = rates.get(i).copied().unwrap_or_default();
            let eb_rate = eb
                .as_ref()
                .and_then(|e| e.rates[i])
                .filter(|_| count.is_some())
                .map(|v| v * params.base());
            Derived {
                count,
                suppressed: shown == Shown::Suppressed,
                no_data: shown == Shown::NoData,
                rate: r.rate,
                rate_lo: r.lower,
                rate_hi: r.upper,
                expected: r.expected,
                excess_risk: r.excess_risk,
                eb_rate,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_areas_get_no_values_and_stay_out_of_the_study_rate() {
        let params = RateParams::new(1000.0, 0.95).unwrap();
        let pops = [Some(1000.0), Some(1000.0), Some(2000.0)];
        let d = derive(
            &[Shown::Count(10), Shown::Suppressed, Shown::Count(30)],
            &pops,
            params,
        );
        assert_eq!(d[0].rate, Some(10.0));
        assert!(d[1].suppressed && d[1].rate.is_none() && d[1].eb_rate.is_none());
        assert!(!d[1].no_data);
        // Study rate from the shown areas only: 40 / 3000.
        let expected = 1000.0 * 40.0 / 3000.0;
        assert!((d[0].expected.unwrap() - expected).abs() < 1e-9);
        let exact = derive(
            &[Shown::Count(10), Shown::Count(3), Shown::Count(30)],
            &pops,
            params,
        );
        assert!((exact[0].expected.unwrap() - 1000.0 * 43.0 / 4000.0).abs() < 1e-9);
        assert!(exact[0].eb_rate.unwrap() > 0.0);
    }

    #[test]
    fn no_data_areas_are_neither_zero_nor_suppressed_and_stay_out_of_the_study_rate() {
        let params = RateParams::new(1000.0, 0.95).unwrap();
        let pops = [Some(1000.0), Some(1000.0), Some(2000.0)];
        let d = derive(
            &[Shown::Count(10), Shown::NoData, Shown::Count(30)],
            &pops,
            params,
        );
        let gap = d[1];
        assert!(gap.no_data && !gap.suppressed);
        assert_eq!(
            (
                gap.count,
                gap.rate,
                gap.expected,
                gap.excess_risk,
                gap.eb_rate
            ),
            (None, None, None, None, None)
        );
        assert!((d[0].expected.unwrap() - 1000.0 * 40.0 / 3000.0).abs() < 1e-9);
        let zero = derive(
            &[Shown::Count(10), Shown::Count(0), Shown::Count(30)],
            &pops,
            params,
        );
        assert!(
            (zero[0].expected.unwrap() - 1000.0 * 40.0 / 4000.0).abs() < 1e-9,
            "a true zero does count"
        );
    }
}
