//! `[access]`: how far people are from each kind of service, and the floating-catchment
//! scores; `[need]`, `[gap]`, `[sites]` and `[priority]` build on it (one file each).

use super::{is_identifier, ConfigError, Study};
use safemap_ingest::CostUnit;
use safemap_types::Crs;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[access]`: access of each area's residents to each kind of service.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessSection {
    /// The kinds analysed (default: every kind in the register).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// "Number within": services of the kind within this cost (default 2,000, in the cost's
    /// unit: metres for straight lines).
    #[serde(default = "default_within")]
    pub within: f64,
    /// Costs from a matrix file instead of straight-line metres.
    pub cost_matrix: Option<CostMatrixSection>,
    /// Demand points from a table (population-weighted centroids) instead of the areas'
    /// centroids.
    pub centroids: Option<CentroidsSection>,
    /// Floating-catchment scores (`[[access.score]]`).
    #[serde(rename = "score", default)]
    pub scores: Vec<ScoreSection>,
}

fn default_within() -> f64 {
    2_000.0
}

/// `[access.cost_matrix]`: a travel-cost file (what r5r, OSRM or PySAL `access` produce):
/// one row per (origin area, service) pair; a pair that is not in the file is unreachable.
/// Costs may be asymmetric: the area-to-service cost is used in both floating-catchment
/// steps.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostMatrixSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column with the origin area code.
    pub origin_column: String,
    /// Column with the service id (the register's `id` column).
    pub service_column: String,
    /// Column with the cost.
    pub cost_column: String,
    /// `metres` or `minutes`.
    pub unit: CostUnit,
}

/// `[access.centroids]`: demand points, one row per area.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CentroidsSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column with the area code.
    pub code_column: String,
    /// Column with the easting (or longitude).
    pub x_column: String,
    /// Column with the northing (or latitude).
    pub y_column: String,
    /// `EPSG:27700` (default) or `EPSG:4326`.
    #[serde(default = "default_crs")]
    pub crs: Crs,
}

fn default_crs() -> Crs {
    Crs::BritishNationalGrid
}

/// `[[access.score]]`: one floating-catchment score per area and kind.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreSection {
    /// Column name (lower-case letters, digits, `_`), e.g. `e2sfca_3km`.
    pub name: String,
    /// `two_step` (2SFCA and its enhanced forms, default) or `balanced` (BFCA).
    #[serde(default)]
    pub method: MethodName,
    /// The catchment: pairs costing more are out.
    pub max_cost: f64,
    /// `binary` (default: 2SFCA), `stepwise` (E2SFCA, with `steps`) or `gaussian` (with
    /// `sigma`).
    #[serde(default)]
    pub decay: DecayName,
    /// For `gaussian`: the width, in the cost's unit (weight `exp(-c² / 2 sigma²)` up to
    /// `max_cost`, as PySAL `access`'s `weights.gaussian(sigma)`).
    pub sigma: Option<f64>,
    /// For `stepwise`: `[[upper cost, weight], ...]`, upper costs increasing; a cost up to
    /// and including an upper cost takes its weight.
    #[serde(default)]
    pub steps: Vec<[f64; 2]>,
}

/// Floating-catchment methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodName {
    /// Two-step floating catchment (Luo and Wang 2003; enhanced by Luo and Qi 2009).
    #[default]
    TwoStep,
    /// Balanced floating catchment (Paez, Higgins and Vivona 2019).
    Balanced,
    /// Proportional allocation: population-weighted access equals the supply.
    Proportional,
}

/// Distance-decay functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecayName {
    /// 1 within the catchment, 0 beyond.
    #[default]
    Binary,
    /// A weight per band of cost.
    Stepwise,
    /// Gaussian decay to the catchment's edge.
    Gaussian,
}

impl AccessSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if study.services.is_none() {
            return Err(study.invalid(
                "access",
                "(no [services])",
                "add a [services] register to analyse access",
            ));
        }
        study.positive_metres("access.within", self.within)?;
        for (i, s) in self.scores.iter().enumerate() {
            let key = |k: &str| format!("access.score[{i}].{k}");
            if !is_identifier(&s.name) {
                return Err(study.invalid(
                    &key("name"),
                    &s.name,
                    "a name of lower-case letters, digits and _",
                ));
            }
            if self.scores[..i].iter().any(|o| o.name == s.name) {
                return Err(study.invalid(&key("name"), &s.name, "a name used once"));
            }
            study.positive_metres(&key("max_cost"), s.max_cost)?;
            let stepwise = s.decay == DecayName::Stepwise;
            if stepwise == s.steps.is_empty() {
                return Err(study.invalid(
                    &key("steps"),
                    format!("{:?}", s.steps),
                    "steps exactly when decay = \"stepwise\"",
                ));
            }
            if (s.decay == DecayName::Gaussian) != s.sigma.is_some() {
                return Err(study.invalid(
                    &key("sigma"),
                    format!("{:?}", s.sigma),
                    "sigma exactly when decay = \"gaussian\"",
                ));
            }
            if let Some(sigma) = s.sigma {
                study.positive_metres(&key("sigma"), sigma)?;
            }
            let mut last = 0.0;
            for [upper, weight] in &s.steps {
                if !(upper.is_finite() && *upper > last && *upper <= s.max_cost) {
                    return Err(study.invalid(
                        &key("steps"),
                        upper,
                        "upper costs increasing, positive and at most max_cost",
                    ));
                }
                if !(weight.is_finite() && *weight >= 0.0) {
                    return Err(study.invalid(&key("steps"), weight, "weights of 0 or more"));
                }
                last = *upper;
            }
        }
        Ok(())
    }
}
