//! A layer's geometry prepared for tiling: projected to Web Mercator, indexed by an R-tree
//! of feature bounding boxes, and (for polygons) simplified per zoom along a shared-boundary
//! topology.

use crate::mercator::{lonlat_to_mercator, WORLD_WIDTH};
use crate::simplify::Pt;
use crate::topology::{Arc, ArcRef, Topology};
use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// How a layer is prepared and encoded. Chained setters; the defaults suit 512-pixel tiles.
///
/// ```
/// let o = safemap_tiles::PrepareOptions::default().buffer(32).simplify_max_zoom(12);
/// assert_eq!((o.get_extent(), o.get_buffer(), o.get_simplify_max_zoom()), (4096, 32, 12));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrepareOptions {
    extent: u32,
    buffer: u32,
    simplify_max_zoom: u8,
    tolerance: f64,
}

impl Default for PrepareOptions {
    /// Extent 4096, buffer 64 tile units, simplification up to zoom 14, tolerance 4 tile
    /// units (half a pixel of a 512-pixel tile).
    fn default() -> Self {
        PrepareOptions {
            extent: 4096,
            buffer: 64,
            simplify_max_zoom: 14,
            tolerance: 4.0,
        }
    }
}

impl PrepareOptions {
    /// Tile extent: the side of the tile in integer tile units (MVT `extent`).
    #[must_use]
    pub fn extent(mut self, extent: u32) -> Self {
        self.extent = extent.max(1);
        self
    }

    /// Extra margin clipped in on each side of the tile, in tile units.
    #[must_use]
    pub fn buffer(mut self, buffer: u32) -> Self {
        self.buffer = buffer;
        self
    }

    /// Highest zoom with simplified geometry; above it geometry is only quantised.
    #[must_use]
    pub fn simplify_max_zoom(mut self, z: u8) -> Self {
        self.simplify_max_zoom = z.min(crate::MAX_ZOOM);
        self
    }

    /// Douglas-Peucker tolerance in tile units (negative or NaN counts as 0).
    #[must_use]
    pub fn tolerance(mut self, tile_units: f64) -> Self {
        self.tolerance = if tile_units > 0.0 { tile_units } else { 0.0 };
        self
    }

    /// The tile extent.
    pub fn get_extent(&self) -> u32 {
        self.extent
    }

    /// The buffer in tile units.
    pub fn get_buffer(&self) -> u32 {
        self.buffer
    }

    /// The highest simplified zoom.
    pub fn get_simplify_max_zoom(&self) -> u8 {
        self.simplify_max_zoom
    }

    /// The tolerance in tile units.
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The tolerance at zoom `z` in Web Mercator metres:
    /// `tolerance * 40075016.68557849 / 2^z / extent`.
    pub fn tolerance_metres(&self, z: u8) -> f64 {
        self.tolerance * WORLD_WIDTH
            / f64::from(1u32 << z.min(crate::MAX_ZOOM))
            / f64::from(self.extent)
    }
}

/// One polygon of a feature: exterior ring first, then holes; each a list of arcs.
pub(crate) type PolygonArcs = Vec<Vec<ArcRef>>;

pub(crate) enum Kind {
    Points(Vec<Option<Pt>>),
    Polygons {
        topology: Topology,
        features: Vec<Vec<PolygonArcs>>,
        /// Each feature's `[min_x, min_y, max_x, max_y]` in Web Mercator metres (`None`:
        /// no usable geometry), for the sub-pixel rule of the encoder.
        bounds: Vec<Option<[f64; 4]>>,
    },
    /// Each feature is a list of lines, each with the lowest zoom that keeps each vertex.
    Lines(Vec<Vec<Arc>>),
}

/// Geometry of one layer, prepared once per dataset load and immutable afterwards
/// (`Send + Sync`: share it between tile requests behind an `Arc`).
pub struct LayerGeometry {
    pub(crate) options: PrepareOptions,
    pub(crate) kind: Kind,
    pub(crate) tree: RTree<GeomWithData<Rectangle<Pt>, u32>>,
    len: usize,
    bounds_wgs84: Option<[f64; 4]>,
}

/// Bounds accumulator over WGS84 coordinates.
#[derive(Clone, Copy)]
struct Bounds([f64; 4]);

impl Bounds {
    const EMPTY: Bounds = Bounds([
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ]);
    fn add(&mut self, c: Coord<f64>) {
        self.0 = [
            self.0[0].min(c.x),
            self.0[1].min(c.y),
            self.0[2].max(c.x),
            self.0[3].max(c.y),
        ];
    }
    fn merge(self, o: Bounds) -> Bounds {
        let (a, b) = (self.0, o.0);
        Bounds([
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ])
    }
    fn get(self) -> Option<[f64; 4]> {
        (self.0[0] <= self.0[2]).then_some(self.0)
    }
}

fn finite(c: Coord<f64>) -> bool {
    c.x.is_finite() && c.y.is_finite()
}

fn project(c: Coord<f64>) -> Pt {
    let (x, y) = lonlat_to_mercator(c.x, c.y);
    [x, y]
}

/// A WGS84 ring projected to open form: non-finite vertices, consecutive duplicates and
/// the closing vertex removed; `None` when fewer than three vertices remain.
fn clean_ring(ring: &LineString<f64>, bounds: &mut Bounds) -> Option<Vec<Pt>> {
    let mut out: Vec<Pt> = Vec::with_capacity(ring.0.len());
    for &c in ring.0.iter().filter(|c| finite(**c)) {
        bounds.add(c);
        let p = project(c);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    (out.len() >= 3).then_some(out)
}

fn rect_of(points: impl Iterator<Item = Pt>) -> Option<Rectangle<Pt>> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in points {
        b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    (b[0] <= b[2]).then(|| Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]))
}

impl LayerGeometry {
    /// Polygon features (WGS84 lon/lat MultiPolygons), prepared: projected to Web Mercator,
    /// an R-tree of feature bounding boxes, and topology-preserving simplification per zoom
    /// `0..=simplify_max_zoom`, computed eagerly in parallel with rayon.
    ///
    /// Rings are split into arcs where neighbours' shared boundaries meet (see the crate
    /// docs); each distinct arc is simplified once with Douglas-Peucker at tolerance
    /// [`PrepareOptions::tolerance_metres`] and every ring is rebuilt from its arcs, so areas
    /// whose input shares vertices along common edges stay gap-free at every zoom. The
    /// per-zoom results are nested, so they are stored as one byte per vertex: the lowest
    /// zoom that keeps it. Non-finite vertices are skipped; rings left with fewer than three
    /// vertices, and polygons whose exterior is such a ring, are dropped.
    pub fn polygons(features: Vec<MultiPolygon<f64>>, options: PrepareOptions) -> LayerGeometry {
        let len = features.len();
        // Project in parallel; `collect` keeps input order, so the result is deterministic.
        let projected: Vec<(Vec<Vec<Vec<Pt>>>, Bounds)> = features
            .par_iter()
            .map(|mp| {
                let mut bounds = Bounds::EMPTY;
                let polys =
                    mp.0.iter()
                        .filter_map(|poly: &Polygon<f64>| {
                            let ext = clean_ring(poly.exterior(), &mut bounds)?;
                            let mut rings = vec![ext];
                            rings.extend(
                                poly.interiors()
                                    .iter()
                                    .filter_map(|r| clean_ring(r, &mut bounds)),
                            );
                            Some(rings)
                        })
                        .collect();
                (polys, bounds)
            })
            .collect();
        drop(features);
        let bounds = projected
            .iter()
            .fold(Bounds::EMPTY, |acc, (_, b)| acc.merge(*b));
        let rects: Vec<Option<Rectangle<Pt>>> = projected
            .iter()
            .map(|(polys, _)| rect_of(polys.iter().flat_map(|p| p[0].iter().copied())))
            .collect();
        let tree = RTree::bulk_load(
            rects
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.map(|r| GeomWithData::new(r, i as u32)))
                .collect(),
        );
        let feature_bounds = rects
            .iter()
            .map(|r| {
                r.map(|r| {
                    let (lo, hi) = (r.lower(), r.upper());
                    [lo[0], lo[1], hi[0], hi[1]]
                })
            })
            .collect();
        let mut flat: Vec<Vec<Pt>> = Vec::new();
        let shapes: Vec<Vec<usize>> = projected
            .into_iter()
            .map(|(polys, _)| {
                polys
                    .into_iter()
                    .map(|rings| {
                        flat.extend(rings.iter().cloned());
                        rings.len()
                    })
                    .collect()
            })
            .collect();
        let topology = Topology::new(&flat, options.simplify_max_zoom, |z| {
            options.tolerance_metres(z)
        });
        drop(flat);
        let mut ring_refs = topology.rings.iter();
        let features = shapes
            .iter()
            .map(|polys| {
                polys
                    .iter()
                    .map(|&n| ring_refs.by_ref().take(n).cloned().collect())
                    .collect()
            })
            .collect();
        LayerGeometry {
            options,
            kind: Kind::Polygons {
                topology,
                features,
                bounds: feature_bounds,
            },
            tree,
            len,
            bounds_wgs84: bounds.get(),
        }
    }

    /// Point features (WGS84 lon/lat). A point with a non-finite coordinate is in no tile.
    pub fn points(features: Vec<Point<f64>>, options: PrepareOptions) -> LayerGeometry {
        let len = features.len();
        let mut bounds = Bounds::EMPTY;
        let pts: Vec<Option<Pt>> = features
            .into_iter()
            .map(|p| {
                finite(p.0).then(|| {
                    bounds.add(p.0);
                    project(p.0)
                })
            })
            .collect();
        let tree = RTree::bulk_load(
            pts.iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.map(|p| GeomWithData::new(Rectangle::from_corners(p, p), i as u32))
                })
                .collect(),
        );
        LayerGeometry {
            options,
            kind: Kind::Points(pts),
            tree,
            len,
            bounds_wgs84: bounds.get(),
        }
    }

    /// Line features already in Web Mercator, each a list of lines with the lowest zoom
    /// that keeps each vertex; `bounds_wgs84` as given.
    pub(crate) fn from_lines(
        lines: Vec<Vec<Arc>>,
        options: PrepareOptions,
        bounds_wgs84: Option<[f64; 4]>,
    ) -> LayerGeometry {
        let tree = RTree::bulk_load(
            lines
                .iter()
                .enumerate()
                .filter_map(|(i, parts)| {
                    rect_of(parts.iter().flat_map(|a| a.coords.iter().copied()))
                        .map(|r| GeomWithData::new(r, i as u32))
                })
                .collect(),
        );
        LayerGeometry {
            options,
            len: lines.len(),
            kind: Kind::Lines(lines),
            tree,
            bounds_wgs84,
        }
    }

    /// Number of features (including any with no usable geometry).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the layer has no features.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `[west, south, east, north]` of all finite input coordinates, or `None` if there are
    /// none.
    pub fn bounds_wgs84(&self) -> Option<[f64; 4]> {
        self.bounds_wgs84
    }

    /// The options the layer was prepared with.
    pub fn options(&self) -> &PrepareOptions {
        &self.options
    }

    /// Polygon feature `index` as simplified for zoom `z`, in Web Mercator metres (rings
    /// closed, exterior first), before clipping and quantisation; the full geometry when
    /// `z > simplify_max_zoom`. `None` for a point layer or an index out of range.
    pub fn simplified_polygon(&self, index: usize, z: u8) -> Option<MultiPolygon<f64>> {
        let Kind::Polygons {
            topology, features, ..
        } = &self.kind
        else {
            return None;
        };
        let z = z.min(self.options.simplify_max_zoom.saturating_add(1));
        let mut buf = Vec::new();
        let polys = features.get(index)?.iter().map(|rings| {
            let mut ls = rings.iter().map(|refs| {
                topology.ring_at(refs, z, &mut buf);
                LineString::from(buf.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>())
            });
            let ext = ls.next().unwrap_or_else(|| LineString::new(Vec::new()));
            Polygon::new(ext, ls.collect())
        });
        Some(MultiPolygon::new(polys.collect()))
    }

    /// Indices of the features whose bounding box meets the Mercator box `min`–`max`,
    /// ascending.
    pub(crate) fn candidates(&self, min: Pt, max: Pt) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|g| g.data)
            .collect();
        ids.sort_unstable();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn layer_geometry_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<LayerGeometry>();
    }

    #[test]
    fn tolerance_per_zoom() {
        let o = PrepareOptions::default();
        assert!((o.tolerance_metres(0) - 4.0 * WORLD_WIDTH / 4096.0).abs() < 1e-6);
        assert!((o.tolerance_metres(14) - 2.388_657).abs() < 1e-5);
    }

    #[test]
    fn bounds_and_dropped_rings() {
        let good = polygon![(x: -4.2, y: 50.3), (x: -4.0, y: 50.3), (x: -4.0, y: 50.5)];
        let degenerate = polygon![(x: 1.0, y: 1.0), (x: 1.0, y: 1.0), (x: 2.0, y: 2.0)];
        let l = LayerGeometry::polygons(
            vec![
                MultiPolygon::new(vec![good]),
                MultiPolygon::new(vec![degenerate]),
            ],
            PrepareOptions::default(),
        );
        assert_eq!(l.len(), 2);
        let b = l.bounds_wgs84().unwrap();
        // All finite input coordinates count, even those of a dropped ring.
        assert_eq!(b, [-4.2, 1.0, 2.0, 50.5]);
        assert_eq!(l.simplified_polygon(1, 20).unwrap().0.len(), 0);
        let p = l.simplified_polygon(0, 20).unwrap();
        assert_eq!(p.0[0].exterior().0.len(), 4); // three vertices, closed
    }
}
