//! `[limits]`: how far one input file may make the run go (see
//! [`safemap_ingest::limits`]). Every key is optional; the defaults hold the national
//! police.uk data with room to spare.

use super::{ConfigError, Study};
use safemap_ingest::limits::{InputLimits, KIB, MIB};
use serde::{Deserialize, Serialize};

/// `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsSection {
    /// The longest line of a CSV input, in KiB (default 1024).
    pub max_line_kib: u64,
    /// The most a compressed input may expand to, in MiB (default 4096).
    pub max_decompressed_mib: u64,
    /// The most bytes a compressed input may expand to per compressed byte (default 100).
    pub max_expansion_ratio: u64,
}

impl Default for LimitsSection {
    fn default() -> Self {
        let d = InputLimits::default();
        Self {
            max_line_kib: d.max_line_bytes / KIB,
            max_decompressed_mib: d.max_decompressed_bytes / MIB,
            max_expansion_ratio: d.max_expansion_ratio,
        }
    }
}

impl LimitsSection {
    /// The limits the readers apply.
    pub fn input_limits(&self) -> InputLimits {
        InputLimits {
            max_line_bytes: self.max_line_kib.saturating_mul(KIB),
            max_decompressed_bytes: self.max_decompressed_mib.saturating_mul(MIB),
            max_expansion_ratio: self.max_expansion_ratio,
        }
    }

    /// Checks `[limits]` beyond its types: every limit at least 1.
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        for (key, value) in [
            ("limits.max_line_kib", self.max_line_kib),
            ("limits.max_decompressed_mib", self.max_decompressed_mib),
            ("limits.max_expansion_ratio", self.max_expansion_ratio),
        ] {
            if value == 0 {
                return Err(study.invalid(key, value, "expected a whole number of at least 1"));
            }
        }
        Ok(())
    }
}
