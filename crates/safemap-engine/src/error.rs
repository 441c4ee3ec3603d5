//! Errors that stop a run.

use std::path::PathBuf;

/// Why a run could not finish. Per-row problems are not errors: they are rejects.
///
/// A variant that wraps another error says only its own context (the input's role, the
/// file) and hands the wrapped error on as its [`source`](std::error::Error::source), so
/// that printing the chain (`role: cause: cause's cause`) says each part once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The study file is unreadable or wrong.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// An input file could not be read as a whole.
    #[error("{role}")]
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
    /// An access, need, gap, sites or priority computation could not use its inputs.
    #[error("{step}")]
    Access {
        /// The study section or step (`need`, `access.score`, `sites`, ...).
        step: &'static str,
        /// What `safemap-access` found.
        #[source]
        source: safemap_access::AccessError,
    },
    /// A boundary polygon could not be reprojected.
    #[error("boundaries: area {code} cannot be reprojected to British National Grid")]
    Reproject {
        /// The area code.
        code: String,
        /// Why.
        #[source]
        source: safemap_geo::reproject::ReprojectError,
    },
    /// Reading an input for its checksum failed.
    #[error("cannot read {path}")]
    Read {
        /// The input file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `[comparison]` cannot be made from its inputs (a file not named as data.police.uk
    /// names its files, a partnership not in the table, ...).
    #[error("comparison: {0}")]
    Comparison(String),
    /// Writing an output failed.
    #[error("cannot write {path}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Serialising an output failed.
    #[error("cannot serialise {path}")]
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
    /// An `[[evaluation]]` could not be computed.
    #[error("evaluation {name}: {message}")]
    Evaluation {
        /// The evaluation's name.
        name: String,
        /// What was wrong and what to do.
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
    /// A table keyed by area codes cannot be brought to the study's areas (boundary
    /// vintages, neighbourhood levels).
    #[error("{table}: {message}")]
    Geography {
        /// The table or section (`vintage_lookup`, `level ward`).
        table: String,
        /// What was wrong, naming the file and line.
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

#[cfg(test)]
mod tests {
    use super::*;
    use safemap_ingest::IngestError;

    /// The error and its causes joined as a chain printer does (`anyhow`'s `{:#}`).
    fn chain(e: &dyn std::error::Error) -> String {
        let mut text = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            text = format!("{text}: {c}");
            cause = c.source();
        }
        text
    }

    #[test]
    fn a_wrapped_error_is_said_once_in_the_chain() {
        let missing = IngestError::MissingField {
            path: "two_squares.geojson".into(),
            feature: 0,
            field: "LSOA11CD".into(),
            available: "code, name".into(),
        };
        let message = missing.to_string();
        let e = EngineError::ingest("boundaries", missing);
        let text = chain(&e);
        assert_eq!(text, format!("boundaries: {message}"));
        assert_eq!(text.matches("set id_field").count(), 1, "{text}");

        let io = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
        let e = EngineError::Write {
            path: "out/areas.csv".into(),
            source: io,
        };
        assert_eq!(chain(&e), "cannot write out/areas.csv: disk full");
    }
}
