//! `areas.csv`: one row per area, the attribute table without geometry.

use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::results::{ColumnValue, StudyResults};
use std::path::Path;

/// Text of a column value: counts as integers, numbers in shortest round-trip form, missing as empty.
pub fn value_text(v: &ColumnValue) -> String {
    match v {
        ColumnValue::Text(s) => s.clone(),
        ColumnValue::Count(n) => n.to_string(),
        ColumnValue::Number(Some(x)) => x.to_string(),
        ColumnValue::Number(None) => String::new(),
    }
}

/// Writes `areas.csv`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(results.columns()).map_err(csv_error)?;
        for i in 0..results.areas.areas.len() {
            out.write_record(results.row(i).iter().map(value_text))
                .map_err(csv_error)?;
        }
        out.flush()
    })
}
