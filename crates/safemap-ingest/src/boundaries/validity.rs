//! [`first_problem`]: the first problem geo's `Validation` finds in a `MultiPolygon`, without
//! its quadratic steps, in a time bounded by the number of vertices.
//!
//! geo 0.33 checks that a ring does not cross itself by testing every pair of its segments
//! (`linestring_has_self_intersection`: n² tests, 75 s for one ring of 100,000 vertices), and
//! relates every pair of holes and every pair of parts, whatever their distance. This module
//! asks the same questions in the same order, with the same predicates, and gives the same
//! answer (geo's error values, so the same messages), but only for the pairs that can meet:
//!
//! - **Self-intersection**: the ring's segments go into an R-tree (rstar, bulk-loaded) by
//!   their bounding boxes, and each segment is tested only against the segments whose boxes
//!   touch its own, with geo's own test (`Line::intersects` both ways round, ignoring the
//!   pairs that share an end point head to tail, as geo does).
//! - **Holes and parts**: two holes (or two parts) are related with geo's `Relate` only when
//!   their bounding boxes touch; boxes apart mean no common point, which geo's checks can
//!   never call an error. Each hole is still related to its exterior, as geo does.
//!
//! **Cost.** With n segments in a ring and k pairs of segments whose bounding boxes touch
//! (about 3n for a boundary, whose segments are short beside the area: 500,000 vertices are
//! checked in a fraction of a second), a ring costs O(n log n + k). k is quadratic only for
//! rings whose long segments' boxes pile up on one another (a star of long spikes: 35 s for
//! 100,000 vertices), which boundary data does not have; so that such a ring cannot stall
//! the run, at most [`PAIRS_PER_SEGMENT`] · n + [`FREE_PAIRS`] pairs are tested per ring, and a
//! ring that needs more is reported as not checked ([`Problem::Unchecked`]). A ring of up to
//! about 1,400 segments is always checked in full. Relating a hole to its exterior costs
//! about the size of both, with the same k.
//!
//! Two differences from geo: a ring with a NaN or infinite coordinate is reported for that
//! coordinate (`... has a non-finite coordinate at index i`), without the self-intersection
//! test, which such a coordinate makes meaningless (and boxes cannot hold); and a ring over
//! the pair budget is reported as not checked.
//!
//! geo's sweep (`geo::algorithm::sweep::Intersections`) was not used: it tests every pair
//! of segments whose *x* ranges overlap, which is quadratic for a tall, thin ring.

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    Coord, HasDimensions, Intersects, Line, LineString, MultiPolygon, Polygon, PreparedGeometry,
    Relate, RemoveRepeatedPoints,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{Envelope, RTree, AABB};

/// A bounding box with the index of what it bounds.
type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Pairs of segments with touching bounding boxes tested per segment of a ring, at most
/// (a boundary needs about 3).
pub(crate) const PAIRS_PER_SEGMENT: usize = 64;
/// Pairs tested in any ring on top of [`PAIRS_PER_SEGMENT`]: every pair of a ring of up to
/// about 1,400 segments.
pub(crate) const FREE_PAIRS: usize = 1 << 20;

/// Rings of up to this many segments are checked pair by pair, boxes first: for the rings of
/// boundary data (about 60 segments for an LSOA) several times quicker than building and
/// querying an R-tree, and far inside the pair budget, so the answer is the same.
const DIRECT_SEGMENTS: usize = 128;

/// What is wrong with a `MultiPolygon`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Problem {
    /// What geo's `Validation` reports (with its message).
    #[error(transparent)]
    Invalid(#[from] InvalidMultiPolygon),
    /// A ring with too many pairs of segments whose boxes touch to be checked for
    /// self-intersection in bounded time.
    #[error(
        "polygon at index {polygon} was not checked: its {ring} has more than {PAIRS_PER_SEGMENT} pairs of \
         segments with touching bounding boxes per segment (long spikes); simplify it to have it checked"
    )]
    Unchecked {
        /// 0-based index of the polygon in the `MultiPolygon`.
        polygon: usize,
        /// The ring.
        ring: RingRole,
    },
}

/// The first problem geo's `Validation::check_validation` reports for `mp`, or `None` if it
/// is valid (see the module docs for the two differences).
pub(crate) fn first_problem(mp: &MultiPolygon<f64>) -> Option<Problem> {
    let pairs = Pairs::new(mp.0.iter().map(polygon_extent));
    for (i, polygon) in mp.0.iter().enumerate() {
        match polygon_problem(polygon) {
            Ok(None) => {}
            Ok(Some(problem)) => {
                return Some(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), problem).into())
            }
            Err(ring) => return Some(Problem::Unchecked { polygon: i, ring }),
        }
        for j in pairs.later(i) {
            let im = polygon.relate(&mp.0[j]);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(
                    InvalidMultiPolygon::ElementsOverlaps(GeometryIndex(i), GeometryIndex(j))
                        .into(),
                );
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(
                    InvalidMultiPolygon::ElementsTouchOnALine(GeometryIndex(i), GeometryIndex(j))
                        .into(),
                );
            }
        }
    }
    None
}

/// The first problem of one polygon, in geo's order: each ring's point count,
/// self-intersection and coordinates, then each hole against the exterior and the later
/// holes; `Err` with the ring that has too many pairs to check.
fn polygon_problem(polygon: &Polygon<f64>) -> Result<Option<InvalidPolygon>, RingRole> {
    let problem = |p| Ok(Some(p));
    if polygon.is_empty() {
        return Ok(None);
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (r, ring) in rings.enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = ring_role(r);
        if ring.remove_repeated_points().0.len() < 4 {
            return problem(InvalidPolygon::TooFewPointsInRing(role));
        }
        if let Some(k) = ring.0.iter().position(|c| !finite(*c)) {
            return problem(InvalidPolygon::NonFiniteCoord(role, CoordIndex(k)));
        }
        match crosses_itself(ring) {
            Crossing::No => {}
            Crossing::Yes => return problem(InvalidPolygon::SelfIntersection(role)),
            Crossing::TooManyPairs => return Err(role),
        }
    }
    let holes = polygon.interiors();
    if holes.iter().all(|h| h.0.is_empty()) {
        return Ok(None);
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let exterior = PreparedGeometry::from(&exterior);
    let pairs = Pairs::new(holes.iter().map(|h| extent(h.0.iter())));
    for (h, hole) in holes.iter().enumerate() {
        if hole.0.is_empty() {
            continue;
        }
        let role = RingRole::Interior(h);
        let hole_polygon = Polygon::new(hole.clone(), vec![]);
        let prepared = PreparedGeometry::from(&hole_polygon);
        let im = exterior.relate(&prepared);
        if !im.is_contains() {
            return problem(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
        }
        if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return problem(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                role,
            ));
        }
        for g in pairs.later(h) {
            let other = RingRole::Interior(g);
            let im = prepared.relate(&Polygon::new(holes[g].clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return problem(InvalidPolygon::IntersectingRingsOnAnArea(role, other));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return problem(InvalidPolygon::IntersectingRingsOnALine(role, other));
            }
        }
    }
    Ok(None)
}

fn ring_role(r: usize) -> RingRole {
    match r.checked_sub(1) {
        None => RingRole::Exterior,
        Some(h) => RingRole::Interior(h),
    }
}

fn finite(c: Coord<f64>) -> bool {
    c.x.is_finite() && c.y.is_finite()
}

/// What [`crosses_itself`] found.
enum Crossing {
    No,
    Yes,
    /// More pairs of segments with touching boxes than the budget: not known.
    TooManyPairs,
}

/// geo's `linestring_has_self_intersection` for a ring of finite coordinates: two of its
/// segments meet, other than head to tail (one's start is the other's end). At most
/// [`PAIRS_PER_SEGMENT`] · n + [`FREE_PAIRS`] pairs are tested (every pair of a ring of up to
/// [`DIRECT_SEGMENTS`]).
fn crosses_itself(ring: &LineString<f64>) -> Crossing {
    let lines: Vec<_> = ring.lines().collect();
    if lines.len() <= DIRECT_SEGMENTS {
        let boxes: Vec<AABB<[f64; 2]>> = lines
            .iter()
            .map(|l| AABB::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]))
            .collect();
        for (i, (a, a_box)) in lines.iter().zip(&boxes).enumerate() {
            for (b, b_box) in lines[i + 1..].iter().zip(&boxes[i + 1..]) {
                if a_box.intersects(b_box) && meet(a, b) {
                    return Crossing::Yes;
                }
            }
        }
        return Crossing::No;
    }
    let tree = RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| GeomWithData::new(rectangle(l.start, l.end), i))
            .collect(),
    );
    let mut budget = PAIRS_PER_SEGMENT * lines.len() + FREE_PAIRS;
    for (i, a) in lines.iter().enumerate() {
        let touching = AABB::from_corners([a.start.x, a.start.y], [a.end.x, a.end.y]);
        for candidate in tree.locate_in_envelope_intersecting(&touching) {
            let Some(left) = budget.checked_sub(1) else {
                return Crossing::TooManyPairs;
            };
            budget = left;
            let (j, b) = (candidate.data, &lines[candidate.data]);
            if j > i && meet(a, b) {
                return Crossing::Yes;
            }
        }
    }
    Crossing::No
}

/// Two segments of a ring meet other than head to tail, by geo's test.
fn meet(a: &Line<f64>, b: &Line<f64>) -> bool {
    a.start != b.end && a.end != b.start && (a.intersects(b) || b.intersects(a))
}

fn rectangle(a: Coord<f64>, b: Coord<f64>) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([a.x, a.y], [b.x, b.y])
}

/// Where a polygon or ring lies, for pairing it with others.
#[derive(Clone, Copy)]
enum Extent {
    /// No coordinates: related to nothing (geo finds no error with an empty geometry).
    Empty,
    /// Within this box.
    Within(AABB<[f64; 2]>),
    /// A coordinate is not finite: paired with every other.
    Unbounded,
}

fn extent<'a>(coords: impl Iterator<Item = &'a Coord<f64>>) -> Extent {
    let mut extent = Extent::Empty;
    for &c in coords {
        if !finite(c) {
            return Extent::Unbounded;
        }
        let point = AABB::from_point([c.x, c.y]);
        extent = Extent::Within(match extent {
            Extent::Within(mut b) => {
                b.merge(&point);
                b
            }
            _ => point,
        });
    }
    extent
}

fn polygon_extent(p: &Polygon<f64>) -> Extent {
    extent(
        p.exterior()
            .0
            .iter()
            .chain(p.interiors().iter().flat_map(|r| &r.0)),
    )
}

/// For each of a list of extents, the later ones that may touch it.
struct Pairs {
    tree: RTree<Boxed>,
    extents: Vec<Extent>,
    /// The indices of the unbounded extents, in order.
    unbounded: Vec<usize>,
}

impl Pairs {
    fn new(extents: impl Iterator<Item = Extent>) -> Self {
        let extents: Vec<Extent> = extents.collect();
        let tree = RTree::bulk_load(
            extents
                .iter()
                .enumerate()
                .filter_map(|(i, e)| match e {
                    Extent::Within(b) => Some(GeomWithData::new(Rectangle::from_aabb(*b), i)),
                    _ => None,
                })
                .collect(),
        );
        let unbounded = (0..extents.len())
            .filter(|&i| matches!(extents[i], Extent::Unbounded))
            .collect();
        Self {
            tree,
            extents,
            unbounded,
        }
    }

    /// The items after `i` whose extents touch that of `i` (or are unbounded), in order.
    fn later(&self, i: usize) -> Vec<usize> {
        let mut later: Vec<usize> = match self.extents[i] {
            Extent::Empty => return Vec::new(),
            Extent::Unbounded => (i + 1..self.extents.len())
                .filter(|&j| !matches!(self.extents[j], Extent::Empty))
                .collect(),
            Extent::Within(b) => self
                .tree
                .locate_in_envelope_intersecting(&b)
                .map(|t| t.data)
                .chain(self.unbounded.iter().copied())
                .filter(|&j| j > i)
                .collect(),
        };
        later.sort_unstable();
        later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Validation};

    /// A xorshift stream: small random polygons without a dependency.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        /// A ring of 0 to 7 points on a 7 × 7 grid: every degenerate case comes up
        /// (repeated points, spikes, collinear overlaps, touching and crossing rings).
        fn ring(&mut self) -> LineString<f64> {
            let n = self.below(8);
            (0..n)
                .map(|_| (self.below(7) as f64, self.below(7) as f64))
                .collect::<Vec<_>>()
                .into()
        }

        fn multipolygon(&mut self) -> MultiPolygon<f64> {
            let parts = 1 + self.below(3);
            MultiPolygon(
                (0..parts)
                    .map(|_| {
                        let holes = self.below(3);
                        Polygon::new(self.ring(), (0..holes).map(|_| self.ring()).collect())
                    })
                    .collect(),
            )
        }
    }

    #[test]
    fn the_same_first_problem_as_geo() {
        let mut random = Random(0x5eed_cafe);
        let mut invalid = 0;
        for _ in 0..20_000 {
            let mp = random.multipolygon();
            // geo's relate asserts (in debug builds) that no geometry is a single point.
            if mp
                .0
                .iter()
                .any(|p| p.dimensions() == Dimensions::ZeroDimensional)
            {
                continue;
            }
            let want = mp.check_validation().err();
            invalid += usize::from(want.is_some());
            assert_eq!(first_problem(&mp), want.map(Problem::from), "{mp:?}");
        }
        // Both answers come up often.
        assert!((2_000..18_000).contains(&invalid), "{invalid}");
    }

    /// A star-shaped ring of `n` vertices (so simple), optionally with the vertices `k` and
    /// `k + 1` swapped, which makes a bow tie.
    fn star(n: usize, swap: Option<usize>) -> MultiPolygon<f64> {
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / n as f64;
                let r = 1000.0 * (1.0 + 0.02 * (300.0 * t).sin());
                Coord {
                    x: r * t.cos(),
                    y: r * t.sin(),
                }
            })
            .collect();
        if let Some(k) = swap {
            ring.swap(k, k + 1);
        }
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    }

    #[test]
    fn a_ring_of_200000_vertices_is_checked_whole() {
        let n = 200_000;
        assert_eq!(first_problem(&star(n, None)), None);
        // At the top of the last bump but one (300 t = 2π · 299.25).
        let k = n * 1197 / 1200;
        assert_eq!(
            first_problem(&star(n, Some(k))),
            Some(Problem::Invalid(InvalidMultiPolygon::InvalidPolygon(
                GeometryIndex(0),
                InvalidPolygon::SelfIntersection(RingRole::Exterior)
            )))
        );
    }

    #[test]
    fn a_ring_of_long_spikes_is_not_checked_rather_than_checked_for_ever() {
        // Spikes from near the centre: every box of a quadrant touches every other there,
        // so n² / 8 pairs (35 s for 100,000 vertices without the budget).
        let spikes = |n: usize| {
            let ring: Vec<Coord<f64>> = (0..n)
                .map(|k| {
                    let t = std::f64::consts::TAU * k as f64 / n as f64;
                    let r = if k % 2 == 0 { 1000.0 } else { 1.0 };
                    Coord {
                        x: r * t.cos(),
                        y: r * t.sin(),
                    }
                })
                .collect();
            MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
        };
        let problem = first_problem(&spikes(100_000));
        assert_eq!(
            problem,
            Some(Problem::Unchecked {
                polygon: 0,
                ring: RingRole::Exterior
            })
        );
        assert_eq!(
            problem.map(|p| p.to_string()).unwrap_or_default(),
            "polygon at index 0 was not checked: its exterior ring has more than 64 pairs of segments \
             with touching bounding boxes per segment (long spikes); simplify it to have it checked"
        );
        // A small one is checked in full, like geo.
        let small = spikes(1_000);
        assert_eq!(
            first_problem(&small),
            small.check_validation().err().map(Problem::from)
        );
    }

    #[test]
    fn far_apart_parts_and_holes_are_not_related_but_near_ones_are() {
        let square = |x: f64, y: f64, side: f64| -> LineString<f64> {
            vec![
                (x, y),
                (x + side, y),
                (x + side, y + side),
                (x, y + side),
                (x, y),
            ]
            .into()
        };
        // 100 islands in a row, the last two overlapping.
        let mut parts: Vec<Polygon<f64>> = (0..100)
            .map(|i| Polygon::new(square(f64::from(i) * 3.0, 0.0, 1.0), vec![]))
            .collect();
        parts.push(Polygon::new(square(297.5, 0.5, 1.0), vec![]));
        let mp = MultiPolygon(parts);
        assert_eq!(
            first_problem(&mp),
            Some(Problem::Invalid(InvalidMultiPolygon::ElementsOverlaps(
                GeometryIndex(99),
                GeometryIndex(100)
            )))
        );
        assert_eq!(
            first_problem(&mp),
            mp.check_validation().err().map(Problem::from)
        );
        // Holes: 50 apart, then two touching on a line.
        let mut holes: Vec<LineString<f64>> = (0..50)
            .map(|i| square(1.0 + f64::from(i) * 3.0, 1.0, 1.0))
            .collect();
        holes.push(square(149.0, 1.0, 1.0));
        let mp = MultiPolygon(vec![Polygon::new(square(0.0, 0.0, 200.0), holes)]);
        assert!(first_problem(&mp).is_some());
        assert_eq!(
            first_problem(&mp),
            mp.check_validation().err().map(Problem::from)
        );
    }

    #[test]
    fn a_non_finite_coordinate_is_reported_as_such() {
        let ring: LineString<f64> = vec![
            (0.0, 0.0),
            (2.0, 2.0),
            (f64::NAN, 0.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ]
        .into();
        let mp = MultiPolygon(vec![Polygon::new(ring, vec![])]);
        assert_eq!(
            first_problem(&mp),
            Some(Problem::Invalid(InvalidMultiPolygon::InvalidPolygon(
                GeometryIndex(0),
                InvalidPolygon::NonFiniteCoord(RingRole::Exterior, CoordIndex(2))
            )))
        );
    }
}
