//! The binomial distribution and the exact two-sided binomial test as
//! `scipy.stats.binomtest(k, n, p, alternative="two-sided")` computes it (scipy 1.17,
//! `_binomtest.py`). statrs has the special functions; its `Binomial` sits behind the
//! distribution module this crate does not enable, and scipy's two-sided rule (which
//! outcomes count as "no more likely") is not a library function anywhere in Rust.

use statrs::function::beta::beta_reg;
use statrs::function::factorial::ln_binomial;

/// scipy's relative tolerance on comparing probabilities with the observed one's.
const RERR: f64 = 1.0 + 1e-7;

/// Binomial(n, p) with 0 < p < 1.
pub(crate) struct Binomial {
    n: u64,
    p: f64,
}

impl Binomial {
    pub(crate) fn new(n: u64, p: f64) -> Self {
        Binomial { n, p }
    }

    fn pmf(&self, k: u64) -> f64 {
        if k > self.n {
            return 0.0;
        }
        (ln_binomial(self.n, k) + k as f64 * self.p.ln() + (self.n - k) as f64 * (-self.p).ln_1p())
            .exp()
    }

    /// P(X ≤ k).
    fn cdf(&self, k: u64) -> f64 {
        if k >= self.n {
            1.0
        } else {
            beta_reg((self.n - k) as f64, k as f64 + 1.0, 1.0 - self.p)
        }
    }

    /// P(X > k).
    fn sf(&self, k: u64) -> f64 {
        if k >= self.n {
            0.0
        } else {
            beta_reg(k as f64 + 1.0, (self.n - k) as f64, self.p)
        }
    }

    /// The one-sided p-value of observing `k` against larger shares: P(X ≥ k), as
    /// `binomtest(k, n, p, alternative="greater")` (scipy's `binom.sf(k - 1, n, p)`).
    pub(crate) fn greater_p(&self, k: u64) -> f64 {
        if k == 0 {
            1.0
        } else {
            self.sf(k - 1)
        }
    }

    /// The two-sided p-value of observing `k`.
    pub(super) fn two_sided_p(&self, k: u64) -> f64 {
        let (n, np) = (self.n, self.p * self.n as f64);
        let d = self.pmf(k) * RERR;
        let kf = k as f64;
        let p = if kf == np {
            1.0
        } else if kf < np {
            // The outcomes above the mode at most as likely as k: the pmf falls from the
            // mode (at or above ceil(np)) to n, so they are the `y` largest.
            let first = np.ceil() as u64;
            let y = (first..=n).rev().take_while(|&x| self.pmf(x) <= d).count() as u64;
            self.cdf(k) + if y == 0 { 0.0 } else { self.sf(n - y) }
        } else {
            // The outcomes below the mode at most as likely as k: the `y` smallest.
            let last = np.floor() as u64;
            let y = (0..=last).take_while(|&x| self.pmf(x) <= d).count() as u64;
            let low = if y == 0 { 0.0 } else { self.cdf(y - 1) };
            low + self.sf(k - 1)
        };
        p.min(1.0)
    }
}
