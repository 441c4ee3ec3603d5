//! `areas.csv`: one row per area, the attribute table without geometry.

use crate::error::EngineError;
use crate::outputs::write_csv_rows;
use crate::results::{ColumnValue, StudyResults};
use std::io::Write;
use std::path::Path;

/// Writes the text of a column value into `buf` (cleared first): counts as integers,
/// numbers in shortest round-trip form, missing as empty.
fn value_text(v: &ColumnValue, buf: &mut Vec<u8>) {
    buf.clear();
    // Writing into a Vec cannot fail.
    let _ = match v {
        ColumnValue::Text(s) => buf.write_all(s.as_bytes()),
        ColumnValue::Count(n) => write!(buf, "{n}"),
        ColumnValue::Number(Some(x)) => write!(buf, "{x}"),
        ColumnValue::Number(None) => Ok(()),
    };
}

/// Writes `areas.csv`, rows formatted in parallel batches.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    let columns = results.columns();
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    write_csv_rows(path, &header, 0..results.areas.areas.len(), |&i, out| {
        let mut buf = Vec::with_capacity(32);
        for v in results.row(i) {
            value_text(&v, &mut buf);
            out.write_field(&buf)?;
        }
        out.write_record(None::<&[u8]>)
    })
}
