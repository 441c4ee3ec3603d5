//! Local Moran's I (LISA): clusters of high or low values, and outliers.
//!
//! With `z_i = (y_i - mean(y)) / sd(y)` (population standard deviation, `ddof = 0`) and the
//! spatial lag `lag_i = sum_j w_ij z_j` (row-standardised weights by default):
//!
//! ```text
//! I_i = (n - 1) z_i lag_i / sum_k z_k^2
//! ```
//!
//! (`sum z^2 = n` here, so `I_i = (n-1)/n z_i lag_i`.) This is esda's `Moran_Local` exactly.
//! The [`Quadrant`] of the Moran scatter plot is 1 HH (`z > 0`, `lag > 0`), 2 LH, 3 LL, 4 HL,
//! counting a value or lag of exactly 0 as low (esda's numbering and rule).
//!
//! The pseudo p-value is by conditional permutation (see [`crate::permutation`]); `I_i`
//! increases with the neighbour sum when `z_i > 0` and decreases when `z_i < 0`.
//!
//! Note GeoDa's LISA uses only the neighbour sets (binary weights, row-standardised), which
//! is this module's default when the weights are binary.
//!
//! Islands get `None` (their lag is undefined, not 0) and are listed in the result.

use safemap_types::{Transform, Weights};

use crate::input::{check_n, check_values};
use crate::permutation::{conditional_p_values, Direction};
use crate::{PermutationTest, StatsError};

/// Parameters for [`local_moran`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalMoranParams {
    transform: Transform,
    test: PermutationTest,
}

impl LocalMoranParams {
    /// Row-standardised weights, 999 permutations, folded tail, shared sampling, and the
    /// given seed.
    pub fn new(seed: u64) -> Self {
        Self {
            transform: Transform::RowStandardised,
            test: PermutationTest::new(seed),
        }
    }
}

crate::params::inference_params!(LocalMoranParams);

/// Quadrant of the Moran scatter plot (value against spatial lag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quadrant {
    /// High value, high neighbours: part of a hot cluster (esda 1).
    HighHigh,
    /// Low value, high neighbours: a low outlier (esda 2).
    LowHigh,
    /// Low value, low neighbours: part of a cold cluster (esda 3).
    LowLow,
    /// High value, low neighbours: a high outlier (esda 4).
    HighLow,
}

impl Quadrant {
    /// The quadrant of a standardised value `z` and its lag (0 counts as low).
    pub fn of(z: f64, lag: f64) -> Self {
        match (z > 0.0, lag > 0.0) {
            (true, true) => Self::HighHigh,
            (false, true) => Self::LowHigh,
            (false, false) => Self::LowLow,
            (true, false) => Self::HighLow,
        }
    }

    /// esda's number: 1 HH, 2 LH, 3 LL, 4 HL.
    pub fn code(self) -> u8 {
        match self {
            Self::HighHigh => 1,
            Self::LowHigh => 2,
            Self::LowLow => 3,
            Self::HighLow => 4,
        }
    }

    /// Short name: `HH`, `LH`, `LL`, `HL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighHigh => "HH",
            Self::LowHigh => "LH",
            Self::LowLow => "LL",
            Self::HighLow => "HL",
        }
    }
}

/// Local Moran's I of one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalMoranSite {
    /// `I_i`.
    pub i: f64,
    /// Standardised value `z_i`.
    pub z: f64,
    /// Spatial lag of `z` at `i`.
    pub lag: f64,
    /// Scatter-plot quadrant.
    pub quadrant: Quadrant,
    /// Conditional-permutation pseudo p-value (`None` when `R = 0`).
    pub p_sim: Option<f64>,
}

/// The result of [`local_moran`].
#[derive(Debug, Clone, PartialEq)]
pub struct LocalMoran {
    /// One entry per area; `None` for islands.
    pub sites: Vec<Option<LocalMoranSite>>,
    /// Areas with no neighbours.
    pub islands: Vec<usize>,
    /// The parameters used.
    pub params: LocalMoranParams,
}

/// Local Moran's I of `values` (one per area of `weights`) with scatter-plot quadrants and,
/// when `R > 0`, conditional-permutation pseudo p-values.
///
/// Needs at least 3 areas and values that are not all equal.
///
/// ```
/// use safemap_stats::{local_moran, LocalMoranParams, Quadrant};
/// use safemap_types::Weights;
/// let w = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1, 3], vec![2], vec![]])?;
/// let lm = local_moran(&[10.0, 9.0, 1.0, 0.0, 5.0], &w, LocalMoranParams::new(1).permutations(0))?;
/// assert_eq!(lm.sites[0].unwrap().quadrant, Quadrant::HighHigh);
/// assert_eq!(lm.sites[3].unwrap().quadrant, Quadrant::LowLow);
/// assert_eq!((lm.sites[4], lm.islands.clone()), (None, vec![4]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn local_moran(
    values: &[f64],
    weights: &Weights,
    params: LocalMoranParams,
) -> Result<LocalMoran, StatsError> {
    let n = weights.n();
    check_values("values", values, n)?;
    check_n(n, 3)?;
    let w = weights.transformed(params.transform);
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let centred: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let sd = (centred.iter().map(|v| v * v).sum::<f64>() / nf).sqrt();
    if sd == 0.0 {
        return Err(StatsError::ConstantValues {
            n,
            value: values[0],
        });
    }
    let z: Vec<f64> = centred.iter().map(|v| v / sd).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let islands = weights.islands();
    let lag = |i: usize| -> f64 {
        w.neighbours(i)
            .iter()
            .zip(w.values(i))
            .map(|(&j, &wij)| wij * z[j as usize])
            .sum()
    };
    let direction: Vec<Option<Direction>> = (0..n)
        .map(|i| {
            (w.cardinality(i) > 0).then_some(match z[i] {
                v if v > 0.0 => Direction::Increasing,
                v if v < 0.0 => Direction::Decreasing,
                _ => Direction::Constant,
            })
        })
        .collect();
    let p_sim = if params.test.count() > 0 {
        conditional_p_values(values, &w, &direction, params.test)
    } else {
        vec![None; n]
    };
    let sites = (0..n)
        .map(|i| {
            direction[i].map(|_| {
                let l = lag(i);
                LocalMoranSite {
                    i: (nf - 1.0) * z[i] * l / den,
                    z: z[i],
                    lag: l,
                    quadrant: Quadrant::of(z[i], l),
                    p_sim: p_sim[i],
                }
            })
        })
        .collect();
    Ok(LocalMoran {
        sites,
        islands,
        params,
    })
}
