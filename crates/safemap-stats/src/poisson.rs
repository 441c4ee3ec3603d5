//! Exact Poisson confidence intervals (Garwood 1936).
//!
//! For an observed count `k` and confidence level `1 - alpha`:
//!
//! ```text
//! lower = chi2_quantile(alpha/2, 2k) / 2        (0 when k = 0)
//! upper = chi2_quantile(1 - alpha/2, 2k + 2) / 2
//! ```
//!
//! which is the same as the quantiles of Gamma(k, 1) and Gamma(k + 1, 1). These are the
//! intervals of R's `poisson.test`, Stata's `cii` (exact) and the PHE/OHID "Byar"-free exact method.
//!
//! `statrs` gives the regularised incomplete gamma function; its own `Gamma::inverse_cdf`
//! stops after a fixed 8 bisection + 4 Newton steps, which is not enough for 1e-12
//! agreement, so the quantile is solved here by safeguarded Newton iteration to full precision.

use statrs::function::gamma::{gamma_lr, ln_gamma};

/// A two-sided confidence interval for the mean of a Poisson count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonInterval {
    /// Lower limit for the mean count.
    pub lower: f64,
    /// Upper limit for the mean count.
    pub upper: f64,
}

/// The exact two-sided interval for the mean of a Poisson variable observed as `count`.
///
/// `confidence` is the coverage, e.g. `0.95`; it must lie strictly between 0 and 1.
///
/// ```
/// let ci = safemap_stats::poisson_interval(10, 0.95);
/// assert!((ci.lower - 4.795_389_6).abs() < 1e-6 && (ci.upper - 18.390_356).abs() < 1e-5);
/// ```
pub fn poisson_interval(count: u64, confidence: f64) -> PoissonInterval {
    assert!(
        confidence > 0.0 && confidence < 1.0,
        "confidence must be in (0, 1)"
    );
    let alpha = 1.0 - confidence;
    let k = count as f64;
    let lower = if count == 0 {
        0.0
    } else {
        gamma_quantile(k, alpha / 2.0)
    };
    let upper = gamma_quantile(k + 1.0, 1.0 - alpha / 2.0);
    PoissonInterval { lower, upper }
}

/// Quantile of Gamma(shape, 1): the `x` with `P(shape, x) = p`.
fn gamma_quantile(shape: f64, p: f64) -> f64 {
    // Bracket the root, then Newton steps kept inside the bracket (bisection otherwise).
    let mut lo = 0.0_f64;
    let mut hi = shape.max(1.0);
    while gamma_lr(shape, hi) < p {
        lo = hi;
        hi *= 2.0;
    }
    let mut x = 0.5 * (lo + hi);
    for _ in 0..200 {
        let f = gamma_lr(shape, x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        // density of Gamma(shape, 1) at x
        let pdf = ((shape - 1.0) * x.ln() - x - ln_gamma(shape)).exp();
        let newton = x - f / pdf;
        let next = if pdf > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 1e-15 * x.abs().max(1e-300) {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_count_has_zero_lower_limit() {
        let ci = poisson_interval(0, 0.95);
        assert_eq!(ci.lower, 0.0);
        // upper = -ln(0.025)
        assert!((ci.upper - (-(0.025_f64).ln())).abs() < 1e-12);
    }

    #[test]
    fn count_one_matches_closed_form() {
        // For k = 1 the lower limit solves 1 - exp(-x) = 0.025.
        let ci = poisson_interval(1, 0.95);
        assert!((ci.lower - (-(0.975_f64).ln())).abs() < 1e-12);
    }

    #[test]
    fn interval_brackets_count_and_narrows_with_confidence() {
        for k in [1_u64, 3, 17, 250, 10_000] {
            let wide = poisson_interval(k, 0.99);
            let narrow = poisson_interval(k, 0.90);
            assert!(wide.lower < narrow.lower && narrow.lower < k as f64);
            assert!((k as f64) < narrow.upper && narrow.upper < wide.upper);
        }
    }
}
