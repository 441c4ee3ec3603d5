//! [`read_keyed_values`]: one numeric column keyed by area code, from a population or
//! deprivation CSV.

use crate::csv_records::MAX_RECORD_LINES;
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::values::number;
use crate::{IngestError, InputLimits};
use safemap_types::{Reject, RejectReason};
use serde::Deserialize;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which columns hold the area code and the value.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KeyedColumns {
    /// Column of the area code (e.g. `lsoa11_code`, `LSOA code (2011)`).
    pub code_column: String,
    /// Column of the value (e.g. `total_population`).
    pub value_column: String,
}

/// Values keyed by area code, with the rejects.
///
/// Invariant: `read == values.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedValues {
    /// The file read.
    pub path: PathBuf,
    /// Value per area code.
    pub values: BTreeMap<String, f64>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
}

/// Reads `columns.value_column` keyed by `columns.code_column` from a CSV (plain or `.gz`).
///
/// Handles a UTF-8 byte-order mark (the IoD2019 files start with one), quoted fields and
/// thousands separators in well-formed groups of three (`"29,199"` is 29199). Per row: an empty
/// code or value is `MissingValue`; an unparsable value `UnparsableNumber`; a code seen before
/// is `DuplicateAreaCode` (the first value is kept).
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_keyed_values(
    path: &Path,
    columns: &KeyedColumns,
    limits: InputLimits,
) -> Result<KeyedValues, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let code_i = input.column(&columns.code_column)?;
    let value_i = input.column(&columns.value_column)?;
    let mut values = BTreeMap::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let code = field(rec, code_i, &columns.code_column)?;
        if code.is_empty() {
            return Err(Problem::at(
                &columns.code_column,
                "",
                RejectReason::MissingValue,
            ));
        }
        let value = number(
            field(rec, value_i, &columns.value_column)?,
            &columns.value_column,
        )?;
        match values.entry(code.to_string()) {
            Entry::Vacant(v) => {
                v.insert(value);
                Ok(())
            }
            Entry::Occupied(_) => Err(Problem::at(
                &columns.code_column,
                code,
                RejectReason::DuplicateAreaCode,
            )),
        }
    })?;
    debug_assert_eq!(read, (values.len() + rejects.len()) as u64);
    Ok(KeyedValues {
        path: path.to_path_buf(),
        values,
        rejects,
        read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_quotes_separators_and_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("imd.csv");
        std::fs::write(
            &p,
            "\u{feff}LSOA code (2011),LSOA name (2011),Rank\r\n\
             E01000001,\"City of London 001A\",\"29,199\"\r\n\
             E01000002,\"City, of London 001B\",30379\r\n\
             E01000001,dup,1\r\n\
             E01000003,x,\r\n\
             E01000004,x,\"1,23\"\r\n",
        )
        .unwrap();
        let cols = KeyedColumns {
            code_column: "LSOA code (2011)".into(),
            value_column: "Rank".into(),
        };
        let got = read_keyed_values(&p, &cols, InputLimits::default()).unwrap();
        assert_eq!(got.values.get("E01000001"), Some(&29_199.0));
        assert_eq!(got.values.get("E01000002"), Some(&30_379.0));
        assert_eq!(got.read, 5);
        let reasons: Vec<_> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.clone()))
            .collect();
        assert_eq!(
            reasons,
            [
                (4, RejectReason::DuplicateAreaCode),
                (5, RejectReason::MissingValue),
                (6, RejectReason::UnparsableNumber)
            ]
        );
    }
}
