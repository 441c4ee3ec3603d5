//! Errors that stop a run.

use std::path::PathBuf;

/// Why a run could not finish. Per-row problems are not errors: they are rejects.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The study file is unreadable or wrong.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// An input file could not be read as a whole.
    #[error("{role}: {source}")]
    Ingest {
        /// Which input (`boundaries`, `population`, `source "police"`, ...).
        role: String,
        /// The reader's error, naming file and line (boxed: it is large).
        #[source]
        source: Box<safemap_ingest::IngestError>,
    },
    /// A column mapping in the study file does not fit its format.
    #[error("study file {path}: `{key}`: {message}")]
    Mapping {
        /// The study file.
        path: PathBuf,
        /// Dotted key of the mapping table.
        key: String,
        /// What was wrong (names the unknown or missing key).
        message: String,
    },
    /// A boundary polygon could not be reprojected.
    #[error("boundaries: area {code} cannot be reprojected to British National Grid: {source}")]
    Reproject {
        /// The area code.
        code: String,
        /// Why.
        #[source]
        source: safemap_geo::reproject::ReprojectError,
    },
    /// Reading an input for its checksum failed.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The input file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing an output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Serialising an output failed.
    #[error("cannot serialise {path}: {source}")]
    Serialise {
        /// The output file.
        path: PathBuf,
        /// The serialiser's error.
        #[source]
        source: serde_json::Error,
    },
    /// An `[[analysis]]` could not be computed.
    #[error("analysis {name}: {message}")]
    Analysis {
        /// The analysis name.
        name: String,
        /// What was wrong.
        message: String,
    },
    /// A source's coverage (which areas and months its files cover) cannot be worked out.
    #[error("source {name}: coverage: {message}")]
    Coverage {
        /// The source name.
        name: String,
        /// What was wrong, naming the file.
        message: String,
    },
    /// A statistical parameter is out of its domain.
    #[error(transparent)]
    Rates(#[from] safemap_stats::RateError),
}

impl EngineError {
    /// An input that could not be read, labelled with its role in the study.
    pub fn ingest(role: impl Into<String>, source: safemap_ingest::IngestError) -> Self {
        EngineError::Ingest {
            role: role.into(),
            source: Box::new(source),
        }
    }
}
