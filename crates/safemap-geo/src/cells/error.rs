//! [`CellsError`]: a grid that cannot be built.

/// Why a cell size or a grid could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CellsError {
    /// The cell area is zero, negative, NaN or infinite.
    #[error("cell area {0} m² must be a positive, finite number of square metres (e.g. 62500 for 250 m squares)")]
    BadArea(f64),
    /// No polygon part has finite coordinates and a non-empty shell, or the rectangle is
    /// degenerate.
    #[error("the study area is empty: give at least one polygon with finite coordinates and a positive area")]
    EmptyStudyArea,
    /// The bounding box of the study area holds too many cells of this size.
    #[error("{cells} cells of {size} m would cover the study area's {width:.0} m × {height:.0} m bounding box, more than the limit of {limit}: use a larger cell size")]
    TooManyCells {
        /// Cells in the bounding box (with a one-cell margin).
        cells: u128,
        /// The cell size in metres.
        size: f64,
        /// Width of the bounding box in metres.
        width: f64,
        /// Height of the bounding box in metres.
        height: f64,
        /// The limit, [`super::MAX_WINDOW_CELLS`].
        limit: usize,
    },
    /// Cell indices overflow 32 bits: the coordinates are not projected metres.
    #[error("the study area reaches ({x}, {y}), where {size} m cells have indices beyond 32 bits: give projected coordinates in metres (e.g. British National Grid), not degrees or millimetres")]
    OutOfRange {
        /// The x of the offending corner of the bounding box.
        x: f64,
        /// Its y.
        y: f64,
        /// The cell size in metres.
        size: f64,
    },
}
