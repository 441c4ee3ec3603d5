//! Getis-Ord local G: Gi (neighbours only) and Gi* (neighbours and the area itself).
//!
//! For area `i` with weights `w_ij` (including the self-weight `w_ii` for Gi*), let
//! `N = n` for Gi* and `N = n - 1` for Gi, and let every sum over `j` exclude `i` for Gi:
//!
//! ```text
//! G_i      = sum_j w_ij y_j / sum_j y_j
//! W_i      = sum_j w_ij                                  (row sum, self-weight included)
//! ybar_i   = sum_j y_j / N,    s_i^2 = sum_j y_j^2 / N - ybar_i^2
//! E[G_i]   = W_i / N
//! Var[G_i] = W_i (N - W_i) / (N - 1) / N^2 * s_i^2 / ybar_i^2
//! z_i      = (G_i - E[G_i]) / sqrt(Var[G_i]),    p_i = 2 (1 - Phi(|z_i|))   (two-sided)
//! ```
//!
//! For binary weights this is Ord and Getis (1995): for Gi* it equals MISSION's
//! `z_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n sum_j w_ij^2 - W_i^2)/(n-1)))`, since
//! `w_ij^2 = w_ij`. It is esda's `G_Local` computation exactly (`Gs`, `Zs`), so esda's
//! `p_norm` (one-sided) is half of `p_i` here.
//!
//! # Weights and the Gi* self-weight
//!
//! | [`Transform`] | neighbours | Gi* self-weight |
//! |---|---|---|
//! | `Binary` (**default**) | 1 | 1 |
//! | `RowStandardised` | `v_ij / (sum_j v_ij + s_i)` | `s_i / (sum_j v_ij + s_i)`, `s_i = max_j v_ij` |
//! | `Supplied` | `v_ij` | `max_j v_ij` |
//!
//! where `v_ij` are the weights as given. This is esda's convention for `star=True`: the
//! diagonal is filled with the row maximum of the given weights (1 for binary weights) and
//! the row is then standardised, so with binary contiguity every weight of a Gi* row is
//! `1 / (k_i + 1)`. For Gi the row-standardised weights are `v_ij / sum_j v_ij`.
//!
//! **Caution with row-standardised weights.** `W_i = 1` for every area, and the variance
//! above uses `W_i` where the general Ord-Getis variance has `n sum_j w_ij^2 - W_i^2`; the
//! resulting z (esda's, reproduced here for comparability) is not the Ord-Getis z, which
//! for equal weights within a row equals the binary z. Use binary weights for hot spots.
//!
//! The pseudo p-value is by conditional permutation ([`crate::permutation`]): the self term
//! stays fixed and `G_i` increases with the neighbour sum.
//!
//! Islands get `None` (also for Gi*, whose value would rest on the area alone) and are
//! listed in the result, as is any area whose variance is zero (e.g. all other values equal).

use safemap_types::{Transform, Weights};

use crate::input::{check_n, check_values, two_sided_p};
use crate::permutation::{conditional_p_values, Direction};
use crate::{PermutationTest, StatsError};

/// Gi (without the area itself) or Gi* (with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GiVariant {
    /// `G_i`: neighbours only (esda `star=False`).
    Gi,
    /// `G*_i`: neighbours and the area itself (esda `star=True`). The hot-spot statistic.
    GiStar,
}

impl GiVariant {
    /// Stable name: `gi` or `gi_star`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gi => "gi",
            Self::GiStar => "gi_star",
        }
    }
}

/// Parameters for [`getis_ord`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GetisOrdParams {
    variant: GiVariant,
    transform: Transform,
    test: PermutationTest,
}

impl GetisOrdParams {
    /// `variant` with binary weights, 999 permutations, folded tail, shared sampling, and the
    /// given seed.
    pub fn new(variant: GiVariant, seed: u64) -> Self {
        Self {
            variant,
            transform: Transform::Binary,
            test: PermutationTest::new(seed),
        }
    }

    /// Gi or Gi*.
    pub fn variant(&self) -> GiVariant {
        self.variant
    }
}

crate::params::inference_params!(GetisOrdParams);

/// Gi or Gi* of one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GetisOrdSite {
    /// `G_i`.
    pub g: f64,
    /// Standardised `G_i`.
    pub z: f64,
    /// Two-sided analytic p-value of `z`.
    pub p_norm: f64,
    /// Conditional-permutation pseudo p-value (`None` when `R = 0`).
    pub p_sim: Option<f64>,
}

/// The result of [`getis_ord`].
#[derive(Debug, Clone, PartialEq)]
pub struct GetisOrd {
    /// One entry per area; `None` for islands and zero-variance areas.
    pub sites: Vec<Option<GetisOrdSite>>,
    /// Areas with no neighbours.
    pub islands: Vec<usize>,
    /// Areas (not islands) whose statistic is undefined: zero variance or zero total.
    pub undefined: Vec<usize>,
    /// The parameters used.
    pub params: GetisOrdParams,
}

/// Getis-Ord Gi or Gi* of `values` (one per area of `weights`): G, z, two-sided analytic p
/// and, when `R > 0`, conditional-permutation pseudo p-values.
///
/// Needs at least 3 areas and values with a non-zero sum (G is a share of the total; use
/// non-negative counts or rates).
///
/// ```
/// use safemap_stats::{getis_ord, GetisOrdParams, GiVariant};
/// use safemap_types::Weights;
/// let w = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3]])?;
/// let gi = getis_ord(&[9.0, 8.0, 1.0, 0.0, 1.0], &w, GetisOrdParams::new(GiVariant::GiStar, 3))?;
/// let first = gi.sites[0].unwrap();
/// assert!(first.z > 0.0 && first.p_norm < 1.0 && first.p_sim.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn getis_ord(
    values: &[f64],
    weights: &Weights,
    params: GetisOrdParams,
) -> Result<GetisOrd, StatsError> {
    let n = weights.n();
    check_values("values", values, n)?;
    check_n(n, 3)?;
    let sum: f64 = values.iter().sum();
    if sum == 0.0 {
        return Err(StatsError::ZeroSum { sum });
    }
    let sum_sq: f64 = values.iter().map(|v| v * v).sum();
    let star = params.variant == GiVariant::GiStar;
    // Neighbour weights before the self-weight is added (the permutation test only needs
    // their ratios within a row, which standardisation does not change).
    let base = match params.transform {
        Transform::Binary => weights.transformed(Transform::Binary),
        _ => weights.clone(),
    };
    let n_eff = if star { n as f64 } else { (n - 1) as f64 };
    let mut undefined = Vec::new();
    let mut direction = vec![None; n];
    let mut partial: Vec<Option<(f64, f64)>> = vec![None; n];
    for i in 0..n {
        let v = base.values(i);
        if v.is_empty() {
            continue;
        }
        let self_weight = if star {
            v.iter().fold(0.0_f64, |m, &x| m.max(x))
        } else {
            0.0
        };
        let scale = match params.transform {
            Transform::RowStandardised => 1.0 / (v.iter().sum::<f64>() + self_weight),
            _ => 1.0,
        };
        let lag: f64 = base
            .neighbours(i)
            .iter()
            .zip(v)
            .map(|(&j, &wij)| wij * values[j as usize])
            .sum::<f64>()
            + self_weight * values[i];
        let row_sum = (v.iter().sum::<f64>() + self_weight) * scale;
        let (total, total_sq) = if star {
            (sum, sum_sq)
        } else {
            (sum - values[i], sum_sq - values[i] * values[i])
        };
        let g = lag * scale / total;
        let mean = total / n_eff;
        let variance_y = total_sq / n_eff - mean * mean;
        let variance_g = row_sum * (n_eff - row_sum) / (n_eff - 1.0) / (n_eff * n_eff) * variance_y
            / (mean * mean);
        let z = (g - row_sum / n_eff) / variance_g.sqrt();
        if z.is_finite() && total != 0.0 {
            partial[i] = Some((g, z));
            direction[i] = Some(if total > 0.0 {
                Direction::Increasing
            } else {
                Direction::Decreasing
            });
        } else {
            undefined.push(i);
        }
    }
    let p_sim = if params.test.count() > 0 {
        conditional_p_values(values, &base, &direction, params.test)
    } else {
        vec![None; n]
    };
    let sites = partial
        .iter()
        .zip(p_sim)
        .map(|(site, p_sim)| {
            site.map(|(g, z)| GetisOrdSite {
                g,
                z,
                p_norm: two_sided_p(z),
                p_sim,
            })
        })
        .collect();
    Ok(GetisOrd {
        sites,
        islands: weights.islands(),
        undefined,
        params,
    })
}
