//! [`Bandwidth`]: a fixed `h` in [`Metres`], or [`BandwidthRule::SpatialSilverman`].

use std::f64::consts::LN_2;

use rayon::prelude::*;

use safemap_types::Metres;

use super::{KdeError, KdePoints};

/// A rule that derives the bandwidth from the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BandwidthRule {
    /// ArcGIS Pro *Kernel Density*'s default: `h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-0.2)`
    /// (see the [module docs](super)).
    SpatialSilverman,
}

impl BandwidthRule {
    /// Stable snake_case name: `spatial_silverman`.
    pub fn as_str(self) -> &'static str {
        match self {
            BandwidthRule::SpatialSilverman => "spatial_silverman",
        }
    }

    /// The bandwidth in metres the rule gives for `points`.
    pub fn bandwidth(self, points: &KdePoints<'_>) -> Result<f64, KdeError> {
        match self {
            BandwidthRule::SpatialSilverman => spatial_silverman(points),
        }
    }
}

/// The bandwidth `h`: fixed, or from a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bandwidth {
    /// A fixed bandwidth (quartic radius or Gaussian standard deviation).
    Fixed(Metres),
    /// Derived from the points by a rule.
    Rule(BandwidthRule),
}

impl Bandwidth {
    /// The bandwidth in metres for `points`.
    pub fn resolve(self, points: &KdePoints<'_>) -> Result<f64, KdeError> {
        match self {
            Bandwidth::Fixed(m) => Ok(m.get()),
            Bandwidth::Rule(rule) => rule.bandwidth(points),
        }
    }
}
/// [`BandwidthRule::SpatialSilverman`]'s `h` for `points`.
fn spatial_silverman(points: &KdePoints<'_>) -> Result<f64, KdeError> {
    let n = points.len();
    let positive = points
        .weights
        .map_or(n, |w| w.par_iter().filter(|&&w| w > 0.0).count());
    if positive < 2 {
        return Err(KdeError::TooFewPoints { n: positive });
    }
    // Mean centre, relative to the first point to keep BNG magnitudes out of the sums.
    let first = (0..n).find(|&i| points.weight(i) > 0.0).unwrap_or(0);
    let (x0, y0) = (points.xs[first], points.ys[first]);
    let [sw, sx, sy] = chunked_sums(n, |i| {
        let w = points.weight(i);
        [w, w * (points.xs[i] - x0), w * (points.ys[i] - y0)]
    });
    let (mx, my) = (x0 + sx / sw, y0 + sy / sw);
    let d2 = |i: usize| {
        let (dx, dy) = (points.xs[i] - mx, points.ys[i] - my);
        dx * dx + dy * dy
    };
    let [ss, _, _] = chunked_sums(n, |i| [points.weight(i) * d2(i), 0.0, 0.0]);
    let sd = (ss / sw).sqrt();
    let median = match points.weights {
        None => {
            let mut dist: Vec<f64> = (0..n).into_par_iter().map(|i| d2(i).sqrt()).collect();
            median(&mut dist)
        }
        Some(w) => {
            let (dist, w): (Vec<f64>, Vec<f64>) = (0..n)
                .into_par_iter()
                .filter(|&i| w[i] > 0.0)
                .map(|i| (d2(i).sqrt(), w[i]))
                .unzip();
            weighted_median(&dist, &w, sw)
        }
    };
    let h = 0.9 * sd.min((1.0 / LN_2).sqrt() * median) * sw.powf(-0.2);
    if h.is_finite() && h > 0.0 {
        Ok(h)
    } else {
        Err(KdeError::DegenerateBandwidth { sd, median })
    }
}

/// Three sums over `0..n` of `f(i)`, in parallel but in a fixed order (chunk by chunk, then
/// the chunks' sums in order), so identical for any number of threads.
fn chunked_sums(n: usize, f: impl Fn(usize) -> [f64; 3] + Sync) -> [f64; 3] {
    const CHUNK: usize = 1 << 14;
    let partial: Vec<[f64; 3]> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut acc = [0.0; 3];
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let v = f(i);
                for (a, v) in acc.iter_mut().zip(v) {
                    *a += v;
                }
            }
            acc
        })
        .collect();
    let mut total = [0.0; 3];
    for p in partial {
        for (t, v) in total.iter_mut().zip(p) {
            *t += v;
        }
    }
    total
}

/// The median (mean of the two middle values for an even count), in O(n).
fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    let (_, upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        upper
    } else {
        let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        f64::midpoint(lower, upper)
    }
}

/// The weighted median: the smallest value whose cumulative weight reaches half the total,
/// averaged with the next value when the cumulative weight equals half exactly.
fn weighted_median(v: &[f64], w: &[f64], total: f64) -> f64 {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let half = total / 2.0;
    let mut cum = 0.0;
    for (k, &i) in order.iter().enumerate() {
        cum += w[i];
        if cum >= half {
            if cum == half {
                if let Some(&j) = order.get(k + 1) {
                    return f64::midpoint(v[i], v[j]);
                }
            }
            return v[i];
        }
    }
    v[order[order.len() - 1]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(weighted_median(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4], 4.0), 2.5);
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[1.0, 1.0, 5.0], 7.0),
            3.0
        );
        assert_eq!(
            weighted_median(&[1.0, 2.0, 3.0], &[2.0, 1.0, 1.0], 4.0),
            1.5
        );
    }
}
