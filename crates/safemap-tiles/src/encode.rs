//! Encoding one tile: the features of each layer that meet the tile, clipped to the tile
//! plus its buffer, quantised to the extent, with deduplicated keys and values.

use crate::attributes::{AttributeTable, PropValue};
use crate::clip::clip_ring;
use crate::commands::{quantise_ring, GeometryEncoder};
use crate::layer::{Kind, LayerGeometry};
use crate::simplify::Pt;
use crate::vector_tile::{self, GeomType, Tile};
use crate::{TileError, TileId};
use prost::Message;
use std::collections::HashMap;

/// One layer to encode: its name in the tile, its prepared geometry, and one attribute row
/// per feature (an empty table with no keys means no attributes).
#[derive(Clone, Copy)]
pub struct LayerInput<'a> {
    /// The MVT layer name (unique within a tile).
    pub name: &'a str,
    /// The prepared geometry.
    pub geometry: &'a LayerGeometry,
    /// `attributes.rows[i]` belongs to feature `i`.
    pub attributes: &'a AttributeTable,
}

/// Encodes one tile with one MVT layer per input (layer names must be unique: error
/// otherwise). Returns `Ok(None)` when no feature of any layer intersects the tile (the
/// server answers 204). Feature id = feature index (`u64`). Layers with no feature in the
/// tile are left out. Deterministic: the same inputs give the same bytes.
///
/// ```
/// use geo_types::{point, Point};
/// use safemap_tiles::*;
/// let geom = LayerGeometry::points(vec![point!(x: -4.14, y: 50.37)], PrepareOptions::default());
/// let attrs = AttributeTable { keys: vec!["n".into()], rows: vec![vec![PropValue::UInt(3)]] };
/// let layer = LayerInput { name: "services", geometry: &geom, attributes: &attrs };
/// let t = tiles_covering([-4.14, 50.37, -4.14, 50.37], 12).next().unwrap();
/// assert!(encode_tile(t, &[layer]).unwrap().is_some());
/// assert!(encode_tile(TileId::new(12, 0, 0).unwrap(), &[layer]).unwrap().is_none());
/// ```
pub fn encode_tile(tile: TileId, layers: &[LayerInput<'_>]) -> Result<Option<Vec<u8>>, TileError> {
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
    }
    let mut out = Tile::default();
    for l in layers {
        if let Some(layer) = encode_layer(tile, l)? {
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
    pub(crate) fn tags(&mut self, table: &AttributeTable, row: &'a [PropValue]) -> Vec<u32> {
        let mut tags = Vec::new();
        for (k, v) in row.iter().enumerate() {
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

fn encode_layer(
    tile: TileId,
    input: &LayerInput<'_>,
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
    let mut tags = Tags::default();
    let mut features = Vec::new();
    let mut ring_m: Vec<Pt> = Vec::new();
    let mut ring_t: Vec<Pt> = Vec::new();
    let mut clipped: Vec<Pt> = Vec::new();
    let mut q: Vec<[i32; 2]> = Vec::new();
    let z = tile
        .z
        .min(options.get_simplify_max_zoom().saturating_add(1));
    for id in candidates {
        let i = id as usize;
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
            } => {
                for polygon in &shapes[i] {
                    for (r, refs) in polygon.iter().enumerate() {
                        topology.ring_at(refs, z, &mut ring_m);
                        ring_t.clear();
                        ring_t.extend(ring_m.iter().map(|&p| to_tile(p)));
                        clip_ring(&ring_t, lo, hi, &mut clipped);
                        if !quantise_ring(&clipped, &mut q) {
                            if r == 0 {
                                break; // no exterior: the polygon's holes go with it
                            }
                            continue;
                        }
                        enc.ring(&mut q, r == 0);
                    }
                }
                GeomType::Polygon
            }
        };
        if enc.data.is_empty() {
            continue;
        }
        let row_tags = match input.attributes.rows.get(i) {
            Some(row) => {
                if row.len() != input.attributes.keys.len() {
                    return Err(TileError::AttributeRowWidth {
                        layer: input.name.to_string(),
                        row: i,
                        values: row.len(),
                        keys: input.attributes.keys.len(),
                    });
                }
                tags.tags(input.attributes, row)
            }
            None => Vec::new(),
        };
        features.push(vector_tile::Feature {
            id: Some(id.into()),
            tags: row_tags,
            r#type: Some(geom_type as i32),
            geometry: enc.data,
        });
    }
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
        let all: Vec<Vec<u32>> = t.rows.iter().map(|r| tags.tags(&t, r)).collect();
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
        let l = LayerInput {
            name: "a",
            geometry: &g,
            attributes: &t,
        };
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
            &[LayerInput {
                name: "p",
                geometry: &g,
                attributes: &t,
            }],
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
        let l = [LayerInput {
            name: "p",
            geometry: &g,
            attributes: &t,
        }];
        let tile = tiles_covering([-4.1, 50.36, -4.1, 50.36], 11)
            .next()
            .unwrap();
        let a = encode_tile(tile, &l).unwrap().unwrap();
        let b = encode_tile(tile, &l).unwrap().unwrap();
        assert_eq!(a, b);
    }
}
