//! GeoJSON tiles hold what the MVT tile of the same address holds: the same feature ids in
//! the same order, the same attributes, and the same vertices (the MVT decoded by an
//! independent reader, `mvt-reader`; GeoJSON lon/lat projected back to tile units).
#![allow(clippy::unwrap_used)]

use geo_types::{Geometry, LineString, MultiPolygon, Point, Polygon};
use mvt_reader::feature::Value;
use mvt_reader::Reader;
use safemap_tiles::{
    encode_geojson_tile_within, encode_tile_within, lonlat_to_mercator, tiles_covering,
    AttributeTable, LayerGeometry, LayerInput, PrepareOptions, PropValue, TileId,
    DEFAULT_TILE_BUDGET,
};

/// The grid: its south-west corner, columns, rows and cell side in degrees.
const W: f64 = -4.2;
const S: f64 = 50.35;
const NX: usize = 20;
const NY: usize = 14;
const STEP: f64 = 0.005;

/// A small deterministic wobble, so edges have vertices to simplify away.
fn wobble(a: usize, b: usize) -> f64 {
    (((a * 7919 + b * 104_729) % 1000) as f64 / 1000.0 - 0.5) * STEP * 0.3
}

/// Corner `(i, j)` of the grid, jittered (shared by the four squares that meet there).
fn corner(i: usize, j: usize) -> (f64, f64) {
    (
        W + i as f64 * STEP + wobble(i, j) * 0.5,
        S + j as f64 * STEP + wobble(j, i) * 0.5,
    )
}

/// A point between two corners, the same whichever square asks.
fn between(a: (usize, usize), b: (usize, usize)) -> (f64, f64) {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let (p, q) = (corner(lo.0, lo.1), corner(hi.0, hi.1));
    let w = wobble(lo.0 + hi.0, lo.1 + hi.1 + 3);
    (f64::midpoint(p.0, q.0) + w, f64::midpoint(p.1, q.1) - w)
}

/// A grid of squares with wobbly shared edges, a square with a hole beside it, and a tiny
/// square (smaller than a pixel below zoom 15).
fn polygons() -> Vec<MultiPolygon<f64>> {
    let mut out = Vec::new();
    for j in 0..NY {
        for i in 0..NX {
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut ring = Vec::new();
            for k in 0..4 {
                ring.push(corner(c[k].0, c[k].1));
                ring.push(between(c[k], c[(k + 1) % 4]));
            }
            out.push(MultiPolygon::new(vec![Polygon::new(
                LineString::from(ring),
                vec![],
            )]));
        }
    }
    let square = |x0: f64, y0: f64, d: f64| {
        LineString::from(vec![(x0, y0), (x0 + d, y0), (x0 + d, y0 + d), (x0, y0 + d)])
    };
    out.push(MultiPolygon::new(vec![Polygon::new(
        square(-4.09, 50.36, 0.03),
        vec![square(-4.08, 50.37, 0.01)],
    )]));
    out.push(MultiPolygon::new(vec![Polygon::new(
        square(-4.05, 50.38, 0.000_02),
        vec![],
    )]));
    out
}

fn polygon_table(n: usize) -> AttributeTable {
    AttributeTable {
        keys: ["code", "rate", "n", "delta", "even"]
            .map(String::from)
            .to_vec(),
        rows: (0..n)
            .map(|i| {
                vec![
                    PropValue::String(format!("A{i:03} \"q\"")),
                    if i % 3 == 0 {
                        PropValue::Null
                    } else {
                        PropValue::Float(i as f64 / 7.0)
                    },
                    PropValue::UInt(i as u64),
                    PropValue::Int(50 - i as i64),
                    PropValue::Bool(i % 2 == 0),
                ]
            })
            .collect(),
    }
}

/// A GeoJSON or MVT property value, comparable: numbers as f64.
#[derive(Debug, PartialEq)]
enum Prop {
    Num(f64),
    Str(String),
    Bool(bool),
}

fn mvt_prop(v: &Value) -> Prop {
    match v {
        Value::String(s) => Prop::Str(s.clone()),
        Value::Double(d) => Prop::Num(*d),
        Value::SInt(i) => Prop::Num(*i as f64),
        Value::UInt(u) => Prop::Num(*u as f64),
        Value::Bool(b) => Prop::Bool(*b),
        other => panic!("the encoder never writes {other:?}"),
    }
}

fn json_prop(v: &serde_json::Value) -> Prop {
    match v {
        serde_json::Value::String(s) => Prop::Str(s.clone()),
        serde_json::Value::Number(n) => Prop::Num(n.as_f64().unwrap()),
        serde_json::Value::Bool(b) => Prop::Bool(*b),
        other => panic!("not a property value: {other}"),
    }
}

type Parts = Vec<Vec<[f64; 2]>>;

/// The parts (points, lines or rings, closed) of a decoded MVT geometry, in tile units.
fn mvt_parts(g: &Geometry<f32>) -> (&'static str, Parts) {
    let line = |l: &LineString<f32>| -> Vec<[f64; 2]> {
        l.0.iter()
            .map(|c| [f64::from(c.x), f64::from(c.y)])
            .collect()
    };
    let rings = |p: &Polygon<f32>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(line)
            .collect::<Parts>()
    };
    match g {
        Geometry::Point(p) => ("point", vec![vec![[f64::from(p.x()), f64::from(p.y())]]]),
        Geometry::MultiPoint(mp) => (
            "point",
            vec![mp
                .0
                .iter()
                .map(|p| [f64::from(p.x()), f64::from(p.y())])
                .collect()],
        ),
        Geometry::LineString(l) => ("line", vec![line(l)]),
        Geometry::MultiLineString(ml) => ("line", ml.0.iter().map(line).collect()),
        Geometry::Polygon(p) => ("polygon", rings(p)),
        Geometry::MultiPolygon(mp) => ("polygon", mp.0.iter().flat_map(rings).collect()),
        other => panic!("unexpected {other:?}"),
    }
}

/// The parts of a GeoJSON geometry, projected to `tile`'s units; exteriors are checked to
/// run counter-clockwise in lon/lat and holes clockwise (RFC 7946), then reversed to the
/// MVT winding.
fn geojson_parts(g: &serde_json::Value, tile: TileId) -> (&'static str, Parts) {
    let b = tile.bounds();
    let scale = 4096.0 / tile.size();
    let pt = |c: &serde_json::Value| {
        let (x, y) = lonlat_to_mercator(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        [(x - b.min().x) * scale, (b.max().y - y) * scale]
    };
    let line =
        |l: &serde_json::Value| -> Vec<[f64; 2]> { l.as_array().unwrap().iter().map(pt).collect() };
    let rings = |p: &serde_json::Value| -> Parts {
        p.as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(r, ring)| {
                let lonlat: Vec<[f64; 2]> = ring
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()])
                    .collect();
                assert_eq!(lonlat.first(), lonlat.last(), "rings are closed");
                let area: f64 = lonlat
                    .windows(2)
                    .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
                    .sum();
                assert_eq!(
                    area > 0.0,
                    r == 0,
                    "exterior counter-clockwise, holes clockwise"
                );
                // Back to the MVT winding, to compare vertex by vertex.
                let mut units = line(ring);
                units.reverse();
                units
            })
            .collect()
    };
    let c = &g["coordinates"];
    let each = |f: &dyn Fn(&serde_json::Value) -> Parts| -> Parts {
        c.as_array().unwrap().iter().flat_map(f).collect()
    };
    match g["type"].as_str().unwrap() {
        "Point" => ("point", vec![vec![pt(c)]]),
        "LineString" => ("line", vec![line(c)]),
        "MultiLineString" => ("line", each(&|l| vec![line(l)])),
        "Polygon" => ("polygon", rings(c)),
        "MultiPolygon" => ("polygon", each(&rings)),
        other => panic!("unexpected {other}"),
    }
}

/// Asserts that the GeoJSON and MVT tiles of `tile` (within `budget`) hold the same
/// features; returns how many.
fn same_features(tile: TileId, layer: LayerInput<'_>, budget: usize) -> usize {
    let mvt = encode_tile_within(tile, &[layer], budget).unwrap();
    let gj = encode_geojson_tile_within(tile, layer, budget).unwrap();
    let fc: serde_json::Value = serde_json::from_slice(&gj.geojson).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    let Some(mvt) = mvt else {
        assert!(features.is_empty(), "{tile}: MVT empty, GeoJSON not");
        assert_eq!(gj.detail, tile.z);
        return 0;
    };
    assert_eq!(gj.detail, mvt.detail, "{tile}");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(gj.gzip.as_slice()),
        &mut unzipped,
    )
    .unwrap();
    assert_eq!(unzipped, gj.geojson);
    let reader = Reader::new(mvt.mvt).unwrap();
    let decoded = reader.get_features(0).unwrap();
    assert_eq!(
        features
            .iter()
            .map(|f| f["id"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        decoded.iter().map(|f| f.id.unwrap()).collect::<Vec<_>>(),
        "{tile}: ids in order"
    );
    for (g, m) in features.iter().zip(&decoded) {
        let mut gp: Vec<(String, Prop)> = g["properties"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), json_prop(v)))
            .collect();
        let mut mp: Vec<(String, Prop)> = m
            .properties
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.clone(), mvt_prop(v)))
            .collect();
        gp.sort_by(|a, b| a.0.cmp(&b.0));
        mp.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(gp, mp, "{tile} feature {}", g["id"]);
        let (gk, gparts) = geojson_parts(&g["geometry"], tile);
        let (mk, mparts) = mvt_parts(&m.geometry);
        assert_eq!(gk, mk, "{tile} feature {}", g["id"]);
        assert_eq!(
            gparts.iter().map(Vec::len).collect::<Vec<_>>(),
            mparts.iter().map(Vec::len).collect::<Vec<_>>(),
            "{tile} feature {}: parts and vertex counts",
            g["id"]
        );
        for (a, b) in gparts.iter().flatten().zip(mparts.iter().flatten()) {
            assert!(
                (a[0] - b[0]).abs() < 0.2 && (a[1] - b[1]).abs() < 0.2,
                "{tile} feature {}: {a:?} vs {b:?}",
                g["id"]
            );
        }
    }
    features.len()
}

#[test]
fn polygon_point_and_line_tiles_agree_with_their_mvt_tiles() {
    let polys = polygons();
    let n = polys.len();
    let geometry = LayerGeometry::polygons(polys, PrepareOptions::default());
    let table = polygon_table(n);
    // "rate" from zoom 12, "delta" from zoom 10.
    let key_zoom = [0, 12, 0, 10, 0];
    let areas = LayerInput::new("areas", &geometry, &table).key_min_zoom(&key_zoom);
    let groups: Vec<Option<u32>> = (0..n).map(|i| Some((i % 3) as u32)).collect();
    let lines = geometry.boundary_lines(&groups).unwrap();
    let line_table = AttributeTable {
        keys: vec!["kind".into()],
        rows: lines
            .kinds
            .iter()
            .map(|k| vec![PropValue::String(format!("{k:?}"))])
            .collect(),
    };
    let context = LayerInput::new("context", &lines.geometry, &line_table);
    let points = LayerGeometry::points(
        (0..NX * NY)
            .map(|k| {
                let (x, y) = corner(k % NX, k / NX);
                Point::new(x + STEP / 2.0, y + STEP / 2.0)
            })
            .collect(),
        PrepareOptions::default(),
    );
    let point_table = polygon_table(NX * NY);
    let point_zoom: Vec<u8> = (0..NX * NY).map(|i| (i % 15) as u8).collect();
    let labels = LayerInput::new("labels", &points, &point_table).feature_min_zoom(&point_zoom);
    let bounds = geometry.bounds_wgs84().unwrap();
    for (layer, zooms) in [
        (areas, [8, 11, 13, 16]),
        (context, [8, 10, 12, 15]),
        (labels, [9, 12, 14, 16]),
    ] {
        let mut total = 0;
        for z in zooms {
            for tile in tiles_covering(bounds, z).take(12) {
                total += same_features(tile, layer, DEFAULT_TILE_BUDGET);
            }
        }
        assert!(total > 20, "{}: only {total} features compared", layer.name);
    }
    // A tile with no features: an empty collection.
    assert_eq!(
        same_features(TileId::new(12, 0, 0).unwrap(), areas, DEFAULT_TILE_BUDGET),
        0
    );
}

#[test]
fn a_tile_over_budget_is_coarsened_alike_in_both_formats() {
    let polys = polygons();
    let n = polys.len();
    let geometry = LayerGeometry::polygons(polys, PrepareOptions::default());
    let table = polygon_table(n);
    let key_zoom = [0, 12, 0, 10, 0];
    let layer = LayerInput::new("areas", &geometry, &table).key_min_zoom(&key_zoom);
    let tile = tiles_covering([-4.15, 50.38, -4.15, 50.38], 12)
        .next()
        .unwrap();
    let full = encode_tile_within(tile, &[layer], DEFAULT_TILE_BUDGET)
        .unwrap()
        .unwrap();
    let budget = full.gzip.len() * 2 / 3;
    let small = encode_tile_within(tile, &[layer], budget).unwrap().unwrap();
    assert!(small.detail < 12, "detail {}", small.detail);
    assert!(same_features(tile, layer, budget) > 0);
    let gj = encode_geojson_tile_within(tile, layer, budget).unwrap();
    assert_eq!(gj.detail, small.detail);
    assert!(
        !String::from_utf8(gj.geojson).unwrap().contains("\"rate\""),
        "no rate below zoom 12"
    );
    let e = encode_geojson_tile_within(tile, layer, 10).unwrap_err();
    assert!(e.to_string().contains("over the budget of 10"), "{e}");
}
