//! Boundaries from any vector format GDAL reads (the `gdal` feature): GeoPackage,
//! FlatGeobuf, KML, GML, CSV with a WKT column, a Shapefile whose `.prj` is neither British
//! National Grid nor WGS84, and so on.
//!
//! **CRS.** An explicit `crs` in the mapping is the coordinates' CRS, as they are. Otherwise
//! the layer's spatial reference, identified against the EPSG database: WGS84 (EPSG:4326,
//! OGC:CRS84) and British National Grid (EPSG:27700) are kept as they are. Any other CRS GDAL
//! knows is reprojected by GDAL (PROJ) into WGS84, and from there into British National Grid
//! by safemap's OSTN15, as every WGS84 input is. Not straight into EPSG:27700 by PROJ: without
//! the OSTN15 grid (Debian's proj-data has none) PROJ falls back on a Helmert transformation
//! that is metres out, and police.uk points, snapped to streets that are often area
//! boundaries, then change areas (Plymouth: 64 of 161 LSOAs got different counts, 457 events
//! moved, from a Shapefile that `ogr2ogr -t_srs EPSG:27700` made). A layer without a spatial reference
//! declares none, and `read_boundaries`' usual rules decide.

use super::{number_text, BoundaryMapping, RawArea, RawSet};
use crate::IngestError;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::Dataset;
use geo_types::{Geometry, MultiPolygon};
use safemap_types::Crs;
use std::path::Path;

pub(super) fn read(path: &Path, mapping: &BoundaryMapping) -> Result<RawSet, IngestError> {
    let gdal_err = |message: String| IngestError::Gdal {
        path: path.to_path_buf(),
        message,
    };
    let dataset = Dataset::open(path).map_err(|e| gdal_err(e.to_string()))?;
    let mut layer = match mapping.layer.as_deref() {
        Some(name) => dataset.layer_by_name(name).map_err(|_| {
            gdal_err(format!(
                "has no layer {name:?}; its layers are {}",
                layer_names(&dataset)
            ))
        })?,
        None if dataset.layer_count() == 1 => {
            dataset.layer(0).map_err(|e| gdal_err(e.to_string()))?
        }
        None => {
            return Err(gdal_err(format!(
                "has {} layers ({}): set layer in the study's [boundaries] table",
                dataset.layer_count(),
                layer_names(&dataset)
            )))
        }
    };
    let (declared, transform) = match (mapping.crs, layer.spatial_ref()) {
        (Some(_), _) | (None, None) => (None, None),
        (None, Some(srs)) => {
            let (crs, transform) = identify(&srs).map_err(|e| gdal_err(e.to_string()))?;
            (Some(Ok(crs)), transform)
        }
    };
    let names: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let column = |field: &str| {
        names
            .iter()
            .position(|n| n == field)
            .ok_or_else(|| IngestError::MissingField {
                path: path.to_path_buf(),
                feature: 0,
                field: field.to_string(),
                available: names.join(", "),
            })
    };
    let id = column(&mapping.id_field)?;
    let name = mapping.name_field.as_deref().map(column).transpose()?;
    let values = mapping
        .value_fields
        .iter()
        .map(|f| column(f))
        .collect::<Result<Vec<_>, _>>()?;

    let mut areas = Vec::new();
    for (index, feature) in layer.features().enumerate() {
        let bad_geometry = |kind: String| IngestError::UnsupportedGeometry {
            path: path.to_path_buf(),
            feature: index,
            kind,
        };
        let geometry = feature
            .geometry()
            .ok_or_else(|| bad_geometry("null".into()))?;
        let geometry = match &transform {
            Some(t) => geometry
                .transform(t)
                .map_err(|e| gdal_err(format!("feature {index} (0-based): {e}")))?,
            None => geometry.clone(),
        };
        let geometry = match geometry.to_geo() {
            Ok(Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Ok(Geometry::MultiPolygon(m)) => m,
            _ => return Err(bad_geometry(geometry.geometry_name())),
        };
        let text = |i: usize| -> Result<Option<String>, IngestError> {
            let value = feature.field(i).map_err(|e| gdal_err(e.to_string()))?;
            Ok(value.map(|v| match v {
                FieldValue::StringValue(s) => s.trim().to_string(),
                FieldValue::RealValue(f) => number_text(f),
                FieldValue::IntegerValue(n) => n.to_string(),
                FieldValue::Integer64Value(n) => n.to_string(),
                FieldValue::DateValue(d) => d.to_string(),
                FieldValue::DateTimeValue(t) => t.to_rfc3339(),
                list => format!("{list:?}"),
            }))
        };
        let code = text(id)?
            .filter(|c| !c.is_empty())
            .ok_or_else(|| IngestError::BadId {
                path: path.to_path_buf(),
                feature: index,
                field: mapping.id_field.clone(),
                value: "an empty value".to_string(),
            })?;
        let name = match name {
            Some(i) => text(i)?.unwrap_or_default(),
            None => String::new(),
        };
        let values = values
            .iter()
            .zip(&mapping.value_fields)
            .map(|(&i, f)| super::field_number(path, index, f, text(i)?.as_deref()))
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
    Ok(RawSet { areas, declared })
}

/// The dataset's layer names, comma-separated.
fn layer_names(dataset: &Dataset) -> String {
    dataset
        .layers()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The CRS safemap reads coordinates in `srs` as, and the transformation into it: none for
/// WGS84 and British National Grid, GDAL's into WGS84 for any other.
fn identify(srs: &SpatialRef) -> gdal::errors::Result<(Crs, Option<CoordTransform>)> {
    let mut known = srs.clone();
    // Most Shapefile .prj files carry no authority: look the definition up in EPSG.
    if known.auth_name().is_none() {
        let _ = known.auto_identify_epsg();
    }
    let authority = known.authority().unwrap_or_default();
    match authority.as_str() {
        "EPSG:4326" | "OGC:CRS84" => return Ok((Crs::Wgs84, None)),
        "EPSG:27700" => return Ok((Crs::BritishNationalGrid, None)),
        _ => {}
    }
    let mut source = srs.clone();
    source.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut wgs84 = SpatialRef::from_epsg(4326)?;
    wgs84.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    tracing::info!(
        from = %if authority.is_empty() { srs.name().unwrap_or_default() } else { authority },
        "boundaries reprojected into EPSG:4326 by GDAL"
    );
    Ok((Crs::Wgs84, Some(CoordTransform::new(&source, &wgs84)?)))
}
