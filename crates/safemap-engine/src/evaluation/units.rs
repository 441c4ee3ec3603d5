//! The units an evaluation scores, with their areas and monthly counts: the study areas
//! (no data where the source's files do not cover an area's month) or the `[grid]`'s cells
//! (the source must cover every area in every month evaluated).

use crate::config::UnitKind;
use crate::grid::Cells;
use crate::results::StudyResults;
use crate::selection::Selection;
use geo::Area;
use safemap_types::MonthRange;

/// Units with their areas and monthly counts.
pub struct UnitTable {
    /// Areas or grid cells.
    pub kind: UnitKind,
    /// Area codes or cell ids, in unit order.
    pub ids: Vec<String>,
    /// Each unit's area in the working CRS (square metres in British National Grid).
    pub areas: Vec<f64>,
    /// `counts[unit * months + month]`; `None` where the unit has no data for the month.
    pub counts: Vec<Option<u64>>,
}

impl UnitTable {
    /// The study areas: the selected events per area and month of `months` (the
    /// selection's months), `None` in the (area, month) cells no input file covers.
    pub fn areas(results: &StudyResults, selection: &Selection, months: MonthRange) -> Self {
        let source = &results.sources[selection.source];
        let by_month = source.counts.by_month(selection.measure, months);
        let n = months.len();
        let counts = by_month
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let (area, month) = (k / n, months.from().plus((k % n) as i32));
                source.coverage.is_covered(area as u32, month).then_some(c)
            })
            .collect();
        let areas = &results.areas.areas;
        Self {
            kind: UnitKind::Areas,
            ids: areas.iter().map(|a| a.code.clone()).collect(),
            areas: areas.iter().map(|a| a.geometry.unsigned_area()).collect(),
            counts,
        }
    }

    /// The grid's cells: the selected events per cell and month of `months`. Fails, naming
    /// the gaps, unless the source covers every area in every month (a cell has no way to
    /// leave out the part of it that is not covered).
    pub fn cells(
        results: &StudyResults,
        cells: &Cells,
        selection: &Selection,
        months: MonthRange,
    ) -> Result<Self, String> {
        selection.require_full_coverage(&results.sources)?;
        let events: Vec<_> = selection.events(&results.sources).collect();
        let located = cells
            .grid
            .assign(&events.iter().map(|e| e.xy).collect::<Vec<_>>());
        let n = months.len();
        let mut counts = vec![Some(0_u64); cells.grid.len() * n];
        for (e, cell) in events.iter().zip(located) {
            if let (Some(cell), Some(at)) = (cell, months.position(e.month)) {
                if let Some(c) = &mut counts[cell * n + at] {
                    *c += 1;
                }
            }
        }
        Ok(Self {
            kind: UnitKind::Grid,
            ids: cells.ids(),
            areas: vec![cells.grid.lattice().cell_area(); cells.grid.len()],
            counts,
        })
    }
}
