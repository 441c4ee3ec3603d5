//! `[grid]`: hotspots on a regular grid of cells.

use super::analysis::{default_permutations, CorrectionName};
use super::{ConfigError, Study};
use safemap_types::MonthRange;
use serde::{Deserialize, Serialize};

/// `[grid]`: events counted in square or hexagonal cells over the study area, Gi* on the
/// cells with distance-band weights between cell centres.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GridSection {
    /// `square` or `hexagon`.
    pub shape: GridShape,
    /// Square side or hexagon width across flats, metres.
    pub cell_size_m: f64,
    /// The source whose events are counted.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// Months (default: the study period).
    pub period: Option<MonthRange>,
    /// Cells whose centres lie within this distance are neighbours (metres).
    pub threshold_m: f64,
    /// Conditional permutations for pseudo p-values.
    #[serde(default = "default_permutations")]
    pub permutations: usize,
    /// Correction shown beside the raw classes.
    #[serde(default)]
    pub correction: CorrectionName,
}

/// Cell shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GridShape {
    /// Squares.
    Square,
    /// Pointy-top hexagons.
    Hexagon,
}

impl GridSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        study.positive_metres("grid.cell_size_m", self.cell_size_m)?;
        study.positive_metres("grid.threshold_m", self.threshold_m)
    }
}
