//! `comparison.csv`: `[comparison]`'s figures, one row per partnership and category (see
//! docs/comparison.md). Open data.
//!
//! Columns: `code, name, category, category_name, data, count, population, rate, group,
//! distance, rank_all, rank_similar`. `data` is `yes` or `no data: ` and why (the partnership's
//! force sent no file for some month, or no LSOA reaches it: `count`, `rate` and the ranks
//! are empty, never 0); `group`
//! is `study`, `similar` or empty; `distance` is to the study's partnership in standardised
//! characteristics (empty without every characteristic); ranks are lowest rate = 1, among
//! every partnership with a rate (`rank_all`) and among the group (`rank_similar`).

use crate::comparison::ComparisonResult;
use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use std::path::Path;

/// The header of `comparison.csv`.
pub const HEADER: [&str; 12] = [
    "code",
    "name",
    "category",
    "category_name",
    "data",
    "count",
    "population",
    "rate",
    "group",
    "distance",
    "rank_all",
    "rank_similar",
];

/// Writes `comparison.csv`.
pub fn write(c: &ComparisonResult, path: &Path) -> Result<(), EngineError> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(HEADER).map_err(csv_error)?;
        for row in &c.rows {
            for (k, (slug, name)) in c.slugs.iter().zip(&c.names).enumerate() {
                out.write_record([
                    row.code.as_str(),
                    &row.name,
                    slug,
                    name,
                    &row.no_data
                        .map_or_else(|| "yes".into(), |why| format!("no data: {why}")),
                    &opt(row.counts[k].map(|v| v.to_string())),
                    &opt(row.population.map(|p| format!("{p}"))),
                    &opt(row.rates[k].map(|r| format!("{r:.6}"))),
                    row.group,
                    &opt(row.distance.map(|d| format!("{d:.6}"))),
                    &opt(row.rank_all[k].map(|r| r.to_string())),
                    &opt(row.rank_similar[k].map(|r| r.to_string())),
                ])
                .map_err(csv_error)?;
            }
        }
        out.flush()
    })
}
