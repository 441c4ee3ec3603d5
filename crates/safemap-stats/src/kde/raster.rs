//! [`Raster`]: the square cells a surface is evaluated on.

use super::{KdeError, M2_PER_KM2, MAX_GRID_CELLS};

/// A raster of `ncols × nrows` square cells of side `cell_size` metres whose south-west
/// corner is `(x_min, y_min)`; see the [module docs](super) for the cell and value order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Raster {
    x_min: f64,
    y_min: f64,
    cell_size: f64,
    ncols: usize,
    nrows: usize,
}

impl Raster {
    /// A raster from its south-west corner, cell side (metres) and dimensions.
    pub fn new(
        x_min: f64,
        y_min: f64,
        cell_size: f64,
        ncols: usize,
        nrows: usize,
    ) -> Result<Self, KdeError> {
        if !(cell_size.is_finite() && cell_size > 0.0) {
            return Err(KdeError::BadCellSize(cell_size));
        }
        if !(x_min.is_finite() && y_min.is_finite()) {
            return Err(KdeError::BadOrigin { x: x_min, y: y_min });
        }
        if ncols == 0 || nrows == 0 || ncols.saturating_mul(nrows) > MAX_GRID_CELLS {
            return Err(KdeError::BadRasterSize {
                ncols,
                nrows,
                limit: MAX_GRID_CELLS,
            });
        }
        Ok(Raster {
            x_min,
            y_min,
            cell_size,
            ncols,
            nrows,
        })
    }

    /// The smallest raster of `cell_size` cells aligned on multiples of `cell_size` (so
    /// rasters of different studies line up, as the grids of `safemap_geo::cells` do) that
    /// covers `[x_min, x_max] × [y_min, y_max]`: `x0 = ⌊x_min/c⌋·c`,
    /// `ncols = max(1, ⌈(x_max - x0)/c⌉)`, likewise for rows.
    pub fn covering(
        x_min: f64,
        y_min: f64,
        x_max: f64,
        y_max: f64,
        cell_size: f64,
    ) -> Result<Self, KdeError> {
        if !(cell_size.is_finite() && cell_size > 0.0) {
            return Err(KdeError::BadCellSize(cell_size));
        }
        if !(x_min.is_finite() && y_min.is_finite() && x_max.is_finite() && y_max.is_finite()) {
            return Err(KdeError::BadOrigin { x: x_min, y: y_min });
        }
        let x0 = (x_min / cell_size).floor() * cell_size;
        let y0 = (y_min / cell_size).floor() * cell_size;
        let count = |lo: f64, hi: f64| {
            let n = ((hi - lo) / cell_size).ceil().max(1.0);
            if n < MAX_GRID_CELLS as f64 {
                n as usize
            } else {
                MAX_GRID_CELLS + 1
            }
        };
        Raster::new(x0, y0, cell_size, count(x0, x_max), count(y0, y_max))
    }

    /// x of the west edge.
    pub fn x_min(&self) -> f64 {
        self.x_min
    }

    /// y of the south edge.
    pub fn y_min(&self) -> f64 {
        self.y_min
    }

    /// Cell side in metres.
    pub fn cell_size(&self) -> f64 {
        self.cell_size
    }

    /// Number of columns (west to east).
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of rows (south to north).
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of cells, `ncols · nrows`.
    pub fn len(&self) -> usize {
        self.ncols * self.nrows
    }

    /// Always false: a raster has at least one cell.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The centre of cell `(col, row)`: `(x_min + (col + ½)c, y_min + (row + ½)c)`.
    pub fn centre(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.x_min + (col as f64 + 0.5) * self.cell_size,
            self.y_min + (row as f64 + 0.5) * self.cell_size,
        )
    }

    /// Area of one cell in km²: `c² / 10⁶`.
    pub fn cell_area_km2(&self) -> f64 {
        self.cell_size * self.cell_size / M2_PER_KM2
    }
}
