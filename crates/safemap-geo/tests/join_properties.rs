//! Property tests of the point-in-polygon join (issue 16): on random partitions with gaps and
//! overlaps, and random points that include grid lines, shared vertices and diagonals, every
//! point gets exactly the area the boundary rule names, found by testing every polygon.
//!
//! - a joined point lies in its area's closed polygon (in its interior under `Exclude`);
//! - it gets the lowest area that qualifies, so a point on a shared edge or an overlap is
//!   assigned once, never twice, and never to an area that does not hold it;
//! - a point outside every area is outside: read = joined + outside, for both rules;
//! - the bulk join (with its space-filling-curve sort above 16,384 points) equals `locate`
//!   point by point, whatever the order of the points.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{coord, Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use safemap_geo::{AreaIndex, EdgeRule};
use safemap_types::AreaId;

/// A random study area: a grid of `nx` × `ny` cells of side `side`, each cell one square area
/// or two triangles (split along either diagonal), some cells left out (gaps), and rectangles
/// laid over the grid (overlaps), in a shuffled order.
#[derive(Debug, Clone)]
struct Partition {
    origin: Coord<f64>,
    side: f64,
    nx: u32,
    ny: u32,
    areas: Vec<MultiPolygon<f64>>,
}

fn ring(points: &[(f64, f64)]) -> Polygon<f64> {
    Polygon::new(LineString::from(points.to_vec()), vec![])
}

fn partition() -> impl Strategy<Value = Partition> {
    (
        (-1.0e6..1.0e6f64, -1.0e6..1.0e6f64),
        prop_oneof![Just(1.0), Just(0.1), 0.5..500.0f64],
        1u32..6,
        1u32..6,
        // Per cell: 0 gap, 1 square, 2 and 3 the two diagonals.
        proptest::collection::vec(0u8..4, 36),
        // Overlapping rectangles, in cells: x0, y0, width, height.
        proptest::collection::vec((0u32..5, 0u32..5, 1u32..3, 1u32..3), 0..3),
        any::<u64>(),
    )
        .prop_map(|((ox, oy), side, nx, ny, kinds, overlaps, shuffle)| {
            let at = |i: u32, j: u32| (ox + f64::from(i) * side, oy + f64::from(j) * side);
            let mut areas = Vec::new();
            for j in 0..ny {
                for i in 0..nx {
                    let (a, b, c, d) = (at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
                    match kinds[(j * 6 + i) as usize] {
                        0 => {}
                        1 => areas.push(MultiPolygon::new(vec![ring(&[a, b, c, d, a])])),
                        2 => {
                            areas.push(MultiPolygon::new(vec![ring(&[a, b, c, a])]));
                            areas.push(MultiPolygon::new(vec![ring(&[a, c, d, a])]));
                        }
                        _ => {
                            areas.push(MultiPolygon::new(vec![ring(&[a, b, d, a])]));
                            areas.push(MultiPolygon::new(vec![ring(&[b, c, d, b])]));
                        }
                    }
                }
            }
            for (x0, y0, w, h) in overlaps {
                let (a, c) = (at(x0, y0), at(x0 + w, y0 + h));
                let ring = ring(&[a, (c.0, a.1), c, (a.0, c.1), a]);
                areas.push(MultiPolygon::new(vec![ring]));
            }
            // A seeded Fisher-Yates shuffle: area ids must not follow the grid.
            let mut state = shuffle | 1;
            for k in (1..areas.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                areas.swap(k, (state % (k as u64 + 1)) as usize);
            }
            Partition {
                origin: coord! { x: ox, y: oy },
                side,
                nx,
                ny,
                areas,
            }
        })
}

/// Points in cell units over the grid and a margin around it: on grid lines and vertices
/// (whole and half cells), on the cells' diagonals, and anywhere.
fn points(p: &Partition, raw: &[(u8, f64, f64)]) -> Vec<Coord<f64>> {
    let (w, h) = (f64::from(p.nx), f64::from(p.ny));
    raw.iter()
        .map(|&(kind, u, v)| {
            let (x, y) = (u * (w + 2.0) - 1.0, v * (h + 2.0) - 1.0);
            let (x, y) = match kind {
                0 => (x.round(), y.round()),
                1 => ((x * 2.0).round() / 2.0, y),
                2 => (x, (y * 2.0).round() / 2.0),
                // On a diagonal of the cell it falls in.
                3 => (x, y.floor() + (x - x.floor())),
                4 => (x, y.floor() + 1.0 - (x - x.floor())),
                _ => (x, y),
            };
            coord! { x: p.origin.x + x * p.side, y: p.origin.y + y * p.side }
        })
        .collect()
}

/// The areas whose closed polygon (or, with `interior`, whose interior) holds `q`, by testing
/// every polygon, ascending.
fn holding(areas: &[MultiPolygon<f64>], q: Coord<f64>, interior: bool) -> Vec<AreaId> {
    (0..areas.len())
        .filter(|&a| match areas[a].coordinate_position(&q) {
            CoordPos::Inside => true,
            CoordPos::OnBoundary => !interior,
            CoordPos::Outside => false,
        })
        .map(|a| AreaId(a as u32))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn every_point_gets_the_lowest_area_that_holds_it(
        p in partition(),
        raw in proptest::collection::vec((0u8..8, 0.0..1.0f64, 0.0..1.0f64), 1..400),
    ) {
        let index = AreaIndex::new(&p.areas);
        let pts = points(&p, &raw);
        for rule in [EdgeRule::LowestAreaId, EdgeRule::Exclude] {
            let joined = index.join(&pts, rule);
            prop_assert_eq!(joined.len(), pts.len());
            for (&q, &got) in pts.iter().zip(&joined) {
                let holders = holding(&p.areas, q, rule == EdgeRule::Exclude);
                prop_assert_eq!(got, holders.first().copied(), "{:?} at {:?}", rule, q);
                prop_assert_eq!(index.locate(q, rule), got);
            }
            let inside = joined.iter().flatten().count();
            let outside = joined.iter().filter(|a| a.is_none()).count();
            prop_assert_eq!(inside + outside, pts.len());
        }
        for &q in &pts {
            prop_assert_eq!(index.containing(q), holding(&p.areas, q, false));
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Above 16,384 points the join sorts them along a Hilbert curve and puts the answers
    /// back: the result must be `locate`'s, point by point, in input order.
    #[test]
    fn the_sorted_bulk_join_answers_in_input_order(
        p in partition(),
        raw in proptest::collection::vec((0u8..8, 0.0..1.0f64, 0.0..1.0f64), 16_385..20_000),
    ) {
        let index = AreaIndex::new(&p.areas);
        let pts = points(&p, &raw);
        let joined = index.join(&pts, EdgeRule::LowestAreaId);
        for (&q, &got) in pts.iter().zip(&joined) {
            prop_assert_eq!(got, index.locate(q, EdgeRule::LowestAreaId));
        }
    }
}
