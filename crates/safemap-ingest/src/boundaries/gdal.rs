//! Boundaries from any vector format GDAL reads (the `gdal` feature): GeoPackage,
//! FlatGeobuf, KML, GML, CSV with a WKT column, a Shapefile whose `.prj` is neither British
//! National Grid nor WGS84, and so on.
//!
//! **CRS.** An explicit `crs` in the mapping is the coordinates' CRS, as they are. Otherwise
//! the layer's, as [`crate::gdal_layer`] identifies (and if need be reprojects) it. A layer
//! without a spatial reference declares none, and `read_boundaries`' usual rules decide.

use super::{BoundaryMapping, RawArea, RawSet};
use crate::gdal_layer::{field_names, field_text, gdal_error, layer, layer_crs, open};
use crate::IngestError;
use gdal::vector::LayerAccess;
use geo_types::{Geometry, MultiPolygon};
use std::path::Path;

pub(super) fn read(path: &Path, mapping: &BoundaryMapping) -> Result<RawSet, IngestError> {
    let dataset = open(path)?;
    let mut layer = layer(&dataset, path, mapping.layer.as_deref(), "[boundaries]")?;
    let (declared, transform) = match mapping.crs {
        Some(_) => (None, None),
        None => match layer_crs(&layer, path)? {
            Some((crs, transform)) => (Some(Ok(crs)), transform),
            None => (None, None),
        },
    };
    let names = field_names(&layer);

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
                .map_err(|e| gdal_error(path, format!("feature {index} (0-based): {e}")))?,
            None => geometry.clone(),
        };
        let geometry = match geometry.to_geo() {
            Ok(Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Ok(Geometry::MultiPolygon(m)) => m,
            _ => return Err(bad_geometry(geometry.geometry_name())),
        };
        let text = |i: usize| field_text(&feature, i, path);
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
