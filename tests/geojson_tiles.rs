//! GeoJSON tiles over HTTP on the demo city's results: for both roles, every layer the role
//! may see, and tiles below and above the zoom where `areas` carries every attribute, the
//! `.geojson` tile holds the features (ids, in order), attributes and geometry kinds of the
//! `.mvt` tile; headers, gzip, ETag and errors as for `.mvt`.
#![allow(clippy::unwrap_used)]

mod serving;

use serving::{centre_tile, client, error_of, tile_of, Server};
use std::collections::BTreeMap;
use std::io::Read;

/// A property value of either format, numbers as f64.
#[derive(Debug, PartialEq)]
enum Prop {
    Num(f64),
    Str(String),
    Bool(bool),
}

/// A tile's features: (id, properties, geometry kind `point`, `line` or `polygon`).
type Features = Vec<(u64, BTreeMap<String, Prop>, &'static str)>;

fn get(s: &Server, path: &str, analyst: bool) -> reqwest::blocking::Response {
    if analyst {
        s.get_analyst(path)
    } else {
        s.get(path)
    }
}

fn mvt_features(s: &Server, path: &str, analyst: bool) -> Features {
    let r = get(s, path, analyst);
    if r.status() == 204 {
        return Vec::new();
    }
    assert_eq!(r.status(), 200, "{path}");
    let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
    reader
        .get_features(0)
        .unwrap()
        .into_iter()
        .map(|f| {
            let props = f
                .properties
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| {
                    use mvt_reader::feature::Value;
                    let v = match v {
                        Value::String(s) => Prop::Str(s),
                        Value::Double(d) => Prop::Num(d),
                        Value::UInt(u) => Prop::Num(u as f64),
                        Value::SInt(i) => Prop::Num(i as f64),
                        Value::Bool(b) => Prop::Bool(b),
                        other => panic!("{path} {k}: {other:?}"),
                    };
                    (k, v)
                })
                .collect();
            let kind = match f.geometry {
                geo_types::Geometry::Point(_) | geo_types::Geometry::MultiPoint(_) => "point",
                geo_types::Geometry::LineString(_) | geo_types::Geometry::MultiLineString(_) => {
                    "line"
                }
                geo_types::Geometry::Polygon(_) | geo_types::Geometry::MultiPolygon(_) => "polygon",
                other => panic!("{path}: {other:?}"),
            };
            (f.id.unwrap(), props, kind)
        })
        .collect()
}

fn geojson_features(s: &Server, path: &str, analyst: bool) -> Features {
    let r = get(s, path, analyst);
    assert_eq!(r.status(), 200, "{path}");
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let fc: serde_json::Value = r.json().unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["type"], "Feature");
            let props = f["properties"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => Prop::Str(s.clone()),
                        serde_json::Value::Number(n) => Prop::Num(n.as_f64().unwrap()),
                        serde_json::Value::Bool(b) => Prop::Bool(*b),
                        other => panic!("{path} {k}: {other}"),
                    };
                    (k.clone(), v)
                })
                .collect();
            let kind = match f["geometry"]["type"].as_str().unwrap() {
                "Point" | "MultiPoint" => "point",
                "LineString" | "MultiLineString" => "line",
                "Polygon" | "MultiPolygon" => "polygon",
                other => panic!("{path}: {other}"),
            };
            // Coordinates are lon/lat near the demo city, not tile units.
            let first = &f["geometry"]["coordinates"];
            let mut c = first;
            while c[0].is_array() {
                c = &c[0];
            }
            assert!(
                c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0,
                "{path}: {c}"
            );
            (f["id"].as_u64().unwrap(), props, kind)
        })
        .collect()
}

fn tile_layers(s: &Server, analyst: bool) -> Vec<String> {
    s.json("/api/layers", analyst)["tile_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn geojson_tiles_hold_the_features_and_attributes_of_the_mvt_tiles() {
    let s = Server::demo();
    let b = s.bounds();
    let centre = (f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3]));
    // Areas tiles below zoom 10 carry fewer keys than from zoom 10 on.
    let mut area_keys: BTreeMap<(bool, u8), usize> = BTreeMap::new();
    for analyst in [false, true] {
        let names = tile_layers(&s, analyst);
        assert!(names.iter().any(|n| n == "areas"), "{names:?}");
        for layer in &names {
            let mut compared = 0;
            for z in [8_u8, 9, 12, 14] {
                let (_, x, y) = tile_of(centre.0, centre.1, z);
                for (x, y) in [(x, y), (x + 1, y), (x, y + 1)] {
                    let mvt = mvt_features(&s, &format!("/tiles/{layer}/{z}/{x}/{y}.mvt"), analyst);
                    let path = format!("/tiles/{layer}/{z}/{x}/{y}.geojson");
                    let gj = geojson_features(&s, &path, analyst);
                    assert_eq!(gj, mvt, "{path} (analyst: {analyst})");
                    compared += gj.len();
                    if layer == "areas" {
                        let keys = gj.iter().map(|f| f.1.len()).max().unwrap_or(0);
                        let k = area_keys.entry((analyst, z)).or_default();
                        *k = (*k).max(keys);
                    }
                }
            }
            assert!(compared > 0, "{layer}: no features compared");
        }
    }
    for analyst in [false, true] {
        assert!(
            area_keys[&(analyst, 9)] < area_keys[&(analyst, 12)],
            "zoom 9 areas carry fewer attributes: {area_keys:?}"
        );
    }
    assert!(
        area_keys[&(false, 12)] < area_keys[&(true, 12)],
        "the public sees fewer attributes than the analyst: {area_keys:?}"
    );
}

#[test]
fn geojson_tiles_have_the_mvt_headers_gzip_etags_and_errors() {
    let s = Server::demo();
    let (z, x, y) = centre_tile(s.bounds(), 13);
    let url = format!("{}/tiles/areas/{z}/{x}/{y}.geojson", s.base);
    let plain = client().get(&url).send().unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    let raw = plain.bytes().unwrap();
    let gz = client()
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["content-type"], "application/geo+json");
    assert!(gz.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Encoding"));
    let zipped = gz.bytes().unwrap();
    assert!(zipped.len() * 2 < raw.len(), "gzip compresses");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, raw, "gzip body decompresses to the plain tile");
    let mvt_etag = s.get(&format!("/tiles/areas/{z}/{x}/{y}.mvt")).headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(mvt_etag, etag, "the two formats have their own validators");
    let cached = client()
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .unwrap();
    assert_eq!(cached.status(), 304);
    let analyst = client()
        .get(&url)
        .bearer_auth(&s.token)
        .header("if-none-match", &etag)
        .send()
        .unwrap();
    assert_eq!(analyst.status(), 200, "the analyst tile differs");
    assert!(analyst.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    // Empty: an empty FeatureCollection (the .mvt is 204).
    assert_eq!(s.get("/tiles/areas/10/0/0.mvt").status(), 204);
    let empty = s.get("/tiles/areas/10/0/0.geojson");
    assert_eq!(empty.status(), 200);
    assert_eq!(
        empty.json::<serde_json::Value>().unwrap(),
        serde_json::json!({"type": "FeatureCollection", "features": []})
    );
    for (path, status) in [
        ("/tiles/areas/x/1/1.geojson", 400),
        ("/tiles/areas/3/8/1.geojson", 400),
        ("/tiles/areas/3/1/-1.geojson", 400),
        ("/tiles/areas/25/1/1.geojson", 400),
        ("/tiles/nope/3/1/1.geojson", 404),
        ("/tiles/areas/3/1/1.json", 404),
    ] {
        assert_eq!(error_of(s.get(path)).0, status, "{path}");
    }
    let tj = s.json("/tiles/areas.json", false);
    assert!(tj["tiles"][0]
        .as_str()
        .unwrap()
        .ends_with("/tiles/areas/{z}/{x}/{y}.mvt"));
    assert!(tj["geojson_tiles"][0]
        .as_str()
        .unwrap()
        .ends_with("/tiles/areas/{z}/{x}/{y}.geojson"));
}
