//! The Mann-Kendall trend test of a series (Mann 1945, Kendall 1975), as `pymannkendall`'s
//! `original_test` and Hussain & Mahmud (2019) compute it:
//!
//! ```text
//! S = Σ_{i<j} sign(x_j − x_i)
//! Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18     (t: the size of each group of ties)
//! Z = (S − 1)/√Var(S) if S > 0,  (S + 1)/√Var(S) if S < 0,  0 if S = 0
//! p = 2 (1 − Φ(|Z|))
//! ```
//!
//! Ties are values that are exactly equal. The emerging-hotspot classes read the trend of
//! each area's Gi* z series with it.

/// The result of [`mann_kendall`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    /// Kendall's S: concordant minus discordant pairs in time order.
    pub s: f64,
    /// The variance of S under no trend, corrected for ties.
    pub var_s: f64,
    /// The continuity-corrected normal score; 0 when S is 0 or the variance is 0.
    pub z: f64,
    /// The two-sided p-value of Z.
    pub p: f64,
}

/// The Mann-Kendall test of `series` in time order. `None` for fewer than two values or a
/// value that is not finite.
///
/// ```
/// let mk = safemap_stats::mann_kendall(&[1.0, 2.0, 3.0, 4.0]).unwrap();
/// assert_eq!((mk.s, mk.var_s), (6.0, 26.0 / 3.0));
/// ```
pub fn mann_kendall(series: &[f64]) -> Option<MannKendall> {
    let n = series.len();
    if n < 2 || series.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut s = 0i64;
    for (i, &a) in series.iter().enumerate() {
        for &b in &series[i + 1..] {
            s += i64::from(b > a) - i64::from(b < a);
        }
    }
    let mut sorted = series.to_vec();
    sorted.sort_by(f64::total_cmp);
    let ties: f64 = sorted
        .chunk_by(|a, b| a == b)
        .map(|g| g.len() as f64)
        .map(|t| t * (t - 1.0) * (2.0 * t + 5.0))
        .sum();
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let s = s as f64;
    let z = if var_s <= 0.0 || s == 0.0 {
        0.0
    } else {
        (s - s.signum()) / var_s.sqrt()
    };
    // 2 (1 − Φ(|z|)) = erfc(|z| / √2)
    let p = libm::erfc(z.abs() / std::f64::consts::SQRT_2);
    Some(MannKendall { s, var_s, z, p })
}

#[cfg(test)]
mod tests {
    use super::mann_kendall;

    #[test]
    fn by_hand_with_and_without_ties() {
        // 3 1 2: pairs (3,1) −, (3,2) −, (1,2) +: S = −1; Var = 3·2·11/18 = 11/3.
        let mk = mann_kendall(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(mk.s, -1.0);
        assert!((mk.var_s - 11.0 / 3.0).abs() < 1e-15);
        assert_eq!(mk.z, 0.0);
        assert!((mk.p - 1.0).abs() < 1e-15);
        // 1 1 2: S = 2 (the tie adds 0); Var = (3·2·11 − 2·1·9)/18 = 8/3; Z = 1/√(8/3).
        let mk = mann_kendall(&[1.0, 1.0, 2.0]).unwrap();
        assert_eq!((mk.s, mk.var_s), (2.0, 8.0 / 3.0));
        assert!((mk.z - 1.0 / (8.0f64 / 3.0).sqrt()).abs() < 1e-15);
        // A constant series has no variance and no trend.
        let flat = mann_kendall(&[5.0; 4]).unwrap();
        assert_eq!((flat.s, flat.var_s, flat.z, flat.p), (0.0, 0.0, 0.0, 1.0));
        assert!(mann_kendall(&[1.0]).is_none());
        assert!(mann_kendall(&[1.0, f64::NAN]).is_none());
    }
}
