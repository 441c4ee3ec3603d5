//! Portable random draws: seeded ChaCha8 streams, Poisson counts, weighted choices.
//!
//! Everything here gives the same values on every platform: integers are drawn from
//! `u32`/`u64` ranges (never `usize`) and the only transcendental function used is
//! the pure-Rust `libm::exp`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Independent random streams, one per part of the city, so that changing (say) the
/// event volume does not move a single boundary vertex.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Layout = 1,
    EdgeNoise = 2,
    Demography = 4,
    Police = 5,
    Ed = 6,
    Services = 7,
    SnapPoints = 8,
}

/// A generator for one stream of one seed.
pub(crate) fn stream_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// A generator keyed by a stream and a sub-key (e.g. a pair of seed points).
pub(crate) fn keyed_rng(seed: u64, stream: Stream, key: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(stream as u64);
    rng
}

/// Uniform in `[0, 1)`.
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

/// Uniform in `[lo, hi)`.
pub(crate) fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(rng)
}

/// Uniform index in `0..n` (`n >= 1`).
pub(crate) fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    debug_assert!(n > 0);
    rng.random_range(0..n as u64) as usize
}

/// Uniform integer in `lo..=hi`.
pub(crate) fn int_in(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    rng.random_range(lo..=hi)
}

/// True with probability `p`.
pub(crate) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    unit(rng) < p
}

/// An index drawn with probability proportional to `weights` (non-negative, not all 0).
pub(crate) fn weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = unit(rng) * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// A Poisson count with mean `lambda` (Knuth's method, in pieces of at most 30).
pub(crate) fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u32 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    let pieces = (lambda / 30.0).ceil().max(1.0);
    let part = lambda / pieces;
    let limit = libm::exp(-part);
    let mut total = 0;
    for _ in 0..pieces as u32 {
        let mut k = 0;
        let mut p = unit(rng);
        while p > limit {
            k += 1;
            p *= unit(rng);
        }
        total += k;
    }
    total
}

/// 64 lower-case hex digits, like a data.police.uk `Crime ID`.
pub(crate) fn hex64(rng: &mut ChaCha8Rng) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(64);
    for _ in 0..4 {
        let v: u64 = rng.random();
        let _ = write!(s, "{v:016x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = stream_rng(1, Stream::Police);
        for lambda in [0.3, 4.0, 75.0] {
            let n = 4000;
            let sum: u32 = (0..n).map(|_| poisson(&mut rng, lambda)).sum();
            let mean = f64::from(sum) / f64::from(n);
            assert!(
                (mean - lambda).abs() < 0.05 * lambda + 0.05,
                "{lambda}: {mean}"
            );
        }
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0);
    }

    #[test]
    fn streams_are_reproducible() {
        let a: Vec<u32> = (0..5).map(|_| stream_rng(3, Stream::Ed).random()).collect();
        let mut r = stream_rng(3, Stream::Ed);
        let first: u32 = r.random();
        assert_eq!(a[0], first);
        assert_eq!(hex64(&mut stream_rng(9, Stream::Police)).len(), 64);
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut rng = stream_rng(5, Stream::Services);
        for _ in 0..200 {
            assert_ne!(weighted(&mut rng, &[1.0, 0.0, 2.0]), 1);
        }
    }
}
