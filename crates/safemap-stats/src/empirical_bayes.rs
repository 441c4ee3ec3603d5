//! Empirical Bayes rate smoothing: global (Marshall 1991) and spatial.
//!
//! Raw rates `r_i = O_i / P_i` of small populations are noisy; EB shrinks each towards a
//! prior mean `b`, the more the smaller `P_i`:
//!
//! ```text
//! s^2  = sum_i P_i (r_i - b)^2 / sum_i P_i
//! a    = s^2 - b / Pbar                        prior variance (method of moments)
//! w_i  = a / (a + b / P_i)
//! EB_i = w_i r_i + (1 - w_i) b
//! ```
//!
//! - [`Prior::Global`] (Marshall; MISSION's formula; esda `Empirical_Bayes`): one prior for
//!   the whole map, `b = sum O / sum P`, `Pbar = sum P / n`.
//! - [`Prior::Spatial`] (esda `Spatial_Empirical_Bayes`): a prior per area from its
//!   neighbourhood **including itself**, `J_i = {i} + neighbours(i)` (weights used as a
//!   neighbour set; their values are ignored): `b_i = sum_J O / sum_J P`,
//!   `s_i^2 = sum_J P_j (r_j - b_i)^2 / sum_J P`, `a_i = s_i^2 - b_i / (sum_J P / |J_i|)`.
//!   An island's neighbourhood is itself alone, which gives `a_i < 0`, so (when clamped)
//!   its rate is left as its own raw rate.
//!
//! # Negative prior variance
//!
//! When the rates vary less than Poisson noise alone would make them, `a < 0`. With
//! `clamp_negative_prior` (**safemap's default**, as GeoDa; esda's spatial EB always clamps)
//! `a` is set to 0 and every rate in that prior becomes the prior mean; without it (esda's
//! global EB) `a` is used as it is, which can give weights outside `[0, 1]`. The result lists
//! the areas whose estimate was negative and says whether clamping happened, for the
//! manifest.
//!
//! # Populations
//!
//! Rates are per person (multiply by 1,000 for a rate per 1,000 afterwards: EB is not scale
//! free in the rate). Areas whose population is zero, negative or not finite take no part
//! and get `None` (never a division by zero); they are listed in the result.

use safemap_types::Weights;

use crate::StatsError;

/// Where the prior comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior<'w> {
    /// One prior for the whole map.
    Global,
    /// A prior per area from its neighbourhood and itself.
    Spatial(&'w Weights),
}

impl Prior<'_> {
    /// Stable name: `global` or `spatial`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Spatial(_) => "spatial",
        }
    }
}

/// Parameters for [`empirical_bayes`] and [`crate::eb_standardised_rates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EbParams {
    clamp_negative_prior: bool,
}

impl Default for EbParams {
    fn default() -> Self {
        Self::new()
    }
}

impl EbParams {
    /// The defaults: a negative prior variance is clamped to 0.
    pub fn new() -> Self {
        Self {
            clamp_negative_prior: true,
        }
    }

    /// Whether a negative prior-variance estimate is set to 0 (default `true`, as GeoDa;
    /// `false` reproduces esda's global `Empirical_Bayes` and `assuncao_rate`).
    #[must_use]
    pub fn clamp_negative_prior(mut self, clamp: bool) -> Self {
        self.clamp_negative_prior = clamp;
        self
    }

    /// Whether negative prior variances are clamped.
    pub fn clamps(&self) -> bool {
        self.clamp_negative_prior
    }
}

/// The result of [`empirical_bayes`]. Every vector has one entry per area.
#[derive(Debug, Clone, PartialEq)]
pub struct EmpiricalBayes {
    /// Smoothed rate per person; `None` where the population is unusable.
    pub rates: Vec<Option<f64>>,
    /// Prior mean `b` (or `b_i`) used for each area.
    pub prior_mean: Vec<Option<f64>>,
    /// Prior variance `a` (or `a_i`) used for each area, after any clamping.
    pub prior_variance: Vec<Option<f64>>,
    /// Areas whose prior-variance estimate was negative (for a global prior, all usable areas
    /// when `a < 0`).
    pub negative_prior_variance: Vec<usize>,
    /// Whether any negative estimate was set to 0.
    pub clamped: bool,
    /// Areas whose population is zero, negative or not finite.
    pub no_population: Vec<usize>,
    /// The parameters used.
    pub params: EbParams,
}

/// Checks counts and returns the usable populations (`None` when unusable).
pub(crate) fn usable(counts: &[f64], populations: &[f64]) -> Result<Vec<Option<f64>>, StatsError> {
    if counts.len() != populations.len() {
        return Err(StatsError::LengthMismatch {
            what: "populations",
            len: populations.len(),
            n: counts.len(),
        });
    }
    if let Some(index) = counts.iter().position(|c| !(c.is_finite() && *c >= 0.0)) {
        return Err(StatsError::BadCount {
            what: "count",
            index,
            value: counts[index],
        });
    }
    let usable: Vec<Option<f64>> = populations
        .iter()
        .map(|&p| (p.is_finite() && p > 0.0).then_some(p))
        .collect();
    if usable.iter().all(Option::is_none) {
        return Err(StatsError::NoPopulation { n: counts.len() });
    }
    Ok(usable)
}

/// `w r + (1 - w) b` with `w = a / (a + b / P)`; the prior mean when `a + b / P = 0` (no
/// events at all).
fn shrink(rate: f64, b: f64, a: f64, population: f64) -> f64 {
    let den = a + b / population;
    if den == 0.0 {
        return b;
    }
    let w = a / den;
    w * rate + (1.0 - w) * b
}

/// Empirical Bayes smoothed rates of `counts` over `populations` (one each per area).
///
/// Counts must be finite and non-negative; at least one population must be positive.
///
/// ```
/// use safemap_stats::{empirical_bayes, EbParams, Prior};
/// let eb = empirical_bayes(&[0.0, 10.0, 3.0], &[100.0, 1000.0, 0.0], Prior::Global, EbParams::new())?;
/// assert_eq!(eb.no_population, vec![2]);
/// assert!(eb.rates[0].unwrap() > 0.0); // a zero count is pulled up towards the mean
/// # Ok::<(), safemap_stats::StatsError>(())
/// ```
pub fn empirical_bayes(
    counts: &[f64],
    populations: &[f64],
    prior: Prior<'_>,
    params: EbParams,
) -> Result<EmpiricalBayes, StatsError> {
    let pop = usable(counts, populations)?;
    let n = counts.len();
    let rate: Vec<Option<f64>> = pop
        .iter()
        .zip(counts)
        .map(|(p, &o)| p.map(|p| o / p))
        .collect();
    // Per area: its neighbourhood (all usable areas for a global prior).
    let priors: Vec<Option<(f64, f64)>> = match prior {
        Prior::Global => {
            let all: Vec<usize> = (0..n).filter(|&i| pop[i].is_some()).collect();
            let global = moments(&all, counts, &pop, &rate);
            pop.iter().map(|p| p.map(|_| global)).collect()
        }
        Prior::Spatial(w) => {
            if w.n() != n {
                return Err(StatsError::LengthMismatch {
                    what: "counts",
                    len: n,
                    n: w.n(),
                });
            }
            (0..n)
                .map(|i| {
                    pop[i]?;
                    let mut hood: Vec<usize> = w
                        .neighbours(i)
                        .iter()
                        .map(|&j| j as usize)
                        .filter(|&j| pop[j].is_some())
                        .collect();
                    hood.push(i);
                    Some(moments(&hood, counts, &pop, &rate))
                })
                .collect()
        }
    };
    let negative: Vec<usize> = (0..n)
        .filter(|&i| priors[i].is_some_and(|(_, a)| a < 0.0))
        .collect();
    let clamp = params.clamp_negative_prior;
    let used: Vec<Option<(f64, f64)>> = priors
        .iter()
        .map(|p| p.map(|(b, a)| (b, if clamp { a.max(0.0) } else { a })))
        .collect();
    let rates = (0..n)
        .map(|i| {
            let (b, a) = used[i]?;
            Some(shrink(rate[i]?, b, a, pop[i]?))
        })
        .collect();
    Ok(EmpiricalBayes {
        rates,
        prior_mean: used.iter().map(|p| p.map(|(b, _)| b)).collect(),
        prior_variance: used.iter().map(|p| p.map(|(_, a)| a)).collect(),
        clamped: clamp && !negative.is_empty(),
        negative_prior_variance: negative,
        no_population: (0..n).filter(|&i| pop[i].is_none()).collect(),
        params,
    })
}

/// Prior mean `b` and (unclamped) variance `a` over the areas `hood` (all usable).
fn moments(
    hood: &[usize],
    counts: &[f64],
    pop: &[Option<f64>],
    rate: &[Option<f64>],
) -> (f64, f64) {
    let mut sum_o = 0.0;
    let mut sum_p = 0.0;
    for &j in hood {
        sum_o += counts[j];
        sum_p += pop[j].unwrap_or(0.0);
    }
    let b = sum_o / sum_p;
    let spread: f64 = hood
        .iter()
        .map(|&j| {
            let d = rate[j].unwrap_or(b) - b;
            pop[j].unwrap_or(0.0) * d * d
        })
        .sum();
    let a = spread / sum_p - b / (sum_p / hood.len() as f64);
    (b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_shrinks_to_the_prior_mean() {
        // Counts exactly proportional to population: s^2 = 0, a = -b / Pbar < 0.
        let counts = [1.0, 2.0, 4.0];
        let pops = [100.0, 200.0, 400.0];
        let clamped = empirical_bayes(&counts, &pops, Prior::Global, EbParams::new()).unwrap();
        assert!(clamped.clamped);
        assert_eq!(clamped.negative_prior_variance, vec![0, 1, 2]);
        for r in &clamped.rates {
            assert!((r.unwrap() - 0.01).abs() < 1e-15);
        }
        let raw = empirical_bayes(
            &counts,
            &pops,
            Prior::Global,
            EbParams::new().clamp_negative_prior(false),
        )
        .unwrap();
        assert!(!raw.clamped);
        assert_eq!(raw.negative_prior_variance, vec![0, 1, 2]);
        assert!(raw.prior_variance[0].unwrap() < 0.0);
    }

    #[test]
    fn bad_inputs_and_islands() {
        assert!(matches!(
            empirical_bayes(&[1.0, -1.0], &[1.0, 1.0], Prior::Global, EbParams::new()),
            Err(StatsError::BadCount { index: 1, .. })
        ));
        assert!(matches!(
            empirical_bayes(&[1.0], &[0.0], Prior::Global, EbParams::new()),
            Err(StatsError::NoPopulation { n: 1 })
        ));
        let w = Weights::from_neighbour_lists(&[vec![1], vec![0], vec![]]).unwrap();
        let eb = empirical_bayes(
            &[1.0, 5.0, 3.0],
            &[100.0, 120.0, 90.0],
            Prior::Spatial(&w),
            EbParams::new(),
        )
        .unwrap();
        // The island's prior is itself: a < 0, clamped, so its rate is its raw rate.
        assert_eq!(eb.rates[2], Some(3.0 / 90.0));
        assert!(eb.negative_prior_variance.contains(&2));
        assert!(eb.rates.iter().all(|r| r.is_some_and(f64::is_finite)));
        let none =
            empirical_bayes(&[0.0; 3], &[10.0; 3], Prior::Spatial(&w), EbParams::new()).unwrap();
        assert!(none.rates.iter().all(|r| *r == Some(0.0)));
    }
}
