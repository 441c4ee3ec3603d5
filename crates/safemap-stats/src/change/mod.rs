//! Change between two periods: an exact conditional test that two Poisson counts come from
//! the same rate, given their exposures (population × time, or just time).
//!
//! Given the total `n = c1 + c2`, the later count is Binomial(n, e2 / (e1 + e2)) when the
//! rates are equal (Przyborowski & Wilenski 1940). The two-sided p-value is that of
//! `scipy.stats.binomtest(c2, n, e2 / (e1 + e2))`: the probability of every outcome no more
//! likely than the one observed, with scipy's relative tolerance of 1e-7 on "no more likely".

pub(crate) mod binomial;

use binomial::Binomial;

/// The result of [`poisson_change`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonChange {
    /// The rate ratio, later over earlier: `(c2 / e2) / (c1 / e1)`; infinite when `c1` is 0
    /// and `c2` is not, `None` when both are 0.
    pub rate_ratio: Option<f64>,
    /// The two-sided exact p-value (1 when both counts are 0).
    pub p: f64,
}

/// Tests whether `later` events over exposure `later_exposure` differ in rate from
/// `earlier` events over `earlier_exposure`. `None` unless both exposures are positive and
/// finite.
///
/// ```
/// let c = safemap_stats::poisson_change(10, 1.0, 30, 1.0).unwrap();
/// assert_eq!(c.rate_ratio, Some(3.0));
/// assert!((c.p - 0.002221).abs() < 1e-6); // scipy: binomtest(30, 40, 0.5)
/// ```
pub fn poisson_change(
    earlier: u64,
    earlier_exposure: f64,
    later: u64,
    later_exposure: f64,
) -> Option<PoissonChange> {
    let ok = |e: f64| e.is_finite() && e > 0.0;
    if !ok(earlier_exposure) || !ok(later_exposure) {
        return None;
    }
    let n = earlier + later;
    let rate_ratio =
        (n > 0).then(|| (later as f64 / later_exposure) / (earlier as f64 / earlier_exposure));
    if n == 0 {
        return Some(PoissonChange { rate_ratio, p: 1.0 });
    }
    let share = later_exposure / (earlier_exposure + later_exposure);
    let p = Binomial::new(n, share).two_sided_p(later);
    Some(PoissonChange { rate_ratio, p })
}
