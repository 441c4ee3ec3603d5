//! A CSV keyed by area code: `[population]`, `[deprivation]` and a `[[measure]]`'s table.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[population]` or `[deprivation]`: a CSV keyed by area code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column with the area code.
    pub code_column: String,
    /// Column with the value.
    pub value_column: String,
    /// Which vintage of codes the table is keyed by (e.g. `lsoa11`), when it is not the
    /// boundaries'; it is then converted (see `crate::vintage`).
    pub vintage: Option<String>,
}
