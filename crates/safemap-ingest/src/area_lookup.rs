//! [`read_area_lookup`]: a table of area codes to other area codes (a boundary-vintage
//! lookup such as ONS's LSOA 2011 to LSOA 2021, or small areas to wards), one row per pair.

use crate::csv_records::MAX_RECORD_LINES;
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::{IngestError, InputLimits};
use safemap_types::{Reject, RejectReason};
use std::path::{Path, PathBuf};

/// The rows of a lookup: each the trimmed text of the requested columns, in their order.
///
/// Invariant: `read == rows.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaLookup {
    /// The file read.
    pub path: PathBuf,
    /// One entry per usable row.
    pub rows: Vec<Vec<String>>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
}

/// Reads `columns` from every row of a lookup CSV (plain or `.gz`). The first
/// `required` columns must be non-empty (an empty one rejects the row as `MissingValue`);
/// the rest may be empty. Unlike a keyed table, a code may appear on many rows (a split
/// area has one row per part).
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_area_lookup(
    path: &Path,
    columns: &[&str],
    required: usize,
    limits: InputLimits,
) -> Result<AreaLookup, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let index = columns
        .iter()
        .map(|c| input.column(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let mut row = Vec::with_capacity(columns.len());
        for (k, (&i, name)) in index.iter().zip(columns).enumerate() {
            let text = field(rec, i, name)?;
            if k < required && text.is_empty() {
                return Err(Problem::at(name, "", RejectReason::MissingValue));
            }
            row.push(text.to_string());
        }
        rows.push(row);
        Ok(())
    })?;
    debug_assert_eq!(read, (rows.len() + rejects.len()) as u64);
    Ok(AreaLookup {
        path: path.to_path_buf(),
        rows,
        rejects,
        read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_repeat_and_empty_required_fields_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lookup.csv");
        std::fs::write(
            &p,
            "\u{feff}\"old\",\"change\",\"new\"\nA,S,A1\nA,S,A2\n,U,B\nC,,C\n",
        )
        .unwrap();
        let got =
            read_area_lookup(&p, &["old", "new", "change"], 2, InputLimits::default()).unwrap();
        assert_eq!(got.read, 4);
        assert_eq!(
            got.rows,
            [["A", "A1", "S"], ["A", "A2", "S"], ["C", "C", ""]]
                .map(|r| r.map(String::from).to_vec())
        );
        assert_eq!(got.rejects.len(), 1);
        assert_eq!(got.rejects[0].line, 4);
        assert_eq!(got.rejects[0].reason, RejectReason::MissingValue);
        let missing = read_area_lookup(&p, &["old", "ward"], 2, InputLimits::default());
        assert!(matches!(missing, Err(IngestError::MissingColumn { .. })));
    }
}
