//! Shared helpers for the integration tests: reading the real boundary files under
//! `shared/data` (see its README). Nothing here is copied into the repository.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use geo::{Geometry, MultiPolygon};
use geojson::FeatureCollection;

/// `shared/data`, found relative to the workspace root (`../shared/data` from it).
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// Reads a GeoJSON FeatureCollection (gzipped if the name ends in `.gz`) of polygons in
/// WGS84 and returns `(code, multipolygon)` per feature, in file order.
pub fn read_areas(relative: &str, code_property: &str) -> Vec<(String, MultiPolygon<f64>)> {
    let path = data_dir().join(relative);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!(
            "cannot open {}: {e} (see shared/data/README.md)",
            path.display()
        )
    });
    let mut text = String::new();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .expect("gzip stream");
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .expect("UTF-8 text");
    }
    let collection: FeatureCollection = text.parse().expect("a GeoJSON FeatureCollection");
    collection
        .features
        .into_iter()
        .map(|feature| {
            let code = feature
                .property(code_property)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("feature without {code_property} in {relative}"))
                .to_string();
            let geometry = feature.geometry.expect("feature without geometry");
            let mp = match Geometry::<f64>::try_from(&geometry.value).expect("a geometry") {
                Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                Geometry::MultiPolygon(mp) => mp,
                other => panic!("{code}: expected a polygon, found {other:?}"),
            };
            (code, mp)
        })
        .collect()
}
