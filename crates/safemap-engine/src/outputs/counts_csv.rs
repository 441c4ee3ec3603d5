//! `counts.csv`: the non-zero counts by area × source × measure (category or flag) × month,
//! long format.

use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use std::path::Path;

/// Writes `counts.csv` with columns `code,source,category,month,count`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["code", "source", "category", "month", "count"])
            .map_err(csv_error)?;
        for s in &results.sources {
            for (&(area, cat, month), n) in &s.counts.monthly {
                out.write_record([
                    results.areas.areas[area as usize].code.as_str(),
                    s.section.name.as_str(),
                    s.measures[cat as usize].as_str(),
                    &month.to_string(),
                    &n.to_string(),
                ])
                .map_err(csv_error)?;
            }
        }
        out.flush()
    })
}
