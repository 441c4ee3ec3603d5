//! `[disclosure]`: small-number control of what the public role sees.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};

/// `[disclosure]`: small-number control of public outputs (the NHS convention by default:
/// counts of 1 to 7 suppressed, every other count rounded to the nearest 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureSection {
    /// Counts from 1 up to this value are suppressed.
    #[serde(default = "default_suppress_max")]
    pub suppress_max: u64,
    /// Every other count is rounded to the nearest multiple of this (1: not rounded).
    #[serde(default = "default_round_to")]
    pub round_to: u64,
}

impl Default for DisclosureSection {
    fn default() -> Self {
        Self {
            suppress_max: default_suppress_max(),
            round_to: default_round_to(),
        }
    }
}

fn default_suppress_max() -> u64 {
    7
}

fn default_round_to() -> u64 {
    5
}

impl DisclosureSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if self.round_to == 0 {
            return Err(study.invalid(
                "disclosure.round_to",
                0,
                "expected a positive whole number such as 5 (1 leaves counts unrounded)",
            ));
        }
        Ok(())
    }
}
