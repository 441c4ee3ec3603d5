//! [`StatsError`]: inputs a spatial statistic cannot be computed from.

/// Why a spatial statistic, smoother or correction could not be computed.
///
/// Problems with single areas (islands, no population) are not errors: those areas get
/// `None` and are listed in the result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A per-area slice does not have one entry per area of the weights.
    #[error("{what} has {len} entries but the weights have {n} areas: give one per area, in weights order")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// Number of areas in the weights.
        n: usize,
    },
    /// A value is NaN or infinite.
    #[error("{what} at position {index} is {value}: every value must be a finite number")]
    NotFinite {
        /// Which input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Too few areas for the statistic's moments.
    #[error("{n} areas are too few: this statistic needs at least {min}")]
    TooFewAreas {
        /// Number of areas.
        n: usize,
        /// Minimum needed.
        min: usize,
    },
    /// Every value is the same, so nothing can be standardised.
    #[error("all {n} values equal {value}: a constant variable has no spatial pattern to test")]
    ConstantValues {
        /// Number of areas.
        n: usize,
        /// The common value.
        value: f64,
    },
    /// The values sum to zero, so G (a share of the total) is undefined.
    #[error("the values sum to {sum}: Getis-Ord G divides by the total, so it needs a non-zero sum (use counts or rates, which are non-negative)")]
    ZeroSum {
        /// The sum.
        sum: f64,
    },
    /// No area has a neighbour.
    #[error("none of the {n} areas has a neighbour: check the weights (every area is an island)")]
    NoNeighbours {
        /// Number of areas.
        n: usize,
    },
    /// A significance level outside (0, 1).
    #[error("significance level {0} must lie strictly between 0 and 1 (e.g. 0.05)")]
    BadAlpha(f64),
    /// A p-value outside [0, 1].
    #[error("p-value {value} at position {index} is not between 0 and 1")]
    BadPValue {
        /// Position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A count or population that cannot be used.
    #[error("{what} at position {index} is {value}: counts must be finite and not negative")]
    BadCount {
        /// Which input.
        what: &'static str,
        /// Position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// No area has a usable population.
    #[error("none of the {n} areas has a positive population: nothing to smooth")]
    NoPopulation {
        /// Number of areas.
        n: usize,
    },
}
