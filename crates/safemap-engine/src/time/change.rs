//! Change per area between two periods: counts, rates, percentage change and the exact
//! conditional test of two Poisson counts with exposures (residents × months), with the
//! multiple-testing correction across areas. Used by `[[change]]` (area columns) and for
//! every source and measure of the summary periods (`change.csv`).

use crate::config::CorrectionName;
use safemap_stats::poisson_change;

/// The change of one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaChange {
    /// Events in the earlier period.
    pub before: u64,
    /// Events in the later period.
    pub after: u64,
    /// Rate per `rate_per` residents in the earlier period (`None` without population).
    pub rate_before: Option<f64>,
    /// Rate in the later period.
    pub rate_after: Option<f64>,
    /// `100 (after / before - 1)` after adjusting for the periods' lengths; `None` when
    /// `before` is 0.
    pub change_pct: Option<f64>,
    /// Rate ratio, later over earlier.
    pub rate_ratio: Option<f64>,
    /// Two-sided exact p-value.
    pub p: f64,
    /// `increase`, `decrease` or `no_significant_change`, after the correction.
    pub class: &'static str,
}

/// `(before, after, p, rate ratio)` of an area with data in both periods.
type Tested = (u64, u64, f64, Option<f64>);

/// Each area's change from `before` to `after` counts (one per area; `None` for an area
/// without data in either period), over periods of `months_before` and `months_after`
/// months, with populations for rates (per `per` residents). The correction runs over
/// the areas with data.
pub fn area_changes(
    before: &[Option<u64>],
    after: &[Option<u64>],
    (months_before, months_after): (usize, usize),
    populations: &[Option<f64>],
    per: f64,
    alpha: f64,
    correction: CorrectionName,
) -> Vec<Option<AreaChange>> {
    let exposure = |months: usize| months as f64;
    let tests: Vec<Option<Tested>> = before
        .iter()
        .zip(after)
        .map(|(b, a)| {
            let (b, a) = ((*b)?, (*a)?);
            let c = poisson_change(b, exposure(months_before), a, exposure(months_after))?;
            Some((b, a, c.p, c.rate_ratio))
        })
        .collect();
    let p: Vec<f64> = tests.iter().flatten().map(|t| t.2).collect();
    // The p-values are in [0, 1] and alpha was checked with the study: no error to expect,
    // and if one came, nothing would be called significant.
    let cutoff = crate::analysis::correction(correction)
        .cutoff(&p, alpha)
        .unwrap_or(0.0);
    tests
        .iter()
        .zip(populations)
        .map(|(t, pop)| {
            let (b, a, p, ratio) = (*t)?;
            let rate = |c: u64| pop.filter(|p| *p > 0.0).map(|p| c as f64 / p * per);
            let class = match ratio {
                Some(r) if p <= cutoff && r > 1.0 => "increase",
                Some(r) if p <= cutoff && r < 1.0 => "decrease",
                _ => "no_significant_change",
            };
            Some(AreaChange {
                before: b,
                after: a,
                rate_before: rate(b),
                rate_after: rate(a),
                change_pct: ratio.filter(|r| r.is_finite()).map(|r| 100.0 * (r - 1.0)),
                rate_ratio: ratio,
                p,
                class,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tripling_is_an_increase_and_noise_is_not() {
        let before = [Some(10), Some(20), None, Some(0)];
        let after = [Some(40), Some(22), Some(5), Some(0)];
        let pops = [Some(1000.0), None, Some(1.0), Some(50.0)];
        let c = area_changes(
            &before,
            &after,
            (12, 12),
            &pops,
            1000.0,
            0.05,
            CorrectionName::Fdr,
        );
        let first = c[0].unwrap();
        assert_eq!((first.class, first.rate_after), ("increase", Some(40.0)));
        assert_eq!(first.change_pct, Some(300.0));
        assert_eq!(c[1].unwrap().class, "no_significant_change");
        assert_eq!(c[1].unwrap().rate_before, None);
        assert!(c[2].is_none(), "no data in the earlier period");
        assert_eq!(c[3].unwrap().change_pct, None);
        assert_eq!(c[3].unwrap().p, 1.0);
    }

    #[test]
    fn unequal_periods_compare_rates_per_month() {
        // 12 events in 6 months against 12 in 12 months: the rate doubled.
        let c = area_changes(
            &[Some(12)],
            &[Some(12)],
            (12, 6),
            &[None],
            1.0,
            0.05,
            CorrectionName::Fdr,
        );
        assert_eq!(c[0].unwrap().rate_ratio, Some(2.0));
    }
}
