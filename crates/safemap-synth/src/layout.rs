//! The city's footprint and the seed points of its neighbourhoods.
//!
//! The footprint is a wobbly disc: radius `R (1 + sum a_k cos(k theta + phi_k))`.
//! Inner seeds (one per area) are spread inside it by Mitchell's best-candidate
//! sampling (blue noise, no clumps); "ghost" seeds fill a band just outside, so every
//! inner seed's Voronoi cell is bounded and the union of the inner cells is the city
//! outline. Nothing needs clipping, so every vertex is computed exactly once.

use crate::params::CityParams;
use crate::planar::dist;
use crate::random::{stream_rng, uniform, Stream};
use geo_types::Coord;
use rand_chacha::ChaCha8Rng;

/// Candidates tried for each best-candidate point.
const CANDIDATES: usize = 12;
/// Width of the ghost band in units of the mean seed spacing.
const GHOST_BAND: f64 = 2.2;

/// Seeds of the tessellation.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// City centre (BNG metres).
    pub centre: Coord<f64>,
    /// Mean outline radius (m).
    pub radius: f64,
    /// Mean distance between neighbouring seeds (m).
    pub spacing: f64,
    /// One seed per area.
    pub inner: Vec<Coord<f64>>,
    /// Seeds outside the city that bound the outer cells.
    pub ghosts: Vec<Coord<f64>>,
    harmonics: [(f64, f64, f64); 3],
}

impl Layout {
    /// Draws the footprint and the seeds.
    pub fn new(params: &CityParams) -> Self {
        let mut rng = stream_rng(params.get_seed(), Stream::Layout);
        let (e, n) = params.get_centre();
        let centre = Coord { x: e, y: n };
        let radius = params.get_radius_m();
        let two_pi = 2.0 * std::f64::consts::PI;
        let harmonics = [
            (0.09, 2.0, uniform(&mut rng, 0.0, two_pi)),
            (0.06, 3.0, uniform(&mut rng, 0.0, two_pi)),
            (0.035, 5.0, uniform(&mut rng, 0.0, two_pi)),
        ];
        let n_areas = params.get_n_areas();
        let spacing = (std::f64::consts::PI * radius * radius / n_areas as f64).sqrt();
        let mut layout = Self {
            centre,
            radius,
            spacing,
            inner: Vec::new(),
            ghosts: Vec::new(),
            harmonics,
        };

        let mut placed: Vec<Coord<f64>> = Vec::with_capacity(n_areas * 2);
        for _ in 0..n_areas {
            let p = layout.best_candidate(&mut rng, &placed, |l, c| l.rho(c) < l.outline_radius(c));
            placed.push(p);
        }
        let n_ghosts = (two_pi * radius * GHOST_BAND / spacing).ceil() as usize + 8;
        for _ in 0..n_ghosts {
            let band = GHOST_BAND * spacing;
            let p = layout.best_candidate(&mut rng, &placed, |l, c| {
                let (rho, r) = (l.rho(c), l.outline_radius(c));
                rho > r + 0.05 * spacing && rho < r + band
            });
            placed.push(p);
        }
        layout.ghosts = placed.split_off(n_areas);
        layout.inner = placed;
        // Far corners put every band ghost inside the convex hull.
        let far = 5.0 * radius;
        for (dx, dy) in [(-far, -far), (far, -far), (far, far), (-far, far)] {
            layout.ghosts.push(Coord {
                x: centre.x + dx,
                y: centre.y + dy,
            });
        }
        layout
    }

    fn rho(&self, p: Coord<f64>) -> f64 {
        dist(p, self.centre)
    }

    /// The footprint radius in the direction of `p` from the centre.
    pub fn outline_radius(&self, p: Coord<f64>) -> f64 {
        let theta = libm::atan2(p.y - self.centre.y, p.x - self.centre.x);
        let wobble: f64 = self
            .harmonics
            .iter()
            .map(|(a, k, phi)| a * libm::cos(k * theta + phi))
            .sum();
        self.radius * (1.0 + wobble)
    }

    /// The point at `fraction` of the footprint radius in direction `degrees`
    /// (counter-clockwise from east).
    pub fn anchor(&self, degrees: f64, fraction: f64) -> Coord<f64> {
        let t = degrees.to_radians();
        let dir = Coord {
            x: libm::cos(t),
            y: libm::sin(t),
        };
        let probe = Coord {
            x: self.centre.x + dir.x,
            y: self.centre.y + dir.y,
        };
        let r = self.outline_radius(probe) * fraction;
        Coord {
            x: self.centre.x + r * dir.x,
            y: self.centre.y + r * dir.y,
        }
    }

    fn best_candidate(
        &self,
        rng: &mut ChaCha8Rng,
        placed: &[Coord<f64>],
        accept: impl Fn(&Self, Coord<f64>) -> bool,
    ) -> Coord<f64> {
        let reach = self.radius * 1.35 + GHOST_BAND * self.spacing;
        let mut best = self.centre;
        let mut best_d = -1.0;
        for _ in 0..CANDIDATES {
            let c = loop {
                let c = Coord {
                    x: self.centre.x + uniform(rng, -reach, reach),
                    y: self.centre.y + uniform(rng, -reach, reach),
                };
                if accept(self, c) {
                    break c;
                }
            };
            let d = placed
                .iter()
                .map(|p| dist(*p, c))
                .fold(f64::INFINITY, f64::min);
            if d > best_d {
                best_d = d;
                best = c;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_sit_inside_and_ghosts_outside() {
        let l = Layout::new(&CityParams::default());
        assert_eq!(l.inner.len(), 175);
        assert!(l
            .inner
            .iter()
            .all(|p| dist(*p, l.centre) < l.outline_radius(*p)));
        assert!(l
            .ghosts
            .iter()
            .all(|p| dist(*p, l.centre) > l.outline_radius(*p)));
        let a = l.anchor(0.0, 0.5);
        assert!(a.x > l.centre.x && (a.y - l.centre.y).abs() < 1e-6);
    }
}
