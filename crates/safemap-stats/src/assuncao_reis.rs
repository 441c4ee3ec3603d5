//! EB-standardised rates (Assunção and Reis 1999): the input of Moran's I for rates.
//!
//! Moran's I of raw rates is distorted by the unequal variance of rates over small and large
//! populations. Assunção and Reis standardise each rate by its Empirical Bayes variance:
//!
//! ```text
//! r_i = O_i / P_i,   b = sum O / sum P,   s^2 = sum_i P_i (r_i - b)^2 / sum P
//! a   = s^2 - b / Pbar,                   Pbar = sum P / n
//! v_i = a + b / P_i
//! z_i = (r_i - b) / sqrt(v_i)
//! ```
//!
//! When `a < 0`: with `clamp_negative_prior` (safemap's default) `a` is set to 0, so
//! `v_i = b / P_i`; without it, `a` is kept and only areas with `v_i < 0` fall back to
//! `v_i = b / P_i`, which is esda's `assuncao_rate` exactly. Global Moran's I of `z`
//! ([`crate::global_moran()`]) is then esda's `Moran_Rate` (with its default `adjusted=True`).
//!
//! Areas whose population is zero, negative or not finite get `None` and take no part.

use crate::empirical_bayes::usable;
use crate::{EbParams, StatsError};

/// The result of [`eb_standardised_rates`].
#[derive(Debug, Clone, PartialEq)]
pub struct EbStandardised {
    /// `z_i` per area; `None` where the population is unusable.
    pub values: Vec<Option<f64>>,
    /// The prior mean `b` (the overall rate per person).
    pub prior_mean: f64,
    /// The prior variance estimate `a`, before any clamping.
    pub prior_variance: f64,
    /// Whether `a < 0` was clamped to 0.
    pub clamped: bool,
    /// Areas (unclamped only) whose `v_i` was negative and fell back to `b / P_i`.
    pub variance_fallback: Vec<usize>,
    /// Areas whose population is zero, negative or not finite.
    pub no_population: Vec<usize>,
    /// The parameters used.
    pub params: EbParams,
}

/// EB-standardised rates of `counts` over `populations` (one each per area), for Moran's I
/// of rates.
///
/// ```
/// use safemap_stats::{eb_standardised_rates, EbParams};
/// let z = eb_standardised_rates(&[2.0, 9.0, 30.0, 4.0], &[900.0, 1100.0, 2500.0, 800.0], EbParams::new())?;
/// assert!(z.values.iter().all(Option::is_some) && !z.clamped);
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn eb_standardised_rates(
    counts: &[f64],
    populations: &[f64],
    params: EbParams,
) -> Result<EbStandardised, StatsError> {
    let pop = usable(counts, populations)?;
    let n = counts.len();
    let areas: Vec<usize> = (0..n).filter(|&i| pop[i].is_some()).collect();
    let (sum_o, sum_p) = areas.iter().fold((0.0, 0.0), |(o, p), &i| {
        (o + counts[i], p + pop[i].unwrap_or(0.0))
    });
    let b = sum_o / sum_p;
    let spread: f64 = areas
        .iter()
        .map(|&i| {
            let p = pop[i].unwrap_or(0.0);
            let d = counts[i] / p - b;
            p * d * d
        })
        .sum();
    let a = spread / sum_p - b / (sum_p / areas.len() as f64);
    let clamp = params.clamps() && a < 0.0;
    let a_used = if clamp { 0.0 } else { a };
    let mut fallback = Vec::new();
    let values = (0..n)
        .map(|i| {
            let p = pop[i]?;
            let mut v = a_used + b / p;
            if v < 0.0 {
                fallback.push(i);
                v = b / p;
            }
            let d = counts[i] / p - b;
            // v = 0 only when b = 0, i.e. no events anywhere, so every d is 0 too.
            Some(if v == 0.0 { 0.0 } else { d / v.sqrt() })
        })
        .collect();
    Ok(EbStandardised {
        values,
        prior_mean: b,
        prior_variance: a,
        clamped: clamp,
        variance_fallback: fallback,
        no_population: (0..n).filter(|&i| pop[i].is_none()).collect(),
        params,
    })
}
