//! `[[measure]]`: area-level values that arrive already aggregated.

use super::{is_identifier, ConfigError, KeyedSection, Study};
use serde::{Deserialize, Serialize};

/// One `[[measure]]` table: a value per area from the boundary file or a CSV keyed by code
/// (e.g. children's social care referrals by neighbourhood, or a shapefile's `CRIME`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSection {
    /// Lower-case name, used by `[[analysis]] measure = ...` and in output columns.
    pub name: String,
    /// A numeric property (GeoJSON) or attribute (Shapefile) of the boundary file.
    pub boundary_field: Option<String>,
    /// Or a CSV keyed by area code.
    pub table: Option<KeyedSection>,
    /// `value` (analysed as given: a rate, a score) or `count` (divided by the population
    /// into a rate per `rate_per`, and smoothable).
    #[serde(default)]
    pub kind: MeasureKind,
}

/// How a measure's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Analysed as given.
    #[default]
    Value,
    /// A count; its population is the study's `[population]`.
    Count,
}

/// Checks every `[[measure]]`: its name and where its values come from.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    for (i, m) in study.measures.iter().enumerate() {
        if !is_identifier(&m.name) {
            return Err(study.invalid(
                &format!("measure[{i}].name"),
                format!("{:?}", m.name),
                "expected lower-case letters, digits and _",
            ));
        }
        if m.boundary_field.is_some() == m.table.is_some() {
            return Err(study.invalid(
                &format!("measure[{i}]"),
                &m.name,
                "give exactly one of boundary_field or [measure.table]",
            ));
        }
    }
    Ok(())
}
