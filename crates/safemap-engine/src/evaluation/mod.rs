//! `[[evaluation]]`: how well the hotspots of one period capture the events of the next.
//!
//! For each evaluation and each kind of unit it names (the study areas, the `[grid]`'s
//! cells), the selected events are counted per unit and month over the evaluated months;
//! then
//! - the **fixed pair**: the hotspots of the train months (default the first half of the
//!   months) are scored against the test months (default the second half), and
//! - the **rolling origin**: each month from `rolling.train_months` on scores the hotspots
//!   of the `train_months` before it against its own `test_months`,
//!
//! with hit rate, PAI, PAI*, PEI and RRI ([`safemap_stats::evaluation`]; definitions in
//! `docs/evaluation.md`). The hotspots of each train period are computed afresh on that
//! period's counts with the same statistic ([`Selector`]). An area without data for some
//! month of a window is left out of that window; grid cells need data everywhere.

mod hotspots;
mod units;

pub use hotspots::Selector;
pub use units::UnitTable;

use crate::config::{EvaluationSection, Study, UnitKind};
use crate::error::EngineError;
use crate::grid::Cells;
use crate::results::StudyResults;
use crate::selection::Selection;
use safemap_stats::evaluation::{
    evaluate_window, rolling_origin, EvaluationError, MonthlyCounts, RollingEvaluation,
    RollingOrigin, Window, WindowEvaluation,
};
use safemap_types::{MonthRange, Weights};
use serde_json::Value;
use std::ops::Range;

/// One evaluation over one kind of unit.
pub struct UnitsEvaluation {
    /// Areas or grid cells.
    pub kind: UnitKind,
    /// How the hotspots were chosen (for `evaluation.json`).
    pub hotspots: Value,
    /// Area codes or cell ids, in unit order.
    pub ids: Vec<String>,
    /// Each unit's area in the working CRS.
    pub areas: Vec<f64>,
    /// The fixed pair of periods.
    pub split: WindowEvaluation,
    /// Every window of the rolling origin, with the means.
    pub rolling: RollingEvaluation,
}

/// Everything one `[[evaluation]]` produced.
pub struct EvaluationResult {
    /// The evaluation as written in the study.
    pub section: EvaluationSection,
    /// The source evaluated.
    pub source: String,
    /// Its measure (`all`, a category slug or a flag).
    pub category: String,
    /// The months evaluated; windows are month positions within them.
    pub months: MonthRange,
    /// One result per kind of unit, in the order named.
    pub units: Vec<UnitsEvaluation>,
}

impl EvaluationResult {
    /// The months at positions `r` (non-empty) of the evaluated months.
    pub fn months_of(&self, r: &Range<usize>) -> MonthRange {
        months_of(self.months, r)
    }
}

fn months_of(months: MonthRange, r: &Range<usize>) -> MonthRange {
    let first = months.from().plus(r.start as i32);
    MonthRange::new(first, months.from().plus(r.end as i32 - 1))
        .unwrap_or(MonthRange::single(first))
}

/// An evaluation's failure on its way through the windows of `safemap-stats`.
struct Failure(String);

impl From<EvaluationError> for Failure {
    fn from(e: EvaluationError) -> Self {
        Self(e.to_string())
    }
}

/// Runs every `[[evaluation]]` of the study; `weights` are the study's spatial weights
/// (needed for Gi* on the areas).
pub fn run_all(
    study: &Study,
    results: &StudyResults,
    weights: Option<&Weights>,
) -> Result<Vec<EvaluationResult>, EngineError> {
    let cells = match &study.grid {
        Some(g)
            if study
                .evaluations
                .iter()
                .any(|e| e.unit_kinds(study).contains(&UnitKind::Grid)) =>
        {
            Some(
                Cells::build(g, results).map_err(|message| EngineError::Analysis {
                    name: "grid".into(),
                    message,
                })?,
            )
        }
        _ => None,
    };
    study
        .evaluations
        .iter()
        .map(|section| {
            run(study, section, results, weights, cells.as_ref()).map_err(|message| {
                EngineError::Evaluation {
                    name: section.name.clone(),
                    message,
                }
            })
        })
        .collect()
}

fn run(
    study: &Study,
    section: &EvaluationSection,
    results: &StudyResults,
    weights: Option<&Weights>,
    cells: Option<&Cells>,
) -> Result<EvaluationResult, String> {
    let source = section.source_name(study);
    let index = results
        .sources
        .iter()
        .position(|s| s.section.name == source)
        .ok_or_else(|| format!("no [[source]] is named {source:?}"))?;
    let months = section
        .period
        .or_else(|| results.sources[index].months(study))
        .ok_or_else(|| format!("source {source} has no months to evaluate: no event was joined"))?;
    let category = section.category_name(study);
    let selection = Selection::resolve(study, &results.sources, source, category, Some(months))?;
    let split = split_window(section, months)?;
    let origin = RollingOrigin::new(section.rolling.train_months, section.rolling.test_months)
        .map_err(|e| format!("rolling: {e}"))?;
    let mut units = Vec::new();
    for kind in section.unit_kinds(study) {
        let (table, unit_weights) = match (kind, cells) {
            (UnitKind::Grid, Some(cells)) => (
                UnitTable::cells(results, cells, &selection, months)?,
                Some(&cells.weights),
            ),
            (UnitKind::Grid, None) => return Err("grid cells need a [grid] table".into()),
            (UnitKind::Areas, _) => (UnitTable::areas(results, &selection, months), weights),
        };
        let selector = Selector::new(study, results, section, kind, unit_weights)?;
        let counts = MonthlyCounts::new(&table.counts, table.ids.len(), months.len())
            .map_err(|e| e.to_string())?;
        let select = |w: &Window, train: &[Option<u64>]| {
            selector
                .select(months_of(months, &w.train), train)
                .map_err(Failure)
        };
        let kind_name = kind.as_str();
        let split = evaluate_window(&counts, &table.areas, &split, select)
            .map_err(|Failure(e)| format!("{kind_name}: {e}"))?;
        let rolling =
            rolling_origin(&counts, &table.areas, origin, select).map_err(|Failure(e)| {
                format!(
                    "{kind_name}: rolling origin over {months} ({} train and {} test months): {e}",
                    origin.train_months(),
                    origin.test_months()
                )
            })?;
        units.push(UnitsEvaluation {
            kind,
            hotspots: selector.describe(section),
            ids: table.ids,
            areas: table.areas,
            split,
            rolling,
        });
    }
    Ok(EvaluationResult {
        section: section.clone(),
        source: source.to_string(),
        category: category.unwrap_or("all").to_string(),
        months,
        units,
    })
}

/// The fixed pair as month positions: `train` and `test` as given (within `months`), or
/// the first half of the months (the extra month of an odd count included) against the
/// second.
fn split_window(section: &EvaluationSection, months: MonthRange) -> Result<Window, String> {
    let positions = |r: MonthRange, key: &str| -> Result<Range<usize>, String> {
        match (months.position(r.from()), months.position(r.to())) {
            (Some(a), Some(b)) => Ok(a..b + 1),
            _ => Err(format!(
                "{key} ({r}) must lie within the evaluated months ({months}); set period or {key}"
            )),
        }
    };
    if let (Some(train), Some(test)) = (section.train, section.test) {
        return Ok(Window {
            train: positions(train, "train")?,
            test: positions(test, "test")?,
        });
    }
    let n = months.len();
    if n < 2 {
        return Err(format!(
            "the evaluated months ({months}) are one month: a train and a test period need two or more"
        ));
    }
    let half = n.div_ceil(2);
    Ok(Window {
        train: 0..half,
        test: half..n,
    })
}
