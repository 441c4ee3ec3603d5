//! Vector tiles for safemap: Web Mercator tile maths, per-zoom simplification that keeps
//! neighbouring areas gap-free, clipping, quantisation, Mapbox Vector Tile 2.1 and GeoJSON
//! tile encoding for the server, and a PMTiles v3 export.
//!
//! The crate does no I/O and no printing: tiles come back as bytes, and the PMTiles writer
//! writes to whatever `std::io::Write` the caller passes. It has no cargo features.
//!
//! # Catalogue
//!
//! | item | file | what |
//! |---|---|---|
//! | [`TileId`], [`MAX_ZOOM`], [`tiles_covering`] | `tile_id.rs` | XYZ tile addresses (checked), bounds in Web Mercator and WGS84, the PMTiles Hilbert id, the tiles over a box |
//! | [`lonlat_to_mercator`], [`mercator_to_lonlat`], [`WORLD_WIDTH`] | `mercator.rs` | EPSG:4326 ↔ EPSG:3857, latitude clamped to ±85.05112878 |
//! | [`PropValue`], [`FieldType`], [`AttributeTable`] | `attributes.rs` | one row of typed values per feature; TileJSON field types |
//! | [`PrepareOptions`], [`LayerGeometry`] | `layer.rs` | a layer prepared once per dataset: projection, R-tree, simplification for every zoom |
//! | [`encode_tile`], [`encode_tile_within`], [`LayerInput`], [`EncodedTile`] | `encode.rs` | one MVT tile from several layers, or `None` when empty; within a gzip byte budget by lowering the detail; attributes and features with a minimum zoom |
//! | [`encode_geojson_tile_within`], [`GeoJsonTile`] | `geojson.rs` | one layer's tile as a GeoJSON FeatureCollection in WGS84: the MVT tile's features, ids and attributes, vertices converted back from its tile units |
//! | (internal) | `features.rs` | the clipped, simplified, quantised features and carried attributes of one layer in one tile, which both encoders write |
//! | [`BoundaryLines`], [`BoundaryKind`] | `boundaries.rs` | a polygon layer's outline and the lines between groups of features, from its topology |
//! | (internal) | `cells.rs` | the sub-pixel rule: polygons smaller than a pixel become pixel squares given to the area filling most of each |
//! | [`write_pmtiles`] | `pmtiles.rs` | a PMTiles v3 archive of MVT tiles |
//! | [`TileError`] | `error.rs` | everything that can go wrong |
//! | (internal) | `topology.rs`, `simplify.rs`, `clip.rs`, `commands.rs`, `vector_tile.rs` | shared-arc topology, Douglas-Peucker importance, box clipping, MVT geometry commands, the protobuf messages |
//!
//! # Gap-free simplification
//!
//! Polygon rings are split into arcs at the vertices where neighbours' shared boundaries
//! begin and end; each distinct arc is simplified once (Douglas-Peucker, tolerance
//! `tolerance * 40075016.68557849 / 2^z / extent` metres at zoom `z`) and rings are rebuilt
//! from their arcs, so two areas that share vertices along a common edge get the same
//! simplified edge at every zoom. Inputs whose neighbours do not share vertices (e.g. the
//! UK-GeoJSON LSOA11 files) are simplified ring by ring.
//!
//! # Example
//!
//! ```
//! use geo_types::{polygon, MultiPolygon};
//! use safemap_tiles::*;
//! let area = polygon![(x: -4.15, y: 50.36), (x: -4.13, y: 50.36), (x: -4.13, y: 50.38), (x: -4.15, y: 50.38)];
//! let geometry = LayerGeometry::polygons(vec![MultiPolygon::new(vec![area])], PrepareOptions::default());
//! let attributes = AttributeTable { keys: vec!["rate".into()], rows: vec![vec![PropValue::Float(12.5)]] };
//! let layer = LayerInput::new("areas", &geometry, &attributes);
//! let tiles: Vec<_> = tiles_covering(geometry.bounds_wgs84().unwrap(), 14).collect();
//! let encoded: Vec<_> = tiles.iter().filter_map(|t| encode_tile(*t, &[layer]).unwrap()).collect();
//! assert_eq!(encoded.len(), tiles.len());
//! ```

mod attributes;
mod boundaries;
mod cells;
mod clip;
mod commands;
mod encode;
mod error;
mod features;
mod geojson;
mod layer;
mod mercator;
mod pmtiles;
mod simplify;
mod tile_id;
mod topology;
mod vector_tile;

pub use attributes::{AttributeTable, FieldType, PropValue};
pub use boundaries::{BoundaryKind, BoundaryLines};
pub use encode::{
    encode_tile, encode_tile_within, EncodedTile, LayerInput, DEFAULT_TILE_BUDGET, TILE_PIXELS,
};
pub use error::TileError;
pub use geojson::{encode_geojson_tile_within, GeoJsonTile};
pub use layer::{LayerGeometry, PrepareOptions};
pub use mercator::{lonlat_to_mercator, mercator_to_lonlat, HALF_WORLD, WORLD_WIDTH};
pub use pmtiles::write_pmtiles;
pub use tile_id::{tiles_covering, TileId, MAX_ZOOM};
