//! Time: the study summary and change between periods (`summary.csv`, `change.csv`,
//! `[[change]]`), emerging hot spots (`[[emerging]]`, `emerging.geojson`), hour-of-week
//! profiles (`hour_of_week.csv`) and each area's night-time-economy share.
//!
//! | module | computes |
//! |---|---|
//! | [`slices`] | whole months, quarters, years or financial years of a period |
//! | [`change`] | one area's change between two periods, with the exact test |
//! | [`summary`] | the summary periods, study-wide rows and every area's change per measure |
//! | [`emerging`] | space-time Gi* and the emerging hot spot classes on areas and cells |
//! | [`hour_of_week`] | 7 × 24 profiles and the share of events in a window |

pub mod change;
pub mod emerging;
pub mod hour_of_week;
pub mod slices;
pub mod summary;

use crate::config::{ChangeSection, Study};
use crate::error::EngineError;
use crate::results::{ColumnValue, StudyResults};
use change::{area_changes, AreaChange};
use emerging::EmergingResult;
use hour_of_week::Profile;
use safemap_results::{ChangeEntry, EmergingEntry, NteEntry, TimeEntry};
use safemap_stats::emerging::SliceSign;
use safemap_types::{MonthRange, Weights};
use summary::{MeasureChange, SummaryPeriods, SummaryRow};

/// Everything the time analyses produced.
pub struct TimeResults {
    /// The summary periods (`None` when no source has a month).
    pub periods: Option<SummaryPeriods>,
    /// `summary.csv` rows.
    pub summary: Vec<SummaryRow>,
    /// `change.csv`: every area's change per source and measure.
    pub changes: Vec<MeasureChange>,
    /// One per `[[change]]`.
    pub change_layers: Vec<ChangeLayer>,
    /// One per `[[emerging]]`.
    pub emerging: Vec<EmergingResult>,
    /// `hour_of_week.csv`.
    pub profiles: Vec<Profile>,
    /// `(source, per-area share of events in the night-time-economy window)`.
    pub nte_shares: Vec<(String, Vec<Option<f64>>)>,
}

/// One `[[change]]`: its periods and each area's change.
#[derive(Debug, Clone)]
pub struct ChangeLayer {
    /// The section as written.
    pub section: ChangeSection,
    /// The later period.
    pub period: MonthRange,
    /// The earlier period.
    pub previous: MonthRange,
    /// Per area; `None` without data in either period.
    pub areas: Vec<Option<AreaChange>>,
}

/// Runs the time analyses of the study.
pub fn run(
    study: &Study,
    results: &StudyResults,
    weights: Option<&Weights>,
) -> Result<TimeResults, EngineError> {
    let fail = |name: &str, message: String| EngineError::Analysis {
        name: name.to_string(),
        message,
    };
    let periods = SummaryPeriods::of(study, results);
    let (summary, changes) = periods.map_or_else(Default::default, |p| {
        (
            summary::summary_rows(results, p),
            summary::measure_changes(study, results, p),
        )
    });
    let mut change_layers = Vec::new();
    for c in &study.changes {
        let layer = change_layer(study, results, c, periods).map_err(|m| fail(&c.name, m))?;
        change_layers.push(layer);
    }
    let mut emerging = Vec::new();
    for e in &study.emerging {
        let w = weights.ok_or_else(|| fail(&e.name, "no spatial weights".into()))?;
        emerging.push(emerging::run(study, e, results, w).map_err(|m| fail(&e.name, m))?);
    }
    let months = |s: &crate::results::SourceResult| s.months(study);
    let nte = study.time.nte.mask().map_err(|m| fail("time.nte", m))?;
    let n = results.areas.areas.len();
    let nte_shares = results
        .sources
        .iter()
        .filter(|s| s.has_timestamps)
        .map(|s| {
            let share = hour_of_week::window_share(s, n, months(s), nte);
            (s.section.name.clone(), share)
        })
        .collect();
    Ok(TimeResults {
        periods,
        summary,
        changes,
        change_layers,
        emerging,
        profiles: hour_of_week::profiles(results, months),
        nte_shares,
    })
}

/// One `[[change]]`: its periods and each area's change.
fn change_layer(
    study: &Study,
    results: &StudyResults,
    c: &ChangeSection,
    periods: Option<SummaryPeriods>,
) -> Result<ChangeLayer, String> {
    let period = c
        .period
        .or(periods.map(|p| p.period))
        .ok_or("no period: give period or [time] period")?;
    let previous = c
        .previous
        .or(if c.period.is_none() {
            periods.map(|p| p.previous)
        } else {
            None
        })
        .unwrap_or_else(|| period.previous());
    let counts = |months: MonthRange| -> Result<Vec<Option<u64>>, String> {
        let sel = crate::selection::Selection::resolve(
            study,
            &results.sources,
            &c.source,
            c.category.as_deref(),
            Some(months),
        )?;
        let covered = results.sources[sel.source]
            .coverage
            .covered_areas(Some(months));
        Ok(sel
            .counts(&results.sources)
            .into_iter()
            .zip(covered)
            .map(|(n, ok)| ok.then_some(n))
            .collect())
    };
    let (before, after) = (counts(previous)?, counts(period)?);
    if !before
        .iter()
        .zip(&after)
        .any(|(b, a)| b.is_some() && a.is_some())
    {
        return Err(format!(
            "no area has data in both {previous} and {period}; choose periods the input files cover"
        ));
    }
    let base = study.source_rate_base(&c.source);
    let changes = area_changes(
        &before,
        &after,
        (previous.len(), period.len()),
        &results.areas.denominator(&base),
        base.per,
        c.alpha,
        c.correction,
    );
    Ok(ChangeLayer {
        section: c.clone(),
        period,
        previous,
        areas: changes,
    })
}

impl TimeResults {
    /// The manifest's `time` entry.
    pub fn entry(&self, study: &Study) -> TimeEntry {
        TimeEntry {
            period: self.periods.map(|p| p.period.to_string()),
            previous: self.periods.map(|p| p.previous.to_string()),
            nte: NteEntry {
                days: study.time.nte.days.clone(),
                hours: study.time.nte.hours.clone(),
                share_columns: self
                    .nte_shares
                    .iter()
                    .map(|(s, _)| (s.clone(), nte_share_column(s)))
                    .collect(),
            },
            emerging: self.emerging.iter().map(emerging_entry).collect(),
            changes: self.change_layers.iter().map(ChangeLayer::entry).collect(),
        }
    }

    /// The area columns the time analyses add, one value per area each: NTE shares, then
    /// each `[[emerging]]`'s and each `[[change]]`'s columns.
    pub fn area_columns(&self, n: usize) -> Vec<(String, Vec<ColumnValue>)> {
        let num = |v: Option<f64>| ColumnValue::Number(v);
        let mut out: Vec<(String, Vec<ColumnValue>)> = self
            .nte_shares
            .iter()
            .map(|(s, share)| (nte_share_column(s), share.iter().map(|v| num(*v)).collect()))
            .collect();
        for e in &self.emerging {
            let names = emerging_entry(e).columns();
            let mut cols: Vec<Vec<ColumnValue>> = (0..4).map(|_| Vec::with_capacity(n)).collect();
            for loc in &e.areas {
                let values = match loc {
                    Some(l) => [
                        ColumnValue::Text(l.class.slug()),
                        ColumnValue::Count(l.slices(SliceSign::Hot) as u64),
                        ColumnValue::Count(l.slices(SliceSign::Cold) as u64),
                        num(l.trend.map(|t| t.z)),
                    ],
                    None => [num(None), num(None), num(None), num(None)],
                };
                for (c, v) in cols.iter_mut().zip(values) {
                    c.push(v);
                }
            }
            out.extend(names.into_iter().zip(cols));
        }
        for layer in &self.change_layers {
            let mut cols: Vec<Vec<ColumnValue>> = (0..5).map(|_| Vec::with_capacity(n)).collect();
            for ch in &layer.areas {
                let values = match ch {
                    Some(ch) => [
                        ColumnValue::Count(ch.before),
                        ColumnValue::Count(ch.after),
                        num(ch.change_pct),
                        num(Some(ch.p)),
                        ColumnValue::Text(ch.class.to_string()),
                    ],
                    None => [num(None), num(None), num(None), num(None), num(None)],
                };
                for (col, v) in cols.iter_mut().zip(values) {
                    col.push(v);
                }
            }
            out.extend(layer.entry().columns().into_iter().zip(cols));
        }
        out
    }

    /// The area columns the public may see, given which sources are sensitive: emerging
    /// classes with their numbers of hot and cold slices, and change classes, always (like
    /// hot spot classes, they publish no count); counts, percentage changes and NTE shares
    /// only of open sources; z-scores and p-values never (as for every statistic).
    pub fn public_columns(&self, study: &Study, entry: &TimeEntry) -> Vec<String> {
        let open = |source: &str| {
            study
                .sources
                .iter()
                .find(|s| s.name == source)
                .is_some_and(|s| !s.is_sensitive())
        };
        let mut out = Vec::new();
        for (source, column) in &entry.nte.share_columns {
            if open(source) {
                out.push(column.clone());
            }
        }
        for e in &entry.emerging {
            out.extend(e.columns().into_iter().filter(|c| !c.ends_with("_z")));
        }
        for c in &entry.changes {
            let columns = c.columns().into_iter();
            if open(&c.source) {
                out.extend(columns.filter(|col| !col.ends_with("_p")));
            } else {
                out.push(c.class_column());
            }
        }
        out
    }
}

impl ChangeLayer {
    /// Its manifest entry.
    fn entry(&self) -> ChangeEntry {
        ChangeEntry {
            name: self.section.name.clone(),
            source: self.section.source.clone(),
            category: self
                .section
                .category
                .clone()
                .unwrap_or_else(|| "all".into()),
            period: self.period.to_string(),
            previous: self.previous.to_string(),
        }
    }
}

/// The area column of a source's night-time-economy share.
pub fn nte_share_column(source: &str) -> String {
    format!("{source}_nte_share")
}

fn emerging_entry(e: &EmergingResult) -> EmergingEntry {
    let slice = serde_json::to_value(e.section.slice)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    EmergingEntry {
        name: e.section.name.clone(),
        source: e.section.source.clone(),
        category: e.section.category.clone().unwrap_or_else(|| "all".into()),
        slice,
        lags: e.section.lags,
        slices: e.slices.clone(),
        grid: e.cells.is_some(),
    }
}
