//! `manifest.time`: what `[time]`, `[[emerging]]` and `[[change]]` computed and which area
//! columns hold it, so the server and the web map find each figure by its exact column name
//! without reading the study file. Which of these columns the public sees is the areas
//! layer's registry entry's business, as for every area column.

use safemap_types::time::{HourMask, NTE};
use serde::{Deserialize, Serialize};

/// The time analyses of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeEntry {
    /// The summary period (`summary.csv`, `change.csv`), e.g. `2025-01 to 2025-12`.
    pub period: Option<String>,
    /// The period it is compared with.
    pub previous: Option<String>,
    /// The night-time-economy window.
    pub nte: NteEntry,
    /// One entry per `[[emerging]]`.
    pub emerging: Vec<EmergingEntry>,
    /// One entry per `[[change]]`.
    pub changes: Vec<ChangeEntry>,
}

/// The night-time-economy window and the area columns of each source's share in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NteEntry {
    /// Days the nights start on (`fri,sat`).
    pub days: String,
    /// Hours (`21-2`).
    pub hours: String,
    /// `(source, column)` for each source with times of day.
    pub share_columns: Vec<(String, String)>,
}

impl NteEntry {
    /// The window's hours of the week; the default window (Fri/Sat 21:00-02:59) for a
    /// manifest written before the window was recorded (or one whose window does not parse,
    /// which the engine never writes).
    pub fn mask(&self) -> HourMask {
        if self.days.is_empty() {
            return NTE.mask();
        }
        HourMask::parse(Some(&self.days), Some(&self.hours)).unwrap_or(NTE.mask())
    }

    /// A label for people: the preset's for the default window, else the days and hours.
    pub fn label(&self) -> String {
        if self.mask() == NTE.mask() {
            NTE.label.to_string()
        } else {
            format!(
                "Night-time economy ({} nights, hours {})",
                self.days, self.hours
            )
        }
    }
}

/// One emerging hot spot analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergingEntry {
    /// Its name.
    pub name: String,
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag.
    pub category: String,
    /// Slice length (`month`, `quarter`, `year`, `financial_year`).
    pub slice: String,
    /// Previous slices in each neighbourhood.
    pub lags: usize,
    /// Slice labels, oldest first.
    pub slices: Vec<String>,
    /// Whether grid cells were classed too (`emerging.geojson`).
    pub grid: bool,
}

impl EmergingEntry {
    /// The class column.
    pub fn class_column(&self) -> String {
        format!("{}_emerging", self.name)
    }

    /// Every area column, in output order: class, hot slices, cold slices, trend z.
    pub fn columns(&self) -> Vec<String> {
        ["", "_hot_slices", "_cold_slices", "_trend_z"]
            .iter()
            .map(|s| format!("{}_emerging{s}", self.name))
            .collect()
    }
}

/// One change analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEntry {
    /// Its name.
    pub name: String,
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag.
    pub category: String,
    /// The later period.
    pub period: String,
    /// The earlier period.
    pub previous: String,
}

impl ChangeEntry {
    /// The class column (`increase`, `decrease`, `no_significant_change`).
    pub fn class_column(&self) -> String {
        format!("{}_change_class", self.name)
    }

    /// Every area column, in output order: events before, after, percentage change, p, class.
    pub fn columns(&self) -> Vec<String> {
        ["before", "after", "change_pct", "change_p", "change_class"]
            .iter()
            .map(|s| format!("{}_{s}", self.name))
            .collect()
    }
}
