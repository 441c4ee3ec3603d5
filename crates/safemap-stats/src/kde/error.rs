//! [`KdeError`]: why a kernel density surface could not be computed.

/// Why a kernel density surface could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum KdeError {
    /// The raster's cell size is not a positive, finite number of metres.
    #[error("raster cell size {0} m must be a positive, finite number of metres (e.g. 50)")]
    BadCellSize(f64),
    /// The raster's origin is not finite.
    #[error("raster origin ({x}, {y}) must be finite projected coordinates in metres")]
    BadOrigin {
        /// x of the south-west corner.
        x: f64,
        /// y of the south-west corner.
        y: f64,
    },
    /// The raster has no cells or too many.
    #[error("a raster of {ncols} × {nrows} cells is not allowed: give between 1 and {limit} cells in all")]
    BadRasterSize {
        /// Columns.
        ncols: usize,
        /// Rows.
        nrows: usize,
        /// [`MAX_GRID_CELLS`](super::MAX_GRID_CELLS).
        limit: usize,
    },
    /// An input slice does not have one entry per point.
    #[error("{what} has {len} entries but xs has {expected}: give one per point")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The number of points (length of `xs`).
        expected: usize,
    },
    /// A coordinate is NaN or infinite.
    #[error("{what} at position {index} is {value}: coordinates must be finite projected metres")]
    NotFinite {
        /// `xs` or `ys`.
        what: &'static str,
        /// Position of the point.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A weight is negative, NaN or infinite.
    #[error("weight {value} at position {index} must be finite and not negative")]
    BadWeight {
        /// Position of the point.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The bandwidth rule needs at least two points of positive weight.
    #[error("the bandwidth rule needs at least 2 points with positive weight, got {n}: give a fixed bandwidth")]
    TooFewPoints {
        /// Points with positive weight.
        n: usize,
    },
    /// The bandwidth rule gave zero (the points coincide, or over half the weight sits on
    /// the mean centre).
    #[error("the points have standard distance {sd} m and median distance {median} m to their mean centre, so the bandwidth rule gives 0: give a fixed bandwidth")]
    DegenerateBandwidth {
        /// Standard distance, metres.
        sd: f64,
        /// Median distance to the mean centre, metres.
        median: f64,
    },
    /// Binned evaluation with a bandwidth below one cell.
    #[error("bandwidth {bandwidth} m is below the cell size {cell_size} m, too small for binned evaluation: use Evaluation::Exact or smaller cells")]
    BandwidthBelowCell {
        /// The bandwidth, metres.
        bandwidth: f64,
        /// The raster's cell size, metres.
        cell_size: f64,
    },
    /// The raster padded by the kernel's radius is too large for binned evaluation.
    #[error("the {ncols} × {nrows} raster padded by the kernel's radius of {radius} m ({pad} cells each side) exceeds {limit} cells: use larger cells or a smaller bandwidth")]
    PaddedGridTooLarge {
        /// Raster columns.
        ncols: usize,
        /// Raster rows.
        nrows: usize,
        /// Support radius, metres.
        radius: f64,
        /// Padding cells per side.
        pad: usize,
        /// [`MAX_GRID_CELLS`](super::MAX_GRID_CELLS).
        limit: usize,
    },
}
