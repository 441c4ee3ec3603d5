//! [`tidy`]: the documented rules for polygons that are not as they should be, applied to
//! every area as read, before validity is checked.
//!
//! | problem | rule | reported |
//! |---|---|---|
//! | a ring whose last position is not its first (GeoJSON) | closed, by repeating the first position | per area |
//! | the same vertex twice in a row | the repeats removed | per area, with the count |
//! | a polygon or hole of zero area (its vertices on one line, or fewer than three distinct) | dropped: nothing lies inside it; an area left with no polygon joins no events | per area |
//! | a hole wound the same way as its exterior | re-wound (with the rest, below) | per area |
//! | clockwise exteriors (ONS files, every Shapefile) | every polygon re-wound to RFC 7946's right-hand rule (exterior counter-clockwise, holes clockwise): containment does not depend on it, the GeoJSON written does | counted: most files of record wind the other way, so a list would name every area |
//!
//! What no rule repairs (a ring crossing itself, a hole outside or across its exterior, parts
//! that overlap) is kept as is and reported by `validity.rs`: a point is inside such a
//! polygon by the even-odd (crossing-number) rule of the join.

use geo::orient::{Direction, Orient};
use geo::{CoordsIter, LineString, MultiPolygon, Polygon, RemoveRepeatedPoints, Winding};

/// An area after [`tidy`].
pub(crate) struct Tidied {
    /// The repaired geometry, wound to the right-hand rule.
    pub(crate) geometry: MultiPolygon<f64>,
    /// What was repaired, in words, in the order of the table above.
    pub(crate) repairs: Vec<String>,
    /// Whether a polygon had to be re-wound for the right-hand rule.
    pub(crate) rewound: bool,
}

/// Applies the rules of the module docs to one area's geometry, of which `unclosed_rings`
/// rings were read unclosed (and closed by `geo_types`).
pub(crate) fn tidy(geometry: &MultiPolygon<f64>, unclosed_rings: usize) -> Tidied {
    let mut repairs = Vec::new();
    if unclosed_rings > 0 {
        repairs.push(format!("{unclosed_rings} unclosed ring(s) closed"));
    }
    let deduped = geometry.remove_repeated_points();
    let repeats = geometry.coords_count() - deduped.coords_count();
    if repeats > 0 {
        repairs.push(format!("{repeats} repeated vertex(es) removed"));
    }
    let zero = flat;
    let (mut dropped_polygons, mut dropped_holes, mut same_way) = (0, 0, 0);
    let mut kept = Vec::with_capacity(deduped.0.len());
    for polygon in deduped.0 {
        if zero(polygon.exterior()) {
            dropped_polygons += 1;
            continue;
        }
        let exterior_ccw = polygon.exterior().is_ccw();
        let (exterior, holes) = polygon.into_inner();
        let holes: Vec<LineString<f64>> = holes
            .into_iter()
            .filter(|h| {
                let z = zero(h);
                dropped_holes += usize::from(z);
                !z
            })
            .inspect(|h| same_way += usize::from(h.is_ccw() == exterior_ccw))
            .collect();
        kept.push(Polygon::new(exterior, holes));
    }
    if dropped_polygons > 0 {
        repairs.push(format!(
            "{dropped_polygons} polygon(s) of zero area dropped"
        ));
    }
    if dropped_holes > 0 {
        repairs.push(format!("{dropped_holes} hole(s) of zero area dropped"));
    }
    if kept.is_empty() && !geometry.0.is_empty() {
        repairs.push("no polygon of positive area is left: the area joins no events".into());
    }
    if same_way > 0 {
        repairs.push(format!(
            "{same_way} hole(s) wound the same way as their exterior re-wound"
        ));
    }
    let rewound = kept
        .iter()
        .any(|p| !p.exterior().is_ccw() || p.interiors().iter().any(Winding::is_ccw));
    let geometry = MultiPolygon(kept);
    let geometry = if rewound {
        geometry.orient(Direction::Default)
    } else {
        geometry
    };
    Tidied {
        geometry,
        repairs,
        rewound,
    }
}

/// A ring with no area: fewer than three distinct vertices, or all of them on one line. (Not
/// a zero signed area, which a bow tie's two opposite loops also have.)
fn flat(ring: &LineString<f64>) -> bool {
    let Some(&a) = ring.0.first() else {
        return true;
    };
    let Some(&b) = ring.0.iter().find(|&&c| c != a) else {
        return true;
    };
    ring.0.len() < 4
        || ring
            .0
            .iter()
            .all(|c| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x) == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Area};

    #[test]
    fn each_rule_repairs_and_says_so() {
        // Clockwise, a repeated vertex, a hole wound like its exterior, a flat hole.
        let cw = polygon!(
            exterior: [(x: 0., y: 0.), (x: 0., y: 4.), (x: 4., y: 4.), (x: 4., y: 4.), (x: 4., y: 0.), (x: 0., y: 0.)],
            interiors: [
                [(x: 1., y: 1.), (x: 1., y: 2.), (x: 2., y: 2.), (x: 2., y: 1.), (x: 1., y: 1.)],
                [(x: 3., y: 3.), (x: 3.5, y: 3.), (x: 3.2, y: 3.), (x: 3., y: 3.)],
            ],
        );
        let flat = polygon![(x: 10., y: 0.), (x: 11., y: 0.), (x: 12., y: 0.), (x: 10., y: 0.)];
        let t = tidy(&MultiPolygon(vec![cw, flat]), 1);
        assert_eq!(
            t.repairs,
            [
                "1 unclosed ring(s) closed",
                "1 repeated vertex(es) removed",
                "1 polygon(s) of zero area dropped",
                "1 hole(s) of zero area dropped",
                "1 hole(s) wound the same way as their exterior re-wound",
            ]
        );
        assert!(t.rewound);
        assert_eq!(t.geometry.0.len(), 1);
        let p = &t.geometry.0[0];
        assert!(p.exterior().is_ccw() && p.interiors()[0].is_cw());
        assert_eq!(p.unsigned_area(), 15.0);
    }

    #[test]
    fn a_right_hand_polygon_is_left_alone() {
        let ccw = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 0.)];
        let t = tidy(&MultiPolygon(vec![ccw.clone()]), 0);
        assert!(t.repairs.is_empty() && !t.rewound);
        assert_eq!(t.geometry, MultiPolygon(vec![ccw]));
        let flat = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 2., y: 2.), (x: 0., y: 0.)];
        let t = tidy(&MultiPolygon(vec![flat]), 0);
        assert_eq!(
            t.repairs.last().map(String::as_str),
            Some("no polygon of positive area is left: the area joins no events")
        );
    }
}
