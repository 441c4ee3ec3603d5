//! Incident points in any vector format GDAL reads (the `gdal` feature: GeoPackage,
//! Shapefile, FlatGeobuf, KML, GeoJSON, ...), read through an [`crate::EventCsvMapping`]
//! into the same events and rejects as an incident CSV ([`crate::MappedFormat`]'s `Gdal`).
//!
//! The layer becomes a [`GdalTable`] (attributes as text, the point in two more columns);
//! every rule after that is the CSV reader's ([`crate::event_row`]). A reject's `line` is the
//! feature's 1-based position in its layer.

use crate::event_row::EventRows;
use crate::gdal_table::GdalTable;
use crate::open::field;
use crate::source::{EventSink, FileEvents, FileOut};
use crate::IngestError;
use safemap_types::RowRef;
use std::borrow::Cow;
use std::path::Path;

/// Reads one file's point layer of mapped events.
pub(crate) fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    rows: &EventRows<'_>,
    mut out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let undeclared = rows.crs();
    let table = GdalTable::read(path, rows.layer(), "[[source]]", undeclared)?;
    let rows = rows.in_crs(table.crs);
    let columns = rows.columns(|name| table.column(path, name))?;
    let mut rejects = Vec::new();
    for (record, line) in table.rows() {
        let get = |&i: &usize, name: &str| field(record, i, name).map(Cow::Borrowed);
        let origin = RowRef { file: index, line };
        let FileOut {
            cats,
            placed_by_postcode,
            ..
        } = &mut out;
        match rows.event(&columns, get, origin, cats, placed_by_postcode) {
            Ok(event) => out.push(event),
            Err(problem) => rejects.push(problem.into_reject(path, line)),
        }
    }
    let read = table.rows().count() as u64;
    out.finish(path, rejects, read)
}
