//! ESRI Shapefiles (`.shp` + `.shx` + `.dbf`, optional `.prj`), read in pure Rust with the
//! `shapefile` crate.

use super::{number_text, BoundaryMapping, RawArea, RawSet};
use crate::IngestError;
use geo::Contains;
use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use safemap_types::Crs;
use shapefile::dbase::{FieldValue, Record};
use shapefile::{PolygonRing, Shape};
use std::path::Path;

pub(super) fn read(path: &Path, mapping: &BoundaryMapping) -> Result<RawSet, IngestError> {
    let shp_err = |source| IngestError::Shapefile {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = shapefile::Reader::from_path(path).map_err(shp_err)?;
    let mut areas = Vec::new();
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(shp_err)?;
        let geometry = match &shape {
            Shape::Polygon(p) => group_rings(p.rings(), |q| Coord { x: q.x, y: q.y }),
            Shape::PolygonM(p) => group_rings(p.rings(), |q| Coord { x: q.x, y: q.y }),
            Shape::PolygonZ(p) => group_rings(p.rings(), |q| Coord { x: q.x, y: q.y }),
            other => {
                return Err(IngestError::UnsupportedGeometry {
                    path: path.to_path_buf(),
                    feature: index,
                    kind: other.shapetype().to_string(),
                })
            }
        };
        let code = text(path, index, &record, &mapping.id_field)?
            .filter(|c| !c.is_empty())
            .ok_or_else(|| IngestError::BadId {
                path: path.to_path_buf(),
                feature: index,
                field: mapping.id_field.clone(),
                value: "an empty value".to_string(),
            })?;
        let name = match &mapping.name_field {
            Some(f) => text(path, index, &record, f)?.unwrap_or_default(),
            None => String::new(),
        };
        let values = mapping
            .value_fields
            .iter()
            .map(|f| super::field_number(path, index, f, text(path, index, &record, f)?.as_deref()))
            .collect::<Result<_, _>>()?;
        areas.push(RawArea {
            code,
            name,
            geometry,
            values,
            // The format's rings are closed by definition (or by GDAL).
            unclosed_rings: 0,
        });
    }
    let prj = path.with_extension("prj");
    let declared = if prj.is_file() {
        Some(
            std::fs::read_to_string(&prj)
                .map_err(|e| IngestError::io(&prj, e))
                .and_then(|t| prj_crs(&prj, &t)),
        )
    } else {
        None
    };
    Ok(RawSet { areas, declared })
}

/// The CRS a `.prj` (ESRI WKT) describes, if it is one safemap reads.
fn prj_crs(prj: &Path, wkt: &str) -> Result<Crs, IngestError> {
    let upper = wkt.to_ascii_uppercase();
    if upper.contains("BRITISH_NATIONAL_GRID") || upper.contains("OSGB") {
        Ok(Crs::BritishNationalGrid)
    } else if !upper.contains("PROJCS")
        && upper.contains("GEOGCS")
        && (upper.contains("WGS_1984") || upper.contains("WGS 84"))
    {
        Ok(Crs::Wgs84)
    } else {
        Err(IngestError::UnsupportedPrj {
            path: prj.to_path_buf(),
            summary: wkt.trim().chars().take(80).collect(),
        })
    }
}

/// An attribute as text (`None` when the value is null); whole numbers are written without a
/// decimal point. A missing attribute is [`IngestError::MissingField`].
fn text(
    path: &Path,
    index: usize,
    record: &Record,
    field: &str,
) -> Result<Option<String>, IngestError> {
    let value = record.get(field).ok_or_else(|| {
        let mut names: Vec<&str> = record.as_ref().keys().map(String::as_str).collect();
        names.sort_unstable();
        IngestError::MissingField {
            path: path.to_path_buf(),
            feature: index,
            field: field.to_string(),
            available: names.join(", "),
        }
    })?;
    Ok(match value {
        FieldValue::Character(s) => s.as_deref().map(|s| s.trim().to_string()),
        FieldValue::Memo(s) => Some(s.trim().to_string()),
        FieldValue::Numeric(n) => n.map(number_text),
        FieldValue::Float(n) => n.map(|f| number_text(f64::from(f))),
        FieldValue::Double(f) | FieldValue::Currency(f) => Some(number_text(*f)),
        FieldValue::Integer(i) => Some(i.to_string()),
        other => {
            return Err(IngestError::BadId {
                path: path.to_path_buf(),
                feature: index,
                field: field.to_string(),
                value: other.to_string(),
            })
        }
    })
}

/// Groups shapefile rings into polygons: each outer ring starts a polygon, and each inner
/// ring (hole) goes to the first polygon whose outer ring contains the hole's first point
/// (else to the latest polygon; a hole before any outer ring is taken as an outer ring).
fn group_rings<P>(rings: &[PolygonRing<P>], xy: impl Fn(&P) -> Coord<f64>) -> MultiPolygon<f64> {
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    let line = |pts: &[P]| LineString(pts.iter().map(&xy).collect());
    let mut holes = Vec::new();
    for ring in rings {
        match ring {
            PolygonRing::Outer(pts) => polygons.push(Polygon::new(line(pts), Vec::new())),
            PolygonRing::Inner(pts) if polygons.is_empty() => {
                polygons.push(Polygon::new(line(pts), Vec::new()));
            }
            PolygonRing::Inner(pts) => holes.push(line(pts)),
        }
    }
    for hole in holes {
        let first = hole.0.first().copied().map(Point);
        let target = first
            .and_then(|p| polygons.iter().position(|poly| poly.contains(&p)))
            .unwrap_or(polygons.len() - 1);
        polygons[target].interiors_push(hole);
    }
    MultiPolygon(polygons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prj_names() {
        let p = Path::new("x.prj");
        let bng = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936"]]]"#;
        assert_eq!(prj_crs(p, bng).unwrap(), Crs::BritishNationalGrid);
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]]]"#;
        assert_eq!(prj_crs(p, wgs).unwrap(), Crs::Wgs84);
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_18N",GEOGCS["GCS_WGS_1984"]]"#;
        assert!(matches!(
            prj_crs(p, utm),
            Err(IngestError::UnsupportedPrj { .. })
        ));
    }

    #[test]
    fn holes_go_to_their_polygon() {
        let sq = |x0: f64, s: f64| {
            vec![
                shapefile::Point::new(x0, 0.0),
                shapefile::Point::new(x0, s),
                shapefile::Point::new(x0 + s, s),
                shapefile::Point::new(x0 + s, 0.0),
                shapefile::Point::new(x0, 0.0),
            ]
        };
        let hole = vec![
            shapefile::Point::new(1.0, 1.0),
            shapefile::Point::new(2.0, 1.0),
            shapefile::Point::new(2.0, 2.0),
            shapefile::Point::new(1.0, 1.0),
        ];
        let rings = vec![
            PolygonRing::Outer(sq(0.0, 4.0)),
            PolygonRing::Outer(sq(10.0, 4.0)),
            PolygonRing::Inner(hole),
        ];
        let mp = group_rings(&rings, |q| Coord { x: q.x, y: q.y });
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.0[1].interiors().len(), 0);
    }
}
