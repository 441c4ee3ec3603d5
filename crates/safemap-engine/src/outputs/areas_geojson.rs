//! `areas.geojson`: RFC 7946 FeatureCollection in WGS84, one feature per area with the
//! attribute table as properties, then any further area columns (those of `[access]`).
//!
//! Each feature is serialised straight from the area's row, not built as a
//! `serde_json::Value` tree first: with 34,753 areas of a hundred columns and their
//! polygons, the trees were most of the time the file took.

use crate::error::EngineError;
use crate::outputs::{write_features_indexed, Rounded};
use crate::results::{ColumnValue, StudyResults};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::path::Path;

/// A column value as JSON: text, a whole number, a number, or null for a value that is
/// missing or not finite.
struct Json<'a>(&'a ColumnValue);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            ColumnValue::Text(t) => s.serialize_str(t),
            ColumnValue::Count(n) => s.serialize_u64(*n),
            ColumnValue::Number(Some(x)) if x.is_finite() => s.serialize_f64(*x),
            ColumnValue::Number(_) => s.serialize_unit(),
        }
    }
}

/// One area's properties: the attribute table's columns, then the further columns.
struct Properties<'a> {
    columns: &'a [String],
    row: Vec<ColumnValue>,
    extra: &'a [(String, Vec<ColumnValue>)],
    area: usize,
}

impl Serialize for Properties<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len() + self.extra.len()))?;
        for (name, v) in self.columns.iter().zip(&self.row) {
            map.serialize_entry(name, &Json(v))?;
        }
        for (name, values) in self.extra {
            map.serialize_entry(name, &Json(&values[self.area]))?;
        }
        map.end()
    }
}

/// One area's feature.
struct Feature<'a> {
    id: usize,
    properties: Properties<'a>,
    /// `None` for planar boundaries, which have no WGS84 geometry: RFC 7946 allows a null
    /// geometry.
    geometry: Option<Rounded<&'a geo_types::MultiPolygon<f64>>>,
}

impl Serialize for Feature<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("properties", &self.properties)?;
        map.serialize_entry("geometry", &self.geometry)?;
        map.end()
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
    write_features_indexed(path, areas.len(), |i| Feature {
        id: i,
        properties: Properties {
            columns: &columns,
            row: results.row(i),
            extra,
            area: i,
        },
        geometry: areas[i].geometry_wgs84.as_ref().map(Rounded),
    })
}
