//! `[sites]` and `[priority]`: where new services would reach the most unmet need, and which
//! neighbourhoods come first.

use super::need::{check_components, ComponentSection};
use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};

/// `[sites]`: maximal covering location of new services of one kind.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SitesSection {
    /// The kind of the new services.
    pub kind: String,
    /// How many new sites.
    pub count: usize,
    /// A demand point within this cost of a site (straight-line metres) is covered.
    pub coverage_cost: f64,
}

/// `[priority]`: an explainable ranking of areas.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritySection {
    /// How many areas the top table lists (default 10).
    #[serde(default = "ten")]
    pub top: usize,
    /// The components (`[[priority.component]]`): `need`, `gap_{kind}` or any area column.
    #[serde(rename = "component")]
    pub components: Vec<ComponentSection>,
}

fn ten() -> usize {
    10
}

impl SitesSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if study.need.is_none() {
            return Err(study.invalid("sites", "(no [need])", "a [need] section"));
        }
        if self.count == 0 {
            return Err(study.invalid("sites.count", 0, "at least 1 site"));
        }
        study.positive_metres("sites.coverage_cost", self.coverage_cost)
    }
}

impl PrioritySection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if self.top == 0 {
            return Err(study.invalid("priority.top", 0, "at least 1"));
        }
        check_components(study, "priority.component", &self.components)
    }
}
