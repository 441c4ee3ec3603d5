//! Global Moran's I: is the variable spatially clustered over the whole map?
//!
//! With `z_i = y_i - mean(y)`, weights `w_ij` (row-standardised by default) and
//! `S0 = sum_ij w_ij`, `S1 = 1/2 sum_ij (w_ij + w_ji)^2`, `S2 = sum_i (w_i. + w_.i)^2`:
//!
//! ```text
//! I      = n / S0 * sum_i z_i sum_j w_ij z_j / sum_i z_i^2
//! E[I]   = -1 / (n - 1)
//! Var_N  = (n^2 S1 - n S2 + 3 S0^2) / ((n - 1)(n + 1) S0^2) - E[I]^2             (normality)
//! b2     = (sum z^4 / n) / (sum z^2 / n)^2                                          (kurtosis)
//! Var_R  = [n((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2((n^2 - n) S1 - 2n S2 + 6 S0^2)]
//!          / ((n - 1)(n - 2)(n - 3) S0^2) - E[I]^2                                  (randomisation)
//! z      = (I - E[I]) / sqrt(Var),   p = 2 (1 - Phi(|z|))                           (two-sided)
//! ```
//!
//! These are esda's `Moran` formulas (Cliff and Ord 1981); with the same weights the results
//! equal esda's `I`, `EI`, `VI_norm`, `z_norm`, `p_norm`, `VI_rand`, `z_rand`, `p_rand`
//! (esda's `two_tailed=True` default).
//!
//! The permutation test shuffles all `n` values `R` times (stream `2^63 + r` for the `r`-th
//! shuffle, see [`crate::permutation`]) and compares `sum_i z_i lag_i` with the observed one.
//!
//! Islands contribute nothing (an empty row); they are listed in the result.

use rayon::prelude::*;
use safemap_types::{Transform, Weights};

use crate::input::{check_n, check_values, two_sided_p};
use crate::permutation::{below, keyed, stream, GLOBAL_STREAM_BASE};
use crate::{PermutationTest, StatsError};

/// Parameters for [`global_moran`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoranParams {
    transform: Transform,
    test: PermutationTest,
}

impl MoranParams {
    /// Row-standardised weights, 999 permutations, folded tail, and the given seed.
    pub fn new(seed: u64) -> Self {
        Self {
            transform: Transform::RowStandardised,
            test: PermutationTest::new(seed),
        }
    }
}

crate::params::inference_params!(MoranParams);

/// Variance, z-score and two-sided p-value of `I` under one null hypothesis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoranInference {
    /// Variance of `I`.
    pub variance: f64,
    /// `(I - E[I]) / sqrt(variance)`.
    pub z: f64,
    /// Two-sided p-value of `z`.
    pub p: f64,
}

/// The result of [`global_moran`].
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalMoran {
    /// Moran's I.
    pub i: f64,
    /// `E[I] = -1/(n-1)`.
    pub expected: f64,
    /// Inference under normality.
    pub normality: MoranInference,
    /// Inference under randomisation (uses the kurtosis of the values).
    pub randomisation: MoranInference,
    /// Pseudo p-value from `R` random permutations of all values (`None` when `R = 0`).
    pub p_sim: Option<f64>,
    /// Areas with no neighbours.
    pub islands: Vec<usize>,
    /// The parameters used.
    pub params: MoranParams,
}

/// `S0`, `S1`, `S2` of a weights matrix (see the module docs).
fn s012(w: &Weights) -> (f64, f64, f64) {
    let n = w.n();
    let mut s0 = 0.0;
    let mut s1 = 0.0;
    let mut row_col = vec![0.0; n];
    for i in 0..n {
        for (&j, &wij) in w.neighbours(i).iter().zip(w.values(i)) {
            s0 += wij;
            row_col[i] += wij;
            row_col[j as usize] += wij;
            match w.weight(j as usize, i) {
                // (w_ij + w_ji)^2 is met again from row j.
                Some(wji) => s1 += (wij + wji) * (wij + wji),
                // Only i -> j: the ordered pairs (i, j) and (j, i) both give w_ij^2.
                None => s1 += 2.0 * wij * wij,
            }
        }
    }
    let s2 = row_col.iter().map(|v| v * v).sum();
    (s0, s1 / 2.0, s2)
}

/// `sum_i z_i sum_j w_ij z_j`.
fn cross_product(w: &Weights, z: &[f64]) -> f64 {
    (0..w.n())
        .map(|i| {
            let lag: f64 = w
                .neighbours(i)
                .iter()
                .zip(w.values(i))
                .map(|(&j, &wij)| wij * z[j as usize])
                .sum();
            z[i] * lag
        })
        .sum()
}

/// Global Moran's I of `values` (one per area of `weights`), with analytic inference under
/// normality and randomisation and, when `R > 0`, a permutation pseudo p-value.
///
/// Needs at least 4 areas, values that are not all equal, and at least one neighbour pair.
///
/// ```
/// use safemap_stats::{global_moran, MoranParams};
/// use safemap_types::Weights;
/// // A 2 x 3 rook lattice: 0 1 2 / 3 4 5, high values on the left.
/// let w = Weights::from_neighbour_lists(&[
///     vec![1, 3], vec![0, 2, 4], vec![1, 5], vec![0, 4], vec![1, 3, 5], vec![2, 4],
/// ])?;
/// let m = global_moran(&[9.0, 5.0, 1.0, 8.0, 5.0, 2.0], &w, MoranParams::new(7).permutations(99))?;
/// assert!(m.i > 0.0 && m.expected == -0.2);
/// assert!(m.p_sim.unwrap() <= 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn global_moran(
    values: &[f64],
    weights: &Weights,
    params: MoranParams,
) -> Result<GlobalMoran, StatsError> {
    let n = weights.n();
    check_values("values", values, n)?;
    check_n(n, 4)?;
    let w = weights.transformed(params.transform);
    let mean = values.iter().sum::<f64>() / n as f64;
    let z: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    if z2ss == 0.0 {
        return Err(StatsError::ConstantValues {
            n,
            value: values[0],
        });
    }
    let (s0, s1, s2) = s012(&w);
    if s0 == 0.0 {
        return Err(StatsError::NoNeighbours { n });
    }
    let observed = cross_product(&w, &z);
    let i = n as f64 / s0 * observed / z2ss;

    let nf = n as f64;
    let n2 = nf * nf;
    let s02 = s0 * s0;
    let expected = -1.0 / (nf - 1.0);
    let var_norm =
        (n2 * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02) - expected * expected;
    let k = (z.iter().map(|v| v.powi(4)).sum::<f64>() / nf) / (z2ss / nf).powi(2);
    let a = nf * ((n2 - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = k * ((n2 - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let var_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - expected * expected;
    let inference = |variance: f64| {
        let z = (i - expected) / variance.sqrt();
        MoranInference {
            variance,
            z,
            p: two_sided_p(z),
        }
    };

    let test = params.test;
    let p_sim = (test.count() > 0).then(|| {
        let abs: f64 = (0..n)
            .map(|a| {
                z[a].abs()
                    * w.neighbours(a)
                        .iter()
                        .zip(w.values(a))
                        .map(|(&j, &wij)| (wij * z[j as usize]).abs())
                        .sum::<f64>()
            })
            .sum();
        let tol = nf * f64::EPSILON * abs;
        let base = keyed(test.seed());
        let (ge, le) = (0..test.count())
            .into_par_iter()
            .map_init(
                || z.clone(),
                |shuffled, r| {
                    let mut rng = stream(&base, GLOBAL_STREAM_BASE + r as u64);
                    // Start every shuffle from the same order, so that a permutation depends
                    // only on its stream, not on what this thread shuffled before.
                    shuffled.copy_from_slice(&z);
                    // Fisher-Yates from the last position down.
                    for top in (1..n).rev() {
                        let pick = below(&mut rng, (top + 1) as u32) as usize;
                        shuffled.swap(top, pick);
                    }
                    let c = cross_product(&w, shuffled);
                    (
                        usize::from(c >= observed - tol),
                        usize::from(c <= observed + tol),
                    )
                },
            )
            .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
        test.tail_convention().p_value(ge, le, test.count())
    });

    Ok(GlobalMoran {
        i,
        expected,
        normality: inference(var_norm),
        randomisation: inference(var_rand),
        p_sim,
        islands: weights.islands(),
        params,
    })
}
