//! `[study]`: title, seed, output directory, rate base, confidence level, reject threshold.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[study]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudySection {
    /// Title shown in outputs.
    pub name: String,
    /// Seed for every random step (recorded in the manifest).
    #[serde(default)]
    pub seed: u64,
    /// Where outputs go (relative to the study file); `--out` overrides it.
    pub output_dir: PathBuf,
    /// Rates are per this many residents.
    #[serde(default = "default_rate_per")]
    pub rate_per: f64,
    /// Coverage of the exact Poisson intervals.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// If any source rejects more than this share of its rows, `run` and `validate` exit with
    /// code 1 (see [`crate::pipeline::Prepared::over_reject_threshold`]).
    pub max_reject_share: Option<f64>,
}

fn default_rate_per() -> f64 {
    1000.0
}

fn default_confidence() -> f64 {
    0.95
}

impl StudySection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if !(self.rate_per.is_finite() && self.rate_per > 0.0) {
            return Err(study.invalid(
                "study.rate_per",
                self.rate_per,
                "expected a positive number such as 1000",
            ));
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(study.invalid(
                "study.confidence",
                self.confidence,
                "expected a level between 0 and 1 such as 0.95",
            ));
        }
        if let Some(m) = self.max_reject_share {
            if !(0.0..=1.0).contains(&m) {
                return Err(study.invalid(
                    "study.max_reject_share",
                    m,
                    "expected a share between 0 and 1",
                ));
            }
        }
        Ok(())
    }
}
