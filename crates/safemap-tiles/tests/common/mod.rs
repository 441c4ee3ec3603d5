//! Real boundary files from `/work/shared/data` (read in place, never copied).

#![allow(dead_code)]

use geo_types::{Geometry, MultiPolygon};
use std::path::PathBuf;

/// `shared/data/<rel>` beside the checkout.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

/// The features of a GeoJSON FeatureCollection: (properties, MultiPolygon in WGS84).
pub fn read_areas(
    rel: &str,
) -> Vec<(
    serde_json::Map<String, serde_json::Value>,
    MultiPolygon<f64>,
)> {
    let path = data(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fc: geojson::FeatureCollection = text.parse().expect("a FeatureCollection");
    fc.features
        .into_iter()
        .map(|f| {
            let props = f.properties.clone().unwrap_or_default();
            let g: Geometry<f64> = f
                .geometry
                .expect("geometry")
                .try_into()
                .expect("geo geometry");
            let mp = match g {
                Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                Geometry::MultiPolygon(mp) => mp,
                other => panic!("not a polygon: {other:?}"),
            };
            (props, mp)
        })
        .collect()
}

/// Plymouth's 161 LSOA11 areas (UK-GeoJSON: neighbours do not share vertices).
pub const PLYMOUTH_LSOA11: &str = "boundaries/uk-geojson/lsoa11/E06000026.json";
/// Plymouth's 164 LSOA21 areas (geographr: neighbours share vertices exactly).
pub const PLYMOUTH_LSOA21: &str = "boundaries/geographr/lsoa21_E06000026.geojson";
/// The 43 police force areas of England and Wales, 2020 (geographr: shared vertices).
pub const PFA20: &str = "boundaries/geographr/pfa20_england_wales.geojson";
