//! `areas.geojson`: RFC 7946 FeatureCollection in WGS84, one feature per area with the
//! attribute table as properties, then any further area columns (those of `[access]`).

use crate::error::EngineError;
use crate::outputs::{rounded_geometry, write_features_indexed};
use crate::results::{ColumnValue, StudyResults};
use serde_json::{Map, Value};
use std::path::Path;

fn value_json(v: &ColumnValue) -> Value {
    match v {
        ColumnValue::Text(s) => Value::String(s.clone()),
        ColumnValue::Count(n) => Value::from(*n),
        ColumnValue::Number(x) => x.map_or(Value::Null, Value::from),
    }
}

/// Writes `areas.geojson`; `extra` holds further columns, one value per area each.
pub fn write(
    results: &StudyResults,
    extra: &[(String, Vec<ColumnValue>)],
    path: &Path,
) -> Result<(), EngineError> {
    let columns = results.columns();
    let areas = &results.areas.areas;
    write_features_indexed(path, areas.len(), |i| {
        let area = &areas[i];
        let mut props: Map<String, Value> = columns
            .iter()
            .cloned()
            .zip(results.row(i).iter().map(value_json))
            .collect();
        props.extend(
            extra
                .iter()
                .map(|(name, v)| (name.clone(), value_json(&v[i]))),
        );
        // Planar boundaries have no WGS84 geometry: RFC 7946 allows a null geometry.
        serde_json::json!({
            "type": "Feature",
            "id": i,
            "properties": props,
            "geometry": area.geometry_wgs84.as_ref().map(rounded_geometry),
        })
    })
}
