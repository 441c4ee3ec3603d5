//! Voronoi cells of the layout's seeds, built from spade's Delaunay triangulation.
//!
//! Each Voronoi vertex is the circumcentre of one Delaunay triangle, computed once
//! from the triangle's seeds in index order and rounded to 0.1 m; each shared edge is
//! bent once ([`crate::edge_noise`]). Cells are assembled from these shared pieces, so
//! neighbours share vertices bit for bit: no gaps, no overlaps.

use crate::edge_noise::{bend, repair_crossings, Polyline};
use crate::layout::Layout;
use crate::planar::round_dm;
use crate::random::{keyed_rng, Stream};
use geo_types::Coord;
use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};
use std::collections::BTreeMap;

/// A triangle of seed indices in ascending order: the key of a Voronoi vertex.
type VertexKey = [usize; 3];

/// The cells of the inner seeds.
#[derive(Debug, Clone)]
pub(crate) struct Tessellation {
    /// One counter-clockwise open ring per inner seed, vertices on the 0.1 m grid.
    pub rings: Vec<Vec<Coord<f64>>>,
    /// For each inner seed, the inner seeds whose cells share an edge with it (ascending).
    pub neighbours: Vec<Vec<usize>>,
    /// The city outline: counter-clockwise open rings (normally exactly one).
    pub outline: Vec<Vec<Coord<f64>>>,
}

struct Site {
    pos: Point2<f64>,
    idx: usize,
}

impl HasPosition for Site {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.pos
    }
}

fn circumcentre(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> Coord<f64> {
    let (b, c) = (b - a, c - a);
    let d = 2.0 * (b.x * c.y - b.y * c.x);
    let (bb, cc) = (b.x * b.x + b.y * b.y, c.x * c.x + c.y * c.y);
    Coord {
        x: a.x + (c.y * bb - b.y * cc) / d,
        y: a.y + (b.x * cc - c.x * bb) / d,
    }
}

/// A shared edge: the Voronoi vertices it joins (`from < to`) and its bend.
struct Edge {
    from: VertexKey,
    to: VertexKey,
    interior: Vec<Coord<f64>>,
}

/// Builds the cells. `seed` keys the edge bends.
pub(crate) fn tessellate(layout: &Layout, seed: u64) -> Tessellation {
    let n_inner = layout.inner.len();
    let sites: Vec<Coord<f64>> = layout.inner.iter().chain(&layout.ghosts).copied().collect();
    let mut tri: DelaunayTriangulation<Site> = DelaunayTriangulation::new();
    let mut handles = Vec::with_capacity(sites.len());
    for (idx, p) in sites.iter().enumerate() {
        let h = tri
            .insert(Site {
                pos: Point2::new(p.x, p.y),
                idx,
            })
            .expect("seed coordinates are finite and well inside f64 range");
        handles.push(h);
    }

    // Spokes around each inner seed, counter-clockwise: (neighbour seed, triangle on the left).
    let mut spokes: Vec<Vec<(usize, VertexKey)>> = Vec::with_capacity(n_inner);
    for &h in &handles[..n_inner] {
        let v = tri.vertex(h);
        let mut around: Vec<(usize, VertexKey)> = v
            .out_edges()
            .map(|e| {
                let face = e
                    .face()
                    .as_inner()
                    .expect("inner seeds are surrounded by ghost seeds");
                let mut key = face.vertices().map(|f| f.data().idx);
                key.sort_unstable();
                (e.to().data().idx, key)
            })
            .collect();
        // Start each ring at its smallest vertex key so the output does not depend on
        // where spade happens to start its edge iteration.
        let start = (0..around.len()).min_by_key(|&k| around[k].1).unwrap_or(0);
        around.rotate_left(start);
        spokes.push(around);
    }

    let mut vertices: BTreeMap<VertexKey, Coord<f64>> = BTreeMap::new();
    for around in &spokes {
        for (_, key) in around {
            vertices.entry(*key).or_insert_with(|| {
                round_dm(circumcentre(sites[key[0]], sites[key[1]], sites[key[2]]))
            });
        }
    }

    // Shared edges keyed by their seed pair; edge k of cell i joins the triangle of
    // spoke k to that of spoke k+1 and separates i from spoke k+1's seed.
    let min_len = (layout.spacing / 10.0).max(25.0);
    let mut edges: BTreeMap<(usize, usize), Edge> = BTreeMap::new();
    for (i, around) in spokes.iter().enumerate() {
        let d = around.len();
        for k in 0..d {
            let (f0, (j, f1)) = (around[k].1, around[(k + 1) % d]);
            let pair = (i.min(j), i.max(j));
            edges.entry(pair).or_insert_with(|| {
                let (from, to) = if f0 < f1 { (f0, f1) } else { (f1, f0) };
                let key = (pair.0 as u64) << 32 | pair.1 as u64;
                let interior = bend(
                    vertices[&from],
                    vertices[&to],
                    min_len,
                    &mut keyed_rng(seed, Stream::EdgeNoise, key),
                );
                Edge { from, to, interior }
            });
        }
    }
    {
        let mut lines: Vec<Polyline<'_>> = edges
            .values_mut()
            .map(|e| Polyline {
                from: vertices[&e.from],
                interior: &mut e.interior,
                to: vertices[&e.to],
            })
            .filter(|p| p.from != p.to)
            .collect();
        repair_crossings(&mut lines);
    }

    let piece = |i: usize, j: usize, from: VertexKey| -> Vec<Coord<f64>> {
        // The edge's vertices from `from` onwards, without its last vertex.
        let e = &edges[&(i.min(j), i.max(j))];
        let mut pts = vec![vertices[&e.from]];
        pts.extend(e.interior.iter().copied());
        pts.push(vertices[&e.to]);
        if e.from != from {
            pts.reverse();
        }
        pts.pop();
        pts
    };

    let mut rings = Vec::with_capacity(n_inner);
    let mut neighbours = Vec::with_capacity(n_inner);
    let mut outline_pieces: Vec<(VertexKey, VertexKey, Vec<Coord<f64>>)> = Vec::new();
    for (i, around) in spokes.iter().enumerate() {
        let d = around.len();
        let mut ring = Vec::new();
        let mut nb = Vec::new();
        for k in 0..d {
            let (f0, (j, f1)) = (around[k].1, around[(k + 1) % d]);
            let pts = piece(i, j, f0);
            if vertices[&f0] != vertices[&f1] {
                if j < n_inner {
                    nb.push(j);
                } else {
                    outline_pieces.push((f0, f1, pts.clone()));
                }
            }
            ring.extend(pts);
        }
        ring.dedup();
        while ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        nb.sort_unstable();
        nb.dedup();
        rings.push(ring);
        neighbours.push(nb);
    }

    Tessellation {
        rings,
        neighbours,
        outline: chain(&outline_pieces),
    }
}

/// Joins directed boundary pieces into closed rings.
fn chain(pieces: &[(VertexKey, VertexKey, Vec<Coord<f64>>)]) -> Vec<Vec<Coord<f64>>> {
    let mut by_start: BTreeMap<VertexKey, Vec<usize>> = BTreeMap::new();
    for (k, (from, _, _)) in pieces.iter().enumerate() {
        by_start.entry(*from).or_default().push(k);
    }
    let mut used = vec![false; pieces.len()];
    let mut rings = Vec::new();
    for first in 0..pieces.len() {
        if used[first] {
            continue;
        }
        let mut ring = Vec::new();
        let mut k = first;
        loop {
            used[k] = true;
            ring.extend(pieces[k].2.iter().copied());
            let next = by_start
                .get(&pieces[k].1)
                .and_then(|ks| ks.iter().copied().find(|&n| !used[n]));
            match next {
                Some(n) => k = n,
                None => break,
            }
        }
        ring.dedup();
        rings.push(ring);
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::CityParams;
    use crate::planar::{ring_area, signed_area2};

    #[test]
    fn cells_tile_the_outline() {
        let layout = Layout::new(&CityParams::default());
        let t = tessellate(&layout, 2026);
        assert_eq!(t.rings.len(), 175);
        assert_eq!(t.outline.len(), 1);
        assert!(t.rings.iter().all(|r| signed_area2(r) > 0.0));
        let sum: f64 = t.rings.iter().map(|r| ring_area(r)).sum();
        let outline = ring_area(&t.outline[0]);
        assert!((sum - outline).abs() / outline < 1e-9, "{sum} vs {outline}");
        assert!(t.neighbours.iter().all(|n| !n.is_empty()));
    }
}
