//! [`CellGrid`]: points bucketed in square cells at least as wide as a search radius, so the
//! points within that radius of any location lie in the 3 × 3 cells around it. The straight-
//! line cost matrix finds its candidate pairs with it.
//!
//! Why not `rstar` (which this crate used before): an R-tree answers one query at a time,
//! each allocating and sorting its own result; with one radius known in advance a uniform
//! grid finds every pair in a single pass with a counting sort, and the national E2SFCA
//! bench (34,753 areas × 10,000 services, 3 km) went from 54 ms to 18-22 ms with the same
//! pairs, costs and sums bit for bit (benches/README.md).
//!
//! Why 3 × 3 cells are enough, whatever the rounding: a cell's side is the radius times
//! `1 + 1e-3`, and never less than `2^-30` of the largest coordinate magnitude of the points
//! stored *and* queried (nor than 1e-150), so every cell coordinate `x / side` is at most
//! `2^30` in magnitude and computed with an absolute error below `2^-23`. A pair whose
//! computed distance `sqrt(dx² + dy²)` is within the radius is, exactly, less than
//! `radius × (1 + 1e-15)` apart along each axis (or, if the squares underflow, less than
//! 1e-161 apart), so its cell coordinates differ by less than `1 - 9e-4` before rounding and
//! by less than 1 after: their floors differ by at most 1.

use geo_types::Coord;

/// Cell coordinates are offset by this to make the key's halves unsigned (they lie within
/// `±(2^30 + 1)`).
const OFFSET: i64 = 1 << 31;

/// Points sorted by the cell they lie in (row by row), with the cell keys alongside.
pub(crate) struct CellGrid {
    side: f64,
    keys: Vec<u64>,
    points: Vec<[f64; 2]>,
    ids: Vec<u32>,
}

impl CellGrid {
    /// Buckets `points` (finite) for searches within `radius` (finite, at least 0) around
    /// any of `queries` (finite; they bound the cell size, see the [module docs](self)).
    pub(crate) fn new(points: &[Coord<f64>], radius: f64, queries: &[Coord<f64>]) -> Self {
        let largest = points
            .iter()
            .chain(queries)
            .fold(0.0_f64, |m, p| m.max(p.x.abs()).max(p.y.abs()));
        let side = (radius * (1.0 + 1e-3))
            .max(largest * (-30.0_f64).exp2())
            .max(1e-150);
        let mut grid = CellGrid {
            side,
            keys: Vec::new(),
            points: Vec::new(),
            ids: Vec::new(),
        };
        let mut order: Vec<(u64, u32)> = points
            .iter()
            .enumerate()
            .map(|(k, p)| (CellGrid::key(grid.cell(p.x), grid.cell(p.y)), stored(k)))
            .collect();
        order.sort_unstable();
        grid.keys = order.iter().map(|&(key, _)| key).collect();
        grid.ids = order.iter().map(|&(_, k)| k).collect();
        grid.points = order
            .iter()
            .map(|&(_, k)| [points[k as usize].x, points[k as usize].y])
            .collect();
        grid
    }

    fn cell(&self, v: f64) -> i64 {
        (v / self.side).floor() as i64
    }

    fn key(cx: i64, cy: i64) -> u64 {
        (((cy + OFFSET) as u64) << 32) | (cx + OFFSET) as u64
    }

    /// Calls `visit(index, [x, y])` for every stored point in the 3 × 3 cells around `p`: a
    /// superset of those within the radius of `p`, in cell order.
    pub(crate) fn for_each_near(&self, p: Coord<f64>, mut visit: impl FnMut(u32, [f64; 2])) {
        let (cx, cy) = (self.cell(p.x), self.cell(p.y));
        for row in cy - 1..=cy + 1 {
            // The three cells of a row are consecutive in key order.
            let (first, last) = (CellGrid::key(cx - 1, row), CellGrid::key(cx + 1, row));
            let mut k = self.keys.partition_point(|&key| key < first);
            while k < self.keys.len() && self.keys[k] <= last {
                visit(self.ids[k], self.points[k]);
                k += 1;
            }
        }
    }
}

/// A point index as stored (`u32` halves the memory of the pairs).
pub(crate) fn stored(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 points")
}
