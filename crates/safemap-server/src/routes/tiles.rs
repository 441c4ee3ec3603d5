//! `/tiles/{layer}.json` (TileJSON 3.0.0) and `/tiles/{layer}/{z}/{x}/{y}.mvt`.

use crate::error::AppError;
use crate::role::Role;
use crate::state::AppState;
use crate::tile_cache::{EncodedTile, TileKey};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use safemap_tiles::{encode_tile, LayerInput, TileId};
use sha2::{Digest, Sha256};
use std::io::Write;

/// Highest zoom TileJSON advertises; clients overzoom beyond it.
const MAX_ZOOM: u8 = 16;

/// `GET /tiles/{layer}.json`.
pub async fn tilejson(
    State(state): State<AppState>,
    role: Role,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, AppError> {
    let layer_id = file.strip_suffix(".json").ok_or_else(|| {
        AppError::NotFound(format!(
            "no route /tiles/{file}: TileJSON is at /tiles/{{layer}}.json"
        ))
    })?;
    let data = state.data();
    let layer = data
        .layers
        .get(layer_id)
        .ok_or_else(|| unknown_layer(layer_id, &data))?;
    let attributes = layer
        .attributes(role.is_analyst())
        .ok_or_else(|| analyst_only(layer_id))?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1");
    let fields: serde_json::Map<String, serde_json::Value> = attributes
        .field_types()
        .into_iter()
        .map(|(k, t)| (k, t.as_str().into()))
        .collect();
    let bounds = layer
        .geometry
        .bounds_wgs84()
        .or(data.bounds)
        .unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    Ok(Json(serde_json::json!({
        "tilejson": "3.0.0",
        "name": format!("{} — {layer_id}", data.study),
        "scheme": "xyz",
        "tiles": [format!("http://{host}/tiles/{layer_id}/{{z}}/{{x}}/{{y}}.mvt")],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [f64::midpoint(bounds[0], bounds[2]), f64::midpoint(bounds[1], bounds[3]), 11],
        "vector_layers": [{"id": layer_id, "fields": fields, "minzoom": 0, "maxzoom": MAX_ZOOM}],
        "attribution": "safemap",
    })))
}

fn unknown_layer(id: &str, data: &crate::dataset::Dataset) -> AppError {
    AppError::NotFound(format!(
        "no tile layer {id:?}; layers: {}",
        data.layers.keys().cloned().collect::<Vec<_>>().join(", ")
    ))
}

fn analyst_only(id: &str) -> AppError {
    AppError::Forbidden(format!(
        "layer {id:?} is drawn from a sensitive source's event locations and is for the analyst role only"
    ))
}

fn coordinate<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, AppError> {
    v.parse()
        .map_err(|_| AppError::BadRequest(format!("tile {name} {v:?} is not a whole number")))
}

/// `GET /tiles/{layer}/{z}/{x}/{y}.mvt`.
pub async fn tile(
    State(state): State<AppState>,
    role: Role,
    Path((layer_id, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let y = y.strip_suffix(".mvt").ok_or_else(|| {
        AppError::NotFound(format!(
            "tiles end in .mvt: /tiles/{layer_id}/{z}/{x}/{y}.mvt"
        ))
    })?;
    let id = TileId::new(
        coordinate("z", &z)?,
        coordinate("x", &x)?,
        coordinate("y", y)?,
    )
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let data = state.data();
    let layer = data
        .layers
        .get(&layer_id)
        .ok_or_else(|| unknown_layer(&layer_id, &data))?;
    if layer.attributes(role.is_analyst()).is_none() {
        return Err(analyst_only(&layer_id));
    }
    let key = TileKey {
        fingerprint: data.fingerprint.clone(),
        layer: layer_id.clone(),
        analyst: role.is_analyst(),
        zxy: (id.z, id.x, id.y),
    };
    let cache_state = state.clone();
    let tile = tokio::task::spawn_blocking(move || {
        cache_state.tiles().get_or_encode(key, || {
            let layer = &data.layers[&layer_id];
            let attributes = layer
                .attributes(role.is_analyst())
                .ok_or_else(|| "layer not visible to this role".to_string())?;
            let raw = encode_tile(
                id,
                &[LayerInput {
                    name: &layer_id,
                    geometry: &layer.geometry,
                    attributes,
                }],
            )
            .map_err(|e| e.to_string())?;
            Ok::<_, String>(encoded(raw, role))
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(respond(&tile, role, &headers))
}

/// Gzips and tags an encoded tile.
fn encoded(raw: Option<Vec<u8>>, role: Role) -> EncodedTile {
    let mut hash = Sha256::new();
    hash.update(role.as_str());
    hash.update(raw.as_deref().unwrap_or_default());
    let digest = format!("{:x}", hash.finalize());
    let etag = format!("\"{}\"", &digest[..24]);
    let data = raw.map(|raw| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        // Writing to a Vec cannot fail.
        let gzipped = gz
            .write_all(&raw)
            .and_then(|()| gz.finish())
            .unwrap_or_default();
        (Bytes::from(raw), Bytes::from(gzipped))
    });
    EncodedTile { data, etag }
}

fn respond(tile: &EncodedTile, role: Role, headers: &HeaderMap) -> Response {
    let cache_control = if role.is_analyst() {
        "private, max-age=60"
    } else {
        "public, max-age=300"
    };
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == tile.etag || t.trim() == "*")
        });
    let mut builder = Response::builder()
        .header(header::ETAG, &tile.etag)
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::VARY, "Accept-Encoding, Authorization");
    let response = if not_modified {
        builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        match &tile.data {
            None => builder.status(StatusCode::NO_CONTENT).body(Body::empty()),
            Some((raw, gz)) => {
                let gzip = headers
                    .get(header::ACCEPT_ENCODING)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
                builder =
                    builder.header(header::CONTENT_TYPE, "application/vnd.mapbox-vector-tile");
                if gzip {
                    builder
                        .header(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))
                        .body(Body::from(gz.clone()))
                } else {
                    builder.body(Body::from(raw.clone()))
                }
            }
        }
    };
    response.unwrap_or_else(|e| AppError::Internal(e.to_string()).into_response())
}
