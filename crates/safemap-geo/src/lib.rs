//! Geometry for safemap: the polygon index, the parallel point-to-area join with its
//! documented boundary rule, and reprojection between WGS84 and British National Grid.
//!
//! | module | offers |
//! |---|---|
//! | [`reproject`] | [`to_bng`], [`bng_to_wgs84`], [`multipolygon_to_bng`], [`multipolygon_to_wgs84`]: OSTN15 transformation WGS84 <-> EPSG:27700, with [`ReprojectError`] |
//! | [`edge_rule`] | [`EdgeRule`]: which area gets a point exactly on a boundary (`LowestAreaId`, the safemap default, or `Exclude`, what GeoPandas/DuckDB/PostGIS do) |
//! | [`index`] | [`AreaIndex`]: the index over a set of areas; [`AreaIndex::locate`] for one point, [`AreaIndex::containing`] for every area whose closed polygon holds a point |
//! | [`join`] | [`AreaIndex::join`]: many points at once, rayon-parallel in Hilbert-curve order, results in input order and identical for any thread count |
//! | [`best_fit`] | [`best_fit::best_fit`]: the larger polygon holding each small area's point on surface, else the nearest (ONS's best-fit rule; small areas to wards, study areas to police force areas) |
//! | [`cells`] | square and pointy-top hexagon grids over a study area ([`cells::CellGrid`], [`cells::Lattice`], [`cells::CellShape`]): cells anchored at the origin, dropped when outside the study area, points per cell in O(1) each ([`cells::CellGrid::aggregate`]), centres for distance-band weights |
//! | [`tessellation`] | [`tessellation::check_tessellation`]: whether a set of areas tiles the plane cleanly, reporting overlapping pairs ([`tessellation::Overlap`]) and enclosed gaps ([`tessellation::Gap`]) above a minimum area; cheap on clean data (edge matching, an exact pair filter), polygon overlay only where something is wrong |
//! | [`weights`] | spatial weights as [`safemap_types::Weights`]: [`weights::contiguity_weights`] (queen or rook from polygons by exact edge intersection, with a tolerance; no vertex matching), [`weights::distance_band_weights`] (binary or inverse distance), [`weights::knn_weights`] (ties to the lower index), [`weights::representative_points`]; islands reported, never an error |
//!
//! How a query runs (private modules): `grid` maps the point to a cell of a two-level grid
//! over all polygons, built with an [`rstar`] R-tree of polygon envelopes, whose list holds
//! the few polygons that may contain it in ascending area order, or says at once that the
//! cell lies wholly inside one polygon; `prepared` answers for each listed polygon from its
//! own grid of cells known to be inside or outside, or with the exact winding-number test
//! over the edges of one grid row; `hilbert` orders the join's points along a Hilbert curve.
//!
//! All predicates are exact: a point is on an edge only if it is on it in exact arithmetic
//! on the stored `f64` values (robust orientation tests, the same rules as geo's
//! `CoordinatePosition`).
//!
//! This crate does no I/O and prints nothing. It has no cargo features.

pub mod best_fit;
mod bucket_grid;
pub mod cells;
pub mod edge_rule;
mod hilbert;
pub mod index;
pub mod join;
mod ostn15;
pub mod point_on_surface;
mod prepared;
pub mod reproject;
pub mod tessellation;
mod transverse_mercator;
pub mod weights;

pub use edge_rule::EdgeRule;
pub use index::AreaIndex;
pub use point_on_surface::point_on_surface;
pub use reproject::{
    bng_to_wgs84, multipolygon_to_bng, multipolygon_to_wgs84, to_bng, ReprojectError,
};
