//! [`BucketGrid`]: a two-level grid of candidate-part buckets over all polygon parts, the
//! first step of every point query.
//!
//! The envelope of all parts is cut into about one top cell per part. Each top cell gets
//! the list of parts that may contain one of its points (found with the R-tree, then
//! screened with each part's own grid), sorted by area id and cut after the first part
//! that holds the whole cell in its interior: a query in a cell lying wholly inside one
//! polygon is answered without any ring test. Where a top cell has many candidates (towns,
//! where areas are small) it is split into a k x k sub-grid with its own, shorter lists.
//!
//! Cell bounds are widened by a margin that covers floating-point rounding in the
//! point-to-cell mapping, so a list is never missing a part that contains a point mapped
//! to the cell.

use geo::Coord;
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::prepared::{square_ish, PreparedPolygon, RectClass};

/// One candidate in a cell's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// The area the part belongs to.
    pub(crate) area: u32,
    /// The part's index, with [`WHOLE_CELL_INSIDE`] set when every point of the cell is in
    /// the part's interior (such an entry is always the last of its list).
    pub(crate) part: u32,
}

/// Flag on [`Entry::part`]: the cell lies wholly in the part's interior.
pub(crate) const WHOLE_CELL_INSIDE: u32 = 1 << 31;
/// Flag on a top cell's value: the rest is a sub-grid index, not a leaf index.
const SUBGRID: u32 = 1 << 31;
/// Lists longer than this are split into a sub-grid.
const LEAF_MAX: usize = 3;
/// Largest sub-grid side.
const SUB_MAX: usize = 32;

#[derive(Debug, Clone, Copy)]
struct SubGrid {
    k: u32,
    first_leaf: u32,
}

/// The two-level grid; see the module docs.
#[derive(Debug, Clone)]
pub(crate) struct BucketGrid {
    min: Coord<f64>,
    max: Coord<f64>,
    nx: usize,
    ny: usize,
    inv_w: f64,
    inv_h: f64,
    /// Per top cell: a leaf index, or `SUBGRID | sub-grid index`.
    top: Box<[u32]>,
    subgrids: Box<[SubGrid]>,
    /// `entries[leaf_start[l]..leaf_start[l + 1]]` is leaf `l`'s list.
    leaf_start: Box<[u32]>,
    entries: Box<[Entry]>,
}

/// The lists of one top cell: one list, or k x k lists row-major.
struct TopCell {
    k: usize,
    lists: Vec<Vec<Entry>>,
}

impl BucketGrid {
    /// Builds the grid over `polygons` (part `i` belongs to area `areas[i]`), whose
    /// envelopes are in `tree` with the part index as data.
    pub(crate) fn build(
        polygons: &[PreparedPolygon],
        areas: &[u32],
        tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
    ) -> Self {
        let mut min = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for p in polygons {
            let (lo, hi) = p.envelope();
            min = Coord {
                x: min.x.min(lo.x),
                y: min.y.min(lo.y),
            };
            max = Coord {
                x: max.x.max(hi.x),
                y: max.y.max(hi.y),
            };
        }
        if polygons.is_empty() {
            // Nothing can be found: an empty envelope refuses every point.
            return BucketGrid {
                min: Coord {
                    x: f64::INFINITY,
                    y: f64::INFINITY,
                },
                max: Coord {
                    x: f64::NEG_INFINITY,
                    y: f64::NEG_INFINITY,
                },
                nx: 1,
                ny: 1,
                inv_w: 0.0,
                inv_h: 0.0,
                top: vec![0].into_boxed_slice(),
                subgrids: Box::new([]),
                leaf_start: vec![0, 0].into_boxed_slice(),
                entries: Box::new([]),
            };
        }
        let (w, h) = (max.x - min.x, max.y - min.y);
        let (nx, ny) = top_shape(polygons.len(), w, h);
        let (cell_w, cell_h) = (w / nx as f64, h / ny as f64);
        let scale = min
            .x
            .abs()
            .max(min.y.abs())
            .max(max.x.abs())
            .max(max.y.abs())
            .max(1.0);
        let margin = scale * 1e-10 + (cell_w + cell_h) * 1e-9;

        let tops: Vec<TopCell> = (0..nx * ny)
            .into_par_iter()
            .map(|t| {
                let (i, j) = (t % nx, t / nx);
                let lo = Coord {
                    x: min.x + i as f64 * cell_w,
                    y: min.y + j as f64 * cell_h,
                };
                let hi = Coord {
                    x: lo.x + cell_w,
                    y: lo.y + cell_h,
                };
                let candidates: Vec<u32> = tree
                    .locate_in_envelope_intersecting(&AABB::from_corners(
                        [lo.x - margin, lo.y - margin],
                        [hi.x + margin, hi.y + margin],
                    ))
                    .map(|e| e.data)
                    .collect();
                let top = screen(polygons, areas, candidates.iter().copied(), lo, hi, margin);
                if top.len() <= LEAF_MAX
                    || top.first().is_some_and(|e| e.part & WHOLE_CELL_INSIDE != 0)
                {
                    return TopCell {
                        k: 1,
                        lists: vec![top],
                    };
                }
                let k = ((top.len() as f64 * 2.0).sqrt().ceil() as usize).clamp(2, SUB_MAX);
                let (sub_w, sub_h) = (cell_w / k as f64, cell_h / k as f64);
                let lists = (0..k * k)
                    .map(|s| {
                        let (si, sj) = (s % k, s / k);
                        let slo = Coord {
                            x: lo.x + si as f64 * sub_w,
                            y: lo.y + sj as f64 * sub_h,
                        };
                        let shi = Coord {
                            x: slo.x + sub_w,
                            y: slo.y + sub_h,
                        };
                        screen(
                            polygons,
                            areas,
                            top.iter().map(|e| e.part & !WHOLE_CELL_INSIDE),
                            slo,
                            shi,
                            margin,
                        )
                    })
                    .collect();
                TopCell { k, lists }
            })
            .collect();

        let mut top = Vec::with_capacity(tops.len());
        let mut subgrids = Vec::new();
        let mut leaf_start = vec![0u32];
        let mut entries = Vec::new();
        for cell in tops {
            let first_leaf = to_u32(leaf_start.len() - 1);
            if cell.k == 1 {
                top.push(first_leaf);
            } else {
                top.push(SUBGRID | to_u32(subgrids.len()));
                subgrids.push(SubGrid {
                    k: to_u32(cell.k),
                    first_leaf,
                });
            }
            for list in cell.lists {
                entries.extend(list);
                leaf_start.push(to_u32(entries.len()));
            }
        }
        BucketGrid {
            min,
            max,
            nx,
            ny,
            inv_w: if w > 0.0 { nx as f64 / w } else { 0.0 },
            inv_h: if h > 0.0 { ny as f64 / h } else { 0.0 },
            top: top.into_boxed_slice(),
            subgrids: subgrids.into_boxed_slice(),
            leaf_start: leaf_start.into_boxed_slice(),
            entries: entries.into_boxed_slice(),
        }
    }

    /// The candidate list for `p` (finite), in ascending area order.
    #[inline]
    pub(crate) fn candidates(&self, p: Coord<f64>) -> &[Entry] {
        if !(self.min.x <= p.x && p.x <= self.max.x && self.min.y <= p.y && p.y <= self.max.y) {
            return &[];
        }
        let u = (p.x - self.min.x) * self.inv_w;
        let v = (p.y - self.min.y) * self.inv_h;
        let i = (u as usize).min(self.nx - 1);
        let j = (v as usize).min(self.ny - 1);
        let t = self.top[j * self.nx + i];
        let leaf = if t & SUBGRID == 0 {
            t as usize
        } else {
            let sub = self.subgrids[(t & !SUBGRID) as usize];
            let k = sub.k as usize;
            // Monotone in `u` and `v` within the top cell, like the top-level mapping.
            let si = (((u - i as f64) * k as f64) as usize).min(k - 1);
            let sj = (((v - j as f64) * k as f64) as usize).min(k - 1);
            sub.first_leaf as usize + sj * k + si
        };
        &self.entries[self.leaf_start[leaf] as usize..self.leaf_start[leaf + 1] as usize]
    }
}

/// The parts among `candidates` that may contain a point of the cell `lo`..`hi` (widened by
/// `margin`), sorted by (area, part) and cut after the first one holding the whole cell.
fn screen(
    polygons: &[PreparedPolygon],
    areas: &[u32],
    candidates: impl Iterator<Item = u32>,
    lo: Coord<f64>,
    hi: Coord<f64>,
    margin: f64,
) -> Vec<Entry> {
    let lo = Coord {
        x: lo.x - margin,
        y: lo.y - margin,
    };
    let hi = Coord {
        x: hi.x + margin,
        y: hi.y + margin,
    };
    let mut list: Vec<Entry> = candidates
        .filter_map(|part| {
            let entry = |flag| Entry {
                area: areas[part as usize],
                part: part | flag,
            };
            match polygons[part as usize].classify_rect(lo, hi) {
                RectClass::Outside => None,
                RectClass::Inside => Some(entry(WHOLE_CELL_INSIDE)),
                RectClass::Mixed => Some(entry(0)),
            }
        })
        .collect();
    list.sort_unstable_by_key(|e| (e.area, e.part & !WHOLE_CELL_INSIDE));
    if let Some(first_inside) = list.iter().position(|e| e.part & WHOLE_CELL_INSIDE != 0) {
        list.truncate(first_inside + 1);
    }
    list
}

/// Top-level columns and rows: about one cell per part, square-ish.
fn top_shape(parts: usize, w: f64, h: f64) -> (usize, usize) {
    square_ish(parts.clamp(1, 1 << 22), w, h, 4096)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n)
        .ok()
        .filter(|&v| v < SUBGRID)
        .expect("grid too large")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AreaIndex, EdgeRule};
    use geo::coordinate_position::{CoordPos, CoordinatePosition};
    use geo::{polygon, MultiPolygon, Polygon};
    use safemap_types::AreaId;

    fn square(x: f64, y: f64, size: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]
    }

    #[test]
    fn clustered_parts_get_sub_grids_and_whole_inside_cells() {
        // 100 small squares packed in one corner of a big square they overlap, the big one
        // last: the corner's top cell has far more than LEAF_MAX candidates.
        let mut areas: Vec<MultiPolygon<f64>> = (0..100)
            .map(|k| MultiPolygon::new(vec![square(f64::from(k % 10), f64::from(k / 10), 1.0)]))
            .collect();
        areas.push(MultiPolygon::new(vec![square(0.0, 0.0, 100.0)]));
        let index = AreaIndex::new(&areas);
        let grid = &index.grid;
        assert!(!grid.subgrids.is_empty());
        let whole = (0..grid.leaf_start.len() - 1)
            .filter(|&l| {
                let (a, b) = (grid.leaf_start[l] as usize, grid.leaf_start[l + 1] as usize);
                b - a == 1 && grid.entries[a].part & WHOLE_CELL_INSIDE != 0
            })
            .count();
        assert!(whole > 10, "{whole} whole-inside leaves");
        // Every list is sorted by area and ends at its first whole-inside entry.
        for l in 0..grid.leaf_start.len() - 1 {
            let list = &grid.entries[grid.leaf_start[l] as usize..grid.leaf_start[l + 1] as usize];
            assert!(list.windows(2).all(|w| w[0].area <= w[1].area));
            assert!(list
                .iter()
                .rev()
                .skip(1)
                .all(|e| e.part & WHOLE_CELL_INSIDE == 0));
        }
        for i in -4..=404 {
            for j in [-1, 0, 1, 2, 3, 5, 9, 10, 11, 40, 99, 100, 101] {
                let p = Coord {
                    x: f64::from(i) * 0.25,
                    y: f64::from(j) * 0.999,
                };
                for rule in [EdgeRule::LowestAreaId, EdgeRule::Exclude] {
                    let want = areas
                        .iter()
                        .position(|mp| match mp.coordinate_position(&p) {
                            CoordPos::Inside => true,
                            CoordPos::OnBoundary => rule == EdgeRule::LowestAreaId,
                            CoordPos::Outside => false,
                        });
                    assert_eq!(
                        index.locate(p, rule),
                        want.map(|a| AreaId(a as u32)),
                        "{p:?} {rule}"
                    );
                }
            }
        }
    }

    #[test]
    fn top_shape_is_about_one_cell_per_part() {
        let (nx, ny) = top_shape(35_000, 570_000.0, 650_000.0);
        assert!(
            (30_000..40_000).contains(&(nx * ny)) && nx < ny,
            "{nx} x {ny}"
        );
        assert_eq!(top_shape(5, 0.0, 0.0), (1, 1));
        assert_eq!(top_shape(5, 0.0, 3.0), (1, 5));
    }
}
