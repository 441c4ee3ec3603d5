//! [`read_text_columns`]: named columns of a CSV as text, row by row (a lookup between
//! geographies, a partnership table), and [`read_keyed_numbers`]: several numeric columns
//! keyed by area code (a population table's single-year ages).

use crate::csv_records::MAX_RECORD_LINES;
use crate::keyed_table::{read_keyed, Keyed};
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::values::number;
use crate::{IngestError, InputLimits};
use safemap_types::{Reject, RejectReason};
use std::path::{Path, PathBuf};

/// Rows of named columns, as text.
///
/// Invariant: `read == rows.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextTable {
    /// The file read.
    pub path: PathBuf,
    /// Per row, the trimmed text of each requested column, in the order asked for.
    pub rows: Vec<Vec<String>>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
}

/// Reads `columns` of every row of a CSV (plain or `.gz`, UTF-8 with or without a BOM).
/// A row whose first requested column is empty is rejected with `MissingValue`; other
/// columns may be empty. Duplicate rows are kept: a lookup may map one code to several.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed, and
/// I/O errors.
pub fn read_text_columns(
    path: &Path,
    columns: &[&str],
    limits: InputLimits,
) -> Result<TextTable, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let index = columns
        .iter()
        .map(|c| input.column(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let row = index
            .iter()
            .zip(columns)
            .map(|(&i, c)| field(rec, i, c).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        if row.first().is_some_and(String::is_empty) {
            return Err(Problem::at(columns[0], "", RejectReason::MissingValue));
        }
        rows.push(row);
        Ok(())
    })?;
    Ok(TextTable {
        path: path.to_path_buf(),
        rows,
        rejects,
        read,
    })
}

/// Reads the numbers of `value_columns` keyed by `code_column` (thousands separators as in
/// [`crate::read_keyed_values`]); a row with an empty or unparsable value is rejected, a
/// code seen before is `DuplicateAreaCode`.
///
/// # Errors
///
/// As [`read_text_columns`].
pub fn read_keyed_numbers(
    path: &Path,
    code_column: &str,
    value_columns: &[&str],
    limits: InputLimits,
) -> Result<Keyed<Vec<f64>>, IngestError> {
    read_keyed(path, code_column, value_columns, limits, |texts| {
        texts
            .iter()
            .zip(value_columns)
            .map(|(t, c)| number(t, c))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_order_duplicates_kept_empty_keys_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        std::fs::write(&p, "\u{feff}a,b,c\nA1,B1,C1\nA1,B2,\n,B3,C3\n").unwrap();
        let t = read_text_columns(&p, &["c", "a"], InputLimits::default()).unwrap();
        // Row 3 has no `c`, the first column asked for: rejected; row 4 has no `a`: kept.
        assert_eq!(t.rows, [vec!["C1", "A1"], vec!["C3", ""]]);
        assert_eq!(t.read, 3);
        let t = read_text_columns(&p, &["a", "b"], InputLimits::default()).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rejects.len(), 1);
        assert_eq!(t.rejects[0].line, 4);
        let err = read_text_columns(&p, &["z"], InputLimits::default()).unwrap_err();
        assert!(err.to_string().contains('z'), "{err}");
    }

    #[test]
    fn keyed_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.csv");
        std::fs::write(&p, "code,0,1,90+\nX,\"1,000\",2,3\nY,1,x,3\n").unwrap();
        let k = read_keyed_numbers(&p, "code", &["90+", "0", "1"], InputLimits::default()).unwrap();
        assert_eq!(k.values["X"], [3.0, 1000.0, 2.0]);
        assert_eq!(k.rejects.len(), 1);
        assert_eq!(k.read, 2);
    }
}
