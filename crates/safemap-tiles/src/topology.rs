//! Shared-boundary topology of a polygon layer: rings split into arcs at junctions, each
//! distinct arc stored once, so that simplifying an arc changes every ring that uses it in
//! the same way and neighbouring areas keep sharing their boundary (no gaps, no slivers).
//!
//! A vertex (by exact coordinate) is a *node* when it does not have exactly two distinct
//! neighbouring vertices over all rings, or when the rings using the edge before it differ
//! from the rings using the edge after it. A ring without a node is one closed arc, started
//! at its lowest vertex (by x, then y) in the direction whose second vertex is lower, so the
//! same loop used by an island and by the hole around it is one arc.

use crate::simplify::{importance, Pt};
use std::collections::HashMap;

/// A ring's use of an arc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ArcRef {
    /// Index into the topology's arcs.
    pub arc: u32,
    /// The ring walks the arc from its last vertex to its first.
    pub reversed: bool,
}

/// A chain of vertices between two nodes (or a closed loop), in its canonical direction.
#[derive(Clone, Debug)]
pub(crate) struct Arc {
    /// Vertices, both ends included (a closed arc repeats its first vertex at the end).
    pub coords: Vec<Pt>,
    /// For each vertex, the lowest zoom at which the simplification keeps it; vertices kept
    /// only by the full geometry have `simplify_max_zoom + 1`.
    pub min_zoom: Vec<u8>,
}

/// Arcs and, for each input ring, the arcs it is made of, in order.
pub(crate) struct Topology {
    pub arcs: Vec<Arc>,
    pub rings: Vec<Vec<ArcRef>>,
}

/// Share of the tolerance applied to arcs only one ring uses.
const LONE_ARC_SCALE: f64 = 0.25;

fn key(p: Pt) -> [u64; 2] {
    // `+ 0.0` turns -0.0 into 0.0 so both spellings of zero are one vertex.
    [(p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits()]
}

fn coord_cmp(a: Pt, b: Pt) -> std::cmp::Ordering {
    a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1]))
}

/// Builds the topology of `rings` (open rings: no repeated closing vertex, no consecutive
/// duplicates, at least three vertices each). Deterministic: ids follow input order.
pub(crate) fn build(rings: &[Vec<Pt>]) -> (Vec<Vec<Pt>>, Vec<Vec<ArcRef>>, Vec<usize>) {
    // 1. Intern vertices by exact coordinate.
    let total: usize = rings.iter().map(Vec::len).sum();
    let mut ids: HashMap<[u64; 2], u32> = HashMap::with_capacity(total);
    let mut coords: Vec<Pt> = Vec::with_capacity(total);
    let ring_ids: Vec<Vec<u32>> = rings
        .iter()
        .map(|ring| {
            ring.iter()
                .map(|&p| {
                    *ids.entry(key(p)).or_insert_with(|| {
                        coords.push(p);
                        (coords.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    drop(ids);

    // 2. Undirected edges with the rings using them, sorted so each distinct edge is a run.
    let mut sides: Vec<(u32, u32, u32)> = Vec::with_capacity(total);
    for (r, ring) in ring_ids.iter().enumerate() {
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            sides.push((a.min(b), a.max(b), r as u32));
        }
    }
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut sides[..]);
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut degree = vec![0u32; coords.len()];
    let mut start = 0;
    while start < sides.len() {
        let (a, b, _) = sides[start];
        let mut end = start + 1;
        while end < sides.len() && sides[end].0 == a && sides[end].1 == b {
            end += 1;
        }
        edges.push((a, b));
        runs.push((start, end));
        degree[a as usize] += 1;
        degree[b as usize] += 1;
        start = end;
    }
    let users = |a: u32, b: u32| {
        let e = (a.min(b), a.max(b));
        let i = edges
            .binary_search(&e)
            .expect("every ring edge is in the edge list");
        let (s, t) = runs[i];
        sides[s..t].iter().map(|side| side.2)
    };

    // 3. Nodes: not exactly two neighbours, or the rings on either side change.
    let mut node: Vec<bool> = degree.iter().map(|&d| d != 2).collect();
    for ring in &ring_ids {
        let n = ring.len();
        for i in 0..n {
            let (prev, v, next) = (ring[(i + n - 1) % n], ring[i], ring[(i + 1) % n]);
            if !node[v as usize] && !users(prev, v).eq(users(v, next)) {
                node[v as usize] = true;
            }
        }
    }

    // 4. Arcs, each distinct one stored once in its canonical direction.
    let mut arc_of: HashMap<(u32, u32), u32> = HashMap::new();
    let mut arcs: Vec<Vec<u32>> = Vec::new();
    let mut refs_of_rings = Vec::with_capacity(ring_ids.len());
    // `canonical`: `seq` is already in its canonical direction (closed arcs).
    let mut intern = |seq: Vec<u32>, canonical: bool| -> ArcRef {
        let last = seq.len() - 1;
        let fwd = (seq[0], seq[1]);
        let rev = (seq[last], seq[last - 1]);
        let reversed = !canonical && rev < fwd;
        let k = if reversed { rev } else { fwd };
        let arc = *arc_of.entry(k).or_insert_with(|| {
            let mut s = seq;
            if reversed {
                s.reverse();
            }
            arcs.push(s);
            (arcs.len() - 1) as u32
        });
        ArcRef { arc, reversed }
    };
    for ring in &ring_ids {
        let n = ring.len();
        let nodes: Vec<usize> = (0..n).filter(|&i| node[ring[i] as usize]).collect();
        let refs = if nodes.is_empty() {
            // One closed arc: canonical start and direction.
            let s = (0..n)
                .min_by(|&a, &b| coord_cmp(coords[ring[a] as usize], coords[ring[b] as usize]))
                .expect("rings have vertices");
            let next = coords[ring[(s + 1) % n] as usize];
            let prev = coords[ring[(s + n - 1) % n] as usize];
            let forward = coord_cmp(next, prev).is_le();
            let seq: Vec<u32> = (0..=n)
                .map(|k| {
                    if forward {
                        ring[(s + k) % n]
                    } else {
                        ring[(s + n - k % n) % n]
                    }
                })
                .collect();
            let mut r = intern(seq, true);
            // The ring runs against the arc when the canonical direction is its reverse.
            r.reversed = !forward;
            vec![r]
        } else {
            let mut refs = Vec::with_capacity(nodes.len());
            for (j, &from) in nodes.iter().enumerate() {
                let to = if j + 1 < nodes.len() {
                    nodes[j + 1]
                } else {
                    nodes[0] + n
                };
                let seq: Vec<u32> = (from..=to).map(|k| ring[k % n]).collect();
                refs.push(intern(seq, false));
            }
            refs
        };
        refs_of_rings.push(refs);
    }

    // How many interior vertices each arc must keep so no ring collapses below four
    // points: a ring of one closed arc keeps two, a ring of two arcs one on each.
    let mut forced = vec![0usize; arcs.len()];
    for refs in &refs_of_rings {
        let need = match refs.len() {
            1 => 2,
            2 => 1,
            _ => 0,
        };
        for r in refs {
            forced[r.arc as usize] = forced[r.arc as usize].max(need);
        }
    }
    let arc_coords = arcs
        .into_iter()
        .map(|seq| seq.into_iter().map(|v| coords[v as usize]).collect())
        .collect();
    (arc_coords, refs_of_rings, forced)
}

impl Topology {
    /// Builds the topology of `rings` and simplifies every distinct arc once (in parallel),
    /// recording for each vertex the lowest zoom that keeps it. `tolerance(z)` is the
    /// Douglas-Peucker tolerance at zoom `z` in the rings' units, for `z` in `0..=max_zoom`.
    pub(crate) fn new(
        rings: &[Vec<Pt>],
        max_zoom: u8,
        tolerance: impl Fn(u8) -> f64 + Sync,
    ) -> Self {
        use rayon::prelude::*;
        let (arc_coords, rings, forced) = build(rings);
        let tolerances: Vec<f64> = (0..=max_zoom).map(&tolerance).collect();
        let mut uses = vec![0_u32; arc_coords.len()];
        for r in rings.iter().flatten() {
            uses[r.arc as usize] += 1;
        }
        let arcs = arc_coords
            .into_par_iter()
            .zip(forced)
            .zip(uses)
            .map(|((coords, forced), uses)| {
                // An arc only one ring uses is the study's edge, or borders a neighbour whose
                // vertices differ (UK-GeoJSON LSOAs meet along the same lines with different
                // vertices), so nothing keeps the two sides identical: it is simplified at a
                // quarter of the tolerance, and two such neighbours drift apart by at most
                // half the tolerance (a quarter of a pixel at the defaults), never a visible gap.
                let scale = if uses == 1 { LONE_ARC_SCALE } else { 1.0 };
                let min_zoom = importance(&coords, forced)
                    .into_iter()
                    .map(|imp| {
                        tolerances
                            .iter()
                            .position(|&t| imp > t * scale)
                            .map_or(max_zoom + 1, |z| z as u8)
                    })
                    .collect();
                Arc { coords, min_zoom }
            })
            .collect();
        Topology { arcs, rings }
    }

    /// Rebuilds ring `refs` at zoom `z` into `out` (open: no repeated closing vertex).
    /// Zooms above the simplified range give the full geometry.
    pub(crate) fn ring_at(&self, refs: &[ArcRef], z: u8, out: &mut Vec<Pt>) {
        out.clear();
        for (k, r) in refs.iter().enumerate() {
            let arc = &self.arcs[r.arc as usize];
            let kept = arc
                .coords
                .iter()
                .zip(&arc.min_zoom)
                .filter(|(_, &mz)| mz <= z)
                .map(|(p, _)| *p);
            // Consecutive arcs share their node: skip each arc's first vertex but the first.
            let skip = usize::from(k > 0);
            if r.reversed {
                out.extend(kept.rev().skip(skip));
            } else {
                out.extend(kept.skip(skip));
            }
        }
        if out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sq(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Pt> {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    }

    #[test]
    fn two_squares_share_one_arc() {
        // A and B share the edge x = 1 with an extra vertex at (1, 0.5), walked in
        // opposite directions.
        let a = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0]];
        let b = vec![[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 0.5]];
        let (arcs, rings, _) = build(&[a, b]);
        // Nodes at (1,0) and (1,1): the shared arc plus one outer arc each.
        assert_eq!(arcs.len(), 3);
        assert_eq!(rings[0].len(), 2);
        assert_eq!(rings[1].len(), 2);
        let shared_a = rings[0]
            .iter()
            .find(|r| rings[1].iter().any(|s| s.arc == r.arc));
        let shared_b = rings[1]
            .iter()
            .find(|r| rings[0].iter().any(|s| s.arc == r.arc));
        let (sa, sb) = (shared_a.unwrap(), shared_b.unwrap());
        assert_ne!(
            sa.reversed, sb.reversed,
            "neighbours walk a shared arc both ways"
        );
        assert_eq!(arcs[sa.arc as usize].len(), 3);
    }

    #[test]
    fn island_and_hole_are_one_closed_arc_whatever_their_start() {
        let outer = sq(0.0, 0.0, 10.0, 10.0);
        let hole: Vec<Pt> = vec![[6.0, 4.0], [4.0, 4.0], [4.0, 6.0], [6.0, 6.0]]; // other start
        let island: Vec<Pt> = vec![[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0]];
        let (arcs, rings, forced) = build(&[outer, hole, island]);
        assert_eq!(arcs.len(), 2);
        assert_eq!(rings[1][0].arc, rings[2][0].arc);
        assert_ne!(rings[1][0].reversed, rings[2][0].reversed);
        assert_eq!(forced[rings[1][0].arc as usize], 2);
    }

    #[test]
    fn rings_rebuild_exactly_at_full_detail() {
        let a = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0]];
        let b = vec![[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 0.5]];
        let topo = Topology::new(&[a.clone(), b.clone()], 3, |_| 0.1);
        for (orig, refs) in [a, b].iter().zip(&topo.rings) {
            let mut out = Vec::new();
            topo.ring_at(refs, 4, &mut out);
            // Same cyclic sequence, possibly another start.
            let s = orig.iter().position(|p| *p == out[0]).unwrap();
            let rotated: Vec<Pt> = (0..orig.len())
                .map(|i| orig[(s + i) % orig.len()])
                .collect();
            assert_eq!(out, rotated);
        }
    }

    #[test]
    fn closed_ring_never_collapses_below_four_points() {
        // A thin sliver: every interior vertex is within a huge tolerance.
        let ring: Vec<Pt> = vec![
            [0.0, 0.0],
            [5.0, 0.01],
            [10.0, 0.0],
            [5.0, -0.01],
            [2.0, 0.0],
        ];
        let topo = Topology::new(&[ring], 0, |_| 1e9);
        let mut out = Vec::new();
        topo.ring_at(&topo.rings[0], 0, &mut out);
        assert_eq!(out.len(), 3, "{out:?}");
    }
}
