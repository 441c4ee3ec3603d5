//! Encoding one tile as a Mapbox Vector Tile: the features of each layer (`features.rs`:
//! clipped, simplified and quantised, with the attributes the tile carries) written as
//! geometry commands with deduplicated keys and values. [`encode_tile_within`] lowers the
//! detail one zoom at a time (two when far over) until the gzipped tile fits a byte budget.

use crate::attributes::{AttributeTable, PropValue, ValueKey};
use crate::commands::GeometryEncoder;
use crate::features::{layer_features, LayerFeatures, Shape};
use crate::layer::LayerGeometry;
use crate::vector_tile::{self, GeomType, Tile};
use crate::{TileError, TileId};
use prost::Message;
use std::collections::HashMap;
use std::io::Write;

/// Tiles are drawn this many pixels wide: a pixel is `extent / TILE_PIXELS` tile units.
pub const TILE_PIXELS: u32 = 512;

/// The largest gzipped tile tippecanoe writes by default, 500 KB: a good budget for
/// [`encode_tile_within`].
pub const DEFAULT_TILE_BUDGET: usize = 500_000;

/// One layer to encode: its name in the tile, its prepared geometry, one attribute row
/// per feature (an empty table with no keys means no attributes), and optionally the lowest
/// zoom that carries each key and each feature. Build it with [`LayerInput::new`].
#[derive(Clone, Copy)]
pub struct LayerInput<'a> {
    /// The MVT layer name (unique within a tile).
    pub name: &'a str,
    /// The prepared geometry.
    pub geometry: &'a LayerGeometry,
    /// `attributes.rows[i]` belongs to feature `i`.
    pub attributes: &'a AttributeTable,
    /// `key_min_zoom[k]`: the lowest detail zoom whose tiles carry `attributes.keys[k]`;
    /// empty: every key at every zoom.
    pub key_min_zoom: &'a [u8],
    /// `feature_min_zoom[i]`: the lowest detail zoom whose tiles carry feature `i`; empty:
    /// every feature at every zoom.
    pub feature_min_zoom: &'a [u8],
}

impl<'a> LayerInput<'a> {
    /// A layer with every key and every feature at every zoom.
    pub fn new(name: &'a str, geometry: &'a LayerGeometry, attributes: &'a AttributeTable) -> Self {
        LayerInput {
            name,
            geometry,
            attributes,
            key_min_zoom: &[],
            feature_min_zoom: &[],
        }
    }

    /// The lowest zoom of each key (one per key).
    #[must_use]
    pub fn key_min_zoom(mut self, zooms: &'a [u8]) -> Self {
        self.key_min_zoom = zooms;
        self
    }

    /// The lowest zoom of each feature (one per feature).
    #[must_use]
    pub fn feature_min_zoom(mut self, zooms: &'a [u8]) -> Self {
        self.feature_min_zoom = zooms;
        self
    }
}

/// A tile encoded within a byte budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedTile {
    /// The MVT bytes.
    pub mvt: Vec<u8>,
    /// Their gzip (fast compression, zero modification time).
    pub gzip: Vec<u8>,
    /// The detail zoom drawn (the tile's zoom unless the budget lowered it).
    pub detail: u8,
}

/// Encodes one tile with one MVT layer per input (layer names must be unique: error
/// otherwise), at full detail. Returns `Ok(None)` when no feature of any layer intersects
/// the tile (the server answers 204). Feature id = feature index (`u64`); polygons smaller
/// than a pixel are merged as `cells.rs` describes, line features with equal attributes are
/// written as one feature (the first one's id). Layers with no feature in the tile are left
/// out. Deterministic: the same inputs give the same bytes.
///
/// ```
/// use geo_types::{point, Point};
/// use safemap_tiles::*;
/// let geom = LayerGeometry::points(vec![point!(x: -4.14, y: 50.37)], PrepareOptions::default());
/// let attrs = AttributeTable { keys: vec!["n".into()], rows: vec![vec![PropValue::UInt(3)]] };
/// let layer = LayerInput::new("services", &geom, &attrs);
/// let t = tiles_covering([-4.14, 50.37, -4.14, 50.37], 12).next().unwrap();
/// assert!(encode_tile(t, &[layer]).unwrap().is_some());
/// assert!(encode_tile(TileId::new(12, 0, 0).unwrap(), &[layer]).unwrap().is_none());
/// ```
pub fn encode_tile(tile: TileId, layers: &[LayerInput<'_>]) -> Result<Option<Vec<u8>>, TileError> {
    check(layers)?;
    let features = features_at(tile, layers, tile.z)?;
    Ok((!features.is_empty()).then(|| mvt(&features)))
}

/// Encodes one tile like [`encode_tile`], then lowers the detail (coarser simplification,
/// larger merge cells, fewer attributes and features) until the gzipped tile is at most
/// `max_gzip_bytes`. Error [`TileError::OverBudget`] when even detail 0 does not fit.
///
/// ```
/// use geo_types::point;
/// use safemap_tiles::*;
/// let geom = LayerGeometry::points(vec![point!(x: -4.14, y: 50.37)], PrepareOptions::default());
/// let attrs = AttributeTable::default();
/// let t = tiles_covering([-4.14, 50.37, -4.14, 50.37], 12).next().unwrap();
/// let layer = LayerInput::new("services", &geom, &attrs);
/// let tile = encode_tile_within(t, &[layer], DEFAULT_TILE_BUDGET).unwrap().unwrap();
/// assert_eq!(tile.detail, 12);
/// assert!(tile.gzip.len() <= DEFAULT_TILE_BUDGET);
/// ```
pub fn encode_tile_within(
    tile: TileId,
    layers: &[LayerInput<'_>],
    max_gzip_bytes: usize,
) -> Result<Option<EncodedTile>, TileError> {
    Ok(fit_within(tile, layers, max_gzip_bytes)?.map(|(_, encoded)| encoded))
}

/// [`encode_tile_within`] with the features it encoded, for encoders of other formats
/// that must hold the same features as the MVT tile.
pub(crate) fn fit_within<'a>(
    tile: TileId,
    layers: &[LayerInput<'a>],
    max_gzip_bytes: usize,
) -> Result<Option<(Vec<LayerFeatures<'a>>, EncodedTile)>, TileError> {
    check(layers)?;
    let mut detail = tile.z;
    loop {
        let features = features_at(tile, layers, detail)?;
        if features.is_empty() {
            return Ok(None);
        }
        let mvt = mvt(&features);
        let gzip = gzip(&mvt);
        if gzip.len() <= max_gzip_bytes {
            return Ok(Some((features, EncodedTile { mvt, gzip, detail })));
        }
        if detail == 0 {
            return Err(TileError::OverBudget {
                tile: tile.to_string(),
                bytes: gzip.len(),
                budget: max_gzip_bytes,
            });
        }
        detail = detail.saturating_sub(if gzip.len() > 4 * max_gzip_bytes {
            2
        } else {
            1
        });
    }
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3 + 32),
        flate2::Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    gz.write_all(data)
        .and_then(|()| gz.finish())
        .unwrap_or_default()
}

fn check(layers: &[LayerInput<'_>]) -> Result<(), TileError> {
    for (i, l) in layers.iter().enumerate() {
        if layers[..i].iter().any(|o| o.name == l.name) {
            return Err(TileError::DuplicateLayerName {
                name: l.name.to_string(),
            });
        }
        let rows = l.attributes.rows.len();
        let no_attributes = rows == 0 && l.attributes.keys.is_empty();
        if !no_attributes && rows != l.geometry.len() {
            return Err(TileError::AttributeRowCount {
                layer: l.name.to_string(),
                features: l.geometry.len(),
                rows,
            });
        }
        for (what, given, wanted) in [
            ("key", l.key_min_zoom.len(), l.attributes.keys.len()),
            ("feature", l.feature_min_zoom.len(), l.geometry.len()),
        ] {
            if given != 0 && given != wanted {
                return Err(TileError::MinZoomCount {
                    layer: l.name.to_string(),
                    what,
                    given,
                    wanted,
                });
            }
        }
    }
    Ok(())
}

/// The features of each layer that has some in the tile at `detail`.
fn features_at<'a>(
    tile: TileId,
    layers: &[LayerInput<'a>],
    detail: u8,
) -> Result<Vec<LayerFeatures<'a>>, TileError> {
    let mut out = Vec::with_capacity(layers.len());
    for l in layers {
        out.extend(layer_features(tile, l, detail)?);
    }
    Ok(out)
}

/// The MVT bytes of the layers' features.
fn mvt(layers: &[LayerFeatures<'_>]) -> Vec<u8> {
    Tile {
        layers: layers.iter().map(mvt_layer).collect(),
    }
    .encode_to_vec()
}

/// Deduplicated keys and values of one layer, in first-use order.
#[derive(Default)]
struct Tags<'a> {
    key_index: HashMap<usize, u32>,
    keys: Vec<String>,
    value_index: HashMap<ValueKey<'a>, u32>,
    values: Vec<vector_tile::Value>,
}

impl<'a> Tags<'a> {
    /// The tags (key index, value index pairs) of one feature's `(key, value)` properties.
    fn tags(&mut self, keys: &[String], properties: &[(usize, &'a PropValue)]) -> Vec<u32> {
        let mut tags = Vec::with_capacity(2 * properties.len());
        for &(k, v) in properties {
            let mut value = vector_tile::Value::default();
            match v {
                PropValue::Null => continue,
                PropValue::Bool(b) => value.bool_value = Some(*b),
                PropValue::Int(i) => value.sint_value = Some(*i),
                PropValue::UInt(u) => value.uint_value = Some(*u),
                PropValue::Float(f) => value.double_value = Some(*f),
                PropValue::String(s) => value.string_value = Some(s.clone()),
            }
            let tag_keys = &mut self.keys;
            let ki = *self.key_index.entry(k).or_insert_with(|| {
                tag_keys.push(keys[k].clone());
                (tag_keys.len() - 1) as u32
            });
            let values = &mut self.values;
            let vi = *self.value_index.entry(v.key()).or_insert_with(|| {
                values.push(value);
                (values.len() - 1) as u32
            });
            tags.push(ki);
            tags.push(vi);
        }
        tags
    }
}

/// One MVT layer: feature id = the feature's index (`u64`).
fn mvt_layer(layer: &LayerFeatures<'_>) -> vector_tile::Layer {
    let mut tags = Tags::default();
    let features = layer
        .features
        .iter()
        .map(|f| {
            let mut enc = GeometryEncoder::default();
            let geom_type = match &f.shape {
                Shape::Point(p) => {
                    enc.points(&[*p]);
                    GeomType::Point
                }
                Shape::Lines(lines) => {
                    for line in lines {
                        enc.line(line);
                    }
                    GeomType::Linestring
                }
                Shape::Polygons(polygons) => {
                    for ring in polygons.iter().flatten() {
                        enc.ring(ring);
                    }
                    GeomType::Polygon
                }
            };
            vector_tile::Feature {
                id: Some(f.id.into()),
                tags: tags.tags(layer.keys, &f.properties),
                r#type: Some(geom_type as i32),
                geometry: enc.data,
            }
        })
        .collect();
    vector_tile::Layer {
        version: 2,
        name: layer.name.to_string(),
        features,
        keys: tags.keys,
        values: tags.values,
        extent: Some(layer.extent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{tiles_covering, PrepareOptions};
    use geo_types::{point, Point};

    fn table(rows: Vec<Vec<PropValue>>) -> AttributeTable {
        AttributeTable {
            keys: vec!["kind".into(), "count".into()],
            rows,
        }
    }

    #[test]
    fn values_and_keys_are_deduplicated() {
        let t = table(vec![
            vec![PropValue::String("gp".into()), PropValue::UInt(2)],
            vec![PropValue::String("gp".into()), PropValue::UInt(2)],
            vec![PropValue::String("ed".into()), PropValue::Null],
            vec![PropValue::Null, PropValue::Int(2)],
        ]);
        let properties: Vec<Vec<(usize, &PropValue)>> = t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(_, v)| **v != PropValue::Null)
                    .collect()
            })
            .collect();
        let mut tags = Tags::default();
        let all: Vec<Vec<u32>> = properties.iter().map(|p| tags.tags(&t.keys, p)).collect();
        assert_eq!(
            all,
            vec![vec![0, 0, 1, 1], vec![0, 0, 1, 1], vec![0, 2], vec![1, 3]]
        );
        assert_eq!(tags.keys, ["kind", "count"]);
        // "gp", UInt(2), "ed", and Int(2) (a different MVT value from UInt(2)).
        assert_eq!(tags.values.len(), 4);
        assert_eq!(tags.values[3].sint_value, Some(2));
    }

    #[test]
    fn duplicate_layer_names_and_bad_tables_are_errors() {
        let g = LayerGeometry::points(vec![point!(x: 0.0, y: 0.0)], PrepareOptions::default());
        let t = table(vec![vec![PropValue::Null, PropValue::Null]]);
        let l = LayerInput::new("a", &g, &t);
        let tile = TileId::new(0, 0, 0).unwrap();
        let e = encode_tile(tile, &[l, l]).unwrap_err();
        assert!(
            matches!(e, TileError::DuplicateLayerName { ref name } if name == "a"),
            "{e}"
        );
        let short = table(vec![]);
        let e = encode_tile(
            tile,
            &[LayerInput {
                attributes: &short,
                ..l
            }],
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("1 features but its attribute table has 0 rows"),
            "{e}"
        );
        let narrow = table(vec![vec![PropValue::Null]]);
        let e = encode_tile(
            tile,
            &[LayerInput {
                attributes: &narrow,
                ..l
            }],
        )
        .unwrap_err();
        assert!(e.to_string().contains("row 0 has 1 values"), "{e}");
        let none = AttributeTable::default();
        assert!(encode_tile(
            tile,
            &[LayerInput {
                attributes: &none,
                ..l
            }]
        )
        .unwrap()
        .is_some());
    }

    #[test]
    fn points_outside_tile_and_buffer_are_left_out() {
        // Tile 1/0/0 is the north-west quarter; the buffer reaches 64/4096 of a tile beyond.
        let pts: Vec<Point<f64>> = vec![
            point!(x: -90.0, y: 45.0),  // inside
            point!(x: 1.0, y: 45.0),    // just east, within the buffer (1/180 of a tile)
            point!(x: 30.0, y: 45.0),   // well east: out
            point!(x: -90.0, y: -30.0), // south: out
        ];
        let g = LayerGeometry::points(pts, PrepareOptions::default());
        let t = AttributeTable::default();
        let bytes = encode_tile(
            TileId::new(1, 0, 0).unwrap(),
            &[LayerInput::new("p", &g, &t)],
        )
        .unwrap()
        .unwrap();
        let tile = Tile::decode(bytes.as_slice()).unwrap();
        let ids: Vec<u64> = tile.layers[0]
            .features
            .iter()
            .map(|f| f.id.unwrap())
            .collect();
        assert_eq!(ids, [0, 1]);
        // Feature 1 lies beyond the east edge: x > 4096.
        let g1 = &tile.layers[0].features[1].geometry;
        assert_eq!(g1[0], 9);
        let x = i64::from((g1[1] >> 1) as i32 ^ -((g1[1] & 1) as i32));
        assert!(x > 4096 && x <= 4096 + 64, "{x}");
    }

    #[test]
    fn encoding_is_deterministic() {
        let pts: Vec<Point<f64>> = (0..500)
            .map(|i| point!(x: -4.2 + f64::from(i) * 0.0004, y: 50.35 + f64::from(i % 17) * 0.003))
            .collect();
        let g = LayerGeometry::points(pts, PrepareOptions::default());
        let t = AttributeTable::default();
        let l = [LayerInput::new("p", &g, &t)];
        let tile = tiles_covering([-4.1, 50.36, -4.1, 50.36], 11)
            .next()
            .unwrap();
        let a = encode_tile(tile, &l).unwrap().unwrap();
        let b = encode_tile(tile, &l).unwrap().unwrap();
        assert_eq!(a, b);
    }
}
