//! Incident points in any vector format GDAL reads (the `gdal` feature: GeoPackage,
//! Shapefile, FlatGeobuf, KML, GeoJSON, ...), read through an [`crate::EventCsvMapping`]
//! into the same events and rejects as an incident CSV ([`crate::MappedFormat`]'s `Gdal`).
//!
//! The layer becomes a [`GdalTable`] (attributes as text, the point in two more columns);
//! every rule after that is the CSV reader's ([`crate::event_row`]). A reject's `line` is the
//! feature's 1-based position in its layer.

use crate::event_row::EventRows;
use crate::gdal_table::GdalTable;
use crate::source::{EventSink, FileEvents, FileOut};
use crate::IngestError;
use std::path::Path;

/// Reads one file's point layer of mapped events.
pub(crate) fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    rows: &EventRows<'_>,
    out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let undeclared = rows.crs();
    let table = GdalTable::read(path, rows.layer(), "[[source]]", undeclared)?;
    let rows = rows.in_crs(table.crs);
    let columns = rows.columns(|name| table.column(path, name))?;
    let text = |row, &i: &usize| table.text(row, i);
    rows.read_table((index, path), &columns, (table.height(), text), out)
}
