//! Readers for police.uk, force, ED and service CSVs, boundaries and denominators, with
//! row-level rejects.
//!
//! | module | offers |
//! |---|---|
//! | [`paths`] | [`expand_paths`]: study-file glob patterns to a sorted, de-duplicated file list |
//! | [`source`] | [`SourceRead`] (what every event reader returns) and [`CategoryMapping`] |
//! | [`police_uk`] | [`read_police_uk`]: data.police.uk street-level CSVs |
//! | [`police_forces`] | the force and month of a police.uk file name, force slugs and names, the slug of a force area's name |
//! | [`event_csv`] | [`read_event_csv`], [`EventCsvMapping`]: a force's own incident extract |
//! | [`event_parquet`] | [`read_event_parquet`]: the same extract in Parquet files, read with polars through the same mapping into the same events and rejects |
//! | [`count_parquet`] | [`read_count_parquet`], [`CountMapping`]: a count cube (area, category, month, count) in Parquet files, each row its count of events |
//! | [`ed_istv`] | [`read_ed`], [`EdMapping`]: emergency department assault records (ISTV) |
//! | [`postcodes`] | [`read_postcode_directory`], [`PostcodeDirectory`], [`PostcodeLookup`], [`Postcode`]: rows located by postcode through an ONSPD/NSPL file |
//! | [`grid_ref`] | [`grid_ref::parse_grid_ref`]: OS grid references (`SX 47123 54321`) to easting/northing |
//! | [`services`] | [`read_services`], [`ServiceRegister`], [`ServiceColumns`], [`ServicesRead`]: the service register (any kind, any encoding and delimiter) |
//! | [`centroids`] | [`read_centroids`], [`CentroidColumns`], [`Centroids`]: a population-weighted-centroid table |
//! | [`travel_costs`] | [`read_travel_costs`], [`TravelCostColumns`], [`CostUnit`], [`TravelCosts`]: a travel-cost matrix (origin area, service id, cost) |
//! | [`dialect`] | [`CsvDialect`], [`Encoding`]: a CSV file's encoding and delimiter |
//! | [`boundaries`] | [`read_boundaries`], [`BoundaryMapping`], [`BoundarySet`], [`InvalidArea`]: GeoJSON and Shapefile areas (any vector format with the `gdal` feature) |
//! | `gdal_table` | `gdal` feature: `GEOMETRY_X`, `GEOMETRY_Y`, the columns a GDAL point layer's geometry is read into (incidents through [`MappedFormat`], service registers) |
//! | [`keyed_table`] | [`read_keyed_values`], [`read_keyed_sum`](keyed_table::read_keyed_sum), [`KeyedColumns`], [`KeyedValues`], [`Keyed`]: population, deprivation, and the loop every table keyed by area code shares |
//! | [`text_table`] | [`read_text_columns`], [`TextTable`]: named columns of a CSV as text (lookups); [`read_keyed_numbers`]: several numbers keyed by area code |
//! | [`weights_file`] | [`weights_file::parse_gal`], [`weights_file::format_gal`], GWT likewise, and `read_*`/`write_*`: GAL and GWT spatial weights files |
//! | [`limits`] | [`InputLimits`]: line length, decompressed size and expansion of one input file |
//! | [`error`] | [`IngestError`]: file-level problems |
//!
//! Internal modules: `coords` (coordinate checks shared by every reader), `values` (yes/no
//! flags, numbers with thousands separators), `datetime` (strftime formats), `open`
//! (gzip, byte-order mark, CSV header and row loop), `gdal_layer` and `event_gdal` (the
//! `gdal` feature: a layer's CRS and attributes; incident point layers), `csv_records` (physical lines to CSV
//! records, with the stray-quote rule), `event_row` (one mapped incident row to an event, for
//! CSV and Parquet alike), `parquet_table` (Parquet columns as text).
//!
//! # Conventions
//!
//! - **Rows vs files.** A problem with one row is not an error: the row becomes a
//!   [`Reject`](safemap_types::Reject) (file, 1-based line with the header as line 1, column,
//!   value, reason) and reading continues. For every reader `read == kept + rejects.len()`.
//!   Problems with a whole file (missing, unreadable, wrong header, missing column, duplicate
//!   area id in a boundary file) are [`IngestError`]s.
//! - **Input encodings.** `.gz` files (detected by their magic bytes) are decompressed on the
//!   fly, held to the [`InputLimits`] on decompressed size and expansion; no CSV line may
//!   pass the limit on line length (a file-level error naming the line); a UTF-8
//!   byte-order mark is skipped; quoted CSV fields (with commas, or with
//!   newlines in every reader but police.uk's) work. Fields are trimmed. A file's encoding is
//!   detected from its first line that is not plain ASCII (UTF-8, else cp1252: see
//!   [`Encoding::Detect`]) unless declared; the service register, event CSVs and ED files may
//!   declare one (utf-8, cp1252, latin1) and a delimiter ([`CsvDialect`]). A used field that
//!   is not UTF-8 (in a file read as UTF-8) is rejected with `InvalidUtf8`.
//! - **One stray quote costs one line.** A quoted field that does not close as a row can
//!   (still open after 20 lines, or 1 for police.uk, or at the end of the file, or closing
//!   into a row with the wrong number of fields) makes its opening line an `UnbalancedQuote`
//!   reject, and the lines after it are read as rows. So every non-blank physical line is
//!   counted: one row or one reject (a legitimate multi-line record counts once).
//! - **CSV, not polars.** CSVs are read line by line with `csv-core` because every row needs
//!   its own line number and its own reject. Parquet files are read with polars, whole, and
//!   their typed columns turned into the text the CSV rules read (`parquet_table`); a
//!   Parquet reject's line is its 1-based row.
//! - **Parallel and deterministic.** Event readers parse files in parallel with rayon (one task
//!   per file) and merge in file order; categories are sorted. Results do not depend on the
//!   number of threads.
//! - **Coordinates** are checked in this order: both fields empty means no location (an event
//!   with `point: None`; the engine decides); one empty is `MissingValue`; then
//!   `UnparsableNumber`, `NotANumber` (NaN, inf); then, for WGS84, **swapped latitude and
//!   longitude**: when (lon, lat) lies outside the Great Britain and Northern Ireland box
//!   (longitude -9 to 3, latitude 49 to 61) but (lat, lon) lies inside it, the row is
//!   `SwappedLatLon` (checked before the range checks, since a swapped UK pair like
//!   lon 50.37, lat -4.14 is otherwise in range); then `LatitudeOutOfRange`,
//!   `LongitudeOutOfRange`, or `OutsideGrid` for British National Grid.
//!
//! This crate has no cargo features.

pub mod boundaries;
pub mod centroids;
mod coords;
pub mod count_parquet;
mod csv_records;
mod datetime;
pub mod dialect;
pub mod ed_istv;
pub mod error;
pub mod event_csv;
#[cfg(feature = "gdal")]
mod event_gdal;
pub mod event_parquet;
mod event_row;
#[cfg(feature = "gdal")]
mod gdal_layer;
#[cfg(feature = "gdal")]
pub mod gdal_table;
pub mod grid_ref;
pub mod keyed_table;
pub mod limits;
mod open;
mod parquet_table;
pub mod paths;
pub mod police_forces;
pub mod police_uk;
pub mod postcodes;
pub mod services;
pub mod source;
pub mod text_table;
pub mod travel_costs;
mod values;
pub mod weights_file;

pub use boundaries::{read_boundaries, BoundaryMapping, BoundarySet, InvalidArea, RepairedArea};
pub use centroids::{read_centroids, CentroidColumns, Centroids};
pub use count_parquet::{read_count_parquet, CountMapping};
pub use dialect::{BadDelimiter, CsvDialect, Encoding};
pub use ed_istv::{read_ed, EdMapping};
pub use error::IngestError;
pub use event_csv::{read_event_csv, EventCsvMapping};
pub use event_parquet::read_event_parquet;
pub use event_row::{read_mapped_into, MappedFormat};
pub use keyed_table::{read_keyed_values, Keyed, KeyedColumns, KeyedValues};
pub use limits::InputLimits;
pub use paths::expand_paths;
pub use police_uk::{read_police_uk, POLICE_UK_COLUMNS};
pub use postcodes::{
    read_postcode_directory, Postcode, PostcodeColumns, PostcodeDirectory, PostcodeLookup,
};
pub use services::{read_services, ServiceColumns, ServiceRegister, ServicesRead};
pub use source::{CategoryMapping, Collect, EventSink, SinkFile, SourceRead};
pub use text_table::{read_keyed_numbers, read_text_columns, TextTable};
pub use travel_costs::{read_travel_costs, CostUnit, TravelCost, TravelCostColumns, TravelCosts};
