//! `[services]`: the service register.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[services]`: the service register.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServicesSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column mapping overrides.
    pub columns: Option<toml::Table>,
}
