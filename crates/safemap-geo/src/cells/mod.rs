//! Regular grids for hotspot analysis: square and pointy-top hexagonal cells over a study
//! area, and points counted per cell.
//!
//! | item | offers |
//! |---|---|
//! | [`CellShape`] | `Square` or `Hexagon` (pointy-top); the size is a [`Metres`](safemap_types::Metres): square side, hexagon flat-to-flat width; [`CellShape::size_for_area`] for ArcGIS's area parameter |
//! | [`Lattice`] | the infinite tessellation anchored at the origin: [`Lattice::cell_of`] (O(1), documented edge rule), [`Lattice::centre`], [`Lattice::polygon`] |
//! | [`CellId`] | a cell's stable `(col, row)`: square column/row or hexagon axial `(q, r)` |
//! | [`CellGrid`] | the cells meeting a study area ([`CellGrid::new`] from polygons, [`CellGrid::over_rect`] from a bounding box), with [`CellGrid::centres`] for distance-band weights and [`CellGrid::polygons`] for output |
//! | [`CellGrid::aggregate`] / [`CellGrid::assign`] | points per cell ([`CellCounts`]) / each point's cell, rayon-parallel and thread-count independent |
//! | [`CellsError`] | cell areas and study areas a grid cannot be built from |
//!
//! # Conventions
//!
//! - **Units**: projected metres (British National Grid inside the engine).
//! - **Origin**: every lattice is anchored at `(0, 0)`: square edges lie on multiples of
//!   the side `a`, and `(0, 0)` is the centre of hexagon `(0, 0)`. Grids of the same shape
//!   and size from different studies share cells and ids.
//! - **Hexagon size**: the flat-to-flat width `w` (= distance between neighbouring
//!   centres); side `s = w/√3`, area `(√3/2)·w²`. From an area `A` (ArcGIS *Generate
//!   Tessellation*): `w = √(2A/√3)`.
//! - **Edge rule**: a point on a shared edge or vertex goes to the cell with the largest
//!   row, then column (north, then east), decided exactly on the stored coordinates; for
//!   squares that is "closed on the west and south, open on the east and north". See
//!   [`Lattice::cell_of`] and [`CellGrid::locate`].
//! - **Kept cells**: a cell is kept iff its interior meets the interior of the study area;
//!   see [`CellGrid`].

mod aggregate;
mod cell_grid;
mod cover;
mod error;
mod lattice;

pub use aggregate::CellCounts;
pub use cell_grid::{CellGrid, GridCell};
pub use error::CellsError;
pub use lattice::{CellId, CellShape, Lattice};

/// Most candidate cells a grid's bounding box may hold (`2^26`, about 67 million: England
/// and Wales in 100 m squares fits). The dense lookup table costs 5 bytes per candidate
/// cell while it is built and 4 after.
pub const MAX_WINDOW_CELLS: usize = 1 << 26;
