//! [`ConfigError`]: why a study file could not be used.

use std::path::PathBuf;

/// Why a study file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read study file {path}: {source}")]
    Read {
        /// The study file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, a wrong type or an unknown key.
    #[error("study file {path}: {message}")]
    Parse {
        /// The study file.
        path: PathBuf,
        /// What the TOML parser said, with line and column (names the unknown key).
        message: String,
    },
    /// A key whose value has the wrong form (a month that is not `YYYY-MM`, a period whose
    /// `from` is after its `to`, a wrong type, an unknown key within a table).
    #[error("study file {path}, line {line}: `{key}`: {message}")]
    Key {
        /// The study file.
        path: PathBuf,
        /// Dotted key, e.g. `grid.period.from` or `analysis[1].period`.
        key: String,
        /// Line of the value in the file.
        line: usize,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A value that parses but is not allowed.
    #[error("study file {path}: `{key}` = {value}: {expected}")]
    Invalid {
        /// The study file.
        path: PathBuf,
        /// Dotted key, e.g. `source[1].name`.
        key: String,
        /// The value found.
        value: String,
        /// What is expected instead.
        expected: String,
    },
}
