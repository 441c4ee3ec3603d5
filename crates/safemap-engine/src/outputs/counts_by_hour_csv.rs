//! `counts_by_hour.csv`: the non-zero counts of sources with times of day by area × source ×
//! measure × month × weekday × hour, long format. The server answers time-window filters
//! (night-time economy, custom days and hours) from it.

use crate::error::EngineError;
use crate::outputs::write_csv_rows;
use crate::results::StudyResults;
use safemap_types::time::WEEKDAYS;
use std::path::Path;

/// Writes `counts_by_hour.csv` with columns `code,source,category,month,weekday,hour,count`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    let header = [
        "code", "source", "category", "month", "weekday", "hour", "count",
    ];
    let rows = results
        .sources
        .iter()
        .flat_map(|s| s.counts.hourly.cells().iter().map(move |cell| (s, cell)));
    write_csv_rows(
        path,
        &header,
        rows,
        |&(s, &((area, cat, month, how), n)), out| {
            out.write_record([
                results.areas.areas[area as usize].code.as_str(),
                s.section.name.as_str(),
                s.measures[cat as usize].as_str(),
                &month.to_string(),
                WEEKDAYS[usize::from(how / 24)],
                &(how % 24).to_string(),
                &n.to_string(),
            ])
        },
    )
}
