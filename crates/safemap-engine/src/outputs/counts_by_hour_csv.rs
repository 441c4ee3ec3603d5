//! `counts_by_hour.csv`: the non-zero counts of sources with times of day by area × source ×
//! measure × month × weekday × hour, long format. The server answers time-window filters
//! (night-time economy, custom days and hours) from it.

use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::StudyResults;
use safemap_types::time::WEEKDAYS;
use std::path::Path;

/// Writes `counts_by_hour.csv` with columns `code,source,category,month,weekday,hour,count`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "code", "source", "category", "month", "weekday", "hour", "count",
        ])
        .map_err(csv_error)?;
        for s in &results.sources {
            for (&(area, cat, month, how), n) in &s.counts.hourly {
                out.write_record([
                    results.areas.areas[area as usize].code.as_str(),
                    s.section.name.as_str(),
                    s.measures[cat as usize].as_str(),
                    &month.to_string(),
                    WEEKDAYS[usize::from(how / 24)],
                    &(how % 24).to_string(),
                    &n.to_string(),
                ])
                .map_err(csv_error)?;
            }
        }
        out.flush()
    })
}
