//! `[time]` (the summary periods and the night-time-economy window), `[[emerging]]`
//! (emerging hot spot analyses) and `[[change]]` (change between two periods, per area).

use super::{is_identifier, ConfigError, CorrectionName, Study};
use safemap_types::time::{HourMask, MonthRange, NTE};
use serde::{Deserialize, Serialize};

/// `[time]`: which periods the study summary compares and what the night-time economy is.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSection {
    /// The period the summary reports (`2025`, `2024-Q3`, `2024/25`, `2025-03` or
    /// `2024-04..2025-03`); default: the last 12 months of the study period.
    pub period: Option<MonthRange>,
    /// The period it is compared with; default: as long as `period`, just before it.
    pub previous: Option<MonthRange>,
    /// The night-time-economy window; default: nights starting Friday and Saturday,
    /// 21:00-02:59 (so Saturday 01:00 belongs to Friday night).
    #[serde(default)]
    pub nte: WindowSection,
}

/// A window of hours of the week: the nights starting on `days`, from `hours`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSection {
    /// Days the nights start on: `fri,sat`.
    pub days: String,
    /// Hours, `FROM-TO` inclusive, wrapping past midnight: `21-2`.
    pub hours: String,
}

impl Default for WindowSection {
    fn default() -> Self {
        Self {
            days: NTE.days.into(),
            hours: NTE.hours.into(),
        }
    }
}

impl WindowSection {
    /// The hours of the week the window keeps.
    pub fn mask(&self) -> Result<HourMask, String> {
        HourMask::parse(Some(&self.days), Some(&self.hours)).map_err(|e| e.to_string())
    }
}

/// The time slices of an emerging hot spot analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SliceKind {
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
    /// Financial years, April to March.
    FinancialYear,
}

/// What an emerging analysis computes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CubeValue {
    /// Counts per bin (ArcGIS Pro's space-time cube).
    #[default]
    Count,
    /// Counts per `rate_per` residents.
    Rate,
}

/// Which p-value decides significance in a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignificanceName {
    /// The normal p-value of z (ArcGIS Pro's rule).
    #[default]
    Normal,
    /// The conditional-permutation pseudo p-value.
    Permutation,
}

/// One `[[emerging]]`: emerging hot spot analysis of a source's events.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmergingSection {
    /// Lower-case name; prefixes the output columns.
    pub name: String,
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// Months analysed (default: the study period); only whole slices are used.
    pub period: Option<MonthRange>,
    /// Slice length.
    pub slice: SliceKind,
    /// `k`: how many **previous** slices each bin's neighbourhood includes besides its own
    /// (ArcGIS Pro's neighbourhood time step is `k + 1`). Default 1.
    #[serde(default = "default_lags")]
    pub lags: usize,
    /// Counts or rates.
    #[serde(default)]
    pub value: CubeValue,
    /// Permutations per slice for pseudo p-values (0: none).
    #[serde(default = "super::analysis::default_permutations")]
    pub permutations: usize,
    /// Which p-value decides a bin's significance.
    #[serde(default)]
    pub significance: SignificanceName,
    /// Significance level of a bin, corrected per slice.
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// The per-slice correction.
    #[serde(default)]
    pub correction: CorrectionName,
    /// Significance level of the Mann-Kendall trend.
    #[serde(default = "default_alpha")]
    pub trend_alpha: f64,
    /// Also on the cells of `[grid]` (its size and shape).
    #[serde(default)]
    pub grid: bool,
}

fn default_lags() -> usize {
    1
}

fn default_alpha() -> f64 {
    0.05
}

/// One `[[change]]`: each area's change between two periods, with an exact test.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSection {
    /// Lower-case name; prefixes the output columns.
    pub name: String,
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// The later period (default: `[time] period`).
    pub period: Option<MonthRange>,
    /// The earlier period (default: as long as `period`, just before it).
    pub previous: Option<MonthRange>,
    /// Significance level, after the correction across areas.
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// The correction across areas.
    #[serde(default)]
    pub correction: CorrectionName,
}

/// Checks `[time]`, every `[[emerging]]` and every `[[change]]`.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    study
        .time
        .nte
        .mask()
        .map_err(|e| study.invalid("time.nte", &study.time.nte.hours, &e))?;
    let source = |key: String, s: &str| {
        if study.sources.iter().any(|x| x.name == s) {
            Ok(())
        } else {
            Err(study.invalid(&key, format!("{s:?}"), "no [[source]] has this name"))
        }
    };
    let alpha = |key: String, a: f64| {
        if a > 0.0 && a < 1.0 {
            Ok(())
        } else {
            Err(study.invalid(&key, a, "expected a significance level between 0 and 1"))
        }
    };
    let mut names = std::collections::BTreeSet::new();
    let mut name = |key: String, n: &str| {
        if is_identifier(n) && names.insert(n.to_string()) {
            Ok(())
        } else {
            Err(study.invalid(
                &key,
                format!("{n:?}"),
                "expected a unique name of lower-case letters, digits and _",
            ))
        }
    };
    for (i, e) in study.emerging.iter().enumerate() {
        let key = |k: &str| format!("emerging[{i}].{k}");
        name(key("name"), &e.name)?;
        source(key("source"), &e.source)?;
        alpha(key("alpha"), e.alpha)?;
        alpha(key("trend_alpha"), e.trend_alpha)?;
        if e.grid && study.grid.is_none() {
            return Err(study.invalid(&key("grid"), true, "add a [grid] section for the cells"));
        }
    }
    for (i, c) in study.changes.iter().enumerate() {
        let key = |k: &str| format!("change[{i}].{k}");
        name(key("name"), &c.name)?;
        source(key("source"), &c.source)?;
        alpha(key("alpha"), c.alpha)?;
    }
    Ok(())
}
