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
    /// The most vertices a boundary set may have for whether its polygons tile to be checked
    /// (default 4,000,000: twice England and Wales' LSOAs). The check's time and memory grow
    /// with the vertices (a single polygon of ten million doubled a run's time and memory);
    /// a bigger set is reported as not checked.
    pub max_tiling_vertices: u64,
}

/// The default [`LimitsSection::max_tiling_vertices`].
const TILING_VERTICES: u64 = 4_000_000;

impl Default for LimitsSection {
    fn default() -> Self {
        let d = InputLimits::default();
        Self {
            max_line_kib: d.max_line_bytes / KIB,
            max_decompressed_mib: d.max_decompressed_bytes / MIB,
            max_expansion_ratio: d.max_expansion_ratio,
            max_tiling_vertices: TILING_VERTICES,
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
            ("limits.max_tiling_vertices", self.max_tiling_vertices),
        ] {
            if value == 0 {
                return Err(study.invalid(key, value, "expected a whole number of at least 1"));
            }
        }
        Ok(())
    }
}
