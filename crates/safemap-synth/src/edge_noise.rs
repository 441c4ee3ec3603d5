//! Organic boundaries: each shared Voronoi edge is bent by recursive midpoint
//! displacement, once, and both neighbours use the same vertices.
//!
//! A bent edge that would cross another one (or itself) is straightened again;
//! straight Voronoi edges never cross, so the repair always ends with a valid
//! planar subdivision.

use crate::planar::{dist, round_dm, segments_conflict};
use crate::random::uniform;
use geo_types::Coord;
use rand_chacha::ChaCha8Rng;

/// Largest sideways offset of a midpoint, as a fraction of its segment's length.
const AMPLITUDE: f64 = 0.12;

/// The interior vertices of a bent version of `a`-`b` (rounded to 0.1 m), stopping
/// when pieces get shorter than `min_len`.
pub(crate) fn bend(
    a: Coord<f64>,
    b: Coord<f64>,
    min_len: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    subdivide(a, b, min_len, rng, 0, &mut out);
    out.dedup();
    out.retain(|p| *p != a && *p != b);
    out
}

fn subdivide(
    a: Coord<f64>,
    b: Coord<f64>,
    min_len: f64,
    rng: &mut ChaCha8Rng,
    depth: u32,
    out: &mut Vec<Coord<f64>>,
) {
    let len = dist(a, b);
    if len < 2.0 * min_len || depth >= 4 {
        return;
    }
    let d = b - a;
    let normal = Coord {
        x: -d.y / len,
        y: d.x / len,
    };
    let offset = uniform(rng, -AMPLITUDE, AMPLITUDE) * len;
    let m = round_dm(Coord {
        x: f64::midpoint(a.x, b.x) + normal.x * offset,
        y: f64::midpoint(a.y, b.y) + normal.y * offset,
    });
    subdivide(a, m, min_len, rng, depth + 1, out);
    out.push(m);
    subdivide(m, b, min_len, rng, depth + 1, out);
}

/// One edge of the subdivision: its full vertex list, first and last included.
pub(crate) struct Polyline<'a> {
    /// Start vertex.
    pub from: Coord<f64>,
    /// Bend vertices.
    pub interior: &'a mut Vec<Coord<f64>>,
    /// End vertex.
    pub to: Coord<f64>,
}

fn points(p: &Polyline<'_>) -> Vec<Coord<f64>> {
    let mut v = Vec::with_capacity(p.interior.len() + 2);
    v.push(p.from);
    v.extend(p.interior.iter().copied());
    v.push(p.to);
    v
}

fn bbox(pts: &[Coord<f64>]) -> [f64; 4] {
    pts.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, p| [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)],
    )
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

fn self_conflict(pts: &[Coord<f64>]) -> bool {
    let n = pts.len();
    (0..n - 1).any(|i| {
        ((i + 2)..n - 1).any(|j| segments_conflict(pts[i], pts[i + 1], pts[j], pts[j + 1]))
    })
}

fn pair_conflict(p: &[Coord<f64>], q: &[Coord<f64>]) -> bool {
    p.windows(2).any(|s| {
        q.windows(2)
            .any(|t| segments_conflict(s[0], s[1], t[0], t[1]))
    })
}

/// Straightens bent edges until no two edges (and no edge with itself) share a point
/// other than a common end vertex. Returns how many edges were straightened.
pub(crate) fn repair_crossings(edges: &mut [Polyline<'_>]) -> usize {
    let mut straightened = 0;
    loop {
        let pts: Vec<Vec<Coord<f64>>> = edges.iter().map(points).collect();
        let boxes: Vec<[f64; 4]> = pts.iter().map(|p| bbox(p)).collect();
        let mut bad = vec![false; edges.len()];
        for i in 0..edges.len() {
            if pts[i].len() > 3 && self_conflict(&pts[i]) {
                bad[i] = true;
            }
            for j in (i + 1)..edges.len() {
                if overlap(&boxes[i], &boxes[j]) && pair_conflict(&pts[i], &pts[j]) {
                    bad[i] = true;
                    bad[j] = true;
                }
            }
        }
        let mut changed = false;
        for (e, b) in edges.iter_mut().zip(&bad) {
            if *b && !e.interior.is_empty() {
                e.interior.clear();
                straightened += 1;
                changed = true;
            }
        }
        if !changed {
            return straightened;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{stream_rng, Stream};

    #[test]
    fn bend_stays_near_the_edge_and_is_reproducible() {
        let a = Coord { x: 0.0, y: 0.0 };
        let b = Coord { x: 800.0, y: 0.0 };
        let p = bend(a, b, 60.0, &mut stream_rng(1, Stream::EdgeNoise));
        let q = bend(a, b, 60.0, &mut stream_rng(1, Stream::EdgeNoise));
        assert_eq!(p, q);
        assert!(p.len() >= 3);
        assert!(p
            .iter()
            .all(|c| c.y.abs() < 0.3 * 800.0 && c.x > 0.0 && c.x < 800.0));
    }

    #[test]
    fn crossing_edges_are_straightened() {
        let mut i1 = vec![Coord { x: 5.0, y: 8.0 }];
        let mut i2 = vec![];
        let mut edges = [
            Polyline {
                from: Coord { x: 0.0, y: 0.0 },
                interior: &mut i1,
                to: Coord { x: 10.0, y: 0.0 },
            },
            Polyline {
                from: Coord { x: 0.0, y: 5.0 },
                interior: &mut i2,
                to: Coord { x: 10.0, y: 5.0 },
            },
        ];
        assert_eq!(repair_crossings(&mut edges), 1);
        assert!(i1.is_empty());
    }
}
