//! [`point_on_surface`]: a point inside a polygon, the point geo's `InteriorPoint` picks
//! (the midpoint of the longest stretch of a horizontal line through the middle of the
//! bounding box that lies inside the polygon; like PostGIS `ST_PointOnSurface`).
//!
//! geo 0.33 finds that line's crossings with a sweep over every pair of the polygon's
//! edges and classifies each candidate with `relate`, which builds a topology graph: on the
//! national study (34,753 LSOAs) that was 14% of the whole run. Here each edge is crossed
//! with the scan line directly (the same `line_intersection` geo uses) and each candidate is
//! located with `CoordinatePosition`, linear in the edges: the same rules, the same point.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{BoundingRect, CoordsIter, LinesIter};
use geo_types::{Coord, Line, MultiPolygon, Point, Polygon};
use std::cmp::Ordering;

/// The point on the surface of `area` that geo's `InteriorPoint` returns: of each polygon's
/// point, the one with the longest inside stretch of its scan line; `None` when `area` has
/// no polygons.
pub fn point_on_surface(area: &MultiPolygon<f64>) -> Option<Point<f64>> {
    area.iter()
        .filter_map(polygon_point)
        // geo's tie rule: the first polygon among those with the longest stretch.
        .min_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Less))
        .map(|(point, _)| point)
}

/// One polygon's point and the length of its inside stretch (0 when the point is on the
/// boundary, for a polygon without area).
fn polygon_point(polygon: &Polygon<f64>) -> Option<(Point<f64>, f64)> {
    if polygon.exterior().0.len() == 1 {
        return Some((polygon.exterior().0[0].into(), 0.0));
    }
    let bounds = polygon.bounding_rect()?;
    let y = scan_y(polygon, f64::midpoint(bounds.min().y, bounds.max().y));
    let scan = Line::new(
        Coord {
            x: bounds.min().x,
            y,
        },
        Coord {
            x: bounds.max().x,
            y,
        },
    );
    let mut crossings: Vec<f64> = Vec::new();
    for edge in polygon.lines_iter() {
        match line_intersection(edge, scan) {
            Some(LineIntersection::Collinear { intersection }) => {
                crossings.extend([intersection.start.x, intersection.end.x]);
            }
            Some(LineIntersection::SinglePoint { intersection, .. }) => {
                crossings.push(intersection.x);
            }
            None => {}
        }
    }
    crossings.sort_by(f64::total_cmp);
    let mut stretches: Vec<(Point<f64>, f64)> = crossings
        .windows(2)
        .map(|w| (Point::new(f64::midpoint(w[0], w[1]), y), w[1] - w[0]))
        .collect();
    // Stable, longest first: equal stretches keep their west-to-east order, as in geo.
    stretches.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (midpoint, length) in stretches {
        match polygon.coordinate_position(&midpoint.0) {
            CoordPos::Inside => return Some((midpoint, length)),
            CoordPos::OnBoundary => return Some((midpoint, 0.0)),
            CoordPos::Outside => {}
        }
    }
    polygon.coords_iter().next().map(|c| (c.into(), 0.0))
}

/// The scan line's y: the middle of the bounding box, or, when a vertex lies on it, halfway
/// to the nearest vertex y off it, so the line does not run through vertices.
fn scan_y(polygon: &Polygon<f64>, mid: f64) -> f64 {
    if !polygon.coords_iter().any(|c| c.y == mid) {
        return mid;
    }
    polygon
        .coords_iter()
        .filter(|c| c.y != mid)
        .map(|c| (c.y, (c.y - mid).abs()))
        .min_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(Ordering::Less))
        .map_or(mid, |(closest, _)| f64::midpoint(mid, closest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::InteriorPoint;
    use geo_types::{line_string, polygon};

    /// Shapes that exercise each rule: a hole on the scan line, a U whose middle is outside,
    /// vertices on the middle line, two polygons, a flat polygon and a single point.
    fn shapes() -> Vec<MultiPolygon<f64>> {
        let square = polygon![(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)];
        let holed = Polygon::new(
            square.exterior().clone(),
            vec![
                line_string![(x: 2., y: 2.), (x: 8., y: 2.), (x: 8., y: 8.), (x: 2., y: 8.), (x: 2., y: 2.)],
            ],
        );
        let u = polygon![(x: 0., y: 0.), (x: 9., y: 0.), (x: 9., y: 9.), (x: 6., y: 9.), (x: 6., y: 3.), (x: 3., y: 3.), (x: 3., y: 9.), (x: 0., y: 9.), (x: 0., y: 0.)];
        let diamond = polygon![(x: 5., y: 0.), (x: 10., y: 5.), (x: 5., y: 10.), (x: 0., y: 5.), (x: 5., y: 0.)];
        let flat = polygon![(x: 0., y: 1.), (x: 4., y: 1.), (x: 0., y: 1.)];
        let point = Polygon::new(geo_types::LineString(vec![Coord { x: 3., y: 4. }]), vec![]);
        vec![
            MultiPolygon(vec![square.clone()]),
            MultiPolygon(vec![holed]),
            MultiPolygon(vec![u.clone()]),
            MultiPolygon(vec![diamond]),
            MultiPolygon(vec![u, square]),
            MultiPolygon(vec![flat]),
            MultiPolygon(vec![point]),
            MultiPolygon(vec![]),
        ]
    }

    #[test]
    fn the_point_geo_picks() {
        for s in shapes() {
            assert_eq!(point_on_surface(&s), s.interior_point(), "{s:?}");
        }
        let u = &shapes()[2];
        assert_eq!(point_on_surface(u), Some(Point::new(1.5, 4.5)));
    }
}
