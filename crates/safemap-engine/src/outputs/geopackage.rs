//! `results.gpkg` (the `gdal` feature): every map layer of the run in one GeoPackage, for
//! QGIS and ArcGIS to open as is. One table per GeoJSON output, named for its file
//! (`areas` with every column, `services` without the confidential ones, `grid`, `density`
//! cells, `candidate_sites`, `emerging`, `small_areas`), read back by GDAL so that field
//! types are GDAL's own reading of the files the run wrote.

use crate::error::EngineError;
use gdal::vector::{Feature, FieldDefn, Layer, LayerAccess, LayerOptions};
use gdal::{Dataset, DriverManager};
use std::path::Path;

/// Writes `gpkg` with one layer per GeoJSON file of `outputs` (names relative to `dir`).
pub fn write(dir: &Path, outputs: &[String], gpkg: &Path) -> Result<(), EngineError> {
    let fail = |message: String| EngineError::Write {
        path: gpkg.to_path_buf(),
        source: std::io::Error::other(message),
    };
    // A GeoPackage is a SQLite database: start from no file rather than add to an old one.
    match std::fs::remove_file(gpkg) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e.to_string())),
        _ => {}
    }
    let mut target = DriverManager::get_driver_by_name("GPKG")
        .and_then(|d| d.create_vector_only(gpkg))
        .map_err(|e| fail(e.to_string()))?;
    for file in outputs.iter().filter(|f| f.ends_with(".geojson")) {
        let source = Dataset::open(dir.join(file)).map_err(|e| fail(format!("{file}: {e}")))?;
        let mut layer = source.layer(0).map_err(|e| fail(format!("{file}: {e}")))?;
        let name = file.trim_end_matches(".geojson");
        copy_layer(&mut target, &mut layer, name).map_err(|e| fail(format!("{file}: {e}")))?;
    }
    target.close().map_err(|e| fail(e.to_string()))
}

/// Copies `layer` (fields, geometry type, spatial reference and features) into `target` as
/// `name`, in one transaction. (The gdal crate does not wrap GDALDatasetCopyLayer, and the
/// workspace forbids `unsafe`: this is that function through the safe API.)
fn copy_layer(
    target: &mut Dataset,
    layer: &mut Layer<'_>,
    name: &str,
) -> Result<(), gdal::errors::GdalError> {
    let srs = layer.spatial_ref();
    let mut tx = target.start_transaction()?;
    let copy = tx.create_layer(LayerOptions {
        name,
        srs: srs.as_ref(),
        ty: layer.defn().geometry_type(),
        options: None,
    })?;
    for field in layer.defn().fields() {
        let defn = FieldDefn::new(&field.name(), field.field_type())?;
        defn.set_width(field.width());
        defn.set_precision(field.precision());
        defn.add_to_layer(&copy)?;
    }
    for feature in layer.features() {
        let mut out = Feature::new(copy.defn())?;
        if let Some(g) = feature.geometry() {
            out.set_geometry(g.clone())?;
        }
        for (i, (_, value)) in feature.fields().enumerate() {
            match value {
                Some(v) => out.set_field(i, &v)?,
                None => out.set_field_null(i)?,
            }
        }
        out.create(&copy)?;
    }
    tx.commit()
}
