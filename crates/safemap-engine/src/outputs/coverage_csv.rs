//! `coverage.csv`: every (area, month) of a source that no input file covers, with the
//! reason in words. Such cells have no row in `counts.csv` (no data, not zero); the server
//! answers `no_data` from this file. A source with complete coverage has no rows.

use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use std::path::Path;

/// Writes `coverage.csv` with columns `code,source,month,reason`, by source, area, month.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["code", "source", "month", "reason"])
            .map_err(csv_error)?;
        for s in &results.sources {
            for (area, month, reason) in s.coverage.gaps() {
                out.write_record([
                    results.areas.areas[area as usize].code.as_str(),
                    s.section.name.as_str(),
                    &month.to_string(),
                    reason,
                ])
                .map_err(csv_error)?;
            }
        }
        out.flush()
    })
}
