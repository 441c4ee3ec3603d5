//! [`IngestError`]: file-level problems that stop a source from being read.
//!
//! Per-row problems are not errors: they become [`Reject`](safemap_types::Reject) records and
//! reading continues.

use crate::limits::LimitExceeded;
use std::io;
use std::path::PathBuf;

/// A problem with a whole input file (or pattern, or mapping), as opposed to one row.
///
/// Every message names the file (and line, column or feature where there is one) and says
/// what to do. External errors are kept as the [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// A path pattern matched no file.
    #[error(
        "no file matches {pattern:?}: check the path, which is relative to the folder of the study file"
    )]
    MissingFile {
        /// The pattern as written in the study file.
        pattern: String,
    },

    /// A path pattern is not a valid glob.
    #[error(
        "{pattern:?} is not a valid path pattern: use * and ? as wildcards and write [[] for a literal ["
    )]
    BadPattern {
        /// The pattern as written in the study file.
        pattern: String,
        /// What the glob parser said.
        #[source]
        source: glob::PatternError,
    },

    /// A file could not be opened or read.
    #[error(
        "cannot read {}: check that the file exists, is readable and is not truncated",
        path.display()
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },

    /// The CSV parser failed part-way through a file (an I/O or decompression error).
    #[error(
        "cannot read {} after line {line}: check that the file is complete (a truncated .gz gives this error)",
        path.display()
    )]
    Csv {
        /// The file.
        path: PathBuf,
        /// The last line read successfully (1 = the header).
        line: u64,
        /// The CSV error.
        #[source]
        source: csv::Error,
    },

    /// A line of a CSV file is longer than [`InputLimits::max_line_bytes`](crate::InputLimits).
    #[error(
        "{} line {line} is longer than {} KiB, the most one line may hold: check the file (a compressed file \
         of zeros, or a file without line endings, looks like this) or raise max_line_kib in the study's [limits] table",
        path.display(),
        max / crate::limits::KIB
    )]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// The line (1 = the first line of the file).
        line: u64,
        /// The limit, in bytes.
        max: u64,
    },

    /// A compressed file expands to more than
    /// [`InputLimits::max_decompressed_bytes`](crate::InputLimits).
    #[error(
        "{} expands to more than {} MiB when decompressed{}: check the file or raise max_decompressed_mib \
         in the study's [limits] table",
        path.display(),
        max / crate::limits::MIB,
        after_line(*line)
    )]
    TooLargeDecompressed {
        /// The file.
        path: PathBuf,
        /// The last line read before the limit, for a CSV file.
        line: Option<u64>,
        /// The limit, in bytes.
        max: u64,
    },

    /// A compressed file expands more than
    /// [`InputLimits::max_expansion_ratio`](crate::InputLimits) times.
    #[error(
        "{} expands more than {max} times when decompressed ({} MiB from {} KiB{}), as a decompression bomb \
         does: check the file or raise max_expansion_ratio in the study's [limits] table",
        path.display(),
        decompressed / crate::limits::MIB,
        compressed / crate::limits::KIB,
        after_line(*line)
    )]
    ExpansionTooLarge {
        /// The file.
        path: PathBuf,
        /// The last line read before the limit, for a CSV file.
        line: Option<u64>,
        /// The limit: decompressed bytes per compressed byte.
        max: u64,
        /// Bytes decompressed when the limit was passed.
        decompressed: u64,
        /// Compressed bytes read by then.
        compressed: u64,
    },

    /// A CSV file has no header line.
    #[error("{} is empty: expected a header line on line 1", path.display())]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },

    /// A CSV header line opens a quoted field that does not close on that line.
    #[error(
        "{} line {line}: the quote that opens column {column} of the header does not close on that line: fix the header",
        path.display()
    )]
    HeaderQuote {
        /// The file.
        path: PathBuf,
        /// The header's line.
        line: u64,
        /// 1-based column where the quote opens.
        column: usize,
    },

    /// A data.police.uk file does not have the 12 standard street-level columns.
    #[error(
        "{} line 1 is not the data.police.uk street-level header: column {column} should be {expected_name:?} \
         but is {found_name:?}.\n  expected: {expected}\n  found:    {found_all}\n\
         Check that this is a \"street\" file (not outcomes or stop-and-search), or read it with the event_csv reader",
        path.display(),
        expected_name = crate::POLICE_UK_COLUMNS.get(column - 1).copied().unwrap_or_default(),
        found_name = found.get(column - 1).map(String::as_str).unwrap_or_default(),
        expected = crate::POLICE_UK_COLUMNS.join(","),
        found_all = found.join(","),
    )]
    WrongHeader {
        /// The file.
        path: PathBuf,
        /// 1-based column of the first difference from [`POLICE_UK_COLUMNS`](crate::POLICE_UK_COLUMNS).
        column: usize,
        /// The header found.
        found: Vec<String>,
    },

    /// A column named in the study's mapping is not in a file's header.
    #[error(
        "column {column:?} is not in the header (line 1) of {}; its columns are: {available}. \
         Fix the column name in the study file's mapping",
        path.display()
    )]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column the mapping asked for.
        column: String,
        /// The header's columns, comma-separated.
        available: String,
    },

    /// A column named in the study's mapping is not a column of a Parquet file.
    #[error(
        "column {column:?} is not in {}; its columns are: {available}. \
         Fix the column name in the study file's mapping",
        path.display()
    )]
    MissingParquetColumn {
        /// The file.
        path: PathBuf,
        /// The column the mapping asked for.
        column: String,
        /// The file's columns, comma-separated.
        available: String,
    },

    /// A mapped column of a Parquet file has a type that holds no text, number, flag or time.
    #[error(
        "column {column:?} of {} is of type {dtype}: a mapped column must hold text, numbers, \
         booleans, timestamps or dates; map another column or convert this one",
        path.display()
    )]
    ParquetColumnType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// Its type, as polars names it.
        dtype: String,
    },

    /// polars could not read a Parquet file.
    #[error(
        "cannot read {} as Parquet: check that it is a complete Parquet file",
        path.display()
    )]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What polars said.
        #[source]
        source: polars::prelude::PolarsError,
    },

    /// A column mapping from the study file contradicts itself.
    #[error("the study's mapping for {} {message}", path.display())]
    ConflictingMapping {
        /// The file the mapping is for.
        path: PathBuf,
        /// What contradicts what, and what to do.
        message: String,
    },

    /// A date/time format from the study file cannot be used.
    #[error(
        "time format {format:?} cannot be used: {problem}. Use a chrono strftime format such as \"%Y-%m-%d %H:%M\" or \"%Y-%m\""
    )]
    BadTimeFormat {
        /// The format as written in the study file.
        format: String,
        /// What is wrong with it.
        problem: &'static str,
    },

    /// More distinct categories than an event can index (65 536).
    #[error(
        "more than 65536 distinct categories in {}: the category column is probably wrong, or map the values with a category mapping",
        path.display()
    )]
    TooManyCategories {
        /// The file where the limit was passed.
        path: PathBuf,
    },

    /// A boundary file is not valid JSON.
    #[error(
        "{} is not valid JSON at line {line}, column {column}: check that the file is complete GeoJSON",
        path.display()
    )]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },

    /// A GeoJSON boundary file is not a FeatureCollection.
    #[error(
        "{} is a GeoJSON {found:?}, not a FeatureCollection: boundaries must be a FeatureCollection of polygons",
        path.display()
    )]
    NotFeatureCollection {
        /// The file.
        path: PathBuf,
        /// The `type` found.
        found: String,
    },

    /// One feature of a GeoJSON boundary file is malformed.
    #[error(
        "feature {feature} (0-based) of {} is not a valid GeoJSON feature: fix or remove it",
        path.display()
    )]
    BadFeature {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },

    /// A boundary feature's geometry is not a polygon.
    #[error(
        "feature {feature} (0-based) of {} has a {kind} geometry: areas must be Polygon or MultiPolygon; remove or convert it",
        path.display()
    )]
    UnsupportedGeometry {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// The geometry type found (`"null"` when the feature has none).
        kind: String,
    },

    /// A boundary feature's geometry has malformed coordinates.
    #[error("feature {feature} (0-based) of {}: {problem}; fix the geometry", path.display())]
    BadGeometry {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// What is wrong.
        problem: &'static str,
    },

    /// A boundary feature lacks the id (or name) property.
    #[error(
        "feature {feature} (0-based) of {} has no {field:?} property (it has: {available}); \
         set id_field / name_field in the study's [boundaries] table to the right property",
        path.display()
    )]
    MissingField {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// The property asked for.
        field: String,
        /// The feature's properties, comma-separated.
        available: String,
    },

    /// A boundary feature's id is not text or a whole number.
    #[error(
        "property {field:?} of feature {feature} (0-based) in {} is {value}, which is not an area code \
         (text or a whole number); choose another id_field",
        path.display()
    )]
    BadId {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// The id property.
        field: String,
        /// The value found, as JSON.
        value: String,
    },

    /// A value field of a boundary feature is not a number.
    #[error(
        "{}: feature {feature} (0-based) has {field} = {value:?}, which is not a number; \
         value fields hold area-level counts or rates",
        path.display()
    )]
    BadValueField {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        feature: usize,
        /// The value field.
        field: String,
        /// The value found.
        value: String,
    },

    /// Two features of a boundary file have the same id.
    #[error(
        "area id {code:?} appears twice in {} (features {first} and {second}, 0-based): area ids must be unique; \
         fix the file or choose another id_field",
        path.display()
    )]
    DuplicateAreaId {
        /// The file.
        path: PathBuf,
        /// The repeated id.
        code: String,
        /// 0-based index of the first feature with the id.
        first: usize,
        /// 0-based index of the second feature with the id.
        second: usize,
    },

    /// A boundary file has no features.
    #[error("{} has no features: a boundary file needs at least one polygon", path.display())]
    NoFeatures {
        /// The file.
        path: PathBuf,
    },

    /// A shapefile could not be read.
    #[error(
        "cannot read the shapefile {}: check that its .shp, .shx and .dbf files are all present and complete",
        path.display()
    )]
    Shapefile {
        /// The `.shp` file.
        path: PathBuf,
        /// The shapefile error.
        #[source]
        source: shapefile::Error,
    },

    /// A GeoJSON file declares a CRS safemap does not support.
    #[error(
        "{} declares the CRS {name:?}, which safemap does not read: reproject it to EPSG:27700 or EPSG:4326, \
         or set crs in the study's [boundaries] table if the declaration is wrong",
        path.display()
    )]
    UnknownCrs {
        /// The file.
        path: PathBuf,
        /// The declared name.
        name: String,
        /// The parse error.
        #[source]
        source: safemap_types::crs::UnknownCrs,
    },

    /// A shapefile's `.prj` describes a CRS safemap does not support.
    #[error(
        "{} describes a CRS safemap does not read ({summary}): reproject the data to EPSG:27700 or EPSG:4326, \
         or set crs in the study's [boundaries] table if the .prj is wrong",
        path.display()
    )]
    UnsupportedPrj {
        /// The `.prj` file.
        path: PathBuf,
        /// The start of its text.
        summary: String,
    },

    /// The CRS of a boundary file cannot be told.
    #[error(
        "cannot tell the CRS of {}: it declares none and its coordinates are not longitude/latitude; \
         set crs = \"EPSG:27700\" (or \"EPSG:4326\") in the study's [boundaries] table",
        path.display()
    )]
    UndeterminedCrs {
        /// The file.
        path: PathBuf,
    },

    /// A boundary file's extension is not one safemap reads.
    #[error(
        "{} is not a boundary format safemap reads: use GeoJSON (.geojson or .json, optionally .gz) or a Shapefile (.shp), \
         or any vector format GDAL reads with a safemap built with the `gdal` feature",
        path.display()
    )]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
    },

    /// A vector format only GDAL reads, in a safemap built without the `gdal` feature.
    #[error(
        "{} is a format safemap reads through GDAL: install libgdal-dev and build safemap with the `gdal` feature \
         (cargo build --release --features gdal), or convert the file (boundaries to GeoJSON or a Shapefile, \
         points to CSV)",
        path.display()
    )]
    GdalFeatureNeeded {
        /// The file.
        path: PathBuf,
    },

    /// GDAL could not open or read a file, or a layer in it.
    #[error("{}: {message}", path.display())]
    Gdal {
        /// The file.
        path: PathBuf,
        /// What GDAL (or safemap asking it) said.
        message: String,
    },
}

impl IngestError {
    /// An [`IngestError::Io`] for `path`.
    pub(crate) fn io(path: &std::path::Path, source: io::Error) -> Self {
        IngestError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The error for a limit passed while reading `path` (after `line`, for a CSV file), or
    /// `None` if `e` is not one.
    pub(crate) fn limit(path: &std::path::Path, line: Option<u64>, e: &io::Error) -> Option<Self> {
        Some(Self::limit_passed(path, line, LimitExceeded::within(e)?))
    }

    /// The error for `limit`, passed while reading `path` (after `line`, for a CSV file).
    pub(crate) fn limit_passed(
        path: &std::path::Path,
        line: Option<u64>,
        limit: LimitExceeded,
    ) -> Self {
        let path = path.to_path_buf();
        match limit {
            LimitExceeded::Line { line, max } => IngestError::LineTooLong { path, line, max },
            LimitExceeded::Decompressed { max } => {
                IngestError::TooLargeDecompressed { path, line, max }
            }
            LimitExceeded::Expansion {
                max,
                decompressed,
                compressed,
            } => IngestError::ExpansionTooLarge {
                path,
                line,
                max,
                decompressed,
                compressed,
            },
        }
    }
}

/// `", after line N"`, or nothing.
fn after_line(line: Option<u64>) -> String {
    line.map_or(String::new(), |l| format!(", after line {l}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_can_cross_threads_and_be_wrapped() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<IngestError>();
        assert!(std::mem::size_of::<IngestError>() <= 128);
    }
}
