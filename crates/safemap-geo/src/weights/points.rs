//! Representative points of areas, for the point-based builders
//! ([`distance_band_weights`](super::distance_band_weights),
//! [`knn_weights`](super::knn_weights)).

use crate::point_on_surface;
use geo::{Centroid, Coord, MultiPolygon};
use rayon::prelude::*;

use super::WeightsBuildError;

/// Which point stands for an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RepresentativePoint {
    /// The area-weighted centroid (geo's `Centroid`; libpysal and GeoPandas `centroid`).
    /// It may fall outside a concave or multi-part area.
    Centroid,
    /// A point guaranteed inside the area ([`point_on_surface`]: the point of geo's
    /// `InteriorPoint`, like GEOS `PointOnSurface`).
    InteriorPoint,
}

impl RepresentativePoint {
    /// Stable name for manifests: `centroid` or `interior_point`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Centroid => "centroid",
            Self::InteriorPoint => "interior_point",
        }
    }
}

/// One representative point per area, in input order (computed in parallel).
///
/// Fails on an area with no point (an empty multipolygon), naming the lowest such area.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use safemap_geo::weights::{representative_points, RepresentativePoint};
///
/// let square = MultiPolygon::new(vec![polygon![
///     (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)
/// ]]);
/// let c = representative_points(&[square], RepresentativePoint::Centroid)?;
/// assert_eq!(c, vec![coord! { x: 1.0, y: 1.0 }]);
/// # Ok::<(), safemap_geo::weights::WeightsBuildError>(())
/// ```
pub fn representative_points(
    polygons: &[MultiPolygon<f64>],
    kind: RepresentativePoint,
) -> Result<Vec<Coord<f64>>, WeightsBuildError> {
    let points: Vec<Option<Coord<f64>>> = polygons
        .par_iter()
        .map(|mp| {
            let p = match kind {
                RepresentativePoint::Centroid => mp.centroid(),
                RepresentativePoint::InteriorPoint => point_on_surface(mp),
            };
            p.map(|p| p.0)
                .filter(|c| c.x.is_finite() && c.y.is_finite())
        })
        .collect();
    points
        .into_iter()
        .enumerate()
        .map(|(area, p)| {
            p.ok_or(WeightsBuildError::EmptyArea {
                area,
                kind: match kind {
                    RepresentativePoint::Centroid => "centroid",
                    RepresentativePoint::InteriorPoint => "interior point",
                },
            })
        })
        .collect()
}
