//! The features of one tile layer as every encoder writes them: clipped to the tile plus
//! its buffer, simplified for the detail zoom, quantised to integer tile units, with the
//! attributes the tile carries. The MVT encoder (`encode.rs`) and the GeoJSON encoder
//! (`geojson.rs`) both write this one representation, so the two formats of a tile hold
//! the same features, ids, attributes and vertices.
//!
//! A tile of zoom `z` is drawn at some *detail* `d <= z` (normally `d = z`): geometry
//! simplified for zoom `d`, the sub-pixel rule (`cells.rs`) with cells of `2^(z-d)`
//! pixels, the attributes whose minimum zoom is at most `d` and the features whose minimum
//! zoom is at most `d`.

use crate::attributes::{PropValue, ValueKey};
use crate::cells::Cells;
use crate::clip::{clip_line, clip_ring};
use crate::commands::{orient_ring, quantise_ring};
use crate::encode::{LayerInput, TILE_PIXELS};
use crate::layer::Kind;
use crate::simplify::Pt;
use crate::{TileError, TileId};
use std::collections::HashMap;

/// A point in integer tile units: x from the tile's west edge, y from its north edge.
pub(crate) type TilePt = [i32; 2];

/// The geometry of one feature in tile units.
#[derive(Debug, PartialEq)]
pub(crate) enum Shape {
    /// One point.
    Point(TilePt),
    /// Lines of at least two points, without consecutive duplicates.
    Lines(Vec<Vec<TilePt>>),
    /// Polygons, each its exterior ring then its holes; rings in open form (no repeated
    /// closing vertex), of at least three points and non-zero area, wound as MVT wants
    /// (exteriors of positive area by the surveyor's formula with y down, holes negative).
    Polygons(Vec<Vec<Vec<TilePt>>>),
}

impl Shape {
    fn is_empty(&self) -> bool {
        match self {
            Shape::Point(_) => false,
            Shape::Lines(l) => l.is_empty(),
            Shape::Polygons(p) => p.is_empty(),
        }
    }
}

/// One feature of a tile layer.
#[derive(Debug, PartialEq)]
pub(crate) struct Feature<'a> {
    /// The feature's index in the layer (for merged lines and pixel squares: the index
    /// of the feature they are drawn for).
    pub id: u32,
    /// `(key index, value)` of each attribute the tile carries: keys whose minimum zoom is
    /// at most the detail, null values left out; in key order.
    pub properties: Vec<(usize, &'a PropValue)>,
    /// The geometry, never empty.
    pub shape: Shape,
}

/// The features of one layer in one tile.
pub(crate) struct LayerFeatures<'a> {
    /// The layer name.
    pub name: &'a str,
    /// The attribute keys (`properties` index them).
    pub keys: &'a [String],
    /// The tile extent: tile units per tile side.
    pub extent: u32,
    /// At least one feature: candidates in index order (a group of merged lines at its
    /// first member), then the pixel squares in id order.
    pub features: Vec<Feature<'a>>,
}

/// The features of `input` in `tile` drawn at `detail`, or `None` when none meets the tile
/// (plus buffer). Polygons smaller than a cell are merged as `cells.rs` describes; line
/// features with equal attributes become one feature with the first one's id.
pub(crate) fn layer_features<'a>(
    tile: TileId,
    input: &LayerInput<'a>,
    detail: u8,
) -> Result<Option<LayerFeatures<'a>>, TileError> {
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
    let mut features: Vec<Feature<'a>> = Vec::new();
    let (mut ring_m, mut ring_t, mut clipped) = (Vec::new(), Vec::new(), Vec::new());
    let z = detail.min(options.get_simplify_max_zoom().saturating_add(1));
    let pixel = extent / f64::from(TILE_PIXELS);
    let mut cells = Cells::new(pixel * f64::from(1u32 << (tile.z - detail).min(20)));
    // Line features with equal attributes share one feature: attributes → index in
    // `groups`, which holds the feature's index in `features` and its lines.
    let mut line_groups: HashMap<Vec<(usize, ValueKey<'a>)>, usize> = HashMap::new();
    let mut groups: Vec<(usize, Vec<Vec<TilePt>>)> = Vec::new();
    for id in candidates {
        let i = id as usize;
        if input.feature_min_zoom.get(i).is_some_and(|&m| m > detail) {
            continue;
        }
        let shape = match &geometry.kind {
            Kind::Points(pts) => {
                let Some(p) = pts[i].map(to_tile) else {
                    continue;
                };
                if !(lo..=hi).contains(&p[0]) || !(lo..=hi).contains(&p[1]) {
                    continue;
                }
                Shape::Point([p[0].round() as i32, p[1].round() as i32])
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
                let mut polygons = Vec::new();
                for polygon in &shapes[i] {
                    let mut rings = Vec::new();
                    for (r, refs) in polygon.iter().enumerate() {
                        topology.ring_at(refs, z, &mut ring_m);
                        ring_t.clear();
                        ring_t.extend(ring_m.iter().map(|&p| to_tile(p)));
                        clip_ring(&ring_t, lo, hi, &mut clipped);
                        let mut q = Vec::new();
                        if !quantise_ring(&clipped, &mut q) {
                            if r == 0 {
                                break; // no exterior: the polygon's holes go with it
                            }
                            continue;
                        }
                        orient_ring(&mut q, r == 0);
                        rings.push(q);
                    }
                    if !rings.is_empty() {
                        polygons.push(rings);
                    }
                }
                Shape::Polygons(polygons)
            }
            Kind::Lines(lines) => {
                let properties = properties(input, i, &keep)?;
                let group_key = properties.iter().map(|&(k, v)| (k, v.key())).collect();
                let g = *line_groups.entry(group_key).or_insert_with(|| {
                    features.push(Feature {
                        id,
                        properties,
                        shape: Shape::Lines(Vec::new()),
                    });
                    groups.push((features.len() - 1, Vec::new()));
                    groups.len() - 1
                });
                let parts = &mut groups[g].1;
                for part in &lines[i] {
                    ring_t.clear();
                    ring_t.extend(
                        part.coords
                            .iter()
                            .zip(&part.min_zoom)
                            .filter(|(_, &mz)| mz <= z)
                            .map(|(p, _)| to_tile(*p)),
                    );
                    clip_line(&ring_t, lo, hi, |piece| {
                        let mut q: Vec<TilePt> = Vec::with_capacity(piece.len());
                        for p in piece {
                            let p = [p[0].round() as i32, p[1].round() as i32];
                            if q.last() != Some(&p) {
                                q.push(p);
                            }
                        }
                        if q.len() >= 2 {
                            parts.push(q);
                        }
                    });
                }
                continue;
            }
        };
        if shape.is_empty() {
            continue;
        }
        features.push(Feature {
            id,
            properties: properties(input, i, &keep)?,
            shape,
        });
    }
    for (f, parts) in groups {
        features[f].shape = Shape::Lines(parts);
    }
    for (id, squares) in cells.features(lo, hi) {
        features.push(Feature {
            id,
            properties: properties(input, id as usize, &keep)?,
            shape: Shape::Polygons(squares.into_iter().map(|s| vec![s]).collect()),
        });
    }
    features.retain(|f| !f.shape.is_empty());
    Ok((!features.is_empty()).then(|| LayerFeatures {
        name: input.name,
        keys: &input.attributes.keys,
        extent: options.get_extent(),
        features,
    }))
}

/// The attributes feature `i` carries (none when the table has no rows): `keep[k]` says
/// whether key `k` is carried (empty: every key); nulls are left out.
fn properties<'a>(
    input: &LayerInput<'a>,
    i: usize,
    keep: &[bool],
) -> Result<Vec<(usize, &'a PropValue)>, TileError> {
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
    Ok(row
        .iter()
        .enumerate()
        .filter(|&(k, v)| keep.get(k) != Some(&false) && !matches!(v, PropValue::Null))
        .collect())
}
