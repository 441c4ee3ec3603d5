//! GeoJSON FeatureCollections (plain or gzipped).
//!
//! The file is read into memory, its top level is parsed with each feature kept as raw
//! JSON, and the features are then parsed with the `geojson` crate in parallel, which keeps
//! the 86 MB national LSOA file fast.

use super::{BoundaryMapping, RawArea, RawSet};
use crate::open::read_all;
use crate::{IngestError, InputLimits};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeometryValue, Position};
use rayon::prelude::*;
use safemap_types::Crs;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::path::Path;

/// The top level of a FeatureCollection, features left unparsed.
#[derive(Deserialize)]
struct Skeleton<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default, borrow)]
    features: Vec<&'a RawValue>,
}

pub(super) fn read(
    path: &Path,
    mapping: &BoundaryMapping,
    limits: InputLimits,
) -> Result<RawSet, IngestError> {
    let start = std::time::Instant::now();
    let bytes = read_all(path, limits)?;
    let read = start.elapsed();
    let json_err = |source: serde_json::Error| IngestError::Json {
        path: path.to_path_buf(),
        line: source.line(),
        column: source.column(),
        source,
    };
    let top: Skeleton<'_> = serde_json::from_slice(&bytes).map_err(json_err)?;
    if top.kind != "FeatureCollection" {
        return Err(IngestError::NotFeatureCollection {
            path: path.to_path_buf(),
            found: top.kind,
        });
    }
    let declared = top.crs.as_ref().map(|c| declared_crs(path, c));
    let split = start.elapsed();
    let areas = top
        .features
        .par_iter()
        .enumerate()
        .map(|(i, raw)| {
            let feature: Feature =
                serde_json::from_str(raw.get()).map_err(|source| IngestError::BadFeature {
                    path: path.to_path_buf(),
                    feature: i,
                    source,
                })?;
            area(path, i, feature, mapping)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    tracing::debug!(
        file = %path.display(),
        read_ms = read.as_millis(),
        split_ms = split.saturating_sub(read).as_millis(),
        parse_ms = start.elapsed().saturating_sub(split).as_millis(),
        "GeoJSON read"
    );
    Ok(RawSet { areas, declared })
}

/// The CRS named by a legacy `"crs": {"type": "name", "properties": {"name": ...}}` member.
fn declared_crs(path: &Path, crs: &Value) -> Result<Crs, IngestError> {
    let name = crs
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .map_or_else(|| crs.to_string(), str::to_string);
    name.parse::<Crs>()
        .map_err(|source| IngestError::UnknownCrs {
            path: path.to_path_buf(),
            name,
            source,
        })
}

fn area(
    path: &Path,
    index: usize,
    feature: Feature,
    mapping: &BoundaryMapping,
) -> Result<RawArea, IngestError> {
    let props = feature.properties.unwrap_or_default();
    let missing = |field: &str| IngestError::MissingField {
        path: path.to_path_buf(),
        feature: index,
        field: field.to_string(),
        available: props
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    };
    let id_value = props
        .get(&mapping.id_field)
        .ok_or_else(|| missing(&mapping.id_field))?;
    let code = property_text(id_value)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| IngestError::BadId {
            path: path.to_path_buf(),
            feature: index,
            field: mapping.id_field.clone(),
            value: id_value.to_string(),
        })?;
    let name = match &mapping.name_field {
        Some(f) => {
            let v = props.get(f).ok_or_else(|| missing(f))?;
            property_text(v).unwrap_or_default()
        }
        None => String::new(),
    };
    let unsupported = |kind: &str| IngestError::UnsupportedGeometry {
        path: path.to_path_buf(),
        feature: index,
        kind: kind.to_string(),
    };
    // A ring whose last position is not its first: geo_types closes it.
    let unclosed = |rings: &[Vec<Position>]| {
        rings
            .iter()
            .filter(|r| r.len() > 1 && r.first() != r.last())
            .count()
    };
    let (geometry, unclosed_rings) = match feature.geometry.map(|g| g.value) {
        Some(GeometryValue::Polygon { coordinates }) => (
            MultiPolygon(vec![polygon(path, index, &coordinates)?]),
            unclosed(&coordinates),
        ),
        Some(GeometryValue::MultiPolygon { coordinates }) => (
            MultiPolygon(
                coordinates
                    .iter()
                    .map(|p| polygon(path, index, p))
                    .collect::<Result<_, _>>()?,
            ),
            coordinates.iter().map(|p| unclosed(p)).sum(),
        ),
        Some(other) => return Err(unsupported(other.type_name())),
        None => return Err(unsupported("null")),
    };
    let values = mapping
        .value_fields
        .iter()
        .map(|f| {
            let v = props.get(f).ok_or_else(|| missing(f))?;
            super::field_number(path, index, f, property_text(v).as_deref())
        })
        .collect::<Result<_, _>>()?;
    Ok(RawArea {
        code,
        name,
        geometry,
        values,
        unclosed_rings,
    })
}

/// A property as text: strings trimmed, whole numbers without a decimal point, other numbers
/// as written; `None` for null, booleans, arrays and objects.
fn property_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        }),
        _ => None,
    }
}

fn polygon(
    path: &Path,
    index: usize,
    rings: &[Vec<Position>],
) -> Result<Polygon<f64>, IngestError> {
    let bad = |problem| IngestError::BadGeometry {
        path: path.to_path_buf(),
        feature: index,
        problem,
    };
    let ring = |r: &Vec<Position>| -> Result<LineString<f64>, IngestError> {
        r.iter()
            .map(|p| match p.as_slice() {
                [x, y, ..] => Ok(Coord { x: *x, y: *y }),
                _ => Err(bad("a position has fewer than two numbers")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(LineString)
    };
    let (exterior, interiors) = rings
        .split_first()
        .ok_or_else(|| bad("a polygon has no rings"))?;
    Ok(Polygon::new(
        ring(exterior)?,
        interiors.iter().map(ring).collect::<Result<_, _>>()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes from the `id` property, nothing else.
    fn id_mapping() -> BoundaryMapping {
        BoundaryMapping {
            layer: None,
            value_fields: Vec::new(),
            id_field: "id".into(),
            name_field: None,
            crs: None,
        }
    }

    #[test]
    fn properties_as_text() {
        assert_eq!(
            property_text(&serde_json::json!(" E01 ")),
            Some("E01".into())
        );
        assert_eq!(property_text(&serde_json::json!(12)), Some("12".into()));
        assert_eq!(property_text(&serde_json::json!(12.0)), Some("12".into()));
        assert_eq!(property_text(&serde_json::json!(1.5)), Some("1.5".into()));
        assert_eq!(property_text(&serde_json::json!(null)), None);
    }

    #[test]
    fn gzipped_multipolygons_and_bad_geometry() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let body = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}},
            {"type":"Feature","properties":{"id":8},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
        let p = dir.path().join("x.geojson.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(body.as_bytes()).unwrap();
        std::fs::write(&p, enc.finish().unwrap()).unwrap();
        let m = id_mapping();
        let err = read(&p, &m, InputLimits::default()).err().unwrap();
        assert!(
            matches!(&err, IngestError::UnsupportedGeometry { feature: 1, kind, .. } if kind == "Point"),
            "{err}"
        );
        let fine = body.replace(
            "\"Point\",\"coordinates\":[0,0]",
            "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]",
        );
        let p2 = dir.path().join("y.json");
        std::fs::write(&p2, fine).unwrap();
        let set = read(&p2, &m, InputLimits::default()).unwrap();
        assert_eq!(set.areas[0].code, "7");
        assert_eq!(set.areas[0].geometry.0.len(), 2);
        assert!(set.declared.is_none());
        std::fs::write(&p2, r#"{"type":"Feature"}"#).unwrap();
        assert!(matches!(
            read(&p2, &m, InputLimits::default()),
            Err(IngestError::NotFeatureCollection { .. })
        ));
        std::fs::write(
            &p2,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",}]}"#,
        )
        .unwrap();
        assert!(matches!(
            read(&p2, &m, InputLimits::default()),
            Err(IngestError::Json { line: 1, .. })
        ));
    }

    /// Deeply nested arrays are an error naming the feature, not a stack overflow; a
    /// polygon of a million vertices (no recursion per vertex) reads whole.
    #[test]
    fn deep_nesting_is_an_error_and_a_huge_ring_reads() {
        let dir = tempfile::tempdir().unwrap();
        let m = id_mapping();
        let depth = 100_000;
        let deep = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":1}},"geometry":{{"type":"Polygon","coordinates":{}{}}}}}]}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let p = dir.path().join("deep.json");
        std::fs::write(&p, deep).unwrap();
        let err = read(&p, &m, InputLimits::default()).err().unwrap();
        assert!(
            matches!(&err, IngestError::BadFeature { feature: 0, source, .. }
                if source.to_string().contains("recursion limit")),
            "{err}"
        );
        let n = 1_000_000;
        let ring: Vec<String> = (0..=n)
            .map(|i| {
                let a = -std::f64::consts::TAU * f64::from(i % n) / f64::from(n);
                format!("[{:.9},{:.9}]", a.cos(), a.sin())
            })
            .collect();
        let huge = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":1}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            ring.join(",")
        );
        std::fs::write(&p, huge).unwrap();
        let set = read(&p, &m, InputLimits::default()).unwrap();
        assert_eq!(
            set.areas[0].geometry.0[0].exterior().0.len(),
            n as usize + 1
        );
    }
}
