//! Spatial weights builders: who neighbours whom, as a sparse [`Weights`] matrix.
//!
//! | builder | from | relation |
//! |---|---|---|
//! | [`contiguity_weights`] with [`Contiguity::Queen`] | polygons | boundaries touch or cross anywhere (one common point suffices), come within the tolerance, or one area overlaps or contains the other |
//! | [`contiguity_weights`] with [`Contiguity::Rook`] | polygons | boundaries share a stretch of positive length (within the tolerance) |
//! | [`distance_band_weights`] | points | distance at most a threshold; binary or inverse distance ([`BandWeighting`]) |
//! | [`knn_weights`] | points | the `k` nearest other points, ties to the lower index (not symmetric) |
//! | [`representative_points`] | polygons | the points for the two above: centroids or interior points ([`RepresentativePoint`]) |
//!
//! Every builder takes plain slices in a planar CRS (British National Grid metres inside the
//! engine; any projected CRS works, and tolerances and thresholds are in its units) plus a
//! parameters struct, runs in parallel on the current rayon pool, and returns the same
//! [`Weights`] for any number of threads. Area `i` of the result is position `i` of the
//! input slice.
//!
//! **Islands are never an error.** An area with no neighbour (an offshore island, an empty
//! multipolygon, a point beyond the band) gets an empty row; find them with
//! [`Weights::islands`] and the disconnected parts of the graph with
//! [`Weights::components`]. Only malformed inputs are refused ([`WeightsBuildError`]):
//! non-finite coordinates, a negative or non-finite tolerance or threshold, `k` not below
//! the number of points, or coincident points under inverse-distance weights.
//!
//! Contiguity never matches vertices: it tests the polygons' edges against each other with
//! exact orientation predicates, so neighbours whose common boundary is digitised with
//! different vertices (the UK-GeoJSON / ONS generalised boundaries) are found. See
//! [`contiguity`] for the rules and the tolerance.

pub mod contiguity;
pub mod distance_band;
pub mod knn;
pub mod points;

use geo::Coord;
use safemap_types::{Weights, WeightsError};

pub use contiguity::{contiguity_weights, Contiguity, ContiguityParams};
pub use distance_band::{distance_band_weights, BandWeighting, DistanceBandParams};
pub use knn::{knn_weights, KnnParams};
pub use points::{representative_points, RepresentativePoint};

/// Why spatial weights could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WeightsBuildError {
    /// A contiguity tolerance is negative or not finite.
    #[error(
        "contiguity tolerance {tolerance} is not a finite number >= 0: use 0 for exact \
         intersection, or a small distance in the polygons' units (metres in British National \
         Grid)"
    )]
    BadTolerance {
        /// The offending tolerance.
        tolerance: f64,
    },
    /// A distance-band threshold is negative or not finite.
    #[error(
        "distance band threshold {threshold} is not a finite number >= 0: give the largest \
         neighbour distance in the points' units (metres in British National Grid)"
    )]
    BadThreshold {
        /// The offending threshold.
        threshold: f64,
    },
    /// An inverse-distance power is not finite and positive.
    #[error(
        "inverse-distance power {power} is not a finite number > 0 (1 is w = 1/d, 2 is w = 1/d^2)"
    )]
    BadPower {
        /// The offending power.
        power: f64,
    },
    /// `k = 0` nearest neighbours asked for.
    #[error("k = 0 nearest neighbours gives no weights: ask for k >= 1")]
    ZeroK,
    /// `k` is not below the number of points, so some point has fewer than `k` others.
    #[error(
        "k = {k} nearest neighbours needs at least {} points, but there are {n}: lower k",
        k + 1
    )]
    KTooLarge {
        /// The `k` asked for.
        k: usize,
        /// The number of points.
        n: usize,
    },
    /// A polygon vertex is NaN or infinite.
    #[error(
        "area {area} has a vertex at ({x}, {y}): every coordinate must be finite; check the \
         boundary file and its reprojection"
    )]
    NonFiniteVertex {
        /// Position of the area in the input.
        area: usize,
        /// The vertex's x.
        x: f64,
        /// The vertex's y.
        y: f64,
    },
    /// A point is NaN or infinite.
    #[error("point {point} is ({x}, {y}): every coordinate must be finite")]
    NonFinitePoint {
        /// Position of the point in the input.
        point: usize,
        /// Its x.
        x: f64,
        /// Its y.
        y: f64,
    },
    /// An area has no polygon with any area, so it has no representative point.
    #[error(
        "area {area} is empty (no polygon, or only degenerate ones) and has no {kind} point: \
         drop it or give its point explicitly"
    )]
    EmptyArea {
        /// Position of the area in the input.
        area: usize,
        /// The kind of point asked for (`centroid` or `interior point`).
        kind: &'static str,
    },
    /// Two points within the band coincide, so their inverse-distance weight is infinite.
    #[error(
        "points {i} and {j} are both at ({x}, {y}): an inverse-distance weight 1/0 is \
         infinite; merge duplicate points or use binary weights"
    )]
    CoincidentPoints {
        /// The lower position.
        i: usize,
        /// The higher position.
        j: usize,
        /// Their x.
        x: f64,
        /// Their y.
        y: f64,
    },
    /// The neighbour lists could not be stored (more than `u32::MAX` areas).
    #[error(transparent)]
    Weights(#[from] WeightsError),
}

/// The first (lowest-index) non-finite point, as an error.
fn check_points(points: &[Coord<f64>]) -> Result<(), WeightsBuildError> {
    match points
        .iter()
        .position(|p| !(p.x.is_finite() && p.y.is_finite()))
    {
        Some(point) => Err(WeightsBuildError::NonFinitePoint {
            point,
            x: points[point].x,
            y: points[point].y,
        }),
        None => Ok(()),
    }
}

/// Refuses more points than `u32` ids can name, before any work is done.
fn check_count(n: usize) -> Result<(), WeightsBuildError> {
    if u32::try_from(n).is_err() {
        return Err(WeightsError::TooManyAreas { n }.into());
    }
    Ok(())
}

/// Squared Euclidean distance, `dx * dx + dy * dy` in `f64`: the one formula every point
/// builder (and its documentation) uses.
#[inline]
fn distance_2(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    dx * dx + dy * dy
}

/// Builds `Weights` from symmetric pairs `(i, j)`, `i < j`, each listed once.
fn from_pairs(n: usize, pairs: &[Vec<u32>]) -> Result<Weights, WeightsBuildError> {
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, row) in pairs.iter().enumerate() {
        for &j in row {
            lists[i].push(j);
            lists[j as usize].push(i as u32);
        }
    }
    Ok(Weights::from_neighbour_lists(&lists)?)
}
