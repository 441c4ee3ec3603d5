//! [`read_keyed_values`]: one numeric column keyed by area code, from a population or
//! deprivation CSV; [`read_keyed`], the loop it shares with the other tables keyed by area
//! code ([`crate::centroids`]).

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
pub struct Keyed<T> {
    /// The file read.
    pub path: PathBuf,
    /// Value per area code.
    pub values: BTreeMap<String, T>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
}

/// One number per area code (population, deprivation).
pub type KeyedValues = Keyed<f64>;

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
    let value_column = columns.value_column.as_str();
    read_keyed(path, &columns.code_column, [value_column], limits, |[v]| {
        number(v, value_column)
    })
}

/// Reads a table keyed by area code: per row, the code in `code_column` and the trimmed
/// text of each of `value_columns`, given to `value`.
///
/// An empty code is `MissingValue`; a problem `value` returns rejects the row; a code seen
/// before is `DuplicateAreaCode` (the first row keeps it), checked last.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub(crate) fn read_keyed<T, const N: usize>(
    path: &Path,
    code_column: &str,
    value_columns: [&str; N],
    limits: InputLimits,
    mut value: impl FnMut([&str; N]) -> Result<T, Problem>,
) -> Result<Keyed<T>, IngestError> {
    read_keyed_slice(path, code_column, &value_columns, limits, |texts| {
        let mut array = [""; N];
        array.copy_from_slice(texts);
        value(array)
    })
}

/// [`read_keyed`] for any number of value columns, given to `value` as a slice.
pub(crate) fn read_keyed_slice<T>(
    path: &Path,
    code_column: &str,
    value_columns: &[&str],
    limits: InputLimits,
    mut value: impl FnMut(&[&str]) -> Result<T, Problem>,
) -> Result<Keyed<T>, IngestError> {
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let code_i = input.column(code_column)?;
    let value_i = value_columns
        .iter()
        .map(|name| input.column(name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = BTreeMap::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let code = field(rec, code_i, code_column)?;
        if code.is_empty() {
            return Err(Problem::at(code_column, "", RejectReason::MissingValue));
        }
        let texts = value_i
            .iter()
            .zip(value_columns)
            .map(|(&i, name)| field(rec, i, name))
            .collect::<Result<Vec<_>, _>>()?;
        let v = value(&texts)?;
        match values.entry(code.to_string()) {
            Entry::Vacant(e) => {
                e.insert(v);
                Ok(())
            }
            Entry::Occupied(_) => Err(Problem::at(
                code_column,
                code,
                RejectReason::DuplicateAreaCode,
            )),
        }
    })?;
    debug_assert_eq!(read, (values.len() + rejects.len()) as u64);
    Ok(Keyed {
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
