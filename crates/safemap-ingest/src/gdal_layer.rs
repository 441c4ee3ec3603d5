//! One layer of any vector format GDAL reads (the `gdal` feature): opening it, its CRS and
//! its attributes as text. Shared by the boundary reader (`boundaries/gdal.rs`) and
//! [`crate::gdal_table`] (point layers: incidents and service registers).
//!
//! **CRS.** A layer's spatial reference is identified against the EPSG database: WGS84
//! (EPSG:4326, OGC:CRS84) and British National Grid (EPSG:27700) are kept as they are. Any
//! other CRS GDAL knows is reprojected by GDAL (PROJ) into WGS84, and from there into British
//! National Grid by safemap's OSTN15, as every WGS84 input is. Not straight into EPSG:27700 by
//! PROJ: without the OSTN15 grid (Debian's proj-data has none) PROJ falls back on a Helmert
//! transformation that is metres out, and police.uk points, snapped to streets that are often
//! area boundaries, then change areas (Plymouth: 64 of 161 LSOAs got different counts, 457
//! events moved, from a Shapefile that `ogr2ogr -t_srs EPSG:27700` made).

use crate::IngestError;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{Feature, FieldValue, Layer, LayerAccess};
use gdal::Dataset;
use safemap_types::Crs;
use std::path::Path;

/// The error for what GDAL said about `path`.
pub(crate) fn gdal_error(path: &Path, message: impl std::fmt::Display) -> IngestError {
    IngestError::Gdal {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// Opens `path` with GDAL.
pub(crate) fn open(path: &Path) -> Result<Dataset, IngestError> {
    Dataset::open(path).map_err(|e| gdal_error(path, e))
}

/// The layer `name` of `dataset`, or its only layer when `name` is `None`; `table` is the
/// study table whose `layer` key picks one (for the message when a file has several).
pub(crate) fn layer<'d>(
    dataset: &'d Dataset,
    path: &Path,
    name: Option<&str>,
    table: &str,
) -> Result<Layer<'d>, IngestError> {
    match name {
        Some(name) => dataset.layer_by_name(name).map_err(|_| {
            gdal_error(
                path,
                format!(
                    "has no layer {name:?}; its layers are {}",
                    layer_names(dataset)
                ),
            )
        }),
        None if dataset.layer_count() == 1 => dataset.layer(0).map_err(|e| gdal_error(path, e)),
        None => Err(gdal_error(
            path,
            format!(
                "has {} layers ({}): set layer in the study's {table} table",
                dataset.layer_count(),
                layer_names(dataset)
            ),
        )),
    }
}

/// The dataset's layer names, comma-separated.
fn layer_names(dataset: &Dataset) -> String {
    dataset
        .layers()
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of `layer`'s attribute fields, in order.
pub(crate) fn field_names(layer: &Layer<'_>) -> Vec<String> {
    layer.defn().fields().map(|f| f.name()).collect()
}

/// The CRS `layer` declares, as safemap reads its coordinates after the transformation
/// returned with it (see the module docs); `None` when it declares none.
pub(crate) fn layer_crs(
    layer: &Layer<'_>,
    path: &Path,
) -> Result<Option<(Crs, Option<CoordTransform>)>, IngestError> {
    layer
        .spatial_ref()
        .map(|srs| identify(&srs).map_err(|e| gdal_error(path, e)))
        .transpose()
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
        "coordinates reprojected into EPSG:4326 by GDAL"
    );
    Ok((Crs::Wgs84, Some(CoordTransform::new(&source, &wgs84)?)))
}

/// Attribute `i` of `feature` as text (`None` when null): strings trimmed, numbers as
/// [`crate::boundaries::number_text`] writes them, dates in ISO 8601.
pub(crate) fn field_text(
    feature: &Feature<'_>,
    i: usize,
    path: &Path,
) -> Result<Option<String>, IngestError> {
    let value = feature.field(i).map_err(|e| gdal_error(path, e))?;
    Ok(value.map(|v| match v {
        FieldValue::StringValue(s) => s.trim().to_string(),
        FieldValue::RealValue(f) => crate::boundaries::number_text(f),
        FieldValue::IntegerValue(n) => n.to_string(),
        FieldValue::Integer64Value(n) => n.to_string(),
        FieldValue::DateValue(d) => d.to_string(),
        FieldValue::DateTimeValue(t) => t.to_rfc3339(),
        list => format!("{list:?}"),
    }))
}
