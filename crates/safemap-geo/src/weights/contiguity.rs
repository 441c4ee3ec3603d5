//! Queen and rook contiguity from polygons, found by testing edges against edges: no vertex
//! matching, so neighbours whose common boundary carries different vertices are found.
//!
//! # The rules
//!
//! Areas are multipolygons in a planar CRS; `t` is [`ContiguityParams::tolerance`] in its
//! units (metres in British National Grid). Two different areas `A` and `B` are
//!
//! - **queen** neighbours when a boundary edge of `A` and one of `B` intersect (touch,
//!   cross or overlap: one common point suffices), or, for `t > 0`, come within distance
//!   `t` of each other; or when a polygon part of one lies inside a part of the other
//!   without any boundary contact (overlapping or nested areas). With `t = 0` this is
//!   exactly the closed-set predicate `A intersects B` (shapely/GEOS `intersects`, libpysal
//!   `fuzzy_contiguity(tolerance=0, buffering=False)`), decided in exact arithmetic on the
//!   stored `f64` values with robust orientation predicates.
//! - **rook** neighbours when an edge of `A` and an edge of `B` are collinear and overlap
//!   along a positive length (exactly, with robust predicates), or, for `t > 0`, when an edge
//!   of `A` and an edge of `B` run within distance `t` of each other along a common stretch
//!   longer than `2 t` (measured along the longer edge). A common point alone, such as the
//!   corner where four areas meet, is queen-only: two edges meeting at an angle `θ` run
//!   within `t` of each other for `t / tan θ`, which exceeds `2 t` only below about 27°.
//!   Nested areas with no boundary contact are not rook neighbours.
//!
//! Rook contiguity is a subset of queen contiguity for the same tolerance. Both are
//! symmetric, and an area is never its own neighbour.
//!
//! # Choosing the tolerance
//!
//! The default is `0.0`: exact intersection. Polygons that share their vertices (a clean
//! topology such as PySAL's Columbus, or the geographr LSOA21 set) need nothing more: queen
//! with `t = 0` then equals libpysal's vertex-matching `Queen` and rook its `Rook` (checked
//! on Columbus). Polygons whose common boundaries were generalised separately (the
//! UK-GeoJSON LSOA11 set) touch where their boundary lines cross, and intersection finds
//! them: on Plymouth in WGS84, `t = 0` reproduces shapely `intersects` exactly (406 pairs).
//! Reprojected to British National Grid (rounded to the millimetre by
//! [`crate::reproject`]), `t = 0` finds those 406 plus 25 corner contacts that miss by
//! less than a micrometre in WGS84 and that the rounding closes; tolerances from 1 mm to
//! 0.5 m add nothing more there. Near-misses of the size of the coordinates' precision can
//! go either way, so a tolerance of about that size (a few millimetres in British
//! National Grid) makes the answer insensitive to it. A tolerance of metres joins areas
//! separated by genuine gaps: say so in the study.
//!
//! # How it runs
//!
//! An R-tree of area envelopes (inflated by `t`) proposes candidate pairs; for each pair
//! the edges of either area that can reach the other's envelope are swept along x and
//! tested pairwise, stopping at the first contact. Pairs without contact fall back to a
//! point-in-polygon test of each polygon part's first vertex, only when the part's
//! envelope lies inside the other area's. Areas are processed in parallel with rayon; the
//! result does not depend on the number of threads. The 34,753 LSOAs of England and Wales
//! (2 million vertices) take about half a second on two cores.

use std::fmt;

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, CoordsIter, Intersects, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use safemap_types::Weights;

use super::{check_count, from_pairs, WeightsBuildError};

/// Which contact makes two areas neighbours. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Contiguity {
    /// Any common boundary point (or overlap, or a gap within the tolerance).
    Queen,
    /// A common boundary stretch of positive length (within the tolerance).
    Rook,
}

impl Contiguity {
    /// Stable lowercase name for manifests: `queen` or `rook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queen => "queen",
            Self::Rook => "rook",
        }
    }
}

impl fmt::Display for Contiguity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parameters for [`contiguity_weights`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContiguityParams {
    contiguity: Contiguity,
    tolerance: f64,
}

impl ContiguityParams {
    /// `contiguity` with tolerance `0.0` (exact intersection).
    pub fn new(contiguity: Contiguity) -> Self {
        Self {
            contiguity,
            tolerance: 0.0,
        }
    }

    /// The largest gap between two boundaries still counted as contact, in the polygons'
    /// units (metres in British National Grid); default `0.0`. Must be finite and `>= 0`
    /// (checked by [`contiguity_weights`]). See the [module docs](self) for how to choose it.
    #[must_use]
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Queen or rook.
    pub fn contiguity(&self) -> Contiguity {
        self.contiguity
    }

    /// The tolerance.
    pub fn tolerance_value(&self) -> f64 {
        self.tolerance
    }
}

/// Binary contiguity weights of `polygons` (area `i` = `polygons[i]`). See the
/// [module docs](self) for the rules.
///
/// Empty multipolygons are islands. Fails on a non-finite vertex (naming the lowest such
/// area), a negative or non-finite tolerance, or more than `u32::MAX` areas.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use safemap_geo::weights::{contiguity_weights, Contiguity, ContiguityParams};
///
/// let square = |x: f64, y: f64| {
///     MultiPolygon::new(vec![polygon![
///         (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)
///     ]])
/// };
/// // 0 1      2 touches 1 at a corner only; 3 is far away.
/// //   2  3
/// let areas = [square(0.0, 1.0), square(1.0, 1.0), square(2.0, 0.0), square(9.0, 0.0)];
/// let queen = contiguity_weights(&areas, &ContiguityParams::new(Contiguity::Queen))?;
/// assert_eq!(queen.neighbours(1), &[0, 2]);
/// assert_eq!(queen.islands(), vec![3]);
/// let rook = contiguity_weights(&areas, &ContiguityParams::new(Contiguity::Rook))?;
/// assert_eq!(rook.neighbours(1), &[0]);
/// assert_eq!(rook.islands(), vec![2, 3]);
/// # Ok::<(), safemap_geo::weights::WeightsBuildError>(())
/// ```
pub fn contiguity_weights(
    polygons: &[MultiPolygon<f64>],
    params: &ContiguityParams,
) -> Result<Weights, WeightsBuildError> {
    let tol = params.tolerance;
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(WeightsBuildError::BadTolerance { tolerance: tol });
    }
    check_count(polygons.len())?;

    let summaries: Vec<Result<AreaSummary, Coord<f64>>> =
        polygons.par_iter().map(AreaSummary::new).collect();
    let mut areas = Vec::with_capacity(polygons.len());
    for (area, s) in summaries.into_iter().enumerate() {
        match s {
            Ok(s) => areas.push(s),
            Err(c) => {
                return Err(WeightsBuildError::NonFiniteVertex {
                    area,
                    x: c.x,
                    y: c.y,
                })
            }
        }
    }

    let tree = RTree::bulk_load(
        areas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let b = a.bbox?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b.xmin, b.ymin], [b.xmax, b.ymax]),
                    i as u32,
                ))
            })
            .collect(),
    );

    let ctx = Context {
        polygons,
        areas: &areas,
        kind: params.contiguity,
        tol,
    };
    let pairs: Vec<Vec<u32>> = (0..polygons.len())
        .into_par_iter()
        .map_init(Scratch::default, |scratch, i| {
            let Some(b) = areas[i].bbox else {
                return Vec::new();
            };
            let env = b.inflate(tol);
            let mut candidates: Vec<u32> = tree
                .locate_in_envelope_intersecting(&AABB::from_corners(
                    [env.xmin, env.ymin],
                    [env.xmax, env.ymax],
                ))
                .map(|g| g.data)
                .filter(|&j| j as usize > i)
                .collect();
            candidates.sort_unstable();
            candidates.retain(|&j| ctx.adjacent(i, j as usize, scratch));
            candidates
        })
        .collect();
    from_pairs(polygons.len(), &pairs)
}

/// An axis-aligned box; `xmin <= xmax`, `ymin <= ymax`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bbox {
    pub(crate) xmin: f64,
    pub(crate) ymin: f64,
    pub(crate) xmax: f64,
    pub(crate) ymax: f64,
}

impl Bbox {
    pub(crate) fn of_segment(a: Coord<f64>, b: Coord<f64>) -> Self {
        Self {
            xmin: a.x.min(b.x),
            ymin: a.y.min(b.y),
            xmax: a.x.max(b.x),
            ymax: a.y.max(b.y),
        }
    }

    pub(crate) fn of_coords(mut coords: impl Iterator<Item = Coord<f64>>) -> Option<Self> {
        let first = coords.next()?;
        let mut b = Self::of_segment(first, first);
        for c in coords {
            b.xmin = b.xmin.min(c.x);
            b.ymin = b.ymin.min(c.y);
            b.xmax = b.xmax.max(c.x);
            b.ymax = b.ymax.max(c.y);
        }
        Some(b)
    }

    fn inflate(self, d: f64) -> Self {
        Self {
            xmin: self.xmin - d,
            ymin: self.ymin - d,
            xmax: self.xmax + d,
            ymax: self.ymax + d,
        }
    }

    /// Closed boxes share a point.
    pub(crate) fn intersects(&self, o: &Self) -> bool {
        self.xmin <= o.xmax && o.xmin <= self.xmax && self.ymin <= o.ymax && o.ymin <= self.ymax
    }

    fn contains(&self, o: &Self) -> bool {
        self.xmin <= o.xmin && o.xmax <= self.xmax && self.ymin <= o.ymin && o.ymax <= self.ymax
    }
}

/// What the pair tests need of one area beyond its polygons.
struct AreaSummary {
    /// Envelope of every vertex; `None` for an empty area.
    bbox: Option<Bbox>,
    /// Per polygon part with an exterior ring: its envelope and first vertex.
    parts: Vec<(Bbox, Coord<f64>)>,
}

impl AreaSummary {
    /// The summary, or the first non-finite vertex.
    fn new(mp: &MultiPolygon<f64>) -> Result<Self, Coord<f64>> {
        if let Some(c) = mp
            .coords_iter()
            .find(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(c);
        }
        let parts: Vec<(Bbox, Coord<f64>)> =
            mp.0.iter()
                .filter_map(|p| {
                    let ext = p.exterior();
                    Some((Bbox::of_coords(ext.0.iter().copied())?, ext.0[0]))
                })
                .collect();
        Ok(Self {
            bbox: Bbox::of_coords(mp.coords_iter()),
            parts,
        })
    }
}

/// An edge with its envelope (inflated by the tolerance on one side of a pair test).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub(crate) bbox: Bbox,
    pub(crate) a: Coord<f64>,
    pub(crate) b: Coord<f64>,
}

/// Per-thread buffers for the pair tests.
#[derive(Default)]
struct Scratch {
    left: Vec<Edge>,
    right: Vec<Edge>,
}

struct Context<'a> {
    polygons: &'a [MultiPolygon<f64>],
    areas: &'a [AreaSummary],
    kind: Contiguity,
    tol: f64,
}

/// Every edge (consecutive vertex pair of every ring) of a multipolygon.
fn edges(mp: &MultiPolygon<f64>) -> impl Iterator<Item = (Coord<f64>, Coord<f64>)> + '_ {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| ring.0.windows(2).map(|w| (w[0], w[1])))
}

impl Context<'_> {
    /// Whether areas `i` and `j` (both non-empty) are neighbours.
    fn adjacent(&self, i: usize, j: usize, scratch: &mut Scratch) -> bool {
        let (Some(bi), Some(bj)) = (self.areas[i].bbox, self.areas[j].bbox) else {
            return false;
        };
        let tol = self.tol;
        // Left edges are inflated by the tolerance, so a box test against a right edge
        // passes whenever the two edges may come within `tol`.
        scratch.left.clear();
        scratch
            .left
            .extend(edges(&self.polygons[i]).filter_map(|(a, b)| {
                let bbox = Bbox::of_segment(a, b).inflate(tol);
                bbox.intersects(&bj).then_some(Edge { bbox, a, b })
            }));
        if scratch.left.is_empty() {
            return self.kind == Contiguity::Queen && self.nested(i, j);
        }
        let reach_i = bi.inflate(tol);
        scratch.right.clear();
        scratch
            .right
            .extend(edges(&self.polygons[j]).filter_map(|(a, b)| {
                let bbox = Bbox::of_segment(a, b);
                bbox.intersects(&reach_i).then_some(Edge { bbox, a, b })
            }));
        let contact = match self.kind {
            Contiguity::Queen => sweep(&mut scratch.left, &mut scratch.right, |e, f| {
                queen_contact(e, f, tol)
            }),
            Contiguity::Rook => sweep(&mut scratch.left, &mut scratch.right, |e, f| {
                rook_contact(e, f, tol)
            }),
        };
        contact || (self.kind == Contiguity::Queen && self.nested(i, j))
    }

    /// Whether a polygon part of one area lies inside the other (called only when no
    /// boundaries meet, so a part's first vertex decides for the whole part).
    fn nested(&self, i: usize, j: usize) -> bool {
        self.part_inside(i, j) || self.part_inside(j, i)
    }

    fn part_inside(&self, inner: usize, outer: usize) -> bool {
        let Some(outer_box) = self.areas[outer].bbox else {
            return false;
        };
        self.areas[inner]
            .parts
            .iter()
            .any(|(b, first)| outer_box.contains(b) && self.polygons[outer].intersects(first))
    }
}

/// Whether some pair `(e, f)`, `e` from `left` and `f` from `right`, whose boxes overlap
/// satisfies `test`: sorts both by `xmin` and scans each box against the boxes of the other
/// list that start within its x-extent (each overlapping pair is tested once).
pub(crate) fn sweep(
    left: &mut [Edge],
    right: &mut [Edge],
    mut test: impl FnMut(&Edge, &Edge) -> bool,
) -> bool {
    let by_xmin = |e: &Edge, f: &Edge| e.bbox.xmin.total_cmp(&f.bbox.xmin);
    left.sort_unstable_by(by_xmin);
    right.sort_unstable_by(by_xmin);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if left[i].bbox.xmin <= right[j].bbox.xmin {
            let e = &left[i];
            for f in &right[j..] {
                if f.bbox.xmin > e.bbox.xmax {
                    break;
                }
                if f.bbox.ymin <= e.bbox.ymax && e.bbox.ymin <= f.bbox.ymax && test(e, f) {
                    return true;
                }
            }
            i += 1;
        } else {
            let f = &right[j];
            for e in &left[i..] {
                if e.bbox.xmin > f.bbox.xmax {
                    break;
                }
                if f.bbox.ymin <= e.bbox.ymax && e.bbox.ymin <= f.bbox.ymax && test(e, f) {
                    return true;
                }
            }
            j += 1;
        }
    }
    false
}

/// The sign of the exact orientation of `c` relative to the line `a -> b`.
#[inline]
pub(crate) fn orient(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> i8 {
    match RobustKernel::orient2d(a, b, c) {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

/// `p` lies in the closed box of `a`, `b` (used for points known to be collinear with them).
#[inline]
pub(crate) fn in_box(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    a.x.min(b.x) <= p.x && p.x <= a.x.max(b.x) && a.y.min(b.y) <= p.y && p.y <= a.y.max(b.y)
}

/// Whether closed segments `ab` and `cd` share a point, exactly.
pub(crate) fn segments_intersect(
    a: Coord<f64>,
    b: Coord<f64>,
    c: Coord<f64>,
    d: Coord<f64>,
) -> bool {
    let d1 = orient(c, d, a);
    let d2 = orient(c, d, b);
    let d3 = orient(a, b, c);
    let d4 = orient(a, b, d);
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && in_box(c, d, a))
        || (d2 == 0 && in_box(c, d, b))
        || (d3 == 0 && in_box(a, b, c))
        || (d4 == 0 && in_box(a, b, d))
}

/// Squared distance from `p` to the closed segment `ab`.
fn point_segment_distance_2(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len_2 = dx * dx + dy * dy;
    let s = if len_2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len_2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + s * dx - p.x, a.y + s * dy - p.y);
    ex * ex + ey * ey
}

fn queen_contact(e: &Edge, f: &Edge, tol: f64) -> bool {
    if segments_intersect(e.a, e.b, f.a, f.b) {
        return true;
    }
    if tol > 0.0 {
        let t2 = tol * tol;
        return point_segment_distance_2(e.a, f.a, f.b) <= t2
            || point_segment_distance_2(e.b, f.a, f.b) <= t2
            || point_segment_distance_2(f.a, e.a, e.b) <= t2
            || point_segment_distance_2(f.b, e.a, e.b) <= t2;
    }
    false
}

fn rook_contact(e: &Edge, f: &Edge, tol: f64) -> bool {
    collinear_overlap(e.a, e.b, f.a, f.b) || (tol > 0.0 && near_stretch(e, f, tol) > 2.0 * tol)
}

/// Whether `ab` and `cd` are exactly collinear and overlap along a positive length.
fn collinear_overlap(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> bool {
    if a == b || c == d || orient(a, b, c) != 0 || orient(a, b, d) != 0 {
        return false;
    }
    // Collinear: compare the projections on the dominant axis of `ab`.
    let (p, q, r, s) = if (b.x - a.x).abs() >= (b.y - a.y).abs() {
        (a.x, b.x, c.x, d.x)
    } else {
        (a.y, b.y, c.y, d.y)
    };
    p.max(q).min(r.max(s)) > p.min(q).max(r.min(s))
}

/// The length, along the longer of the two edges, of the stretch over which the other edge
/// lies alongside it (projects onto it) within perpendicular distance `tol`.
fn near_stretch(e: &Edge, f: &Edge, tol: f64) -> f64 {
    let len = |a: Coord<f64>, b: Coord<f64>| (b.x - a.x).hypot(b.y - a.y);
    let (le, lf) = (len(e.a, e.b), len(f.a, f.b));
    let ((a, b, l), (c, d)) = if le >= lf {
        ((e.a, e.b, le), (f.a, f.b))
    } else {
        ((f.a, f.b, lf), (e.a, e.b))
    };
    if l == 0.0 {
        return 0.0;
    }
    let (ux, uy) = ((b.x - a.x) / l, (b.y - a.y) / l);
    // Position along `ab` (s) and signed offset from its line (h) of the other edge's ends.
    let along = |p: Coord<f64>| (p.x - a.x) * ux + (p.y - a.y) * uy;
    let offset = |p: Coord<f64>| ux * (p.y - a.y) - uy * (p.x - a.x);
    let (mut sc, mut hc, mut sd, mut hd) = (along(c), offset(c), along(d), offset(d));
    if sc > sd {
        std::mem::swap(&mut sc, &mut sd);
        std::mem::swap(&mut hc, &mut hd);
    }
    let (mut lo, mut hi) = (sc.max(0.0), sd.min(l));
    if hi <= lo {
        return 0.0;
    }
    // h(s) = hc + m (s - sc) is linear; keep where |h(s)| <= tol.
    let m = (hd - hc) / (sd - sc);
    if m == 0.0 {
        if hc.abs() > tol {
            return 0.0;
        }
    } else {
        let (s1, s2) = (sc + (-tol - hc) / m, sc + (tol - hc) / m);
        lo = lo.max(s1.min(s2));
        hi = hi.min(s1.max(s2));
    }
    (hi - lo).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn edge(a: Coord<f64>, b: Coord<f64>) -> Edge {
        Edge {
            bbox: Bbox::of_segment(a, b),
            a,
            b,
        }
    }

    #[test]
    fn exact_segment_intersection() {
        let o = coord! { x: 0.0, y: 0.0 };
        let x = coord! { x: 2.0, y: 0.0 };
        assert!(segments_intersect(
            o,
            x,
            coord! { x: 1.0, y: -1.0 },
            coord! { x: 1.0, y: 1.0 }
        ));
        // T-junction: an endpoint on the other segment's interior.
        assert!(segments_intersect(
            o,
            x,
            coord! { x: 1.0, y: 0.0 },
            coord! { x: 1.0, y: 1.0 }
        ));
        // Collinear, overlapping and touching at an end; collinear and apart.
        assert!(segments_intersect(
            o,
            x,
            coord! { x: 1.5, y: 0.0 },
            coord! { x: 3.0, y: 0.0 }
        ));
        assert!(segments_intersect(o, x, x, coord! { x: 3.0, y: 0.0 }));
        assert!(!segments_intersect(
            o,
            x,
            coord! { x: 2.5, y: 0.0 },
            coord! { x: 3.0, y: 0.0 }
        ));
        // Just above: no contact.
        let above = coord! { x: 1.0, y: 1e-300 };
        assert!(!segments_intersect(o, x, above, coord! { x: 1.0, y: 1.0 }));
        // Degenerate segment (a point) on the other.
        let p = coord! { x: 0.5, y: 0.0 };
        assert!(segments_intersect(o, x, p, p));
    }

    #[test]
    fn rook_stretch() {
        let e = edge(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 0.0 });
        // Parallel 0.01 above, overlapping 4..12: stretch 6.
        let f = edge(coord! { x: 4.0, y: 0.01 }, coord! { x: 12.0, y: 0.01 });
        assert!((near_stretch(&e, &f, 0.05) - 6.0).abs() < 1e-9);
        assert_eq!(near_stretch(&e, &f, 0.005), 0.0);
        // Perpendicular corner: no stretch.
        let g = edge(coord! { x: 10.0, y: 0.0 }, coord! { x: 10.0, y: 5.0 });
        assert_eq!(near_stretch(&e, &g, 0.5), 0.0);
        assert!(!rook_contact(&e, &g, 0.5));
        // 45 degrees back over e from its end: stretch t / tan 45 = t.
        let h = edge(coord! { x: 10.0, y: 0.0 }, coord! { x: 7.0, y: 3.0 });
        assert!((near_stretch(&e, &h, 0.5) - 0.5).abs() < 1e-9);
        assert!(!rook_contact(&e, &h, 0.5));
        assert!(rook_contact(&e, &f, 0.05));
        // Exact collinear overlap counts at tolerance 0; touching end to end does not.
        let c = edge(coord! { x: 9.0, y: 0.0 }, coord! { x: 11.0, y: 0.0 });
        assert!(rook_contact(&e, &c, 0.0));
        let t = edge(coord! { x: 10.0, y: 0.0 }, coord! { x: 11.0, y: 0.0 });
        assert!(!rook_contact(&e, &t, 0.0));
    }
}
