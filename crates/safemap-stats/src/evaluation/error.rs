//! [`EvaluationError`]: inputs a hotspot evaluation cannot use.

/// Why a hotspot evaluation could not be computed.
///
/// A figure whose denominator is zero (no test events, nothing flagged) is not an error: it
/// is an [`Undefined`](super::Undefined) in the result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// A per-unit slice does not have one entry per unit.
    #[error("{what} has {len} entries but there are {n} units: give one per unit, in unit order")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// Number of units.
        n: usize,
    },
    /// Monthly counts that are not one per unit and month.
    #[error("{len} monthly counts for {units} units and {months} months: give units x months, unit by unit")]
    ShapeMismatch {
        /// Number of counts given.
        len: usize,
        /// Number of units.
        units: usize,
        /// Number of months.
        months: usize,
    },
    /// A unit's area is negative, NaN or infinite.
    #[error("the area of unit {index} is {value}: areas must be finite and not negative")]
    BadArea {
        /// Position of the unit.
        index: usize,
        /// The area.
        value: f64,
    },
    /// The units have no area between them (or there are none).
    #[error(
        "the {units} units have a total area of 0: the area share a / A needs a positive total"
    )]
    NoArea {
        /// Number of units.
        units: usize,
    },
    /// A share of units outside (0, 1].
    #[error("share {0} must be more than 0 and at most 1 (e.g. 0.05 for the top 5% of units)")]
    BadShare(f64),
    /// A window of zero months.
    #[error("a window of {train_months} train and {test_months} test months: both need at least one month")]
    EmptyWindow {
        /// Train months.
        train_months: usize,
        /// Test months.
        test_months: usize,
    },
    /// Too few months for one window.
    #[error("{months} months are too few for {train_months} train months followed by {test_months} test months")]
    TooFewMonths {
        /// Months available.
        months: usize,
        /// Train months asked for.
        train_months: usize,
        /// Test months asked for.
        test_months: usize,
    },
    /// A window that reaches outside the months, or whose test months do not follow its
    /// train months.
    #[error("window train {train:?}, test {test:?} over {months} months: both must be non-empty ranges of the months, the test months after the train months")]
    BadWindow {
        /// Train month indices.
        train: std::ops::Range<usize>,
        /// Test month indices.
        test: std::ops::Range<usize>,
        /// Months available.
        months: usize,
    },
}
