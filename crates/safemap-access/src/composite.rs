//! [`composite`]: a weighted sum of standardised, named per-area columns, keeping every
//! column's contribution. The need index, the gap score and the priority ranking are all
//! built on it.
//!
//! **Standardisation.** Each column becomes a z-score `z = (x - mean) / sd` with the
//! *population* standard deviation (divisor `n`, as `scipy.stats.zscore` and scikit-learn's
//! `StandardScaler`): the index describes these areas, it does not estimate a wider
//! population's spread.
//!
//! **Missing values.** A column holds `None` where an area has no value (no data is not
//! zero). The composite is computed over the *complete cases*: the areas with a value in
//! every column. Means and standard deviations are taken over those areas only, so every
//! column has mean 0 and standard deviation 1 across exactly the areas that get a score;
//! an area missing any column gets no score (`None`) and no contributions, rather than a
//! score made of fewer parts that would not be comparable with the rest.
//!
//! **Weights** are used as given (not rescaled to sum to 1); a negative weight makes a
//! column count against the score. Scaling every weight by the same positive factor scales
//! every score and changes no ranking.

use crate::AccessError;

/// One named per-area column and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Component<'a> {
    /// The column's name, as the study names it (used in outputs and errors).
    pub name: &'a str,
    /// One value per area, `None` where the area has none.
    pub values: &'a [Option<f64>],
    /// Its weight in the composite.
    pub weight: f64,
}

impl<'a> Component<'a> {
    /// A column `name` with `values` and `weight`.
    pub fn new(name: &'a str, values: &'a [Option<f64>], weight: f64) -> Self {
        Component {
            name,
            values,
            weight,
        }
    }
}

/// One column of a [`Composite`], standardised.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardised {
    /// The column's name.
    pub name: String,
    /// Its weight.
    pub weight: f64,
    /// Mean over the complete cases.
    pub mean: f64,
    /// Population standard deviation over the complete cases (positive).
    pub sd: f64,
    /// Per area its z-score, `None` outside the complete cases.
    pub z: Vec<Option<f64>>,
    /// Per area `weight × z`, its contribution to the score.
    pub contribution: Vec<Option<f64>>,
}

/// A weighted sum of standardised columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Composite {
    /// Per area `Σ weight × z` over the columns in their given order, `None` for an area
    /// missing any column.
    pub score: Vec<Option<f64>>,
    /// The columns, in the given order.
    pub components: Vec<Standardised>,
}

impl Composite {
    /// The scores the same z-scores give with other `weights` (one per column, in order):
    /// what the need index's robustness check recomputes.
    pub fn rescored(&self, weights: &[f64]) -> Vec<Option<f64>> {
        (0..self.score.len())
            .map(|i| {
                self.score[i]?;
                Some(
                    self.components
                        .iter()
                        .zip(weights)
                        .map(|(c, w)| w * c.z[i].unwrap_or(0.0))
                        .sum(),
                )
            })
            .collect()
    }
}

/// The composite of `components` (see the [module docs](self) for standardisation and
/// missing values). Errors: no components, columns of different lengths, a NaN or infinite
/// value or weight, a repeated name, fewer than two complete areas, a column constant over
/// the complete areas.
///
/// ```
/// use safemap_access::{composite, Component};
///
/// let rate = [Some(1.0), Some(2.0), Some(3.0), None];
/// let deprivation = [Some(10.0), Some(30.0), Some(20.0), Some(40.0)];
/// let c = composite(&[
///     Component::new("rate", &rate, 2.0),
///     Component::new("deprivation", &deprivation, 1.0),
/// ])
/// .unwrap();
/// // Areas 0-2 are complete: rate z = -1.22, 0, 1.22; deprivation z = -1.22, 1.22, 0.
/// let s: Vec<_> = c.score.iter().map(|s| s.map(|v| (v * 100.0).round() / 100.0)).collect();
/// assert_eq!(s, vec![Some(-3.67), Some(1.22), Some(2.45), None]);
/// assert_eq!(c.components[0].contribution[3], None);
/// ```
pub fn composite(components: &[Component<'_>]) -> Result<Composite, AccessError> {
    let first = components.first().ok_or(AccessError::NoComponents)?;
    let n = first.values.len();
    for (k, c) in components.iter().enumerate() {
        if components[..k].iter().any(|o| o.name == c.name) {
            return Err(AccessError::DuplicateName(c.name.to_string()));
        }
        if c.values.len() != n {
            return Err(AccessError::ComponentLength {
                name: c.name.to_string(),
                len: c.values.len(),
                n,
            });
        }
        if !c.weight.is_finite() {
            return Err(AccessError::BadWeight {
                name: c.name.to_string(),
                weight: c.weight,
            });
        }
        if let Some((index, value)) = c
            .values
            .iter()
            .enumerate()
            .find_map(|(i, v)| v.filter(|v| !v.is_finite()).map(|v| (i, v)))
        {
            return Err(AccessError::NotFinite {
                name: c.name.to_string(),
                index,
                value,
            });
        }
    }
    let complete: Vec<bool> = (0..n)
        .map(|i| components.iter().all(|c| c.values[i].is_some()))
        .collect();
    let count = complete.iter().filter(|&&c| c).count();
    if count < 2 {
        return Err(AccessError::TooFewComplete {
            complete: count,
            names: components
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let standardised = components
        .iter()
        .map(|c| {
            let present = || {
                c.values
                    .iter()
                    .zip(&complete)
                    .filter_map(|(v, &ok)| v.filter(|_| ok))
            };
            let (mean, sd) = mean_and_sd(present());
            if sd <= 0.0 || !sd.is_finite() {
                return Err(AccessError::Constant {
                    name: c.name.to_string(),
                    value: mean,
                });
            }
            let z: Vec<Option<f64>> = c
                .values
                .iter()
                .zip(&complete)
                .map(|(v, &ok)| v.filter(|_| ok).map(|v| (v - mean) / sd))
                .collect();
            let contribution = z.iter().map(|z| z.map(|z| c.weight * z)).collect();
            Ok(Standardised {
                name: c.name.to_string(),
                weight: c.weight,
                mean,
                sd,
                z,
                contribution,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let score = (0..n)
        .map(|i| {
            complete[i].then(|| {
                standardised
                    .iter()
                    .map(|s| s.contribution[i].unwrap_or(0.0))
                    .sum()
            })
        })
        .collect();
    Ok(Composite {
        score,
        components: standardised,
    })
}

/// Mean and population standard deviation (two passes, in order).
pub(crate) fn mean_and_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (count, sum) = values
        .clone()
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    let mean = sum / count as f64;
    let ss: f64 = values.map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / count as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_scores_use_the_population_sd_over_complete_cases() {
        // Complete cases are areas 0, 1, 3 (area 2 lacks b). a over them: 2, 4, 6 -> mean 4,
        // population sd sqrt(8/3); b: 1, 1, 4 -> mean 2, sd sqrt(6/3) = sqrt(2).
        let a = [Some(2.0), Some(4.0), Some(100.0), Some(6.0)];
        let b = [Some(1.0), Some(1.0), None, Some(4.0)];
        let c = composite(&[Component::new("a", &a, 1.0), Component::new("b", &b, -0.5)]).unwrap();
        let sd_a = (8.0f64 / 3.0).sqrt();
        let sd_b = 2.0f64.sqrt();
        assert_eq!((c.components[0].mean, c.components[0].sd), (4.0, sd_a));
        assert_eq!(c.components[1].mean, 2.0);
        assert!((c.components[1].sd - sd_b).abs() < 1e-15);
        let want0 = (2.0 - 4.0) / sd_a - 0.5 * (1.0 - 2.0) / sd_b;
        assert!((c.score[0].unwrap() - want0).abs() < 1e-12);
        assert_eq!(c.score[2], None);
        assert_eq!(c.components[0].z[2], None, "not a complete case");
        // Contributions add up to the score.
        for i in [0, 1, 3] {
            let sum: f64 = c
                .components
                .iter()
                .map(|s| s.contribution[i].unwrap())
                .sum();
            assert_eq!(sum, c.score[i].unwrap());
        }
        // Rescoring with the same weights gives the same scores.
        assert_eq!(c.rescored(&[1.0, -0.5]), c.score);
    }

    #[test]
    fn unusable_columns_are_named() {
        let ok = [Some(1.0), Some(2.0), Some(3.0)];
        let flat = [Some(5.0), Some(5.0), None];
        let err = |cs: &[Component<'_>]| composite(cs).unwrap_err();
        assert_eq!(err(&[]), AccessError::NoComponents);
        assert_eq!(
            err(&[
                Component::new("ok", &ok, 1.0),
                Component::new("flat", &flat, 1.0)
            ]),
            AccessError::Constant {
                name: "flat".into(),
                value: 5.0
            }
        );
        assert_eq!(
            err(&[
                Component::new("ok", &ok, 1.0),
                Component::new("ok", &ok, 1.0)
            ]),
            AccessError::DuplicateName("ok".into())
        );
        assert!(matches!(
            err(&[Component::new("ok", &ok, f64::NAN)]),
            AccessError::BadWeight { .. }
        ));
        let nan = [Some(1.0), Some(f64::INFINITY), Some(3.0)];
        assert!(matches!(
            err(&[Component::new("nan", &nan, 1.0)]),
            AccessError::NotFinite { index: 1, .. }
        ));
        let short = [Some(1.0)];
        assert!(matches!(
            err(&[
                Component::new("ok", &ok, 1.0),
                Component::new("short", &short, 1.0)
            ]),
            AccessError::ComponentLength { len: 1, n: 3, .. }
        ));
        let sparse = [None, Some(2.0), None];
        let msg = err(&[
            Component::new("ok", &ok, 1.0),
            Component::new("sparse", &sparse, 1.0),
        ])
        .to_string();
        assert!(
            msg.contains("only 1 areas") && msg.contains("ok, sparse"),
            "{msg}"
        );
    }
}
