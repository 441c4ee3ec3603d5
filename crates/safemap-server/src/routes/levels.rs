//! The small areas of a `[neighbourhoods]` study: the catalogue's `levels` entry (what a
//! neighbourhood is called, the zoom from which the map shows the small areas instead, the
//! tile layer that holds them) and `/api/small_areas.json` (every small area's attributes,
//! which the map classifies). Absent for other studies.

use crate::dataset::Dataset;
use crate::error::AppError;
use crate::role::Role;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use safemap_tiles::PropValue;
use serde_json::{json, Map, Value};

/// The registry name of the small areas' layer (written by the engine).
pub const SMALL_AREAS_LAYER: &str = "small_areas";

/// `levels` of `/api/layers`: `{label, switch_zoom, small_areas, small_area_vintage}` from
/// the manifest's `areas.neighbourhoods`, or `None` when the study has no neighbourhoods,
/// no small-areas layer or one this role may not see.
pub fn catalogue_entry(data: &Dataset, role: Role) -> Option<Value> {
    let n = data.manifest.areas.get("neighbourhoods")?;
    let label = n.get("label")?.as_str()?;
    let switch_zoom = n.get("switch_zoom")?.as_f64()?;
    data.layers
        .get(SMALL_AREAS_LAYER)?
        .attributes(role.is_analyst())?;
    Some(json!({
        "label": label,
        "switch_zoom": switch_zoom,
        "small_areas": SMALL_AREAS_LAYER,
        "small_area_vintage": n.get("small_area_vintage").cloned().unwrap_or(Value::Null),
    }))
}

/// `GET /api/small_areas.json`: `{"role", "small_areas": [{code, name, neighbourhood, ...}]}`,
/// each small area with exactly the attributes its tiles carry for the role (the same
/// disclosure control); a value the tiles leave out is `null`.
pub async fn small_areas_json(
    State(state): State<AppState>,
    role: Role,
) -> Result<Json<Value>, AppError> {
    let data = state.data();
    tokio::task::spawn_blocking(move || {
        let layer = data.layers.get(SMALL_AREAS_LAYER).ok_or_else(|| {
            AppError::NotFound(
                "this study has no small areas: it is not reported by neighbourhood ([neighbourhoods])"
                    .into(),
            )
        })?;
        let table = layer.attributes(role.is_analyst()).ok_or_else(|| {
            AppError::Forbidden("the small areas are for the analyst role only".into())
        })?;
        let rows: Vec<Value> = table
            .rows
            .iter()
            .map(|row| {
                let object: Map<String, Value> = table
                    .keys
                    .iter()
                    .zip(row)
                    .map(|(k, v)| (k.clone(), json_value(v)))
                    .collect();
                Value::Object(object)
            })
            .collect();
        Ok(Json(json!({"role": role.as_str(), "small_areas": rows})))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// A tile attribute as JSON (a non-finite number as `null`, as in GeoJSON tiles).
fn json_value(v: &PropValue) -> Value {
    match v {
        PropValue::Null => Value::Null,
        PropValue::Bool(b) => json!(b),
        PropValue::Int(i) => json!(i),
        PropValue::UInt(u) => json!(u),
        PropValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        PropValue::String(s) => json!(s),
    }
}
