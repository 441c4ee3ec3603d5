//! `[need]` and `[gap]`: a need index of area columns, set against access.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};

/// `[need]`: a weighted composite of area columns, each standardised.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeedSection {
    /// The components (`[[need.component]]`).
    #[serde(rename = "component")]
    pub components: Vec<ComponentSection>,
}

/// One input of a composite score: an area column and its weight.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSection {
    /// A column of the areas table (`areas.csv`): a measure's `_eb_rate` or `_rate`,
    /// `deprivation`, a `[[measure]]`, an analysis's `_z`; in `[priority]` also `need` and
    /// `gap_{kind}`.
    pub column: String,
    /// Its weight (positive; weights need not add up to 1).
    pub weight: f64,
    /// False when a lower value means more need (an IMD decile: 1 is most deprived).
    #[serde(default = "yes")]
    pub higher_is_more: bool,
}

fn yes() -> bool {
    true
}

/// `[gap]`: need against access per kind of service.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GapSection {
    /// The `[[access.score]]` that stands for access (default: the first).
    pub score: Option<String>,
    /// Areas at or above this quantile of need are "high need" (default 0.5, the median),
    /// also for the coverage of high-need population.
    #[serde(default = "half")]
    pub high_need_quantile: f64,
    /// Areas at or above this quantile of access are "high access" (default 0.5).
    #[serde(default = "half")]
    pub high_access_quantile: f64,
}

fn half() -> f64 {
    0.5
}

/// Checks a list of components under `key`.
pub(super) fn check_components(
    study: &Study,
    key: &str,
    components: &[ComponentSection],
) -> Result<(), ConfigError> {
    if components.is_empty() {
        return Err(study.invalid(key, "(none)", "at least one component"));
    }
    for (i, c) in components.iter().enumerate() {
        if !(c.weight.is_finite() && c.weight > 0.0) {
            return Err(study.invalid(
                &format!("{key}[{i}].weight"),
                c.weight,
                "a positive weight",
            ));
        }
        if components[..i].iter().any(|o| o.column == c.column) {
            return Err(study.invalid(
                &format!("{key}[{i}].column"),
                &c.column,
                "each column once",
            ));
        }
    }
    Ok(())
}

impl NeedSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        check_components(study, "need.component", &self.components)
    }
}

impl GapSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        let Some(access) = &study.access else {
            return Err(study.invalid("gap", "(no [access])", "an [access] section"));
        };
        if study.need.is_none() {
            return Err(study.invalid("gap", "(no [need])", "a [need] section"));
        }
        match &self.score {
            Some(s) if !access.scores.iter().any(|a| &a.name == s) => {
                return Err(study.invalid("gap.score", s, "the name of an [[access.score]]"));
            }
            None if access.scores.is_empty() => {
                return Err(study.invalid("gap.score", "(none)", "an [[access.score]]"));
            }
            _ => {}
        }
        for (k, q) in [
            ("gap.high_need_quantile", self.high_need_quantile),
            ("gap.high_access_quantile", self.high_access_quantile),
        ] {
            if !(q > 0.0 && q < 1.0) {
                return Err(study.invalid(k, q, "a quantile between 0 and 1"));
            }
        }
        Ok(())
    }
}
