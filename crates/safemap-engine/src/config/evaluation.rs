//! `[[evaluation]]`: how well one period's hotspots capture the next period's events.

use super::analysis::CorrectionName;
use super::{is_identifier, AnalysisSection, ConfigError, Statistic, Study};
use safemap_types::MonthRange;
use serde::{Deserialize, Serialize};

/// One `[[evaluation]]` table: the hotspots of a train period scored against the events of
/// the test period that follows (hit rate, PAI, PEI, RRI), once for a fixed pair of periods
/// and over a rolling origin. See `docs/evaluation.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSection {
    /// Lower-case name, unique among the evaluations.
    pub name: String,
    /// The source whose events are evaluated ...
    pub source: Option<String>,
    /// ... and its measure: `all` (default), a category slug or a flag.
    pub category: Option<String>,
    /// Or an `[[analysis]]` of a source: its source, measure, value, first Gi/Gi* statistic
    /// and correction choose the area hotspots (recomputed on each train period).
    pub analysis: Option<String>,
    /// `gi_star` (default): the hot areas and cells at 95% or 99% after the correction;
    /// `top_share`: the `top_share` of units with the most train-period events.
    #[serde(default)]
    pub hotspots: HotspotMethod,
    /// With `hotspots = "top_share"`: the share of units flagged, more than 0 and at most 1.
    pub top_share: Option<f64>,
    /// With `gi_star`: the multiple-testing correction of the classes (default `fdr`; an
    /// `analysis` brings its own for the areas).
    #[serde(default)]
    pub correction: CorrectionName,
    /// `areas`, `grid` (the `[grid]`'s cells): default the areas, and the grid's cells when
    /// the study has a `[grid]`.
    pub units: Option<Vec<UnitKind>>,
    /// The months evaluated (default: the study period, else the months the source covers).
    pub period: Option<MonthRange>,
    /// The fixed pair's train months (default: the first half of the months, the extra
    /// month of an odd count included) ...
    pub train: Option<MonthRange>,
    /// ... and its test months, after the train months (default: the second half).
    pub test: Option<MonthRange>,
    /// The rolling origin's window lengths.
    #[serde(default)]
    pub rolling: RollingSection,
}

/// How the hotspots of a train period are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HotspotMethod {
    /// Getis-Ord Gi* hot classes at 95% or 99% after the correction.
    #[default]
    GiStar,
    /// The `top_share` of units with the most events.
    TopShare,
}

/// What an evaluation scores: the study areas or the `[grid]`'s cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The study areas (boundaries).
    Areas,
    /// The cells of `[grid]`.
    Grid,
}

impl UnitKind {
    /// `areas` or `grid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Areas => "areas",
            Self::Grid => "grid",
        }
    }
}

/// `rolling = { train_months = 12, test_months = 1 }`: each month from the thirteenth on
/// scores the hotspots of the twelve months before it against its own events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RollingSection {
    /// Months whose events choose the hotspots (default 12: a year, so every season).
    #[serde(default = "default_train_months")]
    pub train_months: usize,
    /// Months the hotspots are scored against (default 1: the next month).
    #[serde(default = "default_test_months")]
    pub test_months: usize,
}

impl Default for RollingSection {
    fn default() -> Self {
        Self {
            train_months: default_train_months(),
            test_months: default_test_months(),
        }
    }
}

fn default_train_months() -> usize {
    12
}

fn default_test_months() -> usize {
    1
}

impl EvaluationSection {
    /// The `[[analysis]]` named by `analysis`, if any.
    pub fn analysis_section<'a>(&self, study: &'a Study) -> Option<&'a AnalysisSection> {
        let name = self.analysis.as_ref()?;
        study.analyses.iter().find(|a| &a.name == name)
    }

    /// The source evaluated: `source`, or the analysis's.
    pub fn source_name<'a>(&'a self, study: &'a Study) -> &'a str {
        self.analysis_section(study)
            .and_then(|a| a.source.as_deref())
            .or(self.source.as_deref())
            .unwrap_or_default()
    }

    /// The measure evaluated: `category`, or the analysis's (`None`: `all`).
    pub fn category_name<'a>(&'a self, study: &'a Study) -> Option<&'a str> {
        match self.analysis_section(study) {
            Some(a) => a.category.as_deref(),
            None => self.category.as_deref(),
        }
    }

    /// The units scored, in order: as given, else the areas and, with a `[grid]`, its cells.
    pub fn unit_kinds(&self, study: &Study) -> Vec<UnitKind> {
        match &self.units {
            Some(u) => u.clone(),
            None => std::iter::once(UnitKind::Areas)
                .chain(study.grid.is_some().then_some(UnitKind::Grid))
                .collect(),
        }
    }

    /// True when the evaluation needs the study's `[weights]` (Gi* on the areas).
    pub fn needs_area_weights(&self, study: &Study) -> bool {
        self.hotspots == HotspotMethod::GiStar && self.unit_kinds(study).contains(&UnitKind::Areas)
    }
}

/// The first Gi or Gi* statistic of an analysis.
pub fn getis_ord_statistic(a: &AnalysisSection) -> Option<Statistic> {
    a.statistics.iter().copied().find(|s| {
        matches!(
            s,
            Statistic::GiStar | Statistic::GiStarRowstd | Statistic::Gi | Statistic::GiRowstd
        )
    })
}

/// Checks every `[[evaluation]]`: a unique name; a source or a Gi analysis of a source;
/// `top_share` exactly with `hotspots = "top_share"`; units the study has; train before
/// test, within the period; windows of at least one month.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let mut names = std::collections::BTreeSet::new();
    for (i, e) in study.evaluations.iter().enumerate() {
        let key = |k: &str| format!("evaluation[{i}].{k}");
        if !is_identifier(&e.name) || !names.insert(e.name.as_str()) {
            return Err(study.invalid(
                &key("name"),
                format!("{:?}", e.name),
                "expected a unique name of lower-case letters, digits and _",
            ));
        }
        check_what(study, e, &key)?;
        match (e.hotspots, e.top_share) {
            (HotspotMethod::TopShare, None) => return Err(study.invalid(
                &key("top_share"),
                "(missing)",
                "hotspots = \"top_share\" needs the share of units to flag, e.g. top_share = 0.05",
            )),
            (HotspotMethod::TopShare, Some(s)) if !(s > 0.0 && s <= 1.0) => {
                return Err(study.invalid(
                    &key("top_share"),
                    s,
                    "expected a share more than 0 and at most 1, e.g. 0.05",
                ))
            }
            (HotspotMethod::GiStar, Some(s)) => {
                return Err(study.invalid(
                    &key("top_share"),
                    s,
                    "top_share goes with hotspots = \"top_share\"",
                ))
            }
            _ => {}
        }
        check_units(study, e, &key)?;
        check_months(study, e, &key)?;
    }
    Ok(())
}

/// A source, or a Gi/Gi* analysis of a source; not both.
fn check_what(
    study: &Study,
    e: &EvaluationSection,
    key: &dyn Fn(&str) -> String,
) -> Result<(), ConfigError> {
    match (&e.source, &e.analysis) {
        (Some(s), None) => {
            if !study.sources.iter().any(|x| &x.name == s) {
                return Err(study.invalid(
                    &key("source"),
                    format!("{s:?}"),
                    "no [[source]] has this name",
                ));
            }
        }
        (None, Some(name)) => {
            let Some(a) = e.analysis_section(study) else {
                return Err(study.invalid(
                    &key("analysis"),
                    format!("{name:?}"),
                    "no [[analysis]] has this name",
                ));
            };
            if a.source.is_none() || getis_ord_statistic(a).is_none() {
                return Err(study.invalid(
                    &key("analysis"),
                    format!("{name:?}"),
                    "expected an analysis of a [[source]] with gi_star, gi_star_rowstd, gi or gi_rowstd among its statistics",
                ));
            }
            if e.category.is_some() || e.hotspots != HotspotMethod::GiStar {
                return Err(study.invalid(
                    &key("analysis"),
                    format!("{name:?}"),
                    "an analysis brings its own category and Gi hotspots: leave out category and hotspots",
                ));
            }
        }
        _ => {
            return Err(study.invalid(
                &key("source"),
                &e.name,
                "give exactly one of source or analysis",
            ))
        }
    }
    Ok(())
}

/// Units the study has, each once; Gi* on the areas needs `[weights]`.
fn check_units(
    study: &Study,
    e: &EvaluationSection,
    key: &dyn Fn(&str) -> String,
) -> Result<(), ConfigError> {
    let units = e.unit_kinds(study);
    let mut sorted = units.clone();
    sorted.sort();
    sorted.dedup();
    if units.is_empty() || sorted.len() != units.len() {
        return Err(study.invalid(
            &key("units"),
            format!("{units:?}"),
            "expected \"areas\", \"grid\" or both, each once",
        ));
    }
    if units.contains(&UnitKind::Grid) && study.grid.is_none() {
        return Err(study.invalid(
            &key("units"),
            "\"grid\"",
            "grid cells need a [grid] table (its shape, cell size and neighbour distance)",
        ));
    }
    if e.needs_area_weights(study) && study.weights.is_none() {
        return Err(study.invalid(
            &key("hotspots"),
            "\"gi_star\"",
            "Gi* on the areas needs a [weights] table (kind = \"queen\", ...), or use hotspots = \"top_share\"",
        ));
    }
    Ok(())
}

/// Train and test both or neither, test after train, both within the period; rolling
/// windows of at least one month each.
fn check_months(
    study: &Study,
    e: &EvaluationSection,
    key: &dyn Fn(&str) -> String,
) -> Result<(), ConfigError> {
    if let (Some(p), Some(study_period)) = (e.period, study.period) {
        if !study_period.includes(p) {
            return Err(study.invalid(
                &key("period"),
                p,
                &format!("expected months within the study period ({study_period})"),
            ));
        }
    }
    match (e.train, e.test) {
        (None, None) => {}
        (Some(train), Some(test)) => {
            if test.from() <= train.to() {
                return Err(study.invalid(
                    &key("test"),
                    test,
                    &format!("the test months must come after the train months ({train})"),
                ));
            }
            if let Some(period) = e.period.or(study.period) {
                for (k, r) in [("train", train), ("test", test)] {
                    if !period.includes(r) {
                        return Err(study.invalid(
                            &key(k),
                            r,
                            &format!("expected months within the evaluated period ({period})"),
                        ));
                    }
                }
            }
        }
        _ => {
            return Err(study.invalid(
                &key("train"),
                "(one of train and test)",
                "give both train and test, or neither (the months split in two halves)",
            ))
        }
    }
    let r = e.rolling;
    if r.train_months == 0 || r.test_months == 0 {
        return Err(study.invalid(
            &key("rolling"),
            format!(
                "{{ train_months = {}, test_months = {} }}",
                r.train_months, r.test_months
            ),
            "expected at least one month each",
        ));
    }
    Ok(())
}
