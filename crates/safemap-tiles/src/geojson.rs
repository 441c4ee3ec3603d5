//! GeoJSON tiles: one layer's features in one tile as an RFC 7946 FeatureCollection, for
//! clients that read GeoJSON tiles (Leaflet and the like).
//!
//! The features are the ones the MVT tile of the same address and byte budget holds
//! (`features.rs`, at the detail [`crate::encode_tile_within`] settles on): clipped to the
//! tile plus its buffer, simplified and merged per zoom, with the same attributes and
//! feature ids. Coordinates are converted back from the quantised tile units (not from the
//! unquantised geometry), so the two formats hold the same vertices: each vertex is its
//! integer tile position in lon/lat, written with enough decimals to stay within about a
//! tenth of a tile unit (7 at zoom 16, 3 at zoom 0).
//! MVT winds exteriors clockwise as seen on a map, holes anticlockwise; RFC 7946 asks for
//! the opposite, so GeoJSON rings are written in reverse order from the same first vertex.

use crate::encode::{fit_within, gzip, LayerInput};
use crate::features::{Feature, LayerFeatures, Shape, TilePt};
use crate::mercator::mercator_to_lonlat;
use crate::{PropValue, TileError, TileId};
use std::fmt::Write;

/// A GeoJSON tile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeoJsonTile {
    /// The FeatureCollection, UTF-8 (no features when the tile is empty).
    pub geojson: Vec<u8>,
    /// Its gzip (fast compression, zero modification time).
    pub gzip: Vec<u8>,
    /// The detail zoom drawn: the one the MVT tile within the same budget is drawn at.
    pub detail: u8,
}

/// One layer's features in `tile` as a GeoJSON FeatureCollection: the features, ids
/// (`id` = feature index, as in the MVT tile), attributes (`properties`, nulls left out) and
/// detail of [`crate::encode_tile_within`] with the same budget, coordinates in WGS84
/// lon/lat. An empty tile is an empty FeatureCollection. Errors as `encode_tile_within`.
///
/// ```
/// use geo_types::point;
/// use safemap_tiles::*;
/// let geom = LayerGeometry::points(vec![point!(x: -4.14, y: 50.37)], PrepareOptions::default());
/// let attrs = AttributeTable { keys: vec!["n".into()], rows: vec![vec![PropValue::UInt(3)]] };
/// let layer = LayerInput::new("services", &geom, &attrs);
/// let t = tiles_covering([-4.14, 50.37, -4.14, 50.37], 12).next().unwrap();
/// let tile = encode_geojson_tile_within(t, layer, DEFAULT_TILE_BUDGET).unwrap();
/// let fc: serde_json::Value = serde_json::from_slice(&tile.geojson).unwrap();
/// assert_eq!(fc["features"][0]["id"], 0);
/// assert_eq!(fc["features"][0]["properties"]["n"], 3);
/// let far = encode_geojson_tile_within(TileId::new(12, 0, 0).unwrap(), layer, DEFAULT_TILE_BUDGET);
/// assert_eq!(far.unwrap().geojson, br#"{"type":"FeatureCollection","features":[]}"#);
/// ```
pub fn encode_geojson_tile_within(
    tile: TileId,
    layer: LayerInput<'_>,
    max_gzip_bytes: usize,
) -> Result<GeoJsonTile, TileError> {
    let (features, detail) = match fit_within(tile, &[layer], max_gzip_bytes)? {
        Some((mut layers, encoded)) => (layers.pop(), encoded.detail),
        None => (None, tile.z),
    };
    let geojson = feature_collection(tile, features.as_ref()).into_bytes();
    Ok(GeoJsonTile {
        gzip: gzip(&geojson),
        geojson,
        detail,
    })
}

/// Tile units to WGS84 for one tile, and the decimals that keep a tenth of a unit.
struct Georeference {
    min_x: f64,
    max_y: f64,
    metres_per_unit: f64,
    decimals: usize,
}

impl Georeference {
    fn new(tile: TileId, extent: u32) -> Self {
        let bounds = tile.bounds();
        let degrees_per_unit = 360.0 / f64::from(1u32 << tile.z) / f64::from(extent);
        // Latitude degrees per unit shrink with cos(latitude); 1e-9° is below a millimetre.
        let decimals = (-(degrees_per_unit / 10.0).log10()).ceil().clamp(0.0, 9.0) as usize;
        Georeference {
            min_x: bounds.min().x,
            max_y: bounds.max().y,
            metres_per_unit: tile.size() / f64::from(extent),
            decimals,
        }
    }

    /// Writes `[lon,lat]` of tile point `p`.
    fn write(&self, p: TilePt, out: &mut String) {
        let (lon, lat) = mercator_to_lonlat(
            self.min_x + f64::from(p[0]) * self.metres_per_unit,
            self.max_y - f64::from(p[1]) * self.metres_per_unit,
        );
        out.push('[');
        self.number(lon, out);
        out.push(',');
        self.number(lat, out);
        out.push(']');
    }

    /// `v` with `decimals` decimals, trailing zeros trimmed, no negative zero.
    fn number(&self, v: f64, out: &mut String) {
        let start = out.len();
        let _ = write!(out, "{v:.*}", self.decimals);
        if out[start..].contains('.') {
            let trimmed = out.trim_end_matches('0').trim_end_matches('.').len();
            out.truncate(trimmed);
        }
        if &out[start..] == "-0" {
            out.replace_range(start.., "0");
        }
    }

    /// Writes a ring (MVT winding, open form) reversed and closed: first point, the others
    /// in reverse order, first point again.
    fn ring(&self, ring: &[TilePt], out: &mut String) {
        let first = ring.first();
        self.points(
            first.into_iter().chain(ring[1..].iter().rev()).chain(first),
            out,
        );
    }

    fn points<'a>(&self, pts: impl Iterator<Item = &'a TilePt>, out: &mut String) {
        out.push('[');
        for (i, p) in pts.enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write(*p, out);
        }
        out.push(']');
    }
}

/// Writes `items` as a JSON array, each with `item`.
fn array<T>(items: &[T], out: &mut String, mut item: impl FnMut(&T, &mut String)) {
    out.push('[');
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(t, out);
    }
    out.push(']');
}

fn feature_collection(tile: TileId, layer: Option<&LayerFeatures<'_>>) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    if let Some(layer) = layer {
        let geo = Georeference::new(tile, layer.extent);
        let keys: Vec<String> = layer.keys.iter().map(|k| json_string(k)).collect();
        for (i, f) in layer.features.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            feature(f, &keys, &geo, &mut out);
        }
    }
    out.push_str("]}");
    out
}

fn feature(f: &Feature<'_>, keys: &[String], geo: &Georeference, out: &mut String) {
    let _ = write!(out, r#"{{"type":"Feature","id":{},"properties":{{"#, f.id);
    for (i, &(k, v)) in f.properties.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&keys[k]);
        out.push(':');
        value(v, out);
    }
    out.push_str(r#"},"geometry":{"type":"#);
    match &f.shape {
        Shape::Point(p) => {
            out.push_str(r#""Point","coordinates":"#);
            geo.write(*p, out);
        }
        Shape::Lines(lines) => {
            if let [line] = lines.as_slice() {
                out.push_str(r#""LineString","coordinates":"#);
                geo.points(line.iter(), out);
            } else {
                out.push_str(r#""MultiLineString","coordinates":"#);
                array(lines, out, |l, out| geo.points(l.iter(), out));
            }
        }
        Shape::Polygons(polygons) => {
            let polygon = |rings: &Vec<Vec<TilePt>>, out: &mut String| {
                array(rings, out, |r, out| geo.ring(r, out));
            };
            if let [one] = polygons.as_slice() {
                out.push_str(r#""Polygon","coordinates":"#);
                polygon(one, out);
            } else {
                out.push_str(r#""MultiPolygon","coordinates":"#);
                array(polygons, out, polygon);
            }
        }
    }
    out.push_str("}}");
}

fn json_string(s: &str) -> String {
    // Serialising a string cannot fail.
    serde_json::to_string(s).unwrap_or_default()
}

/// A property value as JSON (a non-finite float as `null`).
fn value(v: &PropValue, out: &mut String) {
    let _ = match v {
        PropValue::Bool(b) => write!(out, "{b}"),
        PropValue::Int(i) => write!(out, "{i}"),
        PropValue::UInt(u) => write!(out, "{u}"),
        PropValue::Float(f) if f.is_finite() => write!(out, "{f}"),
        PropValue::Null | PropValue::Float(_) => write!(out, "null"),
        PropValue::String(s) => write!(out, "{}", json_string(s)),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_trimmed_and_never_negative_zero() {
        let geo = Georeference::new(TileId::new(16, 0, 0).unwrap(), 4096);
        assert_eq!(geo.decimals, 7);
        let mut out = String::new();
        for v in [-4.125, 50.0, -0.000_000_01, 1.234_567_89] {
            geo.number(v, &mut out);
            out.push(' ');
        }
        assert_eq!(out, "-4.125 50 0 1.2345679 ");
        assert_eq!(
            Georeference::new(TileId::new(0, 0, 0).unwrap(), 4096).decimals,
            3
        );
    }

    #[test]
    fn values_are_json() {
        let mut out = String::new();
        for v in [
            PropValue::Bool(true),
            PropValue::Int(-3),
            PropValue::UInt(7),
            PropValue::Float(0.1),
            PropValue::Float(f64::NAN),
            PropValue::String("a \"b\"\n".into()),
        ] {
            value(&v, &mut out);
            out.push(',');
        }
        let parsed: serde_json::Value = serde_json::from_str(&format!("[{out}null]")).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!([true, -3, 7, 0.1, null, "a \"b\"\n", null])
        );
    }
}
