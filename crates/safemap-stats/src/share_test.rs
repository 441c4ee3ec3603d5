//! Is one area's share of a total significantly above the study-wide share? The exact
//! one-sided binomial test: given the area's `n` events of two kinds (ED assaults and police
//! violence), `k` of the first kind, and the study-wide share `p` of that kind, the p-value is
//! P(X ≥ k) for X ~ Binomial(n, p), as `scipy.stats.binomtest(k, n, p,
//! alternative="greater")` computes it.
//!
//! The study-wide share includes the area itself (as a needs assessment compares an area
//! with the whole): with many areas its weight in `p` is small, and leaving it in makes
//! the test slightly conservative for large areas.

use crate::change::binomial::Binomial;

/// The one-sided p-value that `k` of `n` is no larger a share than `p`: P(X ≥ k) for
/// X ~ Binomial(n, p). 1 when `n` is 0. `None` unless `0 < p < 1` and `k <= n`.
///
/// ```
/// // scipy.stats.binomtest(7, 10, 0.3, alternative="greater").pvalue
/// let p = safemap_stats::share_above(7, 10, 0.3).unwrap();
/// assert!((p - 0.0105920784).abs() < 1e-9);
/// ```
pub fn share_above(k: u64, n: u64, p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) || k > n {
        return None;
    }
    Some(if n == 0 {
        1.0
    } else {
        Binomial::new(n, p).greater_p(k).min(1.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_and_monotonicity() {
        assert_eq!(share_above(0, 0, 0.5), Some(1.0));
        assert_eq!(share_above(0, 9, 0.5), Some(1.0));
        assert_eq!(share_above(3, 2, 0.5), None);
        assert_eq!(share_above(1, 2, 0.0), None);
        assert_eq!(share_above(1, 2, 1.0), None);
        // P(X >= n) = p^n.
        assert!((share_above(5, 5, 0.5).unwrap() - 0.5_f64.powi(5)).abs() < 1e-15);
        let ps: Vec<f64> = (0..=20).map(|k| share_above(k, 20, 0.3).unwrap()).collect();
        assert!(ps.windows(2).all(|w| w[1] <= w[0]));
    }
}
