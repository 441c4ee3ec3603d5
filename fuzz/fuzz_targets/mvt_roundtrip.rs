//! MVT encode/decode round trip: points and rectangles placed at tile units of one tile (from
//! `arbitrary`), with random attribute rows, encoded with safemap-tiles and decoded with the
//! independent `mvt-reader`.
//!
//! Checked: the tile decodes; layer names, extent and version; every feature's id is a
//! feature of its layer and its properties are exactly the non-null values of its row; every
//! point comes back at its tile position rounded to the integer grid (within one unit for
//! the float error of projecting to lon/lat and back), none lost or invented; polygon
//! vertices lie within the buffer, exteriors wind clockwise (positive area, y down) and
//! holes anticlockwise; at zooms past simplification, a rectangle wholly inside the tile and
//! at least two pixels wide comes back as exactly its four corners.
#![no_main]

use arbitrary::Arbitrary;
use geo_types::{Geometry, LineString, MultiPolygon, Point, Polygon};
use libfuzzer_sys::fuzz_target;
use mvt_reader::feature::Value;
use mvt_reader::Reader;
use safemap_tiles::{
    encode_tile, mercator_to_lonlat, AttributeTable, LayerGeometry, LayerInput, PrepareOptions,
    PropValue, TileId, HALF_WORLD, WORLD_WIDTH,
};

const EXTENT: f64 = 4096.0;
const KEYS: [&str; 4] = ["a", "b", "name", "value"];

#[derive(Arbitrary, Debug)]
enum Prop {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
}

impl Prop {
    fn value(&self) -> PropValue {
        match self {
            Prop::Null => PropValue::Null,
            Prop::Bool(b) => PropValue::Bool(*b),
            Prop::Int(i) => PropValue::Int(*i),
            Prop::UInt(u) => PropValue::UInt(*u),
            Prop::Float(f) => PropValue::Float(*f),
            Prop::Str(s) => PropValue::String(s.clone()),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    z: u8,
    x: u32,
    y: u32,
    /// Tile units offset by 63 (so 0 is just inside the buffer's edge): x, y and the row.
    points: Vec<(u16, u16, [Prop; 4])>,
    /// Rectangles: x0, y0, width, height (tile units, offset by 63) and the row.
    rects: Vec<(u16, u16, u16, u16, [Prop; 4])>,
}

/// Tile units of `tile` to WGS84.
fn lonlat(tile: TileId, tx: f64, ty: f64) -> (f64, f64) {
    let w = WORLD_WIDTH / f64::from(1u32 << tile.z);
    let mx = -HALF_WORLD + f64::from(tile.x) * w + tx * w / EXTENT;
    let my = HALF_WORLD - f64::from(tile.y) * w - ty * w / EXTENT;
    mercator_to_lonlat(mx, my)
}

/// True when tile units (tx, ty) of `tile` are on the map (not past the antimeridian or the
/// Mercator poles), so that projecting there and back is the identity.
fn on_map(tile: TileId, tx: f64, ty: f64) -> bool {
    let n = f64::from(1u32 << tile.z);
    let gx = f64::from(tile.x) + tx / EXTENT;
    let gy = f64::from(tile.y) + ty / EXTENT;
    gx > 1e-6 && gx < n - 1e-6 && gy > 1e-6 && gy < n - 1e-6
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

fn same(a: &PropValue, b: &PropValue) -> bool {
    match (a, b) {
        (PropValue::Float(x), PropValue::Float(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

fn check_properties(feat: &mvt_reader::feature::Feature, rows: &[Vec<PropValue>], what: &str) {
    let id = feat.id.expect("feature id") as usize;
    assert!(
        id < rows.len(),
        "{what}: id {id} of {} features",
        rows.len()
    );
    let row = &rows[id];
    let empty = std::collections::HashMap::new();
    let props = feat.properties.as_ref().unwrap_or(&empty);
    for (k, key) in KEYS.iter().enumerate() {
        match &row[k] {
            PropValue::Null => {
                assert!(!props.contains_key(*key), "{what} {id}: null {key} written")
            }
            v => {
                let got = props.get(*key).map(as_prop);
                assert!(
                    got.as_ref().is_some_and(|g| same(g, v)),
                    "{what} {id} {key}: wrote {v:?}, read {got:?}"
                );
            }
        }
    }
    assert_eq!(
        props.len(),
        row.iter().filter(|v| **v != PropValue::Null).count()
    );
}

fn area2(ring: &LineString<f32>) -> f64 {
    ring.0
        .windows(2)
        .map(|w| f64::from(w[0].x) * f64::from(w[1].y) - f64::from(w[1].x) * f64::from(w[0].y))
        .sum()
}

fuzz_target!(|input: Input| {
    let z = input.z % 21;
    let n = 1u32 << z;
    let Ok(tile) = TileId::new(z, input.x % n, input.y % n) else {
        panic!("tile in range");
    };
    // -63 to 4159: inside the 64-unit buffer with a unit to spare, so the float error of
    // projecting to lon/lat and back cannot push a point out of the tile.
    let unit = |v: u16| f64::from(v % 4223) - 63.0;

    // Points: the expected position of each, in tile units rounded.
    let mut point_geoms = Vec::new();
    let mut point_rows = Vec::new();
    let mut expected = Vec::new();
    for (x, y, row) in input.points.iter().take(64) {
        let (tx, ty) = (unit(*x), unit(*y));
        if !on_map(tile, tx, ty) {
            continue;
        }
        let (lon, lat) = lonlat(tile, tx, ty);
        expected.push((point_geoms.len(), tx.round(), ty.round()));
        point_geoms.push(Point::new(lon, lat));
        point_rows.push(row.iter().map(Prop::value).collect::<Vec<_>>());
    }

    // Rectangles, in lon/lat, and their corners in tile units.
    let mut rect_geoms = Vec::new();
    let mut rect_rows = Vec::new();
    let mut corners = Vec::new();
    for (x, y, w, h, row) in input.rects.iter().take(16) {
        let (x0, y0) = (unit(*x), unit(*y));
        let (x1, y1) = (x0 + f64::from(w % 1024 + 1), y0 + f64::from(h % 1024 + 1));
        if !on_map(tile, x0, y0) || !on_map(tile, x1, y1) {
            continue;
        }
        let ring: Vec<(f64, f64)> = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
            .iter()
            .map(|&(tx, ty)| lonlat(tile, tx, ty))
            .collect();
        corners.push([x0, y0, x1, y1]);
        rect_geoms.push(MultiPolygon(vec![Polygon::new(
            LineString::from(ring),
            vec![],
        )]));
        rect_rows.push(row.iter().map(Prop::value).collect::<Vec<_>>());
    }

    let keys: Vec<String> = KEYS.iter().map(|k| (*k).to_string()).collect();
    let point_geometry = LayerGeometry::points(point_geoms, PrepareOptions::default());
    let point_attrs = AttributeTable {
        keys: keys.clone(),
        rows: point_rows,
    };
    let rect_geometry = LayerGeometry::polygons(rect_geoms, PrepareOptions::default());
    let rect_attrs = AttributeTable {
        keys,
        rows: rect_rows,
    };
    let layers = [
        LayerInput::new("points", &point_geometry, &point_attrs),
        LayerInput::new("rects", &rect_geometry, &rect_attrs),
    ];
    let encoded = encode_tile(tile, &layers).expect("encodes");
    let Some(bytes) = encoded else {
        assert!(
            expected.is_empty(),
            "points in the tile but no tile: {expected:?}"
        );
        return;
    };
    let reader = Reader::new(bytes).expect("mvt-reader parses the tile");
    let names = reader.get_layer_names().expect("layer names");
    let metas = reader.get_layer_metadata().expect("layer metadata");
    for (index, name) in names.iter().enumerate() {
        assert_eq!((metas[index].extent, metas[index].version), (4096, 2));
        let features = reader.get_features(index).expect("features decode");
        assert_eq!(features.len(), metas[index].feature_count);
        match name.as_str() {
            "points" => {
                let mut got: Vec<(usize, f64, f64)> = Vec::new();
                for feat in &features {
                    check_properties(feat, &point_attrs.rows, "point");
                    let p = match &feat.geometry {
                        Geometry::Point(p) => *p,
                        Geometry::MultiPoint(mp) if mp.0.len() == 1 => mp.0[0],
                        other => panic!("point feature decoded as {other:?}"),
                    };
                    got.push((
                        feat.id.expect("id") as usize,
                        f64::from(p.x()),
                        f64::from(p.y()),
                    ));
                }
                got.sort_by_key(|g| g.0);
                assert_eq!(got.len(), expected.len(), "points lost or added");
                for (g, e) in got.iter().zip(&expected) {
                    assert_eq!(g.0, e.0);
                    assert!(
                        (g.1 - e.1).abs() <= 1.0 && (g.2 - e.2).abs() <= 1.0,
                        "point {} at {:?}, expected {:?}",
                        g.0,
                        (g.1, g.2),
                        (e.1, e.2)
                    );
                }
            }
            "rects" => {
                for feat in &features {
                    check_properties(feat, &rect_attrs.rows, "rectangle");
                    let id = feat.id.expect("id") as usize;
                    let polys: Vec<Polygon<f32>> = match &feat.geometry {
                        Geometry::Polygon(p) => vec![p.clone()],
                        Geometry::MultiPolygon(mp) => mp.0.clone(),
                        other => panic!("polygon feature decoded as {other:?}"),
                    };
                    for p in &polys {
                        assert!(area2(p.exterior()) > 0.0, "exterior not clockwise");
                        for hole in p.interiors() {
                            assert!(area2(hole) < 0.0, "hole not anticlockwise");
                        }
                        for c in p
                            .exterior()
                            .coords()
                            .chain(p.interiors().iter().flat_map(LineString::coords))
                        {
                            assert!(
                                (-64.0..=4160.0).contains(&c.x) && (-64.0..=4160.0).contains(&c.y),
                                "vertex {c:?} outside the buffer"
                            );
                        }
                    }
                    let [x0, y0, x1, y1] = corners[id];
                    let inside = x0 >= 0.0 && y0 >= 0.0 && x1 <= EXTENT && y1 <= EXTENT;
                    if z >= 15
                        && inside
                        && x1 - x0 >= 16.0
                        && y1 - y0 >= 16.0
                        && rect_geoms_disjoint(&corners, id)
                    {
                        assert_eq!(polys.len(), 1, "rectangle {id} decoded as {polys:?}");
                        let mut got: Vec<(i64, i64)> = polys[0]
                            .exterior()
                            .coords()
                            .map(|c| (c.x as i64, c.y as i64))
                            .collect();
                        got.sort_unstable();
                        got.dedup();
                        let mut want: Vec<(i64, i64)> = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
                            .iter()
                            .map(|&(x, y)| (x as i64, y as i64))
                            .collect();
                        want.sort_unstable();
                        assert_eq!(got, want, "rectangle {id} corners");
                    }
                }
            }
            other => panic!("unexpected layer {other}"),
        }
    }
});

/// True when rectangle `id` touches no other (shared edges could merge arcs).
fn rect_geoms_disjoint(corners: &[[f64; 4]], id: usize) -> bool {
    let [a0, b0, a1, b1] = corners[id];
    corners
        .iter()
        .enumerate()
        .all(|(j, &[c0, d0, c1, d1])| j == id || c0 > a1 || c1 < a0 || d0 > b1 || d1 < b0)
}
