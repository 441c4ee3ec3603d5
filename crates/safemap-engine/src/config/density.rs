//! `[density]`: a kernel density surface of events.

use super::{ConfigError, Study};
use safemap_types::MonthRange;
use serde::{Deserialize, Serialize};

/// `[density]`: a kernel density surface of events.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DensitySection {
    /// The source whose events are smoothed.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// Months (default: the study period).
    pub period: Option<MonthRange>,
    /// Raster cell size, metres.
    pub cell_size_m: f64,
    /// `quartic` (default) or `gaussian`.
    #[serde(default)]
    pub kernel: KernelName,
    /// Bandwidth in metres (quartic radius, Gaussian standard deviation); when absent the
    /// ArcGIS Pro default rule (spatial Silverman) is used and recorded in the manifest.
    pub bandwidth_m: Option<f64>,
}

/// Kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KernelName {
    /// Quartic (biweight), as ArcGIS and CrimeStat.
    #[default]
    Quartic,
    /// Gaussian.
    Gaussian,
}

impl DensitySection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        study.positive_metres("density.cell_size_m", self.cell_size_m)?;
        if let Some(b) = self.bandwidth_m {
            study.positive_metres("density.bandwidth_m", b)?;
        }
        Ok(())
    }
}
