//! The boundary rule: which area a point on a boundary belongs to.

use std::fmt;

/// Which area a point gets when it lies exactly on an area boundary.
///
/// "Exactly" is decided with exact (robust) orientation predicates, so a point is on an
/// edge only if it is on it in exact arithmetic on the stored `f64` values, never "within a
/// tolerance". A point that is not on any boundary lies in the interior of at most one area
/// of a valid partition and gets that area under either rule.
///
/// Areas are taken as given, including invalid ones: an area contains a point when one of
/// its polygon parts does, with the part's shell and holes evaluated as geo's
/// `CoordinatePosition` does for a `Polygon` (winding number per ring; a point inside a hole
/// is outside the part; a point on a hole's ring is on the boundary). When areas overlap,
/// both rules pick the lowest `AreaId` among the qualifying areas, so every point gets at
/// most one area and the answer never depends on input order within the index or on the
/// number of threads.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use safemap_geo::{AreaIndex, EdgeRule};
/// use safemap_types::AreaId;
///
/// let left = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let right = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
/// let index = AreaIndex::new(&[MultiPolygon::new(vec![left]), MultiPolygon::new(vec![right])]);
///
/// let on_shared_edge = coord! { x: 1.0, y: 0.5 };
/// assert_eq!(index.locate(on_shared_edge, EdgeRule::LowestAreaId), Some(AreaId(0)));
/// assert_eq!(index.locate(on_shared_edge, EdgeRule::Exclude), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum EdgeRule {
    /// The safemap rule (the default): the point goes to the area with the lowest `AreaId`
    /// among the areas whose closed polygon (interior plus boundary) contains it.
    ///
    /// Every point in the closed union of the areas is assigned exactly once: points on a
    /// boundary shared by several areas, on a vertex shared by four, and on the outer
    /// boundary of the whole set (the coast, the study-area edge) all count.
    #[default]
    LowestAreaId,
    /// The point goes to the area with the lowest `AreaId` among the areas whose interior
    /// contains it; a point on the boundary of every area that contains it goes to none.
    ///
    /// This is what GeoPandas (`within`), DuckDB and PostGIS (`ST_Contains`) do: points on a
    /// shared edge or on the outer boundary are dropped.
    Exclude,
}

impl EdgeRule {
    /// The snake_case name written into run manifests: `lowest_area_id` or `exclude`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeRule::LowestAreaId => "lowest_area_id",
            EdgeRule::Exclude => "exclude",
        }
    }
}

impl fmt::Display for EdgeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_lowest_area_id_and_names_are_stable() {
        assert_eq!(EdgeRule::default(), EdgeRule::LowestAreaId);
        assert_eq!(EdgeRule::LowestAreaId.to_string(), "lowest_area_id");
        assert_eq!(EdgeRule::Exclude.as_str(), "exclude");
    }
}
