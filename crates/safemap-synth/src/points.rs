//! Random points strictly inside an area, away from its edges.

use crate::planar::{dist_to_ring, in_ring, ring_centroid};
use crate::random::uniform;
use geo_types::Coord;
use rand_chacha::ChaCha8Rng;

/// An area's ring with its bounding box, for rejection sampling.
#[derive(Debug, Clone)]
pub(crate) struct AreaShape {
    pub ring: Vec<Coord<f64>>,
    min: Coord<f64>,
    max: Coord<f64>,
}

impl AreaShape {
    pub fn new(ring: Vec<Coord<f64>>) -> Self {
        let min = ring.iter().fold(
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            |m, c| Coord {
                x: m.x.min(c.x),
                y: m.y.min(c.y),
            },
        );
        let max = ring.iter().fold(
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
            |m, c| Coord {
                x: m.x.max(c.x),
                y: m.y.max(c.y),
            },
        );
        Self { ring, min, max }
    }

    /// A uniform random point inside the area at least `margin` metres from its
    /// boundary, after `snap` (rounding) has been applied. Points that near an edge
    /// would risk a different area after rounding or reprojection.
    pub fn random_point(
        &self,
        rng: &mut ChaCha8Rng,
        margin: f64,
        snap: impl Fn(Coord<f64>) -> Coord<f64>,
    ) -> Coord<f64> {
        for _ in 0..100_000 {
            let p = snap(Coord {
                x: uniform(rng, self.min.x, self.max.x),
                y: uniform(rng, self.min.y, self.max.y),
            });
            if in_ring(p, &self.ring) && dist_to_ring(p, &self.ring) >= margin {
                return p;
            }
        }
        snap(ring_centroid(&self.ring))
    }
}

/// Rounds to 0.1 m.
pub(crate) fn snap_dm(c: Coord<f64>) -> Coord<f64> {
    crate::planar::round_dm(c)
}

/// Truncates to whole metres (as a 10-figure grid reference does).
pub(crate) fn snap_m(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: c.x.floor(),
        y: c.y.floor(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{stream_rng, Stream};

    #[test]
    fn points_keep_their_margin() {
        let sq = AreaShape::new(vec![
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 100.0, y: 0.0 },
            Coord { x: 100.0, y: 100.0 },
            Coord { x: 0.0, y: 100.0 },
        ]);
        let mut rng = stream_rng(1, Stream::Police);
        for _ in 0..200 {
            let p = sq.random_point(&mut rng, 5.0, snap_m);
            assert!(p.x >= 5.0 && p.x <= 95.0 && p.y >= 5.0 && p.y <= 95.0);
            assert_eq!(p.x.fract(), 0.0);
        }
    }
}
