//! A polygon prepared for many exact point-position queries.
//!
//! The polygon's envelope is cut into a grid of about [`CELLS_PER_EDGE`] cells per edge.
//! Every cell that no edge touches lies wholly inside or wholly outside the polygon, so a
//! point falling in it is answered by one byte load, without a ring test. For the other
//! cells the edges are bucketed by grid row: only the edges whose y-range overlaps the
//! point's row take part in the winding-number test, which is exactly the test geo's
//! `CoordinatePosition` runs on the whole polygon (same crossing rules, same robust
//! orientation predicate, same ring order), so both always give the same answer.

use geo::coordinate_position::CoordPos;
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, Polygon};

/// Target number of grid cells per polygon edge.
pub(crate) const CELLS_PER_EDGE: usize = 4;
/// Upper bound on grid cells per polygon.
const MAX_CELLS: usize = 1 << 16;
/// Upper bound on cells along one axis.
const MAX_SIDE: usize = 1024;

const OUTSIDE: u8 = 0;
const INSIDE: u8 = 1;
const BOUNDARY: u8 = 2;

/// One polygon (shell plus holes) prepared for repeated [`PreparedPolygon::position`] queries.
#[derive(Debug, Clone)]
pub(crate) struct PreparedPolygon {
    /// Lower-left corner of the envelope of all rings.
    min: Coord<f64>,
    /// Upper-right corner of the envelope of all rings.
    max: Coord<f64>,
    nx: usize,
    ny: usize,
    /// Cells per metre along x (0 for a zero-width envelope).
    inv_w: f64,
    /// Cells per metre along y (0 for a zero-height envelope).
    inv_h: f64,
    /// `OUTSIDE`, `INSIDE` or `BOUNDARY` per cell, row-major.
    cells: Box<[u8]>,
    /// All ring vertices, ring after ring (shell first); each ring closed.
    verts: Box<[Coord<f64>]>,
    /// `ring_starts[r]..ring_starts[r + 1]` are ring `r`'s vertices; edge `k` runs from
    /// `verts[k]` to `verts[k + 1]` for every `k` except the last vertex of a ring.
    ring_starts: Box<[u32]>,
    /// `row_edges[row_start[j]..row_start[j + 1]]`: ascending edge ids whose y-range meets row `j`.
    row_start: Box<[u32]>,
    row_edges: Box<[u32]>,
}

impl PreparedPolygon {
    /// Prepares `polygon`. Returns `None` if it has an empty shell or a non-finite coordinate
    /// (such a polygon contains no point).
    pub(crate) fn new(polygon: &Polygon<f64>) -> Option<Self> {
        if polygon.exterior().0.is_empty() {
            return None;
        }
        let mut verts = Vec::new();
        let mut ring_starts = vec![0u32];
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let pts = &ring.0;
            if pts.is_empty() {
                // An empty hole has no edges; keep the ring numbering as geo's.
                ring_starts.push(to_u32(verts.len()));
                continue;
            }
            verts.extend_from_slice(pts);
            if pts.len() == 1 {
                // A one-point ring is a zero-length edge: on-boundary exactly at the point.
                verts.push(pts[0]);
            }
            ring_starts.push(to_u32(verts.len()));
        }
        if verts.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
            return None;
        }
        let mut min = verts[0];
        let mut max = verts[0];
        for c in &verts {
            min.x = min.x.min(c.x);
            min.y = min.y.min(c.y);
            max.x = max.x.max(c.x);
            max.y = max.y.max(c.y);
        }
        let edges: Vec<u32> = (0..ring_starts.len() - 1)
            .flat_map(|r| ring_starts[r]..ring_starts[r + 1].saturating_sub(1).max(ring_starts[r]))
            .collect();

        let (nx, ny) = grid_shape(edges.len(), max.x - min.x, max.y - min.y);
        let w = max.x - min.x;
        let h = max.y - min.y;
        let inv_w = if w > 0.0 { nx as f64 / w } else { 0.0 };
        let inv_h = if h > 0.0 { ny as f64 / h } else { 0.0 };

        let mut prepared = PreparedPolygon {
            min,
            max,
            nx,
            ny,
            inv_w,
            inv_h,
            cells: Box::new([]),
            verts: verts.into_boxed_slice(),
            ring_starts: ring_starts.into_boxed_slice(),
            row_start: Box::new([]),
            row_edges: Box::new([]),
        };
        prepared.bucket_edges(&edges);
        prepared.classify_cells();
        Some(prepared)
    }

    /// Whether every point `p` with `lo <= p <= hi` is inside, every one outside, or neither
    /// (or that could not be decided from the grid). Exact for `Inside` and `Outside`.
    pub(crate) fn classify_rect(&self, lo: Coord<f64>, hi: Coord<f64>) -> RectClass {
        if hi.x < self.min.x || lo.x > self.max.x || hi.y < self.min.y || lo.y > self.max.y {
            return RectClass::Outside;
        }
        // Points of the rectangle outside the envelope are outside the polygon; the others
        // map to the cells between the corners' cells because the mappings are monotone.
        let within =
            self.min.x <= lo.x && hi.x <= self.max.x && self.min.y <= lo.y && hi.y <= self.max.y;
        let (c0, c1) = (
            self.col_of(lo.x.max(self.min.x)),
            self.col_of(hi.x.min(self.max.x)),
        );
        let (r0, r1) = (
            self.row_of(lo.y.max(self.min.y)),
            self.row_of(hi.y.min(self.max.y)),
        );
        let first = self.cells[r0 * self.nx + c0];
        if first == BOUNDARY || (first == INSIDE && !within) {
            return RectClass::Mixed;
        }
        for r in r0..=r1 {
            if self.cells[r * self.nx + c0..=r * self.nx + c1]
                .iter()
                .any(|&c| c != first)
            {
                return RectClass::Mixed;
            }
        }
        if first == INSIDE {
            RectClass::Inside
        } else {
            RectClass::Outside
        }
    }

    /// Lower-left and upper-right corners of the envelope.
    pub(crate) fn envelope(&self) -> (Coord<f64>, Coord<f64>) {
        (self.min, self.max)
    }

    /// Where `p` lies relative to the polygon; identical to geo's
    /// `Polygon::coordinate_position`.
    #[inline]
    pub(crate) fn position(&self, p: Coord<f64>) -> CoordPos {
        // `!(a <= b)` rather than `a > b` so that NaN is outside.
        if !(self.min.x <= p.x && p.x <= self.max.x && self.min.y <= p.y && p.y <= self.max.y) {
            return CoordPos::Outside;
        }
        let row = self.row_of(p.y);
        match self.cells[row * self.nx + self.col_of(p.x)] {
            INSIDE => CoordPos::Inside,
            OUTSIDE => CoordPos::Outside,
            _ => self.position_in_row(p, row),
        }
    }

    /// Grid row of `y`. Monotone in `y`, which is all the bucketing relies on.
    #[inline]
    fn row_of(&self, y: f64) -> usize {
        (((y - self.min.y) * self.inv_h) as usize).min(self.ny - 1)
    }

    /// Grid column of `x`. Monotone in `x`.
    #[inline]
    fn col_of(&self, x: f64) -> usize {
        (((x - self.min.x) * self.inv_w) as usize).min(self.nx - 1)
    }

    /// Puts every edge into the rows its y-range meets. An edge whose y-range holds `p.y`
    /// is in `p`'s row because [`Self::row_of`] is monotone; the others cannot change the
    /// winding number or touch `p`.
    fn bucket_edges(&mut self, edges: &[u32]) {
        let mut counts = vec![0u32; self.ny + 1];
        let rows = |k: u32| {
            let a = self.verts[k as usize];
            let b = self.verts[k as usize + 1];
            (self.row_of(a.y.min(b.y)), self.row_of(a.y.max(b.y)))
        };
        for &k in edges {
            let (r0, r1) = rows(k);
            for c in &mut counts[r0..=r1] {
                *c += 1;
            }
        }
        let mut row_start = vec![0u32; self.ny + 1];
        for j in 0..self.ny {
            row_start[j + 1] = row_start[j] + counts[j];
        }
        let mut fill = row_start.clone();
        let mut row_edges = vec![0u32; row_start[self.ny] as usize];
        // Edges are visited in ascending order, so each row's list is sorted, which keeps
        // each ring's edges together for `position_in_row`.
        for &k in edges {
            let (r0, r1) = rows(k);
            for slot in &mut fill[r0..=r1] {
                row_edges[*slot as usize] = k;
                *slot += 1;
            }
        }
        self.row_start = row_start.into_boxed_slice();
        self.row_edges = row_edges.into_boxed_slice();
    }

    /// Marks every cell an edge might touch as `BOUNDARY` (conservatively, with a margin that
    /// covers floating-point rounding in the clipping and in [`Self::col_of`]), then decides
    /// each remaining cell by its centre: no edge meets the cell, so every point that maps to
    /// it has the centre's position.
    fn classify_cells(&mut self) {
        let (nx, ny) = (self.nx, self.ny);
        let mut cells = vec![OUTSIDE; nx * ny];
        let scale = self
            .min
            .x
            .abs()
            .max(self.min.y.abs())
            .max(self.max.x.abs())
            .max(self.max.y.abs())
            .max(1.0);
        let cell_w = (self.max.x - self.min.x) / nx as f64;
        let cell_h = (self.max.y - self.min.y) / ny as f64;
        let margin = scale * 1e-10 + (cell_w + cell_h) * 1e-9;
        for j in 0..ny {
            let y_lo = self.min.y + j as f64 * cell_h - margin;
            let y_hi = self.min.y + (j + 1) as f64 * cell_h + margin;
            let (s, e) = (self.row_start[j] as usize, self.row_start[j + 1] as usize);
            for &k in &self.row_edges[s..e] {
                let a = self.verts[k as usize];
                let b = self.verts[k as usize + 1];
                let (x_lo, x_hi) = clip_x_range(a, b, y_lo, y_hi);
                if x_lo > x_hi {
                    continue;
                }
                let c0 = self.col_of(x_lo - margin);
                let c1 = self.col_of(x_hi + margin);
                for cell in &mut cells[j * nx + c0..=j * nx + c1] {
                    *cell = BOUNDARY;
                }
            }
        }
        for j in 0..ny {
            let cy = self.min.y + (j as f64 + 0.5) * cell_h;
            // Neighbouring untouched cells in a row form one edge-free rectangle, so they
            // share a position: decide the first of each run by its centre, copy the rest.
            let mut run: Option<u8> = None;
            for i in 0..nx {
                let idx = j * nx + i;
                if cells[idx] == BOUNDARY {
                    run = None;
                    continue;
                }
                let state = *run.get_or_insert_with(|| {
                    let centre = Coord {
                        x: self.min.x + (i as f64 + 0.5) * cell_w,
                        y: cy,
                    };
                    match self.position_in_row(centre, self.row_of(cy)) {
                        CoordPos::Inside => INSIDE,
                        CoordPos::Outside => OUTSIDE,
                        CoordPos::OnBoundary => BOUNDARY,
                    }
                });
                cells[idx] = state;
                if state == BOUNDARY {
                    run = None;
                }
            }
        }
        self.cells = cells.into_boxed_slice();
    }

    /// The exact test over the edges of `row`: per ring the winding-number test of geo's
    /// `coord_pos_relative_to_ring`, combined over shell and holes as geo's
    /// `Polygon::coordinate_position` does.
    fn position_in_row(&self, p: Coord<f64>, row: usize) -> CoordPos {
        let edges = &self.row_edges[self.row_start[row] as usize..self.row_start[row + 1] as usize];
        let mut k = 0;
        let mut ring = 0;
        // A ring with no edge in the row has winding number 0 at `p` and does not touch it.
        if edges.first().is_none_or(|&e| e >= self.ring_starts[1]) {
            return CoordPos::Outside;
        }
        loop {
            let ring_end = self.ring_starts[ring + 1];
            let mut winding = 0i32;
            while k < edges.len() && edges[k] < ring_end {
                let e = edges[k] as usize;
                let (a, b) = (self.verts[e], self.verts[e + 1]);
                match edge_crossing(a, b, p) {
                    Crossing::Boundary => return CoordPos::OnBoundary,
                    Crossing::Up => winding += 1,
                    Crossing::Down => winding -= 1,
                    Crossing::None => {}
                }
                k += 1;
            }
            if ring == 0 {
                if winding == 0 {
                    return CoordPos::Outside;
                }
            } else if winding != 0 {
                // Inside a hole.
                return CoordPos::Outside;
            }
            let Some(&next) = edges.get(k) else {
                return CoordPos::Inside;
            };
            while self.ring_starts[ring + 1] <= next {
                ring += 1;
            }
        }
    }
}

/// How a rectangle lies relative to a prepared polygon: see [`PreparedPolygon::classify_rect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RectClass {
    /// Every point of the rectangle is in the polygon's interior.
    Inside,
    /// No point of the rectangle is in the closed polygon.
    Outside,
    /// Possibly some of each, or on the boundary.
    Mixed,
}

/// What one edge contributes to the winding number at `p`.
enum Crossing {
    None,
    Up,
    Down,
    Boundary,
}

/// geo's edge-crossing rules: an upward edge includes its start and excludes its end, a
/// downward edge the reverse, horizontal edges count only for the on-boundary test, and
/// the crossing must be strictly right of `p`.
#[inline]
fn edge_crossing(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> Crossing {
    if a.y <= p.y {
        if b.y >= p.y {
            let o = RobustKernel::orient2d(a, b, p);
            if o == Orientation::CounterClockwise && b.y != p.y {
                return Crossing::Up;
            } else if o == Orientation::Collinear && between(p.x, a.x, b.x) {
                return Crossing::Boundary;
            }
        }
    } else if b.y <= p.y {
        let o = RobustKernel::orient2d(a, b, p);
        if o == Orientation::Clockwise {
            return Crossing::Down;
        } else if o == Orientation::Collinear && between(p.x, a.x, b.x) {
            return Crossing::Boundary;
        }
    }
    Crossing::None
}

#[inline]
fn between(v: f64, a: f64, b: f64) -> bool {
    if a < b {
        a <= v && v <= b
    } else {
        b <= v && v <= a
    }
}

/// The x-range of the part of segment `a`-`b` with `y_lo <= y <= y_hi` (empty: `lo > hi`).
fn clip_x_range(a: Coord<f64>, b: Coord<f64>, y_lo: f64, y_hi: f64) -> (f64, f64) {
    let (ymin, ymax) = (a.y.min(b.y), a.y.max(b.y));
    if ymax < y_lo || ymin > y_hi {
        return (f64::INFINITY, f64::NEG_INFINITY);
    }
    if a.y == b.y || (ymin >= y_lo && ymax <= y_hi) {
        return (a.x.min(b.x), a.x.max(b.x));
    }
    let at = |y: f64| {
        let t = ((y - a.y) / (b.y - a.y)).clamp(0.0, 1.0);
        a.x + t * (b.x - a.x)
    };
    let x0 = at(y_lo.max(ymin));
    let x1 = at(y_hi.min(ymax));
    (x0.min(x1), x0.max(x1))
}

/// Grid columns and rows for a polygon with `edges` edges: about [`CELLS_PER_EDGE`] cells per
/// edge, square-ish.
fn grid_shape(edges: usize, w: f64, h: f64) -> (usize, usize) {
    let cells = (edges * CELLS_PER_EDGE).clamp(1, MAX_CELLS);
    square_ish(cells, w, h, MAX_SIDE)
}

/// About `cells` cells over a `w` × `h` envelope, as square as possible, at most
/// `max_side` along each axis; a degenerate (zero-width or zero-height) envelope gets a
/// single row or column.
pub(crate) fn square_ish(cells: usize, w: f64, h: f64, max_side: usize) -> (usize, usize) {
    let cells = cells.max(1) as f64;
    if w <= 0.0 || h <= 0.0 {
        let n = (cells as usize).clamp(1, max_side);
        return if w > 0.0 {
            (n, 1)
        } else if h > 0.0 {
            (1, n)
        } else {
            (1, 1)
        };
    }
    let nx = ((cells * w / h).sqrt().round() as usize).clamp(1, max_side);
    let ny = ((cells / nx as f64).round() as usize).clamp(1, max_side);
    (nx, ny)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("polygon has more than u32::MAX vertices")
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coordinate_position::CoordinatePosition;
    use geo::{coord, polygon, LineString};

    /// A deterministic xorshift generator for test coordinates.
    fn rng(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed.max(1);
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn assert_matches_geo(poly: &Polygon<f64>, points: &[Coord<f64>]) {
        let prepared = PreparedPolygon::new(poly).unwrap();
        for p in points {
            assert_eq!(
                prepared.position(*p),
                poly.coordinate_position(p),
                "point {p:?} in {poly:?}"
            );
        }
    }

    /// Every vertex, every edge midpoint, and random points in and around the envelope.
    fn probe_points(poly: &Polygon<f64>, seed: u64, n: usize) -> Vec<Coord<f64>> {
        let mut pts = Vec::new();
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            pts.extend(ring.0.iter().copied());
            for w in ring.0.windows(2) {
                pts.push((w[0] + w[1]) / 2.0);
            }
        }
        let (lo, hi) = {
            let p = PreparedPolygon::new(poly).unwrap();
            p.envelope()
        };
        let mut r = rng(seed);
        for _ in 0..n {
            pts.push(coord! {
                x: lo.x - 1.0 + r() * (hi.x - lo.x + 2.0),
                y: lo.y - 1.0 + r() * (hi.y - lo.y + 2.0),
            });
        }
        pts
    }

    #[test]
    fn square_with_hole_matches_geo() {
        let poly = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]),
            vec![LineString::from(vec![
                (3.0, 3.0),
                (3.0, 6.0),
                (6.0, 6.0),
                (6.0, 3.0),
            ])],
        );
        let prepared = PreparedPolygon::new(&poly).unwrap();
        assert_eq!(
            prepared.position(coord! { x: 1.0, y: 1.0 }),
            CoordPos::Inside
        );
        assert_eq!(
            prepared.position(coord! { x: 4.0, y: 4.0 }),
            CoordPos::Outside
        );
        assert_eq!(
            prepared.position(coord! { x: 3.0, y: 4.0 }),
            CoordPos::OnBoundary
        );
        assert_eq!(
            prepared.position(coord! { x: 10.0, y: 10.0 }),
            CoordPos::OnBoundary
        );
        assert_eq!(
            prepared.position(coord! { x: 10.5, y: 1.0 }),
            CoordPos::Outside
        );
        assert_eq!(
            prepared.position(coord! { x: f64::NAN, y: 1.0 }),
            CoordPos::Outside
        );
        assert_matches_geo(&poly, &probe_points(&poly, 7, 5000));
        // A dense lattice hits grid-cell borders and edges exactly.
        let lattice: Vec<_> = (0..=80)
            .flat_map(|i| {
                (0..=80).map(move |j| coord! { x: f64::from(i) / 8.0, y: f64::from(j) / 8.0 })
            })
            .collect();
        assert_matches_geo(&poly, &lattice);
    }

    #[test]
    fn wiggly_star_polygons_match_geo() {
        // Star-shaped polygons with many vertices at irrational-ish coordinates, in BNG-sized
        // numbers, plus a hole, exercise the grid and the row buckets.
        for seed in 1..20u64 {
            let mut r = rng(seed);
            let n = 8 + (r() * 300.0) as usize;
            let (cx, cy) = (400_000.0 + r() * 1000.0, 300_000.0 + r() * 1000.0);
            let shell: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    let rad = 200.0 + r() * 300.0;
                    (cx + rad * a.cos(), cy + rad * a.sin())
                })
                .collect();
            let hole: Vec<(f64, f64)> = (0..12)
                .map(|i| {
                    let a = -f64::from(i) / 12.0 * std::f64::consts::TAU;
                    (cx + 50.0 * a.cos(), cy + 80.0 * a.sin())
                })
                .collect();
            let poly = Polygon::new(LineString::from(shell), vec![LineString::from(hole)]);
            assert_matches_geo(&poly, &probe_points(&poly, seed, 3000));
        }
    }

    #[test]
    fn degenerate_and_invalid_polygons_match_geo() {
        let cases = vec![
            // Bowtie (self-intersecting shell).
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)],
            // Zero-area sliver: all points on a line.
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 2.0)],
            // Horizontal and vertical degenerate envelopes.
            polygon![(x: 0.0, y: 1.0), (x: 5.0, y: 1.0)],
            polygon![(x: 1.0, y: 0.0), (x: 1.0, y: 5.0)],
            // Repeated vertices and a spike.
            polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0),
                     (x: 2.0, y: 4.0), (x: 2.0, y: 8.0), (x: 2.0, y: 4.0), (x: 0.0, y: 4.0)],
            // Clockwise shell.
            polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 3.0), (x: 3.0, y: 3.0), (x: 3.0, y: 0.0)],
        ];
        for poly in &cases {
            assert_matches_geo(poly, &probe_points(poly, 3, 2000));
        }
        // Hole outside the shell, overlapping holes.
        let poly = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]),
            vec![
                LineString::from(vec![(12.0, 2.0), (14.0, 2.0), (14.0, 4.0)]),
                LineString::from(vec![(2.0, 2.0), (6.0, 2.0), (6.0, 6.0), (2.0, 6.0)]),
                LineString::from(vec![(4.0, 4.0), (8.0, 4.0), (8.0, 8.0), (4.0, 8.0)]),
            ],
        );
        assert_matches_geo(&poly, &probe_points(&poly, 5, 4000));
        // One-point shell: on-boundary at the point only.
        let dot = Polygon::new(LineString::from(vec![(1.0, 1.0)]), vec![]);
        assert_matches_geo(
            &dot,
            &[coord! { x: 1.0, y: 1.0 }, coord! { x: 1.0, y: 1.5 }],
        );
    }

    #[test]
    fn empty_and_non_finite_polygons_are_not_prepared() {
        assert!(PreparedPolygon::new(&Polygon::new(LineString::new(vec![]), vec![])).is_none());
        let nan = polygon![(x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0)];
        assert!(PreparedPolygon::new(&nan).is_none());
    }

    #[test]
    fn grid_shape_follows_aspect() {
        assert_eq!(grid_shape(0, 1.0, 1.0), (1, 1));
        let (nx, ny) = grid_shape(100, 4.0, 1.0);
        assert!(nx > ny && nx * ny >= 300, "{nx} x {ny}");
        assert_eq!(grid_shape(10, 0.0, 0.0), (1, 1));
        assert_eq!(grid_shape(10, 3.0, 0.0), (40, 1));
    }
}
