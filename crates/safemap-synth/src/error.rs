//! The error type of this crate.

use std::path::PathBuf;

/// What can go wrong while writing a synthetic city or formatting its values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// The output folder (or a sub-folder) could not be created.
    #[error("cannot create folder {path}: {source}; check the path and its permissions")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}; check the disk space and permissions")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV record could not be encoded.
    #[error("cannot encode a CSV record for {path}: {source}")]
    Csv {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
    /// A JSON document could not be encoded.
    #[error("cannot encode {path} as JSON: {source}")]
    Json {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// A point lies outside the Ordnance Survey National Grid, so it has no grid reference.
    #[error(
        "({easting}, {northing}) is outside the OS National Grid (easting 0-700000, \
         northing 0-1300000): it has no grid reference"
    )]
    OutsideNationalGrid {
        /// Easting in metres.
        easting: f64,
        /// Northing in metres.
        northing: f64,
    },
    /// A British National Grid point could not be converted to WGS84.
    #[error(
        "cannot convert easting/northing ({easting}, {northing}) to WGS84 longitude/latitude; \
         move the city centre inside Great Britain"
    )]
    Reproject {
        /// Easting in metres.
        easting: f64,
        /// Northing in metres.
        northing: f64,
    },
}
