//! Points counted per cell: [`CellGrid::assign`] and [`CellGrid::aggregate`].

use geo::Coord;
use rayon::prelude::*;

use super::CellGrid;

/// Points per cell of a [`CellGrid`], with the points that fell in no kept cell.
///
/// `counts.iter().sum::<u64>() + outside` equals the number of points given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCounts {
    /// Points in each cell, in cell order.
    pub counts: Vec<u64>,
    /// Points in a dropped cell, outside the grid's bounding box, or with a non-finite
    /// coordinate.
    pub outside: u64,
}

impl CellCounts {
    /// Points that fell in a kept cell: `Σ counts`.
    pub fn inside(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Points per rayon task: large enough to amortise scheduling.
const CHUNK: usize = 1 << 14;

impl CellGrid {
    /// The cell of every point ([`CellGrid::locate`]), in input order: O(1) per point,
    /// rayon-parallel, identical for any number of threads.
    pub fn assign(&self, points: &[Coord<f64>]) -> Vec<Option<usize>> {
        let mut out = Vec::with_capacity(points.len());
        points
            .par_iter()
            .with_min_len(CHUNK)
            .map(|&p| self.locate(p))
            .collect_into_vec(&mut out);
        out
    }

    /// How many points fall in each cell ([`CellGrid::locate`]); points in dropped cells
    /// count as `outside`.
    ///
    /// This bins whatever points it is given: to count only events inside the study area,
    /// give it the events the join placed in an area (with [`crate::EdgeRule::LowestAreaId`]).
    /// Every point of the closed study area lands in a kept cell, so then `outside == 0`.
    ///
    /// Cells are found in parallel; the counts are integer sums, so the result is
    /// identical for any number of threads.
    ///
    /// ```
    /// use geo::{coord, Rect};
    /// use safemap_geo::cells::{CellGrid, CellShape, Lattice};
    /// use safemap_types::Metres;
    ///
    /// let lattice = Lattice::new(CellShape::Hexagon, Metres::new(50.0).unwrap());
    /// let grid = CellGrid::over_rect(lattice, Rect::new((0.0, 0.0), (200.0, 200.0))).unwrap();
    /// let counts = grid.aggregate(&[coord! { x: 10.0, y: 10.0 }, coord! { x: 900.0, y: 0.0 }]);
    /// assert_eq!((counts.inside(), counts.outside), (1, 1));
    /// ```
    pub fn aggregate(&self, points: &[Coord<f64>]) -> CellCounts {
        let mut cells: Vec<u32> = Vec::with_capacity(points.len());
        points
            .par_iter()
            .with_min_len(CHUNK)
            .map(|&p| self.locate(p).map_or(u32::MAX, |i| i as u32))
            .collect_into_vec(&mut cells);
        let mut counts = vec![0u64; self.len()];
        let mut outside = 0u64;
        for &c in &cells {
            if c == u32::MAX {
                outside += 1;
            } else {
                counts[c as usize] += 1;
            }
        }
        CellCounts { counts, outside }
    }
}
