//! The sub-pixel rule: a polygon feature whose bounding box is smaller than one cell (a
//! pixel at full detail) in both directions gets no geometry of its own. Instead the cells
//! its box touches are drawn as squares, each given to the feature whose box overlaps it
//! most (the lowest id on ties), and the squares of one winner become one feature with the
//! winner's id and attributes. So a dense city costs one small feature per pixel it covers
//! rather than one per area, every part of every small area stays covered (no holes where
//! areas were dropped), and a pixel shows the value of the area filling most of it, which
//! is all one pixel can show. Areas that win no cell have been merged into their
//! neighbours; they reappear at the zoom where they are a pixel wide.
//!
//! The grid is aligned to the tile (cells of `extent / 512 * 2^k` tile units divide the
//! extent), so neighbouring tiles agree on it.

use crate::features::TilePt;
use std::collections::{BTreeMap, HashMap};

/// Cells claimed by sub-pixel features in one tile layer.
pub(crate) struct Cells {
    size: f64,
    best: HashMap<(i32, i32), (f64, u32)>,
}

impl Cells {
    /// Cells of `size` tile units.
    pub(crate) fn new(size: f64) -> Self {
        Cells {
            size,
            best: HashMap::new(),
        }
    }

    /// Whether a box of `[x0, y0, x1, y1]` tile units is smaller than a cell both ways.
    pub(crate) fn is_sub_cell(&self, b: [f64; 4]) -> bool {
        b[2] - b[0] < self.size && b[3] - b[1] < self.size
    }

    /// Feature `id` with box `b` (tile units) claims the cells the box touches.
    pub(crate) fn add(&mut self, id: u32, b: [f64; 4]) {
        let c = self.size;
        let cell = |v: f64| (v / c).floor() as i32;
        for cy in cell(b[1])..=cell(b[3]) {
            for cx in cell(b[0])..=cell(b[2]) {
                let (x0, y0) = (f64::from(cx) * c, f64::from(cy) * c);
                let w = (b[2].min(x0 + c) - b[0].max(x0)).max(0.0);
                let h = (b[3].min(y0 + c) - b[1].max(y0)).max(0.0);
                let overlap = w * h;
                self.best
                    .entry((cy, cx))
                    .and_modify(|(o, winner)| {
                        if overlap > *o || (overlap == *o && id < *winner) {
                            *o = overlap;
                            *winner = id;
                        }
                    })
                    .or_insert((overlap, id));
            }
        }
    }

    /// Each winner's squares, clipped to `lo..=hi`, as one exterior ring (positive area,
    /// y down) per run of cells in a row; winners in id order.
    pub(crate) fn features(self, lo: f64, hi: f64) -> Vec<(u32, Vec<Vec<TilePt>>)> {
        let mut by_winner: BTreeMap<u32, Vec<(i32, i32)>> = BTreeMap::new();
        for (cell, (_, id)) in self.best {
            by_winner.entry(id).or_default().push(cell);
        }
        let c = self.size;
        let clamp = |v: f64| v.clamp(lo, hi).round() as i32;
        by_winner
            .into_iter()
            .filter_map(|(id, mut cells)| {
                cells.sort_unstable();
                let mut rings = Vec::new();
                let mut i = 0;
                while i < cells.len() {
                    let (cy, cx0) = cells[i];
                    let mut cx1 = cx0;
                    while i + 1 < cells.len() && cells[i + 1] == (cy, cx1 + 1) {
                        cx1 += 1;
                        i += 1;
                    }
                    i += 1;
                    let (x0, x1) = (clamp(f64::from(cx0) * c), clamp(f64::from(cx1 + 1) * c));
                    let (y0, y1) = (clamp(f64::from(cy) * c), clamp(f64::from(cy + 1) * c));
                    if x0 < x1 && y0 < y1 {
                        rings.push(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
                    }
                }
                (!rings.is_empty()).then_some((id, rings))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cell_goes_to_the_largest_overlap_and_runs_merge() {
        let mut cells = Cells::new(8.0);
        // Feature 3 fills most of cell (0, 0) and a sliver of (0, 1); feature 1 most of (0, 1).
        cells.add(3, [0.5, 0.5, 8.5, 7.5]);
        cells.add(1, [8.2, 0.0, 15.0, 7.0]);
        // Feature 5: cells (0, 2) and (0, 3), one run.
        cells.add(5, [17.0, 1.0, 24.5, 2.0]);
        let f = cells.features(-64.0, 4160.0);
        let ids: Vec<u32> = f.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [1, 3, 5]);
        assert!(f.iter().all(|(_, r)| r.len() == 1), "runs are merged");
        assert!(f.iter().all(|(_, r)| crate::commands::area2(&r[0]) > 0));
        // Feature 5's ring starts at x = 16 (cell 2) and spans two cells.
        assert_eq!(f[2].1[0], [[16, 0], [32, 0], [32, 8], [16, 8]]);
    }
}
