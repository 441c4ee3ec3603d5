//! GeoParquet 1.1 files written with polars: a table with one WKB `geometry` column and the
//! `geo` file metadata (version, primary column, encoding, geometry types, bbox and the CRS
//! as PROJJSON), so that DuckDB spatial, GeoPandas, Dask-GeoPandas and Apache Sedona read
//! the geometry and its CRS from the file alone.
//!
//! | module | writes |
//! |---|---|
//! | [`export`] | `safemap export geoparquet`: a study's joined events, its area × category × month count cube (both partitioned by month, hive style) and its area layer |
//! | [`wkb`] | well-known binary of points and multipolygons |
//!
//! Coordinates are British National Grid metres (EPSG:27700), whose PROJJSON is the
//! committed constant [`EPSG_27700_PROJJSON`] (GeoParquet reads a missing `crs` as
//! OGC:CRS84, so it must be written). A study with `crs = "planar"` boundaries writes
//! `"crs": null`, GeoParquet's "unknown".

pub mod export;
pub mod wkb;

use crate::error::EngineError;
use polars::prelude::{
    CompatLevel, DataFrame, KeyValueMetadata, ParquetCompression, ParquetWriter, SchemaExt,
};
use serde_json::json;
use std::path::Path;

/// PROJJSON of EPSG:27700 (OSGB36 / British National Grid), as PROJ 9.5.1 writes it
/// (`pyproj.CRS.from_epsg(27700).to_json_dict()`, pyproj 3.7.2).
pub const EPSG_27700_PROJJSON: &str = include_str!("epsg27700.projjson");

/// The GeoParquet specification version the files follow.
pub const VERSION: &str = "1.1.0";

/// The name of the geometry column of every file.
pub const GEOMETRY: &str = "geometry";

/// What the `geo` metadata says about one file's geometry column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoColumn {
    /// The geometry types present (`"Point"`, `"MultiPolygon"`).
    pub types: &'static [&'static str],
    /// `[min x, min y, max x, max y]` of the file's geometries; `None` for an empty file.
    pub bbox: Option<[f64; 4]>,
    /// Coordinates are British National Grid metres (else unknown: a planar study).
    pub bng: bool,
}

impl GeoColumn {
    /// The `geo` file metadata, as JSON text.
    pub fn metadata(&self) -> String {
        let crs = if self.bng {
            serde_json::from_str(EPSG_27700_PROJJSON).unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::Null
        };
        let mut column = json!({
            "encoding": "WKB",
            "geometry_types": self.types,
            "crs": crs,
        });
        if let Some(bbox) = self.bbox {
            column["bbox"] = json!(bbox);
        }
        json!({
            "version": VERSION,
            "primary_column": GEOMETRY,
            "columns": { GEOMETRY: column },
        })
        .to_string()
    }
}

/// Grows a bounding box `[min x, min y, max x, max y]` by a point.
pub fn extend_bbox(bbox: &mut Option<[f64; 4]>, x: f64, y: f64) {
    let b = bbox.get_or_insert([x, y, x, y]);
    *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
}

/// Writes `frame` to `path` as Parquet (zstd) with the `geo` metadata of `geometry`; creates
/// the parent folders.
pub fn write_table(
    path: &Path,
    frame: &mut DataFrame,
    geometry: &GeoColumn,
) -> Result<(), EngineError> {
    let io = |source| EngineError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let file = std::fs::File::create(path).map_err(io)?;
    let geo = geometry.metadata();
    let metadata = KeyValueMetadata::from_static(vec![
        (ARROW_SCHEMA.into(), arrow_schema_with(frame, &geo)),
        ("geo".into(), geo),
    ]);
    ParquetWriter::new(std::io::BufWriter::new(file))
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(metadata))
        .finish(frame)
        .map_err(|e| io(std::io::Error::other(e)))?;
    Ok(())
}

/// The Parquet key of the Arrow schema a file was written from.
const ARROW_SCHEMA: &str = "ARROW:schema";

/// The `ARROW:schema` value of `frame` with `geo` in the schema's metadata.
///
/// polars writes the Arrow schema it used, without the file's other metadata, and pyarrow
/// (so GeoPandas and Dask) takes a file's metadata from that schema when there is one: it
/// would see no `geo`. So the schema is written here, as polars would (`schema_to_bytes`,
/// the legacy length prefix, base64), with `geo` in it; polars then keeps it.
fn arrow_schema_with(frame: &DataFrame, geo: &str) -> String {
    use base64::Engine as _;
    use polars_arrow::io::ipc::write::{default_ipc_fields, schema_to_bytes};
    let schema = frame.schema().to_arrow(CompatLevel::newest());
    let metadata = polars_arrow::datatypes::Metadata::from([("geo".into(), geo.into())]);
    let bytes = schema_to_bytes(
        &schema,
        &default_ipc_fields(schema.iter_values()),
        Some(&metadata),
    );
    let mut framed = Vec::with_capacity(bytes.len() + 8);
    framed.extend_from_slice(&[0xFF; 4]);
    framed.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    framed.extend_from_slice(&bytes);
    base64::engine::general_purpose::STANDARD.encode(framed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_names_the_crs_types_and_bbox() {
        let mut bbox = None;
        extend_bbox(&mut bbox, 3.0, 4.0);
        extend_bbox(&mut bbox, 1.0, 9.0);
        let g = GeoColumn {
            types: &["Point"],
            bbox,
            bng: true,
        };
        let v: serde_json::Value = serde_json::from_str(&g.metadata()).unwrap();
        assert_eq!(v["version"], "1.1.0");
        assert_eq!(v["primary_column"], "geometry");
        let c = &v["columns"]["geometry"];
        assert_eq!(c["encoding"], "WKB");
        assert_eq!(c["geometry_types"], json!(["Point"]));
        assert_eq!(c["bbox"], json!([1.0, 4.0, 3.0, 9.0]));
        assert_eq!(c["crs"]["id"], json!({"authority": "EPSG", "code": 27700}));
        let planar = GeoColumn {
            bng: false,
            bbox: None,
            ..g
        };
        let v: serde_json::Value = serde_json::from_str(&planar.metadata()).unwrap();
        assert!(v["columns"]["geometry"]["crs"].is_null());
        assert!(v["columns"]["geometry"].get("bbox").is_none());
    }
}
