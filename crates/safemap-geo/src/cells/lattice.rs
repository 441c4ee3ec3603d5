//! [`Lattice`]: the infinite square or hexagonal tessellation of the plane, anchored at the
//! origin of the coordinate system, with its [`CellShape`], [`CellId`]s; the size is a
//! [`Metres`] (see [`CellShape`]).

use std::fmt;

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, LineString, Polygon};

use safemap_types::Metres;

use super::CellsError;

/// The shape of the cells of a grid.
///
/// | shape | size `a` | cell area | centre spacing |
/// |---|---|---|---|
/// | `Square` | side | `a²` | `a` (rook neighbours), `a·√2` (diagonal) |
/// | `Hexagon` (pointy-top) | flat-to-flat width `w`; side `s = w/√3` | `(√3/2)·w² = (3√3/2)·s²` | `w` (all six neighbours) |
///
/// In both shapes the size is the distance between the centres of two cells sharing an edge,
/// so a distance band of just over one size gives each cell its edge neighbours.
///
/// ArcGIS Pro's *Generate Tessellation* takes the cell **area** `A` instead:
/// [`CellShape::size_for_area`] converts, with `a = √A` for squares and `w = √(2A/√3)` for
/// hexagons (so ArcGIS's 1 km² hexagon has `w ≈ 1074.57 m`, `s ≈ 620.40 m`).
///
/// ```
/// use safemap_geo::cells::CellShape;
///
/// let w = CellShape::Hexagon.size_for_area(1.0e6).unwrap().get();
/// assert!((w - 1074.570_9).abs() < 1e-3);
/// assert!(CellShape::Square.size_for_area(0.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellShape {
    /// Axis-aligned squares; cell `(col, row)` is `[col·a, (col+1)·a) × [row·a, (row+1)·a)`.
    Square,
    /// Pointy-top regular hexagons (two vertical edges, a vertex at the top and bottom),
    /// in rows along x; cell `(q, r)` (axial coordinates) is centred at
    /// `(w·(q + r/2), 1.5·s·r)` with `s = w/√3`.
    Hexagon,
}

impl CellShape {
    /// Stable snake_case name for manifests and outputs: `square` or `hexagon`.
    pub fn as_str(self) -> &'static str {
        match self {
            CellShape::Square => "square",
            CellShape::Hexagon => "hexagon",
        }
    }

    /// The size whose cells have area `square_metres` (ArcGIS *Generate Tessellation*'s
    /// parameter): `√A` for squares, `√(2A/√3)` for hexagons.
    pub fn size_for_area(self, square_metres: f64) -> Result<Metres, CellsError> {
        let size = match self {
            CellShape::Square => square_metres.sqrt(),
            CellShape::Hexagon => (2.0 * square_metres / 3f64.sqrt()).sqrt(),
        };
        Metres::new(size).map_err(|_| CellsError::BadArea(square_metres))
    }
}

impl fmt::Display for CellShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cell's position in its lattice: stable across studies that use the same shape and
/// size, because every lattice is anchored at the coordinate origin.
///
/// - [`CellShape::Square`]: `col = ⌊x/a⌋`, `row = ⌊y/a⌋` (up to the exact edge rule of
///   [`Lattice::cell_of`]).
/// - [`CellShape::Hexagon`]: axial coordinates, `col = q`, `row = r`; rows run along x and
///   `r` grows northwards, the centre is `(w·(q + r/2), 1.5·s·r)`.
///
/// Ids order by row (south to north), then column (west to east).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellId {
    /// Column (square) or axial `q` (hexagon).
    pub col: i32,
    /// Row (square) or axial `r` (hexagon); grows northwards.
    pub row: i32,
}

impl Ord for CellId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.row, self.col).cmp(&(other.row, other.col))
    }
}

impl PartialOrd for CellId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for CellId {
    /// `c{col}_r{row}`, e.g. `c-3_r17`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}_r{}", self.col, self.row)
    }
}

/// Hexagon vertices relative to the centre, in units of `(w/2, s/2)`, counter-clockwise
/// from the bottom vertex.
const HEX_DX: [i64; 6] = [0, 1, 1, 0, -1, -1];
const HEX_DY: [i64; 6] = [-2, -1, 1, 2, 1, -1];
/// Axial offsets of the six hexagon neighbours.
pub(super) const HEX_NEIGHBOURS: [(i64, i64); 6] =
    [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)];

/// The infinite tessellation of the plane by cells of one shape and size, anchored at the
/// coordinate origin (`(0, 0)` in British National Grid is a square corner and a hexagon
/// centre), so grids of the same shape and size built for different studies line up cell
/// for cell.
///
/// Every coordinate is computed from integers: a square edge is `k·a` and a hexagon vertex
/// is `(i·w/2, j·s/2)` for integers `k, i, j`, so neighbouring cells share bit-identical
/// vertices.
///
/// ```
/// use geo::coord;
/// use safemap_geo::cells::{CellId, CellShape, Lattice};
/// use safemap_types::Metres;
///
/// let squares = Lattice::new(CellShape::Square, Metres::new(100.0).unwrap());
/// assert_eq!(squares.cell_of(coord! { x: 250.0, y: -10.0 }), Some(CellId { col: 2, row: -1 }));
/// // On a shared edge: the cell to the east (and north) of the edge.
/// assert_eq!(squares.cell_of(coord! { x: 200.0, y: 50.0 }), Some(CellId { col: 2, row: 0 }));
///
/// let hexes = Lattice::new(CellShape::Hexagon, Metres::new(100.0).unwrap());
/// assert_eq!(hexes.cell_of(coord! { x: 1.0, y: 1.0 }), Some(CellId { col: 0, row: 0 }));
/// assert_eq!(hexes.centre(CellId { col: 0, row: 1 }).x, 50.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lattice {
    shape: CellShape,
    size: Metres,
    /// Square: the side. Hexagon: half the width, `w/2`.
    unit_x: f64,
    /// Square: the side. Hexagon: half the side, `s/2 = w/(2√3)`.
    unit_y: f64,
}

impl Lattice {
    /// The lattice of `shape` cells of `size`.
    pub fn new(shape: CellShape, size: Metres) -> Self {
        let a = size.get();
        let (unit_x, unit_y) = match shape {
            CellShape::Square => (a, a),
            CellShape::Hexagon => (a / 2.0, a / (2.0 * 3f64.sqrt())),
        };
        Lattice {
            shape,
            size,
            unit_x,
            unit_y,
        }
    }

    /// The cell shape.
    pub fn shape(&self) -> CellShape {
        self.shape
    }

    /// The cell size (square side or hexagon flat-to-flat width).
    pub fn size(&self) -> Metres {
        self.size
    }

    /// Area of one cell in square metres: `a²` or `(√3/2)·w²`.
    pub fn cell_area(&self) -> f64 {
        let a = self.size.get();
        match self.shape {
            CellShape::Square => a * a,
            CellShape::Hexagon => 3f64.sqrt() / 2.0 * a * a,
        }
    }

    /// Distance between the centres of two cells sharing an edge: the size. A distance band
    /// (for distance-band weights on [`super::CellGrid::centres`]) of `1.001 ×` this gives
    /// rook neighbours for squares and the six edge neighbours for hexagons; `1.001·√2 ×`
    /// gives queen neighbours for squares. (The slack covers round-off in the centres.)
    pub fn adjacent_distance(&self) -> f64 {
        self.size.get()
    }

    /// The cell containing `p`, or `None` for a non-finite coordinate or one whose cell
    /// index would not fit in an `i32`.
    ///
    /// **Edge rule** (every point gets exactly one cell): among the cells whose closed
    /// polygon contains `p`, decided exactly on the stored vertex coordinates, the one with
    /// the largest `row`, then the largest `col`: north wins, then east.
    /// - Squares: this is the half-open rule, `k·a <= x < (k+1)·a` and likewise for `y`: a
    ///   point on a shared vertical edge goes to the cell to its east, on a shared
    ///   horizontal edge to the cell to its north, on a shared corner to the north-east cell.
    /// - Hexagons: a point on the vertical edge between two cells of a row goes east; on a
    ///   slanted edge or a vertex, to the northern cell (the eastern one of two at the
    ///   same height). Off the edges the containing hexagon is the one whose centre is
    ///   nearest.
    ///
    /// Computed in O(1): floor division checked against the stored edges for squares;
    /// axial-to-cube rounding, then an exact point-in-hexagon test (robust orientation
    /// predicates), falling back to the rounded cell's neighbours only near an edge.
    pub fn cell_of(&self, p: Coord<f64>) -> Option<CellId> {
        match self.shape {
            CellShape::Square => {
                let col = square_index(p.x, self.unit_x)?;
                let row = square_index(p.y, self.unit_y)?;
                Some(CellId { col, row })
            }
            CellShape::Hexagon => self.hex_cell_of(p),
        }
    }

    /// The cells that contain `p` on their closed boundary, in the order of the edge rule
    /// (the cell [`Lattice::cell_of`] returns first). One cell for a point inside a cell.
    pub(super) fn tied_cells(&self, p: Coord<f64>) -> Vec<CellId> {
        let Some(first) = self.cell_of(p) else {
            return Vec::new();
        };
        let mut out = vec![first];
        match self.shape {
            CellShape::Square => {
                let on_x = p.x == self.edge_x(i64::from(first.col));
                let on_y = p.y == self.edge_y(i64::from(first.row));
                let (c, r) = (first.col, first.row);
                if on_x && c > i32::MIN {
                    out.push(CellId { col: c - 1, row: r });
                }
                if on_y && r > i32::MIN {
                    out.push(CellId { col: c, row: r - 1 });
                }
                if on_x && on_y && c > i32::MIN && r > i32::MIN {
                    out.push(CellId {
                        col: c - 1,
                        row: r - 1,
                    });
                }
            }
            CellShape::Hexagon => {
                out = self.hex_containing(p, first);
            }
        }
        out
    }

    /// The centre of cell `id`: `((col + ½)·a, (row + ½)·a)` for squares,
    /// `((2q + r)·w/2, 3r·s/2)` for hexagons.
    pub fn centre(&self, id: CellId) -> Coord<f64> {
        let (c, r) = (i64::from(id.col), i64::from(id.row));
        match self.shape {
            CellShape::Square => Coord {
                x: (c as f64 + 0.5) * self.unit_x,
                y: (r as f64 + 0.5) * self.unit_y,
            },
            CellShape::Hexagon => Coord {
                x: (2 * c + r) as f64 * self.unit_x,
                y: (3 * r) as f64 * self.unit_y,
            },
        }
    }

    /// The vertices of cell `id`, counter-clockwise, not closed: 4 for a square (from its
    /// south-west corner), 6 for a hexagon (from its bottom vertex).
    pub(super) fn vertices(&self, id: CellId) -> Vertices {
        let (c, r) = (i64::from(id.col), i64::from(id.row));
        let mut pts = [Coord { x: 0.0, y: 0.0 }; 6];
        match self.shape {
            CellShape::Square => {
                let (x0, x1) = (self.edge_x(c), self.edge_x(c + 1));
                let (y0, y1) = (self.edge_y(r), self.edge_y(r + 1));
                pts[0] = Coord { x: x0, y: y0 };
                pts[1] = Coord { x: x1, y: y0 };
                pts[2] = Coord { x: x1, y: y1 };
                pts[3] = Coord { x: x0, y: y1 };
                Vertices { pts, len: 4 }
            }
            CellShape::Hexagon => {
                for (k, pt) in pts.iter_mut().enumerate() {
                    *pt = Coord {
                        x: (2 * c + r + HEX_DX[k]) as f64 * self.unit_x,
                        y: (3 * r + HEX_DY[k]) as f64 * self.unit_y,
                    };
                }
                Vertices { pts, len: 6 }
            }
        }
    }

    /// The polygon of cell `id`: its exterior ring counter-clockwise and closed (5 points
    /// for a square, 7 for a hexagon), no holes.
    pub fn polygon(&self, id: CellId) -> Polygon<f64> {
        let mut ring = self.vertices(id).to_vec();
        ring.push(ring[0]);
        Polygon::new(LineString::new(ring), Vec::new())
    }

    /// True if `p` lies strictly inside cell `id` (not on its boundary), exactly.
    pub(super) fn strictly_inside(&self, p: Coord<f64>, id: CellId) -> bool {
        match self.shape {
            CellShape::Square => {
                let (c, r) = (i64::from(id.col), i64::from(id.row));
                p.x > self.edge_x(c)
                    && p.x < self.edge_x(c + 1)
                    && p.y > self.edge_y(r)
                    && p.y < self.edge_y(r + 1)
            }
            CellShape::Hexagon => {
                let v = self.vertices(id);
                (0..v.len()).all(|k| {
                    RobustKernel::orient2d(v[k], v[(k + 1) % v.len()], p)
                        == Orientation::CounterClockwise
                })
            }
        }
    }

    /// The cells sharing an edge or a vertex with `id` (8 for squares, 6 for hexagons).
    pub(super) fn around(&self, id: CellId) -> impl Iterator<Item = CellId> {
        const SQUARE: [(i64, i64); 8] = [
            (-1, -1),
            (0, -1),
            (1, -1),
            (-1, 0),
            (1, 0),
            (-1, 1),
            (0, 1),
            (1, 1),
        ];
        let offsets: &'static [(i64, i64)] = match self.shape {
            CellShape::Square => &SQUARE,
            CellShape::Hexagon => &HEX_NEIGHBOURS,
        };
        offsets
            .iter()
            .filter_map(move |&(dc, dr)| offset(id, dc, dr))
    }

    /// `k·a` (squares) : the x of the west edge of column `k`.
    fn edge_x(&self, k: i64) -> f64 {
        k as f64 * self.unit_x
    }

    /// `k·a` (squares): the y of the south edge of row `k`.
    fn edge_y(&self, k: i64) -> f64 {
        k as f64 * self.unit_y
    }

    /// Half the hexagon width (`w/2`) or the square side.
    pub(super) fn unit_x(&self) -> f64 {
        self.unit_x
    }

    /// Half the hexagon side (`s/2`) or the square side.
    pub(super) fn unit_y(&self) -> f64 {
        self.unit_y
    }

    fn hex_cell_of(&self, p: Coord<f64>) -> Option<CellId> {
        // Fractional axial coordinates: y = 3r·(s/2), x = (2q + r)·(w/2).
        let rf = p.y / (3.0 * self.unit_y);
        let qf = p.x / (2.0 * self.unit_x) - rf / 2.0;
        // Cube rounding (x = q, z = r, y = -q - r).
        let limit = f64::from(i32::MAX - 1);
        if qf.is_nan() || rf.is_nan() || qf.abs() >= limit || rf.abs() >= limit {
            return None;
        }
        let (cx, cz) = (qf, rf);
        let cy = -cx - cz;
        // Nearest integers (ties either way: the exact test below settles edges).
        let (mut rx, ry, mut rz) = (floor(cx + 0.5), floor(cy + 0.5), floor(cz + 0.5));
        let (ex, ey, ez) = ((rx - cx).abs(), (ry - cy).abs(), (rz - cz).abs());
        if ex > ey && ex > ez {
            rx = -ry - rz;
        } else if ey <= ez {
            rz = -rx - ry;
        }
        let rounded = CellId {
            col: rx as i32,
            row: rz as i32,
        };
        // Well inside the inscribed circle (radius w/2), with a margin that dwarfs the
        // round-off of the stored coordinates: inside, no exact test needed (~89% of points).
        let c = self.centre(rounded);
        let (dx, dy) = (p.x - c.x, p.y - c.y);
        let r = 0.99 * self.unit_x;
        if dx * dx + dy * dy < r * r && 0.01 * self.unit_x > 1e-9 * (p.x.abs() + p.y.abs()) {
            return Some(rounded);
        }
        if self.strictly_inside(p, rounded) {
            return Some(rounded);
        }
        // On an edge, or one step off through round-off: decide exactly.
        Some(
            self.hex_containing(p, rounded)
                .first()
                .copied()
                .unwrap_or(rounded),
        )
    }

    /// Among `near` and its six neighbours, the hexagons whose closed polygon contains `p`
    /// (exactly), largest `(row, col)` first.
    fn hex_containing(&self, p: Coord<f64>, near: CellId) -> Vec<CellId> {
        let mut out: Vec<CellId> = std::iter::once(near)
            .chain(self.around(near))
            .filter(|&id| {
                let v = self.vertices(id);
                (0..v.len()).all(|k| {
                    RobustKernel::orient2d(v[k], v[(k + 1) % v.len()], p) != Orientation::Clockwise
                })
            })
            .collect();
        out.sort_by(|a, b| b.cmp(a));
        out
    }
}

/// The 4 or 6 vertices of a cell, without allocating.
#[derive(Debug, Clone, Copy)]
pub(super) struct Vertices {
    pts: [Coord<f64>; 6],
    len: usize,
}

impl std::ops::Deref for Vertices {
    type Target = [Coord<f64>];
    fn deref(&self) -> &[Coord<f64>] {
        &self.pts[..self.len]
    }
}

/// `⌊v/a⌋` corrected so that `k·a <= v < (k+1)·a` holds exactly on the stored edges.
fn square_index(v: f64, a: f64) -> Option<i32> {
    let q = v / a;
    if q.is_nan() || q.abs() >= f64::from(i32::MAX - 1) {
        return None;
    }
    let mut k = floor(q) as i64;
    if v < k as f64 * a {
        k -= 1;
    } else if v >= (k + 1) as f64 * a {
        k += 1;
    }
    i32::try_from(k).ok()
}

/// `⌊v⌋` for `|v| < 2^52`, without the libm call `f64::floor` compiles to on x86-64's
/// baseline (which has no SSE4.1 `roundsd`).
#[inline]
fn floor(v: f64) -> f64 {
    let t = v as i64 as f64;
    if t > v {
        t - 1.0
    } else {
        t
    }
}

/// `id` moved by `(dc, dr)`, if that stays in `i32`.
fn offset(id: CellId, dc: i64, dr: i64) -> Option<CellId> {
    Some(CellId {
        col: i32::try_from(i64::from(id.col) + dc).ok()?,
        row: i32::try_from(i64::from(id.row) + dr).ok()?,
    })
}

/// Whether segment `a`–`b` meets the open interior of the convex polygon `v`
/// (counter-clockwise), exactly (robust orientation predicates on the stored values).
///
/// By the separating-axis theorem the two are disjoint iff both endpoints lie on the closed
/// outer side of one polygon edge, or (for `a != b`) the whole polygon lies on one closed
/// side of the line through `a` and `b`.
pub(super) fn segment_meets_interior(a: Coord<f64>, b: Coord<f64>, v: &[Coord<f64>]) -> bool {
    let n = v.len();
    for k in 0..n {
        let (p, q) = (v[k], v[(k + 1) % n]);
        if RobustKernel::orient2d(p, q, a) != Orientation::CounterClockwise
            && RobustKernel::orient2d(p, q, b) != Orientation::CounterClockwise
        {
            return false;
        }
    }
    if a != b {
        let (mut left, mut right) = (false, false);
        for &p in v {
            match RobustKernel::orient2d(a, b, p) {
                Orientation::CounterClockwise => left = true,
                Orientation::Clockwise => right = true,
                Orientation::Collinear => {}
            }
        }
        if !(left && right) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, Area};

    fn lattice(shape: CellShape, a: f64) -> Lattice {
        Lattice::new(shape, Metres::new(a).expect("positive"))
    }

    #[test]
    fn areas_are_validated_and_convert() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                CellShape::Square.size_for_area(bad),
                Err(CellsError::BadArea(_))
            ));
        }
        for shape in [CellShape::Square, CellShape::Hexagon] {
            let size = shape.size_for_area(62_500.0).expect("positive");
            let l = Lattice::new(shape, size);
            assert!((l.cell_area() - 62_500.0).abs() < 1e-6, "{shape}");
            // The polygon's own area agrees.
            let poly = l.polygon(CellId { col: 3, row: -7 });
            assert!((poly.unsigned_area() - 62_500.0).abs() < 1e-6, "{shape}");
            assert!(poly.signed_area() > 0.0, "counter-clockwise");
        }
    }

    #[test]
    fn floor_matches_std() {
        for v in [
            -1.0,
            -0.5,
            -1e-17,
            -0.0,
            0.0,
            0.999_999_9,
            3.0,
            7.5,
            1.0e15 + 0.5,
            -2.0e9 - 0.25,
        ] {
            assert_eq!(floor(v), v.floor(), "{v}");
        }
    }

    #[test]
    fn square_edges_go_east_and_north() {
        let l = lattice(CellShape::Square, 0.1);
        // 0.3 < 3 * 0.1 in f64: stays in column 2; the stored edge itself goes to column 3.
        assert_eq!(
            l.cell_of(coord! { x: 0.3, y: 0.05 }).map(|c| c.col),
            Some(2)
        );
        let edge = 3.0 * 0.1;
        assert_eq!(
            l.cell_of(coord! { x: edge, y: 0.05 }).map(|c| c.col),
            Some(3)
        );
        assert_eq!(
            l.cell_of(coord! { x: -0.0, y: 0.0 }),
            Some(CellId { col: 0, row: 0 })
        );
        assert_eq!(l.cell_of(coord! { x: f64::NAN, y: 0.0 }), None);
        assert_eq!(l.cell_of(coord! { x: 1e300, y: 0.0 }), None);
    }

    #[test]
    fn hexagon_centres_and_vertices_are_consistent() {
        let l = lattice(CellShape::Hexagon, 100.0);
        for id in [CellId { col: 0, row: 0 }, CellId { col: -4, row: 9 }] {
            let c = l.centre(id);
            assert_eq!(l.cell_of(c), Some(id));
            for v in l.vertices(id).iter() {
                let d = ((v.x - c.x).powi(2) + (v.y - c.y).powi(2)).sqrt();
                assert!((d - 100.0 / 3f64.sqrt()).abs() < 1e-9);
            }
            // Neighbours are one width away.
            for n in l.around(id) {
                let m = l.centre(n);
                let d = ((m.x - c.x).powi(2) + (m.y - c.y).powi(2)).sqrt();
                assert!((d - 100.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn segment_interior_test_is_exact_on_edges() {
        let l = lattice(CellShape::Square, 10.0);
        let v = l.vertices(CellId { col: 0, row: 0 });
        // Along the edge: touches only.
        assert!(!segment_meets_interior(
            coord! { x: 0.0, y: -5.0 },
            coord! { x: 0.0, y: 15.0 },
            &v
        ));
        // Corner to corner diagonal: crosses.
        assert!(segment_meets_interior(
            coord! { x: 0.0, y: 0.0 },
            coord! { x: 10.0, y: 10.0 },
            &v
        ));
        // Through a corner from outside only.
        assert!(!segment_meets_interior(
            coord! { x: -5.0, y: 5.0 },
            coord! { x: 5.0, y: -5.0 },
            &v
        ));
        // Just inside.
        assert!(segment_meets_interior(
            coord! { x: -5.0, y: 5.0 },
            coord! { x: 5.0, y: -4.999 },
            &v
        ));
        // A point inside, a point on the boundary.
        assert!(segment_meets_interior(
            coord! { x: 5.0, y: 5.0 },
            coord! { x: 5.0, y: 5.0 },
            &v
        ));
        assert!(!segment_meets_interior(
            coord! { x: 10.0, y: 5.0 },
            coord! { x: 10.0, y: 5.0 },
            &v
        ));
    }
}
