//! [`CellGrid`]: the cells of a [`Lattice`] that meet a study area.

use geo::{BoundingRect, Coord, MultiPolygon, Polygon, Rect};

use super::cover::{cover, usable, Window};
use super::lattice::{CellId, Lattice};
use super::CellsError;

/// One cell of a [`CellGrid`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridCell {
    /// Its stable position in the lattice.
    pub id: CellId,
    /// Its centre, [`Lattice::centre`].
    pub centre: Coord<f64>,
}

/// The cells of a lattice that meet a study area, in [`CellId`] order (rows south to
/// north, west to east within a row).
///
/// A cell is **kept** iff its interior meets the interior of the study area (some polygon
/// of it), decided exactly on the stored coordinates: a cell partly inside is kept, a cell
/// wholly outside every polygon is dropped, and so is a cell that only touches the study
/// area along an edge or at a corner (which happens where a boundary runs along a grid
/// line). Polygons are assumed valid (each the closure of its interior); parts with an
/// empty shell or a non-finite coordinate are ignored, as [`crate::AreaIndex`] ignores them.
///
/// The cell index of a point ([`CellGrid::locate`]) is found in O(1) through a dense table
/// over the bounding box of the study area, at most [`super::MAX_WINDOW_CELLS`] cells.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use safemap_geo::cells::{CellGrid, CellShape, Lattice};
/// use safemap_types::Metres;
///
/// // An L-shaped study area: 300 m × 300 m minus its north-east 200 m × 200 m.
/// let l = polygon![(x: 0.0, y: 0.0), (x: 300.0, y: 0.0), (x: 300.0, y: 100.0),
///                  (x: 100.0, y: 100.0), (x: 100.0, y: 300.0), (x: 0.0, y: 300.0)];
/// let lattice = Lattice::new(CellShape::Square, Metres::new(100.0).unwrap());
/// let grid = CellGrid::new(lattice, &[MultiPolygon::new(vec![l])]).unwrap();
/// assert_eq!(grid.len(), 5);
/// assert_eq!(grid.locate(coord! { x: 250.0, y: 50.0 }), Some(2));
/// assert_eq!(grid.locate(coord! { x: 250.0, y: 250.0 }), None);
/// ```
#[derive(Debug, Clone)]
pub struct CellGrid {
    lattice: Lattice,
    cells: Vec<GridCell>,
    window: Window,
    /// Per window cell: index into `cells`, or `u32::MAX` for a dropped cell.
    lookup: Vec<u32>,
}

impl CellGrid {
    /// The cells of `lattice` that meet the study area `study` (projected metres, e.g.
    /// British National Grid). Runs on the current rayon pool; the result does not depend
    /// on the number of threads.
    pub fn new(lattice: Lattice, study: &[MultiPolygon<f64>]) -> Result<Self, CellsError> {
        let mut bbox: Option<Rect<f64>> = None;
        for part in study
            .iter()
            .flat_map(|mp| mp.0.iter())
            .filter(|p| usable(p))
        {
            if let Some(r) = part.bounding_rect() {
                bbox = Some(match bbox {
                    None => r,
                    Some(b) => Rect::new(
                        Coord {
                            x: b.min().x.min(r.min().x),
                            y: b.min().y.min(r.min().y),
                        },
                        Coord {
                            x: b.max().x.max(r.max().x),
                            y: b.max().y.max(r.max().y),
                        },
                    ),
                });
            }
        }
        let bbox = bbox.ok_or(CellsError::EmptyStudyArea)?;
        let window = Window::over(&lattice, bbox.min(), bbox.max())?;
        let keep = cover(&lattice, study, &window);
        let mut cells = Vec::new();
        let lookup: Vec<u32> = keep
            .iter()
            .enumerate()
            .map(|(k, &kept)| {
                if kept {
                    let id = window.id(k);
                    cells.push(GridCell {
                        id,
                        centre: lattice.centre(id),
                    });
                    (cells.len() - 1) as u32
                } else {
                    u32::MAX
                }
            })
            .collect();
        if cells.is_empty() {
            return Err(CellsError::EmptyStudyArea);
        }
        Ok(CellGrid {
            lattice,
            cells,
            window,
            lookup,
        })
    }

    /// The cells of `lattice` whose interior meets the rectangle `rect` (a study area given
    /// only by its bounding box).
    pub fn over_rect(lattice: Lattice, rect: Rect<f64>) -> Result<Self, CellsError> {
        let (lo, hi) = (rect.min(), rect.max());
        if !(lo.x.is_finite() && lo.y.is_finite() && hi.x.is_finite() && hi.y.is_finite())
            || lo.x >= hi.x
            || lo.y >= hi.y
        {
            return Err(CellsError::EmptyStudyArea);
        }
        CellGrid::new(lattice, &[MultiPolygon::new(vec![rect.to_polygon()])])
    }

    /// The lattice (shape and size) of the grid.
    pub fn lattice(&self) -> &Lattice {
        &self.lattice
    }

    /// Number of kept cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True if no cell was kept (never, for a grid that was built).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The kept cells, in [`CellId`] order.
    pub fn cells(&self) -> &[GridCell] {
        &self.cells
    }

    /// The position of cell `id` in [`CellGrid::cells`], or `None` if it was dropped or lies
    /// outside the study area's bounding box.
    #[inline]
    pub fn index_of(&self, id: CellId) -> Option<usize> {
        let k = self.window.index(id)?;
        let i = self.lookup[k];
        (i != u32::MAX).then_some(i as usize)
    }

    /// The centre of every cell, in cell order: the points for distance-band or k-nearest
    /// weights (see [`Lattice::adjacent_distance`] for the band that picks edge neighbours).
    pub fn centres(&self) -> Vec<Coord<f64>> {
        self.cells.iter().map(|c| c.centre).collect()
    }

    /// The polygon of cell `i` ([`Lattice::polygon`]).
    ///
    /// # Panics
    ///
    /// If `i >= self.len()`.
    pub fn polygon(&self, i: usize) -> Polygon<f64> {
        self.lattice.polygon(self.cells[i].id)
    }

    /// Every cell's polygon, in cell order.
    pub fn polygons(&self) -> Vec<Polygon<f64>> {
        self.cells
            .iter()
            .map(|c| self.lattice.polygon(c.id))
            .collect()
    }

    /// The kept cell containing `p`, or `None` (a dropped cell, outside the grid, or a
    /// non-finite coordinate).
    ///
    /// The cell is [`Lattice::cell_of`]'s (north, then east wins on shared edges). Only
    /// when that cell was dropped and `p` lies on its boundary does `p` go to the next kept
    /// cell whose closed polygon contains it, in the same order (for squares: west, then
    /// south, then south-west). So a point on the study-area boundary where it runs along a
    /// cell edge still lands in the kept cell beside it, and every point of the closed study
    /// area lands in a kept cell.
    #[inline]
    pub fn locate(&self, p: Coord<f64>) -> Option<usize> {
        let id = self.lattice.cell_of(p)?;
        if let Some(i) = self.index_of(id) {
            return Some(i);
        }
        self.lattice
            .tied_cells(p)
            .into_iter()
            .skip(1)
            .find_map(|id| self.index_of(id))
    }
}
