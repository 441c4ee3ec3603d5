//! [`GdalTable`]: a point layer of any vector format GDAL reads (the `gdal` feature), as rows
//! of text, so that the incident and service readers apply their CSV rules to it unchanged.
//!
//! Each feature is one row: its attributes as [`crate::gdal_layer::field_text`] writes them
//! (a null is empty), then two more columns, [`GEOMETRY_X`] and [`GEOMETRY_Y`], holding the
//! point's coordinates in [`GdalTable::crs`] (as shortest round-trip numbers). A feature
//! without a geometry, or with an empty one, has both empty (so the row is located by its
//! postcode if the mapping has one, else rejected for having no coordinates); one whose
//! geometry is not a point (nor a multipoint of one point), or that GDAL cannot reproject,
//! has text saying so in both, so the row is rejected showing why. A reject's `line` is the feature's 1-based position in
//! the layer.

use crate::boundaries::number_text;
use crate::gdal_layer::{field_names, field_text, layer, layer_crs, open};
use crate::source::Problem;
use crate::IngestError;
use csv::ByteRecord;
use gdal::spatial_ref::CoordTransform;
use gdal::vector::LayerAccess;
use geo_types::Geometry;
use safemap_types::{Crs, Reject};
use std::borrow::Cow;
use std::path::Path;

/// The column holding a point's x coordinate (easting or longitude).
pub const GEOMETRY_X: &str = "geometry.x";
/// The column holding a point's y coordinate (northing or latitude).
pub const GEOMETRY_Y: &str = "geometry.y";

/// The texts of `g`'s x and y, after `transform`: the coordinates of a point (or of a
/// multipoint of one point); for any other geometry, or one GDAL cannot transform, text
/// that says so (and is not a number, so that the row is rejected showing it).
fn coordinates(g: &gdal::vector::Geometry, transform: Option<&CoordTransform>) -> (String, String) {
    let g = match transform.map(|t| g.transform(t)) {
        None => g.clone(),
        Some(Ok(g)) => g,
        Some(Err(e)) => {
            let why = format!("not reprojectable ({e})");
            return (why.clone(), why);
        }
    };
    match g.to_geo() {
        Ok(Geometry::Point(p)) => (number_text(p.x()), number_text(p.y())),
        Ok(Geometry::MultiPoint(m)) if m.0.len() == 1 => {
            (number_text(m.0[0].x()), number_text(m.0[0].y()))
        }
        _ => {
            let kind = format!("{} (not a point)", g.geometry_name());
            (kind.clone(), kind)
        }
    }
}

/// A point layer read whole, as text.
pub(crate) struct GdalTable {
    /// The attribute fields' names, then [`GEOMETRY_X`] and [`GEOMETRY_Y`].
    pub(crate) header: Vec<String>,
    /// One row per feature, a text per column of the header.
    rows: Vec<ByteRecord>,
    /// The CRS of the geometry columns: the layer's (WGS84 when GDAL reprojected it, see
    /// [`crate::gdal_layer`]), or `undeclared` for a layer that declares none.
    pub(crate) crs: Crs,
}

impl GdalTable {
    /// Reads layer `name` of `path` (its only layer when `None`; `table` names the study
    /// table that picks one); `undeclared` is the CRS of a layer that declares none.
    pub(crate) fn read(
        path: &Path,
        name: Option<&str>,
        table: &str,
        undeclared: Crs,
    ) -> Result<Self, IngestError> {
        let dataset = open(path)?;
        let mut layer = layer(&dataset, path, name, table)?;
        let (crs, transform) = layer_crs(&layer, path)?.unwrap_or((undeclared, None));
        let mut header = field_names(&layer);
        let fields = header.len();
        header.extend([GEOMETRY_X.to_string(), GEOMETRY_Y.to_string()]);
        let mut rows = Vec::new();
        for feature in layer.features() {
            let mut row = ByteRecord::new();
            for i in 0..fields {
                row.push_field(
                    field_text(&feature, i, path)?
                        .unwrap_or_default()
                        .as_bytes(),
                );
            }
            let (x, y) = match feature.geometry() {
                Some(g) if !g.is_empty() => coordinates(g, transform.as_ref()),
                _ => (String::new(), String::new()),
            };
            row.push_field(x.as_bytes());
            row.push_field(y.as_bytes());
            rows.push(row);
        }
        Ok(Self { header, rows, crs })
    }

    /// The index of column `name`, or [`IngestError::MissingColumn`] naming those there are.
    pub(crate) fn column(&self, path: &Path, name: &str) -> Result<usize, IngestError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| IngestError::MissingColumn {
                path: path.to_path_buf(),
                column: name.to_string(),
                available: self.header.join(", "),
            })
    }

    /// The number of rows (features).
    pub(crate) fn height(&self) -> usize {
        self.rows.len()
    }

    /// The text of column `column` in row `row` (0-based), as every column is written:
    /// UTF-8 (GDAL gives text as UTF-8).
    pub(crate) fn text(&self, row: usize, column: usize) -> Cow<'_, str> {
        String::from_utf8_lossy(self.rows[row].get(column).unwrap_or_default())
    }

    /// The rows, each with its feature's 1-based position.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (&ByteRecord, u64)> {
        self.rows.iter().zip(1..)
    }

    /// Calls `row` for every row with its line (the feature's 1-based position); a
    /// [`Problem`] it returns becomes a reject of `path`. Returns the number of rows.
    pub(crate) fn for_each_row(
        &self,
        path: &Path,
        rejects: &mut Vec<Reject>,
        mut row: impl FnMut(&ByteRecord, u64) -> Result<(), Problem>,
    ) -> u64 {
        for (record, line) in self.rows() {
            if let Err(p) = row(record, line) {
                rejects.push(p.into_reject(path, line));
            }
        }
        self.rows.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Web Mercator point is reprojected into WGS84; a polygon is named by its type; a
    /// feature without a geometry has empty coordinates.
    #[test]
    fn points_reprojected_other_geometries_named() {
        let (lon, lat) = (-4.14_f64, 50.37_f64);
        let r = 6_378_137.0;
        let x = r * lon.to_radians();
        let y = r
            * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
                .tan()
                .ln();
        let doc = serde_json::json!({
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
            "features": [
                {"type": "Feature", "properties": {"name": "hub", "n": 3.0},
                 "geometry": {"type": "Point", "coordinates": [x, y]}},
                {"type": "Feature", "properties": {"name": "site", "n": null},
                 "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 9.0, y], [x, y + 9.0], [x, y]]]}},
                {"type": "Feature", "properties": {"name": "nowhere", "n": 1.5}, "geometry": null},
            ]
        });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("points.geojson");
        std::fs::write(&path, doc.to_string()).unwrap();
        let table = GdalTable::read(&path, None, "[services]", Crs::BritishNationalGrid).unwrap();
        assert_eq!(table.header, ["name", "n", GEOMETRY_X, GEOMETRY_Y]);
        assert_eq!(table.crs, Crs::Wgs84);
        let rows: Vec<(Vec<&str>, u64)> = table
            .rows()
            .map(|(r, line)| {
                (
                    r.iter().map(|f| std::str::from_utf8(f).unwrap()).collect(),
                    line,
                )
            })
            .collect();
        let (first, line) = &rows[0];
        assert_eq!((&first[..2], *line), (&["hub", "3"][..], 1));
        let got: (f64, f64) = (first[2].parse().unwrap(), first[3].parse().unwrap());
        assert!(
            (got.0 - lon).abs() < 1e-9 && (got.1 - lat).abs() < 1e-9,
            "{got:?}"
        );
        assert_eq!(
            rows[1].0,
            ["site", "", "POLYGON (not a point)", "POLYGON (not a point)"]
        );
        assert_eq!(rows[2].0, ["nowhere", "1.5", "", ""]);
        assert_eq!(table.column(&path, "n").unwrap(), 1);
        let err = table.column(&path, "kind").unwrap_err().to_string();
        assert!(err.contains("name, n, geometry.x, geometry.y"), "{err}");
    }
}
