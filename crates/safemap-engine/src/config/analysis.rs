//! `[[analysis]]`: which values, which spatial statistics, which correction.

use super::{is_identifier, ConfigError, Study};
use safemap_types::MonthRange;
use serde::{Deserialize, Serialize};

/// One `[[analysis]]` table: which values, which statistics.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSection {
    /// Lower-case name; prefixes the output columns.
    pub name: String,
    /// Analyse a `[[measure]]` ...
    pub measure: Option<String>,
    /// ... or the counts of a `[[source]]`:
    pub source: Option<String>,
    /// the source's measure: `all`, a category slug (as in the output columns, e.g.
    /// `violence_and_sexual_offences`) or a flag (`flag_domestic_abuse`);
    pub category: Option<String>,
    /// restricted to these months (default: the study period),
    pub period: Option<MonthRange>,
    /// and to the hours of this window: `nte` (`[time] nte`); only for sources whose events
    /// have a time of day.
    pub window: Option<WindowName>,
    /// What is analysed for counts: `rate` (the default), `count`, `eb_rate` (global
    /// Empirical Bayes), `spatial_eb_rate`, or `eb_standardised` (Assunção-Reis, the Moran
    /// input for rates). A measure of kind `value` is analysed as given and takes no `value`.
    pub value: Option<ValueKind>,
    /// The population its rates are per (default: the source's).
    pub denominator: Option<String>,
    /// Its rates are per this many (default: the source's).
    pub rate_per: Option<f64>,
    /// Statistics to compute.
    pub statistics: Vec<Statistic>,
    /// Conditional permutations for pseudo p-values (0 = none).
    #[serde(default = "default_permutations")]
    pub permutations: usize,
    /// Multiple-testing correction shown beside the raw classes: `fdr` (Benjamini-Hochberg) or
    /// `bonferroni`.
    #[serde(default)]
    pub correction: CorrectionName,
    /// Clamp a negative Empirical Bayes prior variance at 0 (as GeoDa; esda does not).
    #[serde(default = "default_true")]
    pub clamp_negative_prior: bool,
}

pub(super) fn default_permutations() -> usize {
    999
}

fn default_true() -> bool {
    true
}

/// The named windows an analysis can keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowName {
    /// The night-time economy, as `[time] nte` defines it.
    Nte,
}

/// What an analysis computes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Count per `rate_per` residents.
    Rate,
    /// The count itself.
    Count,
    /// Global Empirical Bayes (Marshall) smoothed rate.
    EbRate,
    /// Spatial Empirical Bayes smoothed rate (prior from each area's neighbourhood).
    SpatialEbRate,
    /// Assunção-Reis EB-standardised rate.
    EbStandardised,
}

/// Statistics an analysis can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Global Moran's I, row-standardised weights.
    GlobalMoran,
    /// Local Moran's I (LISA), row-standardised weights.
    LocalMoran,
    /// Getis-Ord Gi*, binary weights.
    GiStar,
    /// Getis-Ord Gi*, row-standardised weights.
    GiStarRowstd,
    /// Getis-Ord Gi (no self), binary weights.
    Gi,
    /// Getis-Ord Gi (no self), row-standardised weights.
    GiRowstd,
}

/// Multiple-testing corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionName {
    /// Benjamini-Hochberg false discovery rate.
    #[default]
    Fdr,
    /// Bonferroni.
    Bonferroni,
}

/// Checks every `[[analysis]]`: a unique name, exactly one of measure or source (and that
/// it exists), at least one statistic.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let mut names = std::collections::BTreeSet::new();
    for (i, a) in study.analyses.iter().enumerate() {
        let key = |k: &str| format!("analysis[{i}].{k}");
        if !is_identifier(&a.name) || !names.insert(a.name.as_str()) {
            return Err(study.invalid(
                &key("name"),
                format!("{:?}", a.name),
                "expected a unique name of lower-case letters, digits and _",
            ));
        }
        match (&a.measure, &a.source) {
            (Some(m), None) => {
                if !study.measures.iter().any(|x| &x.name == m) {
                    return Err(study.invalid(
                        &key("measure"),
                        format!("{m:?}"),
                        "no [[measure]] has this name",
                    ));
                }
            }
            (None, Some(s)) => {
                if !study.sources.iter().any(|x| &x.name == s) {
                    return Err(study.invalid(
                        &key("source"),
                        format!("{s:?}"),
                        "no [[source]] has this name",
                    ));
                }
            }
            _ => {
                return Err(study.invalid(
                    &key("measure"),
                    &a.name,
                    "give exactly one of measure or source",
                ))
            }
        }
        if a.statistics.is_empty() {
            return Err(study.invalid(
                &key("statistics"),
                "[]",
                "list global_moran, local_moran, gi_star, gi_star_rowstd, gi or gi_rowstd",
            ));
        }
    }
    Ok(())
}
