//! Static export: the public layers as tiles for a PMTiles archive, to host without a
//! server. Only what the public role may see goes in: the public attribute tables, and no
//! layer that is analyst-only.

use crate::dataset::Dataset;
use rayon::prelude::*;
use safemap_tiles::{
    encode_tile_within, tiles_covering, LayerInput, TileError, TileId, DEFAULT_TILE_BUDGET,
};

/// The public layers' tiles for zooms `min_zoom..=max_zoom` over `bbox` (default: the
/// areas' bounds), one MVT layer per safemap layer in each tile, each tile within
/// [`DEFAULT_TILE_BUDGET`] gzipped bytes (all layers together); empty tiles left out.
pub fn public_tiles(
    data: &Dataset,
    min_zoom: u8,
    max_zoom: u8,
    bbox: Option<[f64; 4]>,
) -> Result<Vec<(TileId, Vec<u8>)>, TileError> {
    let Some(bbox) = bbox.or(data.bounds) else {
        return Ok(Vec::new());
    };
    let inputs: Vec<LayerInput<'_>> = data
        .layers
        .iter()
        .filter_map(|(name, l)| l.input(name, false))
        .collect();
    let ids: Vec<TileId> = (min_zoom..=max_zoom)
        .flat_map(|z| tiles_covering(bbox, z))
        .collect();
    let tiles = ids
        .par_iter()
        .map(|&id| Ok(encode_tile_within(id, &inputs, DEFAULT_TILE_BUDGET)?.map(|t| (id, t.mvt))))
        .collect::<Result<Vec<_>, TileError>>()?;
    Ok(tiles.into_iter().flatten().collect())
}

/// TileJSON-style metadata of the public layers (`vector_layers` with field types).
pub fn public_metadata(data: &Dataset, min_zoom: u8, max_zoom: u8) -> serde_json::Value {
    let layers: Vec<serde_json::Value> = data
        .layers
        .iter()
        .filter_map(|(name, l)| {
            let fields: serde_json::Map<String, serde_json::Value> = l
                .public
                .as_ref()?
                .field_types()
                .into_iter()
                .map(|(k, t)| (k, t.as_str().into()))
                .collect();
            Some(serde_json::json!({"id": name, "fields": fields, "minzoom": min_zoom, "maxzoom": max_zoom}))
        })
        .collect();
    serde_json::json!({
        "name": data.study,
        "description": "safemap public layers (disclosure-controlled)",
        "attribution": "safemap",
        "vector_layers": layers,
    })
}
