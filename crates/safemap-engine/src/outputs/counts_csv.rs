//! `counts.csv`: the non-zero counts by area × source × measure (category or flag) × month,
//! long format.

use crate::error::EngineError;
use crate::outputs::write_csv_rows;
use crate::results::StudyResults;
use std::path::Path;

/// Writes `counts.csv` with columns `code,source,category,month,count`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    let header = ["code", "source", "category", "month", "count"];
    let rows = results
        .sources
        .iter()
        .flat_map(|s| s.counts.monthly.cells().iter().map(move |cell| (s, cell)));
    write_csv_rows(
        path,
        &header,
        rows,
        |&(s, &((area, cat, month), n)), out| {
            out.write_record([
                results.areas.areas[area as usize].code.as_str(),
                s.section.name.as_str(),
                s.measures[cat as usize].as_str(),
                &month.to_string(),
                &n.to_string(),
            ])
        },
    )
}
