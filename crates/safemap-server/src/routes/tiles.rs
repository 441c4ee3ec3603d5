//! `/tiles/{layer}.json` (TileJSON 3.0.0) and `/tiles/{layer}/{z}/{x}/{y}.mvt` or
//! `.geojson`: one handler for both encodings, with the same checks, cache and headers.

use crate::dataset::{FULL_ATTRIBUTES_ZOOM, LABEL_MIN_PIXELS};
use crate::error::AppError;
use crate::role::Role;
use crate::state::AppState;
use crate::tile_cache::{EncodedTile, TileFormat, TileKey};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use safemap_tiles::{encode_geojson_tile_within, encode_tile_within, TileId, DEFAULT_TILE_BUDGET};
use sha2::{Digest, Sha256};

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
        "geojson_tiles": [format!("http://{host}/tiles/{layer_id}/{{z}}/{{x}}/{{y}}.geojson")],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [f64::midpoint(bounds[0], bounds[2]), f64::midpoint(bounds[1], bounds[3]), 11],
        "vector_layers": [{
            "id": layer_id,
            "fields": fields,
            "fields_minzoom": layer.fields_min_zoom(role.is_analyst()),
            "description": layer_description(layer_id),
            "minzoom": 0,
            "maxzoom": MAX_ZOOM,
        }],
        "attribution": "safemap",
    })))
}

/// What a layer's tiles hold, for TileJSON `vector_layers[].description`.
fn layer_description(id: &str) -> String {
    match id {
        "areas" => format!(
            "One polygon per area, feature id = area index. Below zoom {FULL_ATTRIBUTES_ZOOM} a tile \
             carries only code and the hotspot classes (fields_minzoom lists the rest); areas smaller than a pixel are merged into pixel squares given to \
             the area filling most of each; every tile is at most {DEFAULT_TILE_BUDGET} bytes \
             gzipped, coarser where needed."
        ),
        "context" => "Lines: kind study_outline (the edge of the study area) or district (between \
                      areas of different districts)."
            .into(),
        "labels" => format!(
            "Points inside each area (kind area, from the zoom where the area is \
             {LABEL_MIN_PIXELS} px wide) and each district (kind district), with name."
        ),
        super::levels::SMALL_AREAS_LAYER => "The small areas of a study reported by neighbourhood \
                          (catalogue `levels`): code, name, neighbourhood, neighbourhood_name, \
                          population, deprivation and each open source's {source}_all_count and \
                          {source}_all_rate over the study period."
            .into(),
        _ => String::new(),
    }
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

/// `GET /tiles/{layer}/{z}/{x}/{y}.mvt` and `.geojson`.
pub async fn tile(
    State(state): State<AppState>,
    role: Role,
    Path((layer_id, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (y, format) = y
        .rsplit_once('.')
        .and_then(|(y, ext)| Some((y, TileFormat::from_extension(ext)?)))
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "no tile /tiles/{layer_id}/{z}/{x}/{y}: tiles end in .mvt or .geojson"
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
        format,
    };
    let cache_state = state.clone();
    let tile = tokio::task::spawn_blocking(move || {
        cache_state.tiles().get_or_encode(key, || {
            let input = data.layers[&layer_id]
                .input(&layer_id, role.is_analyst())
                .ok_or_else(|| "layer not visible to this role".to_string())?;
            let encoded = match format {
                TileFormat::Mvt => encode_tile_within(id, &[input], DEFAULT_TILE_BUDGET)
                    .map(|t| t.map(|t| (t.mvt, t.gzip))),
                TileFormat::GeoJson => encode_geojson_tile_within(id, input, DEFAULT_TILE_BUDGET)
                    .map(|t| Some((t.geojson, t.gzip))),
            };
            Ok::<_, String>(tagged(encoded.map_err(|e| e.to_string())?, format, role))
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(respond(&tile, format, role, &headers))
}

/// Tags an encoded tile (its bytes and their gzip; `None` when empty) with its ETag.
fn tagged(tile: Option<(Vec<u8>, Vec<u8>)>, format: TileFormat, role: Role) -> EncodedTile {
    let mut hash = Sha256::new();
    hash.update(role.as_str());
    hash.update(format.content_type());
    hash.update(tile.as_ref().map(|t| t.0.as_slice()).unwrap_or_default());
    let digest = format!("{:x}", hash.finalize());
    let etag = format!("\"{}\"", &digest[..24]);
    let data = tile.map(|(raw, gz)| (Bytes::from(raw), Bytes::from(gz)));
    EncodedTile { data, etag }
}

fn respond(tile: &EncodedTile, format: TileFormat, role: Role, headers: &HeaderMap) -> Response {
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
                builder = builder.header(header::CONTENT_TYPE, format.content_type());
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
