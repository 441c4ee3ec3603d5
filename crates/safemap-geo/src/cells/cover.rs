//! Which cells of a lattice meet the study area: the window of candidate cells over its
//! bounding box and the exact keep/drop decision for each.
//!
//! A cell is kept iff its open interior meets the interior of some polygon. For valid
//! polygons (each the closure of its interior) that happens iff either
//!
//! 1. a ring segment of some polygon meets the cell's open interior, decided exactly with
//!    robust orientation predicates ([`segment_meets_interior`]), or
//! 2. no ring meets the cell's interior and its centre lies inside a polygon: the interior
//!    is then wholly inside or wholly outside every polygon, and [`AreaIndex::locate`]
//!    answers for the centre (which is on no ring).
//!
//! Step 1 visits, per segment, the cells around points sampled every half cell along it
//! (a cell the segment meets is within one cell of the nearest sample); a segment lying
//! strictly inside one cell (the usual case: boundary vertices are metres apart, cells
//! hundreds of metres) is settled by its endpoints alone. Both steps run on rayon and only
//! set flags, so the result does not depend on the number of threads.

use std::sync::atomic::{AtomicBool, Ordering};

use geo::{Coord, MultiPolygon, Polygon};
use rayon::prelude::*;

use super::lattice::{segment_meets_interior, CellId, CellShape, Lattice};
use super::{CellsError, MAX_WINDOW_CELLS};
use crate::{AreaIndex, EdgeRule};

/// The rectangle of candidate cells, in row-major order from the south-west: rows of
/// squares, or rows of hexagons in offset coordinates (`offset col = q + ⌊r/2⌋`, odd rows
/// shifted half a cell east).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    shape: CellShape,
    col0: i64,
    row0: i64,
    pub(super) ncols: usize,
    pub(super) nrows: usize,
}

impl Window {
    /// The window over `[min, max]` with a one-cell margin.
    pub(super) fn over(
        lattice: &Lattice,
        min: Coord<f64>,
        max: Coord<f64>,
    ) -> Result<Self, CellsError> {
        let size = lattice.size().get();
        let out_of_range = |p: Coord<f64>| CellsError::OutOfRange {
            x: p.x,
            y: p.y,
            size,
        };
        let (col0, col1, row0, row1) = match lattice.shape() {
            CellShape::Square => {
                let lo = lattice.cell_of(min).ok_or_else(|| out_of_range(min))?;
                let hi = lattice.cell_of(max).ok_or_else(|| out_of_range(max))?;
                (
                    i64::from(lo.col) - 1,
                    i64::from(hi.col) + 1,
                    i64::from(lo.row) - 1,
                    i64::from(hi.row) + 1,
                )
            }
            CellShape::Hexagon => {
                let (ux, uy) = (2.0 * lattice.unit_x(), 3.0 * lattice.unit_y());
                let bound = |v: f64, p: Coord<f64>| {
                    if v.is_finite() && v.abs() < f64::from(i32::MAX / 2) {
                        Ok(v as i64)
                    } else {
                        Err(out_of_range(p))
                    }
                };
                (
                    bound((min.x / ux).floor(), min)? - 1,
                    bound((max.x / ux).ceil(), max)? + 1,
                    bound((min.y / uy).floor(), min)? - 1,
                    bound((max.y / uy).ceil(), max)? + 1,
                )
            }
        };
        // Keep a further margin so that neighbours of window cells stay inside i32.
        let limit = i64::from(i32::MAX) - 4;
        if col0.abs() > limit || col1.abs() > limit || row0.abs() > limit || row1.abs() > limit {
            return Err(out_of_range(max));
        }
        let ncols = (col1 - col0 + 1) as u128;
        let nrows = (row1 - row0 + 1) as u128;
        if ncols * nrows > MAX_WINDOW_CELLS as u128 {
            return Err(CellsError::TooManyCells {
                cells: ncols * nrows,
                size,
                width: max.x - min.x,
                height: max.y - min.y,
                limit: MAX_WINDOW_CELLS,
            });
        }
        Ok(Window {
            shape: lattice.shape(),
            col0,
            row0,
            ncols: ncols as usize,
            nrows: nrows as usize,
        })
    }

    /// Number of cells in the window.
    pub(super) fn len(&self) -> usize {
        self.ncols * self.nrows
    }

    /// The window position of `id`, or `None` outside the window.
    #[inline]
    pub(super) fn index(&self, id: CellId) -> Option<usize> {
        let row = i64::from(id.row);
        let col = match self.shape {
            CellShape::Square => i64::from(id.col),
            CellShape::Hexagon => i64::from(id.col) + row.div_euclid(2),
        };
        let (c, r) = (col - self.col0, row - self.row0);
        if c < 0 || r < 0 || c >= self.ncols as i64 || r >= self.nrows as i64 {
            return None;
        }
        Some(r as usize * self.ncols + c as usize)
    }

    /// The cell at window position `k`.
    pub(super) fn id(&self, k: usize) -> CellId {
        let row = self.row0 + (k / self.ncols) as i64;
        let c = self.col0 + (k % self.ncols) as i64;
        let col = match self.shape {
            CellShape::Square => c,
            CellShape::Hexagon => c - row.div_euclid(2),
        };
        CellId {
            col: col as i32,
            row: row as i32,
        }
    }
}

/// True for a polygon part that can contain points (what [`AreaIndex`] indexes): a
/// non-empty shell and finite coordinates throughout.
pub(super) fn usable(polygon: &Polygon<f64>) -> bool {
    !polygon.exterior().0.is_empty()
        && std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .flat_map(|ring| ring.0.iter())
            .all(|c| c.x.is_finite() && c.y.is_finite())
}

/// Per window cell: does it meet the interior of the study area?
pub(super) fn cover(lattice: &Lattice, study: &[MultiPolygon<f64>], window: &Window) -> Vec<bool> {
    let marks: Vec<AtomicBool> = (0..window.len()).map(|_| AtomicBool::new(false)).collect();
    let parts: Vec<&Polygon<f64>> = study
        .iter()
        .flat_map(|mp| mp.0.iter())
        .filter(|p| usable(p))
        .collect();

    // 1. Cells whose interior a boundary segment crosses.
    let half = lattice.size().get() / 2.0;
    parts
        .par_iter()
        .for_each_init(Vec::new, |candidates, polygon| {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for seg in ring.0.windows(2) {
                    mark_segment(lattice, window, &marks, seg[0], seg[1], half, candidates);
                }
            }
        });

    // 2. Cells that no ring meets: inside or outside as a whole; ask for the centre.
    let index = AreaIndex::new(study);
    (0..window.nrows).into_par_iter().for_each(|row| {
        let start = row * window.ncols;
        for (k, mark) in marks[start..start + window.ncols].iter().enumerate() {
            if !mark.load(Ordering::Relaxed) {
                let centre = lattice.centre(window.id(start + k));
                if index.locate(centre, EdgeRule::LowestAreaId).is_some() {
                    mark.store(true, Ordering::Relaxed);
                }
            }
        }
    });
    marks.into_iter().map(AtomicBool::into_inner).collect()
}

/// Marks every window cell whose open interior the segment `a`–`b` meets.
fn mark_segment(
    lattice: &Lattice,
    window: &Window,
    marks: &[AtomicBool],
    a: Coord<f64>,
    b: Coord<f64>,
    half: f64,
    candidates: &mut Vec<CellId>,
) {
    let mark = |id: CellId| {
        if let Some(k) = window.index(id) {
            marks[k].store(true, Ordering::Relaxed);
        }
    };
    if let (Some(ca), Some(cb)) = (lattice.cell_of(a), lattice.cell_of(b)) {
        if ca == cb && lattice.strictly_inside(a, ca) && lattice.strictly_inside(b, ca) {
            mark(ca);
            return;
        }
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let steps = ((dx.hypot(dy) / half).ceil().max(1.0)) as usize;
    candidates.clear();
    for s in 0..=steps {
        let p = if s == steps {
            b
        } else {
            let t = s as f64 / steps as f64;
            Coord {
                x: a.x + dx * t,
                y: a.y + dy * t,
            }
        };
        if let Some(c) = lattice.cell_of(p) {
            candidates.push(c);
            candidates.extend(lattice.around(c));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    for &id in candidates.iter() {
        if let Some(k) = window.index(id) {
            if !marks[k].load(Ordering::Relaxed)
                && segment_meets_interior(a, b, &lattice.vertices(id))
            {
                marks[k].store(true, Ordering::Relaxed);
            }
        }
    }
}
