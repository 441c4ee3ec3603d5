//! Tiles of Plymouth's real LSOAs, decoded with an independent reader (`mvt-reader`).

mod common;

use geo_types::{Geometry, LineString, MultiPolygon, Point, Polygon};
use mvt_reader::feature::Value;
use mvt_reader::Reader;
use safemap_tiles::{
    encode_tile, encode_tile_within, tiles_covering, AttributeTable, LayerGeometry, LayerInput,
    PrepareOptions, PropValue, TileId, DEFAULT_TILE_BUDGET,
};
use std::collections::BTreeSet;

/// Twice the signed area by the spec's surveyor's formula, in tile coordinates (y down).
fn area2(ring: &LineString<f32>) -> f64 {
    ring.0
        .windows(2)
        .map(|w| f64::from(w[0].x) * f64::from(w[1].y) - f64::from(w[1].x) * f64::from(w[0].y))
        .sum()
}

fn polygons(g: &Geometry<f32>) -> Vec<Polygon<f32>> {
    match g {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(mp) => mp.0.clone(),
        other => panic!("expected polygons, got {other:?}"),
    }
}

fn as_prop(v: &Value) -> PropValue {
    match v {
        Value::String(s) => PropValue::String(s.clone()),
        Value::Double(d) => PropValue::Float(*d),
        Value::SInt(i) => PropValue::Int(*i),
        Value::UInt(u) => PropValue::UInt(*u),
        Value::Bool(b) => PropValue::Bool(*b),
        other => panic!("this encoder never writes {other:?}"),
    }
}

struct Fixture {
    geometry: LayerGeometry,
    attributes: AttributeTable,
}

fn plymouth() -> Fixture {
    let areas = common::read_areas(common::PLYMOUTH_LSOA11);
    assert_eq!(areas.len(), 161);
    let rows = areas
        .iter()
        .enumerate()
        .map(|(i, (props, _))| {
            let s = |k: &str| PropValue::String(props[k].as_str().expect(k).to_string());
            vec![
                s("LSOA11CD"),
                s("LSOA11NM"),
                PropValue::UInt(i as u64),
                if i % 3 == 0 {
                    PropValue::Null
                } else {
                    PropValue::Float(i as f64 / 7.0)
                },
                PropValue::Int(50 - i as i64),
                PropValue::Bool(i % 2 == 0),
                PropValue::String(["low", "mid", "high"][i % 3].into()),
            ]
        })
        .collect();
    let attributes = AttributeTable {
        keys: ["code", "name", "index", "rate", "delta", "even", "band"]
            .map(String::from)
            .to_vec(),
        rows,
    };
    let geometry = LayerGeometry::polygons(
        areas.into_iter().map(|(_, g)| g).collect(),
        PrepareOptions::default(),
    );
    Fixture {
        geometry,
        attributes,
    }
}

#[test]
fn plymouth_tiles_decode_with_clockwise_exteriors_and_their_rows() {
    let f = plymouth();
    let bounds = f.geometry.bounds_wgs84().expect("bounds");
    let layer = LayerInput::new("lsoa", &f.geometry, &f.attributes);
    for z in [8u8, 10, 12, 14, 16] {
        let mut seen = BTreeSet::new();
        let mut tiles_with_data = 0;
        for tile in tiles_covering(bounds, z) {
            let Some(bytes) = encode_tile(tile, &[layer]).expect("encodes") else {
                continue;
            };
            tiles_with_data += 1;
            let reader = Reader::new(bytes).expect("mvt-reader parses the tile");
            assert_eq!(reader.get_layer_names().unwrap(), ["lsoa"]);
            let meta = &reader.get_layer_metadata().unwrap()[0];
            assert_eq!((meta.extent, meta.version), (4096, 2));
            let features = reader.get_features(0).expect("features decode");
            assert_eq!(features.len(), meta.feature_count);
            for feat in &features {
                let id = feat.id.expect("feature id") as usize;
                assert!(id < 161);
                seen.insert(id);
                // Attributes: exactly the non-null values of the row.
                let props = feat.properties.as_ref().expect("properties");
                let row = &f.attributes.rows[id];
                for (k, key) in f.attributes.keys.iter().enumerate() {
                    match &row[k] {
                        PropValue::Null => assert!(!props.contains_key(key), "{tile} {id} {key}"),
                        v => assert_eq!(&as_prop(&props[key]), v, "{tile} feature {id} {key}"),
                    }
                }
                assert_eq!(
                    props.len(),
                    row.iter().filter(|v| **v != PropValue::Null).count()
                );
                // Geometry: exteriors positive (clockwise with y down), holes negative, all
                // vertices inside the tile plus its 64-unit buffer.
                for p in polygons(&feat.geometry) {
                    assert!(
                        area2(p.exterior()) > 0.0,
                        "{tile} feature {id}: exterior not clockwise"
                    );
                    for hole in p.interiors() {
                        assert!(
                            area2(hole) < 0.0,
                            "{tile} feature {id}: hole not anticlockwise"
                        );
                    }
                    for c in p
                        .exterior()
                        .coords()
                        .chain(p.interiors().iter().flat_map(LineString::coords))
                    {
                        assert!((-64.0..=4160.0).contains(&c.x) && (-64.0..=4160.0).contains(&c.y));
                    }
                }
            }
        }
        assert!(tiles_with_data > 0);
        // Every area is in some tile at every zoom (none dropped as degenerate, even at z8
        // where an LSOA is a few tile units across but still a pixel wide).
        assert_eq!(seen.len(), 161, "zoom {z}");
    }
}

#[test]
fn areas_of_a_z14_tile_cover_it_and_match_the_source() {
    // Decoded areas inside one central z14 tile, summed over features, equal the tile area
    // (LSOAs tile the city without overlaps) to within the source's own slivers.
    let f = plymouth();
    let layer = LayerInput::new("lsoa", &f.geometry, &f.attributes);
    let tile = tiles_covering([-4.14, 50.375, -4.14, 50.375], 14)
        .next()
        .unwrap();
    let reader = Reader::new(encode_tile(tile, &[layer]).unwrap().unwrap()).unwrap();
    let total: f64 = reader
        .get_features(0)
        .unwrap()
        .iter()
        .flat_map(|feat| polygons(&feat.geometry))
        .map(|p| {
            // Clip the buffer away by clamping is not area-exact; instead sum the signed
            // area of every ring (holes subtract) and compare with the buffered square.
            area2(p.exterior()) + p.interiors().iter().map(area2).sum::<f64>()
        })
        .sum::<f64>()
        / 2.0;
    let buffered = (4096.0 + 128.0_f64).powi(2);
    assert!(
        (total - buffered).abs() / buffered < 0.01,
        "{total} vs {buffered}"
    );
}

#[test]
fn two_layers_in_one_tile_and_empty_tiles() {
    let f = plymouth();
    let centres: Vec<Point<f64>> = (0..f.geometry.len())
        .map(|i| {
            let mp: MultiPolygon<f64> = f.geometry.simplified_polygon(i, 30).unwrap();
            let c = &mp.0[0].exterior().0[0];
            let (lon, lat) = safemap_tiles::mercator_to_lonlat(c.x, c.y);
            Point::new(lon, lat)
        })
        .collect();
    let points = LayerGeometry::points(centres, PrepareOptions::default());
    let none = AttributeTable::default();
    let layers = [
        LayerInput::new("lsoa", &f.geometry, &f.attributes),
        LayerInput::new("corners", &points, &none),
    ];
    let tile = tiles_covering([-4.14, 50.375, -4.14, 50.375], 12)
        .next()
        .unwrap();
    let reader = Reader::new(encode_tile(tile, &layers).unwrap().unwrap()).unwrap();
    assert_eq!(reader.get_layer_names().unwrap(), ["lsoa", "corners"]);
    let pts = reader.get_features(1).unwrap();
    assert!(!pts.is_empty());
    assert!(pts.iter().all(|p| match &p.geometry {
        Geometry::Point(_) => true,
        Geometry::MultiPoint(mp) => mp.0.len() == 1,
        _ => false,
    }));
    // Open sea far from Plymouth and another continent: no data.
    assert!(encode_tile(TileId::new(12, 100, 100).unwrap(), &layers)
        .unwrap()
        .is_none());
    assert!(encode_tile(
        tiles_covering([-5.5, 49.5, -5.5, 49.5], 14).next().unwrap(),
        &layers
    )
    .unwrap()
    .is_none());
}

/// Ray casting: whether `p` is inside the ring `r` (closed or open, any orientation).
fn in_ring(r: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = r.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (r[i], r[(i + 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
        {
            inside = !inside;
        }
    }
    inside
}

/// Distance from `p` to the segment `a`-`b`.
fn to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((a[0] + t * dx - p[0]).powi(2) + (a[1] + t * dy - p[1]).powi(2)).sqrt()
}

/// A point inside the exterior of `mp`'s first polygon: the middle of the first chord of
/// the horizontal line through the middle of its box.
fn inside_point(mp: &MultiPolygon<f64>) -> [f64; 2] {
    let ring: Vec<[f64; 2]> = mp.0[0].exterior().coords().map(|c| [c.x, c.y]).collect();
    let (lo, hi) = ring.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p[1]), hi.max(p[1]))
    });
    let y = f64::midpoint(lo, hi);
    let mut xs: Vec<f64> = ring
        .windows(2)
        .filter(|w| (w[0][1] > y) != (w[1][1] > y))
        .map(|w| w[0][0] + (y - w[0][1]) / (w[1][1] - w[0][1]) * (w[1][0] - w[0][0]))
        .collect();
    xs.sort_by(f64::total_cmp);
    [f64::midpoint(xs[0], xs[1]), y]
}

/// Where a WGS84 point falls at zoom `z`: the tile and its position in tile units.
fn tile_units(p: [f64; 2], z: u8) -> (TileId, [f64; 2]) {
    let n = f64::from(1u32 << z);
    let x = (p[0] + 180.0) / 360.0 * n;
    let lat = p[1].to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    let t = TileId::new(z, x.floor() as u32, y.floor() as u32).expect("a tile on the map");
    (t, [(x - x.floor()) * 4096.0, (y - y.floor()) * 4096.0])
}

/// At zooms where many of Plymouth's LSOAs are smaller than a pixel, a point inside every
/// area is still drawn: inside some feature of its tile, or within half a pixel of one's
/// edge (simplification moves edges by up to half a pixel).
#[test]
fn no_holes_where_small_areas_are_merged() {
    let f = plymouth();
    let areas = common::read_areas(common::PLYMOUTH_LSOA11);
    for z in [5u8, 6, 7, 8] {
        let mut drawn = BTreeSet::new();
        for (i, (_, mp)) in areas.iter().enumerate() {
            let (tile, p) = tile_units(inside_point(mp), z);
            let bytes = encode_tile(tile, &[LayerInput::new("lsoa", &f.geometry, &f.attributes)])
                .unwrap()
                .expect("the tile of an area has features");
            let reader = Reader::new(bytes).unwrap();
            let features = reader.get_features(0).unwrap();
            drawn.extend(features.iter().map(|f| f.id.unwrap()));
            let covered = features.iter().any(|feat| {
                polygons(&feat.geometry).iter().any(|poly| {
                    let ring: Vec<[f64; 2]> = poly
                        .exterior()
                        .coords()
                        .map(|c| [f64::from(c.x), f64::from(c.y)])
                        .collect();
                    in_ring(&ring, p) || ring.windows(2).any(|w| to_segment(p, w[0], w[1]) <= 4.0)
                })
            });
            assert!(covered, "z{z}: area {i} at {p:?} of tile {tile} is a hole");
        }
        // Below z7 some areas are under a pixel and merged into their neighbours' squares.
        assert_eq!(
            drawn.len() < 161,
            z < 7,
            "z{z}: {} areas drawn",
            drawn.len()
        );
    }
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let encode_all = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let f = plymouth();
                let layer = LayerInput::new("lsoa", &f.geometry, &f.attributes);
                tiles_covering(f.geometry.bounds_wgs84().unwrap(), 11)
                    .map(|t| encode_tile(t, &[layer]).unwrap())
                    .collect::<Vec<_>>()
            })
    };
    assert_eq!(encode_all(1), encode_all(4));
}

/// A tile over its byte budget is drawn at lower detail until it fits: smaller, still
/// decodable, with the keys of the lower zoom only; a budget nothing can meet is an error.
#[test]
fn tiles_are_coarsened_until_they_fit_the_budget() {
    let f = plymouth();
    // "name" and "rate" only from zoom 12; the rest at every zoom.
    let key_zoom = [0, 12, 0, 12, 0, 0, 0];
    let layer = LayerInput::new("lsoa", &f.geometry, &f.attributes).key_min_zoom(&key_zoom);
    let bounds = f.geometry.bounds_wgs84().unwrap();
    let centre = [
        f64::midpoint(bounds[0], bounds[2]),
        f64::midpoint(bounds[1], bounds[3]),
    ];
    let (tile, _) = tile_units(centre, 12);
    let full = encode_tile_within(tile, &[layer], DEFAULT_TILE_BUDGET)
        .unwrap()
        .unwrap();
    assert_eq!(full.detail, 12);
    let names = |mvt: Vec<u8>| {
        let reader = Reader::new(mvt).unwrap();
        let features = reader.get_features(0).unwrap();
        assert!(!features.is_empty());
        features
            .iter()
            .filter(|f| f.properties.as_ref().unwrap().contains_key("name"))
            .count()
    };
    assert!(names(full.mvt.clone()) > 0, "names at zoom 12");
    let budget = full.gzip.len() / 2;
    let small = encode_tile_within(tile, &[layer], budget).unwrap().unwrap();
    assert!(small.detail < 12, "detail {}", small.detail);
    assert!(
        small.gzip.len() <= budget,
        "{} > {budget}",
        small.gzip.len()
    );
    assert_eq!(names(small.mvt), 0, "no names below zoom 12");
    let e = encode_tile_within(tile, &[layer], 10).unwrap_err();
    assert!(e.to_string().contains("over the budget of 10"), "{e}");
    // A layer without min zooms at full detail is what encode_tile writes.
    let plain = LayerInput::new("lsoa", &f.geometry, &f.attributes);
    assert_eq!(
        encode_tile_within(tile, &[plain], DEFAULT_TILE_BUDGET)
            .unwrap()
            .unwrap()
            .mvt,
        encode_tile(tile, &[plain]).unwrap().unwrap()
    );
}
