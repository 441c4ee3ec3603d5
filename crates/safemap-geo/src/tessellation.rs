//! Whether a set of areas tiles the plane cleanly: [`check_tessellation`] finds the
//! **overlaps** between pairs of areas and the **gaps** (regions enclosed by the set but
//! covered by no area), the usual damage done by simplifying boundary files one polygon at
//! a time.
//!
//! # What is reported
//!
//! Areas are multipolygons in a planar CRS (British National Grid: metres, areas in m²),
//! valid in the OGC sense (simple rings, holes inside their exterior).
//!
//! - An [`Overlap`] is a pair of areas whose interiors intersect, with the area of the
//!   intersection.
//! - A [`Gap`] is a hole in the union of all areas: a bounded region covered by no area.
//!   The outside of the union is never a gap, so disjoint parts (islands, a study area
//!   made of separate pieces) are fine; a hole of an area that no other area fills is one.
//!
//! Both are ignored below `min_area` (and at zero area), so floating-point slivers along
//! boundaries that were stored with different vertices do not drown the real problems.
//!
//! # How it runs
//!
//! The check is built so that a clean tessellation whose neighbours share their vertices
//! (such as the geographr LSOA21 files, nearly everywhere) costs little more than reading
//! every edge once or twice; only the neighbourhood of a problem pays for polygon overlay.
//!
//! **Gaps.** Every ring is oriented (exteriors counter-clockwise, holes clockwise) and its
//! edges are sorted by their end points (in parallel). An edge stored once in each
//! direction by two different areas is interior to the union and cancels; what remains,
//! the *residual* edges, still has the union as the region of positive winding number
//! (cancelling an edge against its reverse does not change the winding number anywhere).
//! On clean data the residual edges are just the outer boundary of the set (the coast,
//! the study area's edge) and the boundaries of gaps. They are chained into closed walks
//! and handed to geo's `BooleanOps` (i_overlay) with the positive fill rule, which returns
//! the union; its holes of at least `min_area` are the gaps. i_overlay snaps to an integer
//! grid of about `extent / 2^30` (under a millimetre for England and Wales), so the areas
//! bordering a gap are those within `extent / 2^24` of its ring.
//!
//! **Overlaps.** An R-tree of area envelopes proposes the pairs whose envelopes overlap
//! with positive area. For each pair an exact filter tries to prove that the interiors are
//! disjoint: every contact between an edge of one and an edge of the other must be either
//! the same edge traversed in opposite directions or a common end point of both (checked
//! with robust orientation predicates over the edges inside both envelopes, swept along
//! x; the same sweep collects the common vertices and edges, as every one of them is the
//! end point of two edges whose boxes meet); then the boundary of each area, cut at the
//! vertices it shares with the other, falls into arcs that cannot meet the other's
//! boundary, so all the vertices of an arc lie on the same side of the other area: an arc
//! with a vertex outside the common envelope is outside, and otherwise one of its vertices
//! is located by the winding number of the other area's oriented edges along the ray to
//! its left. Pairs that pass cannot overlap. Pairs that fail (crossing or T-junction
//! boundaries, an arc inside the other area, an arc of one edge between two shared
//! vertices) get the exact intersection area from `BooleanOps`. Each area's oriented
//! edges are computed once, sorted by their least x, so a pair reads only those left of
//! the end of the common envelope. Pairs are processed in parallel with rayon.
//!
//! **Cost.** Linear in the vertices plus the candidate pairs (each pair reads the edges of
//! both areas up to the common envelope's right side, and walks both areas' rings), and
//! an overlay of the residual edges only. Measured in
//! release builds on a two-core machine busy with another workspace build (load 2.5 to
//! 4.5), so only the one-thread figures are steady and a second thread gained from
//! nothing to 40 %:
//!
//! - The LSOA11 set of England and Wales used by the national benchmark (34,753 areas,
//!   about 2.1 million vertices, 88,788 residual edges, 141,890 candidate pairs of which
//!   1,159 fall through to `BooleanOps`): 1.4 to 1.65 s on one thread, 0.85 to 1.45 s on
//!   two (before the pair filter read each area's edges once for all its pairs and took
//!   its shared vertices from the sweep: 1.8 to 2.0 s and 1.1 to 1.9 s). Of one thread's
//!   time, roughly 160 ms orient and sort the edges, 700 ms go to the pair filter (75 ms
//!   of it in `BooleanOps`), 320 ms to the edge sort and 120 ms to the overlay.
//! - The geographr LSOA21 set (35,672 areas, 421,310 vertices, 14,164 residual edges):
//!   0.38 to 0.41 s on one thread, 0.21 to 0.40 s on two (before: 0.38 to 0.47 s and
//!   0.38 s).
//! - Plymouth's 164 LSOA21s: about 1 ms either way.
//!
//! **What the real data show.** Plymouth's geographr LSOA21 set, reprojected to British
//! National Grid, is clean even at `min_area = 0`. The national set is not quite: a
//! handful of neighbours do not share their vertices, and their boundaries, stored to
//! 1e-7° (about a centimetre), leave slivers: 7 overlaps (6.0 m² in all) and 8 gaps
//! (4.0 m²) at `min_area = 0`, of which 3 overlaps (1.3 to 1.7 m²) and one gap (1.5 m²)
//! reach 1 m². The same pairs show slivers of other sizes when checked in WGS84
//! degrees, as the projection bends long edges by about the coordinates' precision. The
//! LSOA11 set (94 of its areas invalid by geo's validation, self-intersecting rings
//! among them) has no overlap and two gaps at `min_area = 10` m²: 7,563 m² inside
//! E01026076 alone and 176,006 m² among E01031617, E01031618, E01031632, E01031635,
//! E01031642 and E01031687, unchanged by the faster filter.
//!
//! Results are sorted (overlaps by pair, gaps by the areas they touch, then area, then
//! point), so they are identical for any number of threads. Vertices must be finite: an
//! area with a non-finite vertex is treated as empty.

use std::borrow::Borrow;
use std::collections::HashMap;

use geo::bool_ops::{FillRule, OpType};
use geo::winding_order::{Winding, WindingOrder};
use geo::{
    Area, BooleanOps, Coord, CoordsIter, Distance, Euclidean, LineString, MultiPolygon, Polygon,
};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::point_on_surface;
use crate::weights::contiguity::{in_box, orient, segments_intersect, sweep, Bbox, Edge};

/// Two areas whose interiors overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Index of the first area in the input slice (`a < b`).
    pub a: usize,
    /// Index of the second area in the input slice.
    pub b: usize,
    /// Area of the intersection, in the squared units of the coordinates (m² in British
    /// National Grid).
    pub area: f64,
}

/// A hole in the union of the areas: enclosed by them, covered by none.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// Area of the gap, in the squared units of the coordinates.
    pub area: f64,
    /// Sorted indices of the areas whose boundary borders the gap (a common point
    /// suffices).
    pub touching: Vec<usize>,
    /// A point inside the gap (its [`point_on_surface()`]), to find it on a map.
    pub point: Coord<f64>,
}

/// The result of [`check_tessellation`]. Clean when both lists are empty
/// ([`TessellationReport::is_clean`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TessellationReport {
    /// Overlapping pairs of at least `min_area`, sorted by `(a, b)`.
    pub overlaps: Vec<Overlap>,
    /// Gaps of at least `min_area`, sorted by `touching`, then area, then point.
    pub gaps: Vec<Gap>,
    /// Sum of the reported overlaps' areas.
    pub overlap_area: f64,
    /// Sum of the reported gaps' areas.
    pub gap_area: f64,
}

impl TessellationReport {
    /// No overlap and no gap was reported.
    pub fn is_clean(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty()
    }
}

/// Checks that `polygons` tile their union without overlaps or gaps. Overlaps and gaps
/// with an area below `min_area` (in the squared units of the coordinates: m² in British
/// National Grid), or of zero area, are not reported; a `min_area` of 1 m² ignores the
/// floating-point slivers of boundaries stored with different vertices. See the
/// [module docs](self) for the definitions and the algorithm.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use safemap_geo::tessellation::check_tessellation;
///
/// let square = |x: f64, y: f64, size: f64| {
///     MultiPolygon::new(vec![polygon![
///         (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
///     ]])
/// };
/// // Two 100 m squares side by side, and a third overlapping the second by 10 m x 100 m.
/// let areas = [square(0.0, 0.0, 100.0), square(100.0, 0.0, 100.0), square(190.0, 0.0, 100.0)];
/// let report = check_tessellation(&areas, 1.0);
/// assert_eq!(report.overlaps.len(), 1);
/// assert_eq!((report.overlaps[0].a, report.overlaps[0].b), (1, 2));
/// assert!((report.overlap_area - 1000.0).abs() < 1e-6);
/// assert!(report.gaps.is_empty());
/// ```
pub fn check_tessellation<P: Borrow<MultiPolygon<f64>> + Sync>(
    polygons: &[P],
    min_area: f64,
) -> TessellationReport {
    let boxes: Vec<Option<Bbox>> = polygons
        .par_iter()
        .map(|mp| {
            let mp = mp.borrow();
            if mp.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite()) {
                Bbox::of_coords(mp.coords_iter())
            } else {
                None
            }
        })
        .collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let b = (*b)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b.xmin, b.ymin], [b.xmax, b.ymax]),
                    i,
                ))
            })
            .collect(),
    );

    let areas: Vec<Oriented> = polygons
        .par_iter()
        .zip(&boxes)
        .map(|(mp, b)| Oriented::new(mp.borrow(), b.is_some()))
        .collect();

    let mut overlaps = find_overlaps(&areas, &boxes, &tree, min_area);
    overlaps.sort_by_key(|o| (o.a, o.b));
    let mut gaps = find_gaps(&areas, &tree, min_area);
    gaps.sort_by(|g, h| {
        g.touching
            .cmp(&h.touching)
            .then(g.area.total_cmp(&h.area))
            .then(g.point.x.total_cmp(&h.point.x))
            .then(g.point.y.total_cmp(&h.point.y))
    });
    TessellationReport {
        overlap_area: overlaps.iter().fold(0.0, |sum, o| sum + o.area),
        gap_area: gaps.iter().fold(0.0, |sum, g| sum + g.area),
        overlaps,
        gaps,
    }
}

/// Whether an area of `area` is reported.
fn reported(area: f64, min_area: f64) -> bool {
    area > 0.0 && area >= min_area
}

/// An area with its oriented edges.
struct Oriented<'a> {
    polygons: &'a MultiPolygon<f64>,
    /// The edges of every ring with area, oriented (exterior counter-clockwise, holes
    /// clockwise), zero-length edges left out, sorted by `bbox.xmin`; none for an area left
    /// out (empty or non-finite).
    edges: Vec<Edge>,
}

impl<'a> Oriented<'a> {
    fn new(polygons: &'a MultiPolygon<f64>, included: bool) -> Self {
        let mut edges: Vec<Edge> = if included {
            polygons
                .iter()
                .flat_map(|p| {
                    let holes = p.interiors().iter().map(|r| (r, WindingOrder::Clockwise));
                    std::iter::once((p.exterior(), WindingOrder::CounterClockwise)).chain(holes)
                })
                .filter_map(|(ring, want)| Some((ring, ring.winding_order()? != want)))
                .flat_map(|(ring, reverse)| {
                    ring.0.windows(2).filter(|w| w[0] != w[1]).map(move |w| {
                        let (a, b) = if reverse { (w[1], w[0]) } else { (w[0], w[1]) };
                        Edge {
                            bbox: Bbox::of_segment(a, b),
                            a,
                            b,
                        }
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        edges.sort_unstable_by(|e, f| e.bbox.xmin.total_cmp(&f.bbox.xmin));
        Self { polygons, edges }
    }

    /// The winding number of the oriented edges around `p` (the number of parts covering
    /// it, for a valid area), or `None` when `p` lies on an edge. Counted along the ray to
    /// the left of `p`, so only the edges starting left of it are read.
    fn winding_number(&self, p: Coord<f64>) -> Option<i64> {
        let end = self.edges.partition_point(|e| e.bbox.xmin <= p.x);
        let mut winding = 0;
        for e in &self.edges[..end] {
            if e.bbox.ymin > p.y || e.bbox.ymax < p.y {
                continue;
            }
            let side = orient(e.a, e.b, p);
            if side == 0 && in_box(e.a, e.b, p) {
                return None;
            }
            // Downward edges crossing the ray left of p wind around it counter-clockwise.
            if e.b.y <= p.y && p.y < e.a.y && side > 0 {
                winding += 1;
            } else if e.a.y <= p.y && p.y < e.b.y && side < 0 {
                winding -= 1;
            }
        }
        Some(winding)
    }

    /// The oriented edges whose boxes meet `window`, by `bbox.xmin`.
    fn edges_meeting(&self, window: Bbox) -> impl Iterator<Item = Edge> + '_ {
        let end = self.edges.partition_point(|e| e.bbox.xmin <= window.xmax);
        self.edges[..end]
            .iter()
            .filter(move |e| e.bbox.intersects(&window))
            .copied()
    }
}

/// A coordinate's identity for exact matching (`-0.0` and `0.0` are one point).
fn key(c: Coord<f64>) -> (u64, u64) {
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// The identity of an undirected edge.
fn edge_key(p: Coord<f64>, q: Coord<f64>) -> [u64; 4] {
    let (kp, kq) = (key(p), key(q));
    let (lo, hi) = if kp <= kq { (kp, kq) } else { (kq, kp) };
    [lo.0, lo.1, hi.0, hi.1]
}

// ---------------------------------------------------------------------------------------
// Gaps.

/// The holes of at least `min_area` in the union of the areas.
fn find_gaps(
    areas: &[Oriented],
    tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    min_area: f64,
) -> Vec<Gap> {
    let residual = residual_edges(areas);
    let Some(extent) = Bbox::of_coords(residual.iter().map(|e| e.0)) else {
        return Vec::new();
    };
    let walks: Vec<Polygon<f64>> = closed_walks(&residual)
        .into_iter()
        .map(|walk| Polygon::new(LineString::new(walk), Vec::new()))
        .collect();
    let union = MultiPolygon::new(walks).boolean_op_with_fill_rule(
        &MultiPolygon::<f64>::new(Vec::new()),
        OpType::Union,
        FillRule::Positive,
    );
    let tolerance = (extent.xmax - extent.xmin).max(extent.ymax - extent.ymin) / f64::from(1 << 24);
    union
        .iter()
        .flat_map(Polygon::interiors)
        .filter_map(|ring| {
            let hole = Polygon::new(ring.clone(), Vec::new());
            let area = hole.unsigned_area();
            if !reported(area, min_area) {
                return None;
            }
            let b = Bbox::of_coords(ring.0.iter().copied())?;
            let mut touching: Vec<usize> = tree
                .locate_in_envelope_intersecting(&AABB::from_corners(
                    [b.xmin - tolerance, b.ymin - tolerance],
                    [b.xmax + tolerance, b.ymax + tolerance],
                ))
                .map(|g| g.data)
                .filter(|&i| Euclidean.distance(ring, areas[i].polygons) <= tolerance)
                .collect();
            touching.sort_unstable();
            let point = point_on_surface(&MultiPolygon::new(vec![hole]))?.0;
            Some(Gap {
                area,
                touching,
                point,
            })
        })
        .collect()
}

/// An oriented edge of area `owner`, keyed by its undirected identity (`forward` when it
/// runs from the lower end of the key to the higher).
struct OwnedEdge {
    key: [u64; 4],
    owner: usize,
    forward: bool,
}

impl OwnedEdge {
    /// The edge's start and end.
    fn ends(&self) -> (Coord<f64>, Coord<f64>) {
        let [x0, y0, x1, y1] = self.key.map(f64::from_bits);
        let (lo, hi) = (Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 });
        if self.forward {
            (lo, hi)
        } else {
            (hi, lo)
        }
    }
}

/// The oriented edges left after cancelling every edge that exactly two different areas
/// store, once in each direction.
fn residual_edges(areas: &[Oriented]) -> Vec<(Coord<f64>, Coord<f64>)> {
    let mut edges: Vec<OwnedEdge> = areas
        .par_iter()
        .enumerate()
        .flat_map_iter(|(owner, area)| {
            area.edges.iter().map(move |e| {
                let key = edge_key(e.a, e.b);
                OwnedEdge {
                    key,
                    owner,
                    forward: (key[0], key[1]) == self::key(e.a),
                }
            })
        })
        .collect();
    edges.par_sort_unstable_by(|e, f| {
        e.key
            .cmp(&f.key)
            .then(e.owner.cmp(&f.owner))
            .then(e.forward.cmp(&f.forward))
    });
    edges
        .chunk_by(|e, f| e.key == f.key)
        .filter(|group| !matches!(group, [e, f] if e.owner != f.owner && e.forward != f.forward))
        .flatten()
        .map(OwnedEdge::ends)
        .collect()
}

/// Splits oriented edges, in which every point is the start of as many edges as it is the
/// end of, into closed walks (first point not repeated).
fn closed_walks(edges: &[(Coord<f64>, Coord<f64>)]) -> Vec<Vec<Coord<f64>>> {
    let mut leaving: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate().rev() {
        leaving.entry(key(e.0)).or_default().push(i);
    }
    let mut used = vec![false; edges.len()];
    let mut walks = Vec::new();
    for first in 0..edges.len() {
        if used[first] {
            continue;
        }
        used[first] = true;
        let start = key(edges[first].0);
        let mut walk = vec![edges[first].0];
        let mut at = edges[first].1;
        while key(at) != start {
            walk.push(at);
            let next = leaving
                .get_mut(&key(at))
                .and_then(|out| std::iter::from_fn(|| out.pop()).find(|&i| !used[i]));
            // Unreachable for balanced edges; stop the walk rather than loop.
            let Some(next) = next else { break };
            used[next] = true;
            at = edges[next].1;
        }
        walks.push(walk);
    }
    walks
}

// ---------------------------------------------------------------------------------------
// Overlaps.

/// Per-thread buffers for the pair filter.
#[derive(Default)]
struct Scratch {
    left: Vec<Edge>,
    right: Vec<Edge>,
    /// The vertices the two areas share, and the edges they share (undirected), sorted.
    vertices: Vec<(u64, u64)>,
    undirected: Vec<[u64; 4]>,
}

/// Every overlapping pair of at least `min_area`, in no particular order.
fn find_overlaps(
    areas: &[Oriented],
    boxes: &[Option<Bbox>],
    tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    min_area: f64,
) -> Vec<Overlap> {
    (0..areas.len())
        .into_par_iter()
        .map_init(Scratch::default, |scratch, a| {
            let Some(ba) = boxes[a] else {
                return Vec::new();
            };
            tree.locate_in_envelope_intersecting(&AABB::from_corners(
                [ba.xmin, ba.ymin],
                [ba.xmax, ba.ymax],
            ))
            .filter_map(|g| {
                let b = g.data;
                if b <= a {
                    return None;
                }
                let window = common_window(ba, boxes[b]?)?;
                if disjoint_interiors(&areas[a], &areas[b], window, scratch) {
                    return None;
                }
                let area = areas[a]
                    .polygons
                    .intersection(areas[b].polygons)
                    .unsigned_area();
                reported(area, min_area).then_some(Overlap { a, b, area })
            })
            .collect::<Vec<_>>()
        })
        .flatten()
        .collect()
}

/// The intersection of two boxes when it has positive area.
fn common_window(a: Bbox, b: Bbox) -> Option<Bbox> {
    let w = Bbox {
        xmin: a.xmin.max(b.xmin),
        ymin: a.ymin.max(b.ymin),
        xmax: a.xmax.min(b.xmax),
        ymax: a.ymax.min(b.ymax),
    };
    (w.xmin < w.xmax && w.ymin < w.ymax).then_some(w)
}

/// A proof that the interiors of `a` and `b` are disjoint (see the module docs); `false`
/// when it fails, whether or not they overlap. `window` is the common part of their boxes.
fn disjoint_interiors(a: &Oriented, b: &Oriented, window: Bbox, scratch: &mut Scratch) -> bool {
    scratch.left.clear();
    scratch.left.extend(a.edges_meeting(window));
    scratch.right.clear();
    scratch.right.extend(b.edges_meeting(window));
    scratch.vertices.clear();
    scratch.undirected.clear();
    // Every common vertex and common edge is an end point of two edges whose boxes meet,
    // so the sweep sees them all.
    let (vertices, undirected) = (&mut scratch.vertices, &mut scratch.undirected);
    if sweep(
        &mut scratch.left,
        &mut scratch.right,
        |e, f| match allowed_contact(e, f) {
            Contact::None => false,
            Contact::Vertex(p) => {
                vertices.push(key(p));
                false
            }
            Contact::Edge => {
                vertices.extend([key(e.a), key(e.b)]);
                undirected.push(edge_key(e.a, e.b));
                false
            }
            Contact::Forbidden => true,
        },
    ) {
        return false;
    }
    scratch.vertices.sort_unstable();
    scratch.vertices.dedup();
    scratch.undirected.sort_unstable();
    arcs_outside(a.polygons, b, window, scratch) && arcs_outside(b.polygons, a, window, scratch)
}

/// How an edge of one area meets an edge of the other.
enum Contact {
    /// Not at all.
    None,
    /// At a common end point only, the other ends off the other segment.
    Vertex(Coord<f64>),
    /// They are one edge traversed both ways.
    Edge,
    /// In any other way, which a tessellation does not allow.
    Forbidden,
}

/// How an edge of one area and an edge of the other meet: a tessellation allows not at
/// all, at a common end point, or as one edge traversed both ways.
fn allowed_contact(e: &Edge, f: &Edge) -> Contact {
    if e.a == f.b && e.b == f.a {
        return Contact::Edge;
    }
    if !segments_intersect(e.a, e.b, f.a, f.b) {
        return Contact::None;
    }
    // They meet: only their common end point may be shared, with the other ends off the
    // other segment (which also rules out the same edge traversed the same way).
    let on = |p: Coord<f64>, s: &Edge| orient(s.a, s.b, p) == 0 && in_box(s.a, s.b, p);
    let (shared, other_e, other_f) = if e.a == f.a {
        (e.a, e.b, f.b)
    } else if e.a == f.b {
        (e.a, e.b, f.a)
    } else if e.b == f.a {
        (e.b, e.a, f.b)
    } else if e.b == f.b {
        (e.b, e.a, f.a)
    } else {
        return Contact::Forbidden;
    };
    if on(other_e, f) || on(other_f, e) {
        Contact::Forbidden
    } else {
        Contact::Vertex(shared)
    }
}

/// Given that the boundaries of `inner` and `outer` meet only at common vertices and along
/// common edges (`allowed_contact`), whether every arc of `inner`'s boundary between the
/// vertices it shares with `outer` lies outside `outer`. `scratch` holds the common
/// vertices and edges.
fn arcs_outside(
    inner: &MultiPolygon<f64>,
    outer: &Oriented,
    window: Bbox,
    scratch: &Scratch,
) -> bool {
    let in_window = |p: Coord<f64>| Bbox::of_segment(p, p).intersects(&window);
    let outside = |p: Coord<f64>| !in_window(p) || outer.winding_number(p) == Some(0);
    let shared = |p: Coord<f64>| in_window(p) && scratch.vertices.binary_search(&key(p)).is_ok();
    inner.iter().flat_map(Polygon::rings).all(|ring| {
        let coords = &ring.0[..ring.0.len().saturating_sub(1)];
        let Some(start) = coords.iter().position(|&p| shared(p)) else {
            // No contact at all: the ring lies wholly inside or outside, and any vertex
            // shows which; one outside the window is outside `outer` at no cost.
            return coords.iter().any(|&p| !in_window(p))
                || coords.first().is_none_or(|&p| outside(p));
        };
        let n = coords.len();
        // The first vertex of the current arc, and whether one of its vertices left the
        // window (so the whole arc lies outside `outer`).
        let (mut probe, mut escaped) = (None, false);
        let after = |i: usize| if i + 1 == n { 0 } else { i + 1 };
        (start..n).chain(0..start).all(|i| {
            let (p, q) = (coords[i], coords[after(i)]);
            if p == q
                || (Bbox::of_segment(p, q).intersects(&window)
                    && scratch.undirected.binary_search(&edge_key(p, q)).is_ok())
            {
                return true;
            }
            if !shared(q) {
                probe = probe.or(Some(q));
                escaped |= !in_window(q);
                return true;
            }
            // An arc ends at q: it needs a vertex of its own to be located.
            let located = std::mem::take(&mut escaped) || probe.is_some_and(outside);
            probe = None;
            located
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)
        ]])
    }

    /// A `cols` x `rows` grid of 100 m squares, row by row, leaving out `skip`.
    fn grid(cols: u32, rows: u32, skip: &[u32]) -> Vec<MultiPolygon<f64>> {
        (0..cols * rows)
            .filter(|k| !skip.contains(k))
            .map(|k| {
                let (x, y) = (f64::from(k % cols) * 100.0, f64::from(k / cols) * 100.0);
                rect(x, y, x + 100.0, y + 100.0)
            })
            .collect()
    }

    #[test]
    fn clean_grid() {
        let report = check_tessellation(&grid(3, 3, &[]), 0.0);
        assert!(report.is_clean(), "{report:?}");
        assert_eq!((report.overlap_area, report.gap_area), (0.0, 0.0));
    }

    #[test]
    fn clean_grid_with_reversed_rings_and_no_shared_vertices() {
        // Clockwise exteriors, and a neighbour whose common edge has an extra vertex: no
        // overlap or gap, whatever the filter decides.
        let mut cells = grid(2, 1, &[]);
        cells[0] = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 0.0, y: 100.0), (x: 100.0, y: 100.0),
            (x: 100.0, y: 50.0), (x: 100.0, y: 0.0)
        ]]);
        let report = check_tessellation(&cells, 0.0);
        assert!(report.is_clean(), "{report:?}");
    }

    #[test]
    fn overlapping_rectangles() {
        // 100 x 100 at the origin; 100 x 100 shifted by (70, 40): overlap 30 x 60.
        let cells = [
            rect(0.0, 0.0, 100.0, 100.0),
            rect(500.0, 0.0, 600.0, 100.0),
            rect(70.0, 40.0, 170.0, 140.0),
        ];
        let report = check_tessellation(&cells, 1.0);
        assert_eq!(report.overlaps.len(), 1, "{report:?}");
        let o = &report.overlaps[0];
        assert_eq!((o.a, o.b), (0, 2));
        assert!((o.area - 1800.0).abs() < 1e-6, "{o:?}");
        assert!((report.overlap_area - 1800.0).abs() < 1e-6);
        assert!(report.gaps.is_empty(), "{report:?}");
    }

    #[test]
    fn nested_and_duplicated_areas_overlap() {
        // A square inside another without boundary contact, and an exact duplicate: the
        // edge filter sees no crossing in either case.
        let cells = [
            rect(0.0, 0.0, 100.0, 100.0),
            rect(20.0, 20.0, 30.0, 30.0),
            rect(200.0, 0.0, 300.0, 100.0),
            rect(200.0, 0.0, 300.0, 100.0),
        ];
        let report = check_tessellation(&cells, 0.0);
        let pairs: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b)).collect();
        assert_eq!(pairs, [(0, 1), (2, 3)], "{report:?}");
        assert!((report.overlaps[0].area - 100.0).abs() < 1e-6, "{report:?}");
        assert!(
            (report.overlaps[1].area - 10_000.0).abs() < 1e-6,
            "{report:?}"
        );
    }

    /// The overlapping pairs of every pair of `cells`, intersected by `BooleanOps`.
    fn brute_force_overlaps(cells: &[MultiPolygon<f64>]) -> Vec<(usize, usize)> {
        (0..cells.len())
            .flat_map(|a| (a + 1..cells.len()).map(move |b| (a, b)))
            .filter(|&(a, b)| cells[a].intersection(&cells[b]).unsigned_area() > 0.0)
            .collect()
    }

    #[test]
    fn touching_at_a_vertex_with_an_arc_inside() {
        // A triangle whose only contact with the square is the square's corner, the rest
        // of it inside: the contact is allowed, the probe of its arc is not outside.
        let triangle = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 50.0, y: 10.0), (x: 10.0, y: 50.0)
        ]]);
        let cells = [rect(0.0, 0.0, 100.0, 100.0), triangle];
        let report = check_tessellation(&cells, 0.0);
        assert_eq!(report.overlaps.len(), 1, "{report:?}");
        assert!((report.overlap_area - 1200.0).abs() < 1e-6, "{report:?}");
    }

    /// A 300 m square with a 100 m square hole in its middle.
    fn holed_square() -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (300.0, 0.0), (300.0, 300.0), (0.0, 300.0)]),
            vec![LineString::from(vec![
                (100.0, 100.0),
                (200.0, 100.0),
                (200.0, 200.0),
                (100.0, 200.0),
            ])],
        )])
    }

    #[test]
    fn nested_in_a_hole_or_in_a_second_part() {
        // An area inside another's hole does not overlap it; one inside the second part of
        // a multipolygon does (the ray to the left crosses the first part twice).
        let holed = holed_square();
        let two_parts = MultiPolygon::new(vec![
            polygon![(x: 500.0, y: 0.0), (x: 600.0, y: 0.0), (x: 600.0, y: 100.0), (x: 500.0, y: 100.0)],
            polygon![(x: 700.0, y: 0.0), (x: 800.0, y: 0.0), (x: 800.0, y: 100.0), (x: 700.0, y: 100.0)],
        ]);
        let cells = [
            holed,
            rect(120.0, 120.0, 180.0, 180.0),
            two_parts,
            rect(720.0, 20.0, 730.0, 30.0),
        ];
        let report = check_tessellation(&cells, 0.0);
        let pairs: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b)).collect();
        assert_eq!(pairs, [(2, 3)], "{report:?}");
        assert_eq!(pairs, brute_force_overlaps(&cells));
    }

    #[test]
    fn two_layers_whose_inner_edges_all_cancel() {
        // A 200 m square cut in two halves twice, vertically (left, right) and horizontally
        // (bottom, top), each layer closed by its own frame whose hole matches its cut. Every
        // edge of the four halves cancels, yet each half covers two others: only the
        // frames' duplicated outer edges are residual. The filter must still fail the pairs.
        let frame = |hole: Vec<(f64, f64)>| {
            MultiPolygon::new(vec![Polygon::new(
                LineString::from(vec![
                    (-100.0, -100.0),
                    (300.0, -100.0),
                    (300.0, 300.0),
                    (-100.0, 300.0),
                ]),
                vec![LineString::from(hole)],
            )])
        };
        let cells = [
            rect(0.0, 0.0, 100.0, 200.0),
            rect(100.0, 0.0, 200.0, 200.0),
            frame(vec![
                (0.0, 0.0),
                (100.0, 0.0),
                (200.0, 0.0),
                (200.0, 200.0),
                (100.0, 200.0),
                (0.0, 200.0),
            ]),
            rect(0.0, 0.0, 200.0, 100.0),
            rect(0.0, 100.0, 200.0, 200.0),
            frame(vec![
                (0.0, 0.0),
                (200.0, 0.0),
                (200.0, 100.0),
                (200.0, 200.0),
                (0.0, 200.0),
                (0.0, 100.0),
            ]),
        ];
        let report = check_tessellation(&cells, 0.0);
        let pairs: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b)).collect();
        assert_eq!(
            pairs,
            [(0, 3), (0, 4), (1, 3), (1, 4), (2, 5)],
            "{report:?}"
        );
        assert_eq!(pairs, brute_force_overlaps(&cells));
        assert!(report.gaps.is_empty(), "{report:?}");
    }

    #[test]
    fn ring_around_an_empty_centre() {
        let report = check_tessellation(&grid(3, 3, &[4]), 1.0);
        assert!(report.overlaps.is_empty(), "{report:?}");
        assert_eq!(report.gaps.len(), 1, "{report:?}");
        let gap = &report.gaps[0];
        assert!((gap.area - 10_000.0).abs() < 1e-6, "{gap:?}");
        assert_eq!(gap.touching, (0..8).collect::<Vec<_>>());
        assert!(gap.point.x > 100.0 && gap.point.x < 200.0, "{gap:?}");
        assert!(gap.point.y > 100.0 && gap.point.y < 200.0, "{gap:?}");
        assert!((report.gap_area - 10_000.0).abs() < 1e-6);
    }

    #[test]
    fn outer_boundary_and_islands_are_not_gaps() {
        let mut cells = grid(2, 2, &[3]);
        cells.push(rect(1000.0, 1000.0, 1100.0, 1100.0));
        let report = check_tessellation(&cells, 0.0);
        assert!(report.is_clean(), "{report:?}");
    }

    #[test]
    fn unfilled_hole_is_a_gap_and_a_filled_one_is_not() {
        let holed = holed_square();
        let report = check_tessellation(std::slice::from_ref(&holed), 0.0);
        assert_eq!(report.gaps.len(), 1, "{report:?}");
        assert_eq!(report.gaps[0].touching, [0]);
        let filled = [holed, rect(100.0, 100.0, 200.0, 200.0)];
        assert!(check_tessellation(&filled, 0.0).is_clean());
    }

    #[test]
    fn slivers_below_min_area_are_ignored() {
        // The right column pulled 0.001 m into the left one (0.1 m² overlap), and the top
        // right cell 0.001 m short of its left neighbour (a 0.1 m² gap enclosed by the
        // rest: a fourth row closes it).
        let mut cells = grid(2, 3, &[]);
        cells[1] = rect(99.999, 0.0, 200.0, 100.0);
        cells[3] = rect(100.001, 100.0, 200.0, 200.0);
        let noisy = check_tessellation(&cells, 0.0);
        assert_eq!(noisy.overlaps.len(), 1, "{noisy:?}");
        assert_eq!((noisy.overlaps[0].a, noisy.overlaps[0].b), (0, 1));
        assert_eq!(noisy.gaps.len(), 1, "{noisy:?}");
        assert_eq!(noisy.gaps[0].touching, [0, 1, 2, 3, 4, 5]);
        assert!((noisy.gaps[0].area - 0.1).abs() < 1e-3, "{noisy:?}");
        assert!(check_tessellation(&cells, 1.0).is_clean());
    }

    /// A 20 x 20 grid of 100 m squares: every third interior one shrunk by 10 m on each
    /// side (a gap around it), every seventh one 10 m wider (overlapping its neighbour).
    fn damaged_grid() -> Vec<MultiPolygon<f64>> {
        (0..400u32)
            .map(|k| {
                let (col, row) = (k % 20, k / 20);
                let (x, y) = (f64::from(col) * 100.0, f64::from(row) * 100.0);
                let interior = (1..19).contains(&col) && (1..19).contains(&row);
                if interior && k % 3 == 0 {
                    rect(x + 10.0, y + 10.0, x + 90.0, y + 90.0)
                } else if k % 7 == 0 {
                    rect(x, y, x + 110.0, y + 100.0)
                } else {
                    rect(x, y, x + 100.0, y + 100.0)
                }
            })
            .collect()
    }

    #[test]
    fn damaged_grid_agrees_with_geo_unary_union() {
        let cells = damaged_grid();
        let report = check_tessellation(&cells, 1.0);
        // Holes of geo's union of all cells, computed independently.
        let union = geo::unary_union(&cells);
        let mut holes: Vec<f64> = union
            .iter()
            .flat_map(Polygon::interiors)
            .map(|r| Polygon::new(r.clone(), Vec::new()).unsigned_area())
            .collect();
        let mut gaps: Vec<f64> = report.gaps.iter().map(|g| g.area).collect();
        holes.sort_by(f64::total_cmp);
        gaps.sort_by(f64::total_cmp);
        assert!(!gaps.is_empty());
        assert_eq!(gaps.len(), holes.len());
        for (g, h) in gaps.iter().zip(&holes) {
            assert!((g - h).abs() < 1e-6, "{g} {h}");
        }
        // Overlaps: the widened cells whose right neighbour is in the same row, less the
        // part a shrunk neighbour leaves free.
        let sum: f64 = cells.iter().map(Area::unsigned_area).sum();
        let union_area = union.unsigned_area();
        assert!((sum - report.overlap_area - union_area).abs() < 1e-6);
        for o in &report.overlaps {
            assert_eq!(o.b, o.a + 1, "{o:?}");
            assert_eq!(o.a % 7, 0, "{o:?}");
        }
    }

    #[test]
    fn same_result_for_any_thread_count() {
        let cells = damaged_grid();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| check_tessellation(&cells, 1.0))
        };
        let one = run(1);
        assert!(!one.overlaps.is_empty() && !one.gaps.is_empty());
        assert_eq!(one, run(4));
    }
}
