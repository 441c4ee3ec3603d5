//! The crate's error type.

use thiserror::Error;

/// What can go wrong when addressing, encoding or archiving tiles.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TileError {
    /// A zoom level above [`crate::MAX_ZOOM`].
    #[error("zoom {z} is out of range: zoom levels run from 0 to {max}")]
    ZoomOutOfRange {
        /// The zoom asked for.
        z: u8,
        /// The highest zoom supported.
        max: u8,
    },
    /// A tile column or row outside `0..2^z`.
    #[error("tile {axis} = {value} is out of range at zoom {z}: it must be in 0..={max}")]
    CoordOutOfRange {
        /// `"x"` or `"y"`.
        axis: &'static str,
        /// The value given.
        value: u32,
        /// The zoom level.
        z: u8,
        /// The highest valid value, `2^z - 1`.
        max: u32,
    },
    /// Two layers of one tile with the same name.
    #[error("layer name {name:?} is used twice in one tile: give every layer a unique name")]
    DuplicateLayerName {
        /// The repeated name.
        name: String,
    },
    /// An attribute table whose row count differs from the layer's feature count.
    #[error(
        "layer {layer:?} has {features} features but its attribute table has {rows} rows: \
         give one row per feature, in feature order"
    )]
    AttributeRowCount {
        /// The layer name.
        layer: String,
        /// Features in the geometry.
        features: usize,
        /// Rows in the attribute table.
        rows: usize,
    },
    /// An attribute row whose length differs from the number of keys.
    #[error(
        "layer {layer:?}: attribute row {row} has {values} values but the table has {keys} keys: \
         give one value per key (PropValue::Null for none)"
    )]
    AttributeRowWidth {
        /// The layer name.
        layer: String,
        /// The row (feature index).
        row: usize,
        /// Values in the row.
        values: usize,
        /// Keys in the table.
        keys: usize,
    },
    /// A list of minimum zooms whose length is neither 0 nor one per key or feature.
    #[error(
        "layer {layer:?}: {given} {what} minimum zooms for {wanted} {what}s: give one per \
         {what}, or none"
    )]
    MinZoomCount {
        /// The layer name.
        layer: String,
        /// `"key"` or `"feature"`.
        what: &'static str,
        /// Zooms given.
        given: usize,
        /// Keys or features in the layer.
        wanted: usize,
    },
    /// A tile that stays over its byte budget even at the coarsest detail.
    #[error(
        "tile {tile} is {bytes} bytes gzipped even at the coarsest detail, over the budget of \
         {budget}: the layer has too many features here (thin out its points)"
    )]
    OverBudget {
        /// `z/x/y`.
        tile: String,
        /// Gzipped bytes at detail 0.
        bytes: usize,
        /// The budget.
        budget: usize,
    },
    /// The same tile twice in a PMTiles export.
    #[error("tile {z}/{x}/{y} is given twice to the PMTiles writer: give each tile once")]
    DuplicateTile {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
    },
    /// PMTiles metadata that is not a JSON object.
    #[error("PMTiles metadata must be a JSON object, got {kind}")]
    MetadataNotObject {
        /// The JSON type given (`"array"`, `"string"`, ...).
        kind: &'static str,
    },
    /// Writing the archive to the caller's writer (or compressing) failed.
    #[error("writing the PMTiles archive failed: {0}")]
    Io(#[from] std::io::Error),
}
