//! Encoding one tile: the features of each layer that meet the tile, clipped to the tile
//! plus its buffer, quantised to the extent, with deduplicated keys and values.
//!
//! A tile of zoom `z` is drawn at some *detail* `d <= z` (normally `d = z`): geometry
//! simplified for zoom `d`, the sub-pixel rule (`cells.rs`) with cells of `2^(z-d)`
//! pixels, the attributes whose minimum zoom is at most `d` and the features whose minimum
//! zoom is at most `d`. [`encode_tile_within`] lowers the detail one zoom at a time (two
//! when far over) until the gzipped tile fits a byte budget.

use crate::attributes::{AttributeTable, PropValue};
use crate::cells::Cells;
use crate::clip::{clip_line, clip_ring};
use crate::commands::{quantise_ring, GeometryEncoder};
use crate::layer::{Kind, LayerGeometry};
use crate::simplify::Pt;
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
    encode_at(tile, layers, tile.z)
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
    check(layers)?;
    let mut detail = tile.z;
    loop {
        let Some(mvt) = encode_at(tile, layers, detail)? else {
            return Ok(None);
        };
        let gzip = gzip(&mvt);
        if gzip.len() <= max_gzip_bytes {
            return Ok(Some(EncodedTile { mvt, gzip, detail }));
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

fn gzip(data: &[u8]) -> Vec<u8> {
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

fn encode_at(
    tile: TileId,
    layers: &[LayerInput<'_>],
    detail: u8,
) -> Result<Option<Vec<u8>>, TileError> {
    let mut out = Tile::default();
    for l in layers {
        if let Some(layer) = encode_layer(tile, l, detail)? {
            out.layers.push(layer);
        }
    }
    Ok((!out.layers.is_empty()).then(|| out.encode_to_vec()))
}

/// A hashable view of a value, for the layer's value table.
#[derive(PartialEq, Eq, Hash)]
enum ValueKey<'a> {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(u64),
    Str(&'a str),
}

/// Deduplicated keys and values of one layer, in first-use order.
#[derive(Default)]
pub(crate) struct Tags<'a> {
    key_index: HashMap<usize, u32>,
    keys: Vec<String>,
    value_index: HashMap<ValueKey<'a>, u32>,
    values: Vec<vector_tile::Value>,
}

impl<'a> Tags<'a> {
    /// The tags (key index, value index pairs) of one attribute row.
    /// `keep[k]` says whether key `k` is written (empty: every key).
    pub(crate) fn tags(
        &mut self,
        table: &AttributeTable,
        row: &'a [PropValue],
        keep: &[bool],
    ) -> Vec<u32> {
        let mut tags = Vec::new();
        for (k, v) in row.iter().enumerate() {
            if keep.get(k) == Some(&false) {
                continue;
            }
            let (vk, value) = match v {
                PropValue::Null => continue,
                PropValue::Bool(b) => (
                    ValueKey::Bool(*b),
                    vector_tile::Value {
                        bool_value: Some(*b),
                        ..Default::default()
                    },
                ),
                PropValue::Int(i) => (
                    ValueKey::Int(*i),
                    vector_tile::Value {
                        sint_value: Some(*i),
                        ..Default::default()
                    },
                ),
                PropValue::UInt(u) => (
                    ValueKey::UInt(*u),
                    vector_tile::Value {
                        uint_value: Some(*u),
                        ..Default::default()
                    },
                ),
                PropValue::Float(f) => (
                    ValueKey::Float(f.to_bits()),
                    vector_tile::Value {
                        double_value: Some(*f),
                        ..Default::default()
                    },
                ),
                PropValue::String(s) => (
                    ValueKey::Str(s.as_str()),
                    vector_tile::Value {
                        string_value: Some(s.clone()),
                        ..Default::default()
                    },
                ),
            };
            let keys = &mut self.keys;
            let ki = *self.key_index.entry(k).or_insert_with(|| {
                keys.push(table.keys[k].clone());
                (keys.len() - 1) as u32
            });
            let values = &mut self.values;
            let vi = *self.value_index.entry(vk).or_insert_with(|| {
                values.push(value);
                (values.len() - 1) as u32
            });
            tags.push(ki);
            tags.push(vi);
        }
        tags
    }
}

/// Reusable buffers for polygon rings.
#[derive(Default)]
struct Scratch {
    ring_m: Vec<Pt>,
    ring_t: Vec<Pt>,
    clipped: Vec<Pt>,
    q: Vec<[i32; 2]>,
}

fn encode_layer(
    tile: TileId,
    input: &LayerInput<'_>,
    detail: u8,
) -> Result<Option<vector_tile::Layer>, TileError> {
    let geometry = input.geometry;
    let options = geometry.options();
    let extent = f64::from(options.get_extent());
    let buffer = f64::from(options.get_buffer());
    let bounds = tile.bounds();
    let scale = extent / tile.size();
    let (min_x, max_y) = (bounds.min().x, bounds.max().y);
    let margin = buffer / scale;
    let candidates = geometry.candidates(
        [min_x - margin, bounds.min().y - margin],
        [bounds.max().x + margin, max_y + margin],
    );
    if candidates.is_empty() {
        return Ok(None);
    }
    let to_tile = |p: Pt| [(p[0] - min_x) * scale, (max_y - p[1]) * scale];
    let (lo, hi) = (-buffer, extent + buffer);
    let keep: Vec<bool> = input.key_min_zoom.iter().map(|&z| z <= detail).collect();
    let mut tags = Tags::default();
    let mut features = Vec::new();
    let mut s = Scratch::default();
    let z = detail.min(options.get_simplify_max_zoom().saturating_add(1));
    let pixel = extent / f64::from(TILE_PIXELS);
    let mut cells = Cells::new(pixel * f64::from(1u32 << (tile.z - detail).min(20)));
    // Line features with equal tags share one MVT feature: tags → (index in `features`,
    // index in `line_encoders`).
    let mut line_groups: HashMap<Vec<u32>, (usize, usize)> = HashMap::new();
    let mut line_encoders: Vec<GeometryEncoder> = Vec::new();
    for id in candidates {
        let i = id as usize;
        if input.feature_min_zoom.get(i).is_some_and(|&m| m > detail) {
            continue;
        }
        let mut enc = GeometryEncoder::default();
        let geom_type = match &geometry.kind {
            Kind::Points(pts) => {
                let Some(p) = pts[i].map(to_tile) else {
                    continue;
                };
                if !(lo..=hi).contains(&p[0]) || !(lo..=hi).contains(&p[1]) {
                    continue;
                }
                enc.points(&[[p[0].round() as i32, p[1].round() as i32]]);
                GeomType::Point
            }
            Kind::Polygons {
                topology,
                features: shapes,
                bounds,
            } => {
                if let Some(b) = bounds[i] {
                    let (a, c) = (to_tile([b[0], b[3]]), to_tile([b[2], b[1]]));
                    let b = [a[0], a[1], c[0], c[1]];
                    if cells.is_sub_cell(b) {
                        cells.add(id, b);
                        continue;
                    }
                }
                for polygon in &shapes[i] {
                    for (r, refs) in polygon.iter().enumerate() {
                        topology.ring_at(refs, z, &mut s.ring_m);
                        s.ring_t.clear();
                        s.ring_t.extend(s.ring_m.iter().map(|&p| to_tile(p)));
                        clip_ring(&s.ring_t, lo, hi, &mut s.clipped);
                        if !quantise_ring(&s.clipped, &mut s.q) {
                            if r == 0 {
                                break; // no exterior: the polygon's holes go with it
                            }
                            continue;
                        }
                        enc.ring(&mut s.q, r == 0);
                    }
                }
                GeomType::Polygon
            }
            Kind::Lines(lines) => {
                let t = attribute_tags(input, &mut tags, i, &keep)?;
                let (_, g) = *line_groups.entry(t.clone()).or_insert_with(|| {
                    features.push(vector_tile::Feature {
                        id: Some(id.into()),
                        tags: t,
                        r#type: Some(GeomType::Linestring as i32),
                        geometry: Vec::new(),
                    });
                    line_encoders.push(GeometryEncoder::default());
                    (features.len() - 1, line_encoders.len() - 1)
                });
                for part in &lines[i] {
                    s.ring_t.clear();
                    s.ring_t.extend(
                        part.coords
                            .iter()
                            .zip(&part.min_zoom)
                            .filter(|(_, &mz)| mz <= z)
                            .map(|(p, _)| to_tile(*p)),
                    );
                    clip_line(&s.ring_t, lo, hi, |piece| {
                        s.q.clear();
                        for p in piece {
                            let q = [p[0].round() as i32, p[1].round() as i32];
                            if s.q.last() != Some(&q) {
                                s.q.push(q);
                            }
                        }
                        if s.q.len() >= 2 {
                            line_encoders[g].line(&s.q);
                        }
                    });
                }
                continue;
            }
        };
        if enc.data.is_empty() {
            continue;
        }
        features.push(vector_tile::Feature {
            id: Some(id.into()),
            tags: attribute_tags(input, &mut tags, i, &keep)?,
            r#type: Some(geom_type as i32),
            geometry: enc.data,
        });
    }
    for (f, e) in line_groups.into_values() {
        features[f].geometry = std::mem::take(&mut line_encoders[e].data);
    }
    for (id, enc) in cells.features(lo, hi) {
        features.push(vector_tile::Feature {
            id: Some(id.into()),
            tags: attribute_tags(input, &mut tags, id as usize, &keep)?,
            r#type: Some(GeomType::Polygon as i32),
            geometry: enc.data,
        });
    }
    features.retain(|f| !f.geometry.is_empty());
    if features.is_empty() {
        return Ok(None);
    }
    Ok(Some(vector_tile::Layer {
        version: 2,
        name: input.name.to_string(),
        features,
        keys: tags.keys,
        values: tags.values,
        extent: Some(options.get_extent()),
    }))
}

/// The tags of feature `i`'s attribute row (none when the table has no rows).
fn attribute_tags<'a>(
    input: &LayerInput<'a>,
    tags: &mut Tags<'a>,
    i: usize,
    keep: &[bool],
) -> Result<Vec<u32>, TileError> {
    let Some(row) = input.attributes.rows.get(i) else {
        return Ok(Vec::new());
    };
    if row.len() != input.attributes.keys.len() {
        return Err(TileError::AttributeRowWidth {
            layer: input.name.to_string(),
            row: i,
            values: row.len(),
            keys: input.attributes.keys.len(),
        });
    }
    Ok(tags.tags(input.attributes, row, keep))
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
        let mut tags = Tags::default();
        let all: Vec<Vec<u32>> = t.rows.iter().map(|r| tags.tags(&t, r, &[])).collect();
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
