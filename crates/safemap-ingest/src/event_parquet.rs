//! [`read_event_parquet`]: incident records in Parquet files, read with polars through the
//! same [`EventCsvMapping`] as an incident CSV, into the same events and rejects.
//!
//! Parquet columns are typed, so each mapped column is first given as the text a CSV of the
//! same data would hold ([`crate::parquet_table`] says how for each type), and every rule
//! after that is the CSV reader's ([`crate::event_row`]). A reject's `line` is the row's
//! 1-based position in its file (Parquet has no header line): row 1 is the first row.

use crate::event_row::{read_mapped_into, EventRows, MappedFormat};
use crate::parquet_table::ParquetTable;
use crate::postcodes::PostcodeLookup;
use crate::source::{Collect, EventSink, FileEvents, FileOut};
use crate::{CategoryMapping, EventCsvMapping, IngestError, InputLimits, SourceRead};
use std::path::{Path, PathBuf};

/// Reads incident Parquet files through `mapping`, as [`crate::read_event_csv`] reads CSVs:
/// the same checks, rejects (row numbers for line numbers) and accounting
/// (`read == events + rejects`, every row one or the other).
///
/// # Errors
///
/// [`IngestError::MissingParquetColumn`] when a mapped column is not in a file (naming the
/// columns it has), [`IngestError::ParquetColumnType`], [`IngestError::Parquet`] for a file
/// polars cannot read, [`IngestError::BadTimeFormat`],
/// [`IngestError::TooLargeDecompressed`] or [`IngestError::ExpansionTooLarge`] for a file whose
/// row groups declare more uncompressed data than `limits` allow, and I/O errors.
pub fn read_event_parquet(
    files: &[PathBuf],
    mapping: &EventCsvMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
    postcodes: Option<PostcodeLookup<'_>>,
) -> Result<SourceRead, IngestError> {
    read_mapped_into(
        MappedFormat::Parquet,
        files,
        (mapping, categories),
        limits,
        postcodes,
        &Collect,
    )
    .map(SourceRead::collected)
}

/// Reads one Parquet file of mapped events.
pub(crate) fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    rows: &EventRows<'_>,
    limits: InputLimits,
    out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let mut wanted: Vec<&str> = Vec::new();
    rows.columns(|name| {
        wanted.push(name);
        Ok(())
    })?;
    let table = ParquetTable::read(path, &wanted, &rows.format, limits)?;
    let columns = rows.columns(|name| Ok(table.index(name)))?;
    let text = |row, &i: &usize| table.text(i, row);
    rows.read_table((index, path), &columns, (table.height, text), out)
}
