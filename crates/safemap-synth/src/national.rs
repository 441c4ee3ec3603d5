//! [`NationalWorkload`]: millions of synthetic events scattered over any real boundary set
//! with population, for benchmarks at national scale and the peer comparison.
//!
//! Unlike the synthetic [`City`](crate::City), whose areas are invented, this takes the
//! polygons it is given (e.g. the 34,753 England and Wales LSOAs) and their residents:
//!
//! - **background** events (a share `1 - hotspot_share`) fall in an area drawn in
//!   proportion to its population, at a uniform point of the area (a triangle of its
//!   ear-cut triangulation drawn in proportion to its area, then a uniform point in it);
//! - **hotspot** events fall around one of `hotspots` planted centres (each the uniform
//!   point of a population-weighted area), with an isotropic normal offset of
//!   `hotspot_sigma` metres, so a few fall in neighbouring areas or outside the study;
//! - every event has a timestamp (a uniform month of `months` from `start`, a uniform day,
//!   an evening-heavy hour), an offence drawn by the background rates of
//!   [`Offence`], and a domestic-abuse flag with the offence's share.
//!
//! Events come in fixed chunks of [`CHUNK`], each drawn from its own ChaCha8 stream keyed
//! by the seed and the chunk's number, so the events are the same for any thread count
//! and a chunk can be made without the ones before it.

use crate::offence::Offence;
use crate::random::{chance, index, keyed_rng, uniform, unit, weighted, Stream};
use geo::TriangulateEarcut;
use geo_types::{Coord, MultiPolygon};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Events per chunk: the unit of parallel work and of the random streams.
pub const CHUNK: usize = 65_536;

/// Relative weight of each hour of the day 00..23 for event times: quiet in the early
/// morning, rising through the day to an evening peak.
const HOUR_WEIGHTS: [f64; 24] = [
    4.0, 3.5, 3.0, 2.0, 1.2, 1.0, 1.2, 2.0, 3.0, 3.5, 3.8, 4.0, 4.3, 4.3, 4.4, 4.8, 5.2, 5.5, 5.8,
    6.0, 6.2, 6.0, 5.5, 4.8,
];

/// The service kinds of the synthetic register, in rotation.
const SERVICE_KINDS: [&str; 4] = ["gp_practice", "youth_service", "family_hub", "idva_service"];

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NationalParams {
    /// Seed of every random draw.
    pub seed: u64,
    /// Number of events.
    pub events: usize,
    /// Number of services.
    pub services: usize,
    /// First month `(year, month)`.
    pub start: (i32, u32),
    /// Number of months the events span.
    pub months: u32,
    /// Number of planted hotspot centres.
    pub hotspots: usize,
    /// Share of events that fall around a hotspot centre.
    pub hotspot_share: f64,
    /// Standard deviation (metres) of an event's offset from its hotspot centre.
    pub hotspot_sigma: f64,
}

impl Default for NationalParams {
    /// Ten million events over the three years 2022-2024, 10,000 services, 60 hotspots
    /// taking 10% of the events with a 300 m spread.
    fn default() -> Self {
        Self {
            seed: 1,
            events: 10_000_000,
            services: 10_000,
            start: (2022, 1),
            months: 36,
            hotspots: 60,
            hotspot_share: 0.10,
            hotspot_sigma: 300.0,
        }
    }
}

/// One synthetic event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NationalEvent {
    /// Position in the workload (0-based): the incident id.
    pub number: u64,
    /// Easting and northing (same CRS as the polygons given).
    pub point: Coord<f64>,
    /// Year, month (1-12), day (1-28/31), hour, minute.
    pub time: (i32, u32, u32, u32, u32),
    /// The offence.
    pub offence: Offence,
    /// Flagged as domestic abuse.
    pub domestic_abuse: bool,
    /// The hotspot it was planted around, if any.
    pub hotspot: Option<u32>,
}

/// One synthetic service.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalService {
    /// Unique name.
    pub name: String,
    /// Kind (`gp_practice`, `youth_service`, `family_hub` or `idva_service`).
    pub kind: &'static str,
    /// Location (same CRS as the polygons given).
    pub point: Coord<f64>,
}

/// A planted hotspot: its centre and the area the centre was drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hotspot {
    /// Index of the area (in the order given) holding the centre.
    pub area: usize,
    /// The centre.
    pub x: f64,
    /// The centre.
    pub y: f64,
}

/// Areas prepared for drawing points, and the planted hotspots.
#[derive(Debug, Clone)]
pub struct NationalWorkload {
    params: NationalParams,
    /// Cumulative population over the areas drawn from (those with population and area).
    area_cumulative: Vec<f64>,
    /// The area index of each entry of `area_cumulative`.
    area_of: Vec<usize>,
    /// `triangles[tri_start[k]..tri_start[k + 1]]`: the triangles of drawable area `k`.
    tri_start: Vec<usize>,
    triangles: Vec<[Coord<f64>; 3]>,
    /// Cumulative triangle area within each drawable area (same indices as `triangles`).
    tri_cumulative: Vec<f64>,
    hotspots: Vec<Hotspot>,
}

impl NationalWorkload {
    /// Prepares `areas` (polygon and residents, in a projected CRS in metres).
    ///
    /// Areas with no residents or no area get no background events.
    ///
    /// # Panics
    ///
    /// If no area has both residents and a positive area.
    pub fn new(areas: &[(&MultiPolygon<f64>, f64)], params: NationalParams) -> Self {
        let mut w = Self {
            params,
            area_cumulative: Vec::new(),
            area_of: Vec::new(),
            tri_start: vec![0],
            triangles: Vec::new(),
            tri_cumulative: Vec::new(),
            hotspots: Vec::new(),
        };
        let mut total = 0.0;
        for (i, (mp, population)) in areas.iter().enumerate() {
            if !(population.is_finite() && *population > 0.0) {
                continue;
            }
            let before = w.triangles.len();
            let mut acc = 0.0;
            for tri in
                mp.0.iter()
                    .flat_map(TriangulateEarcut::earcut_triangles_iter)
            {
                let [a, b, c] = tri.to_array();
                let twice = ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs();
                if twice > 0.0 && twice.is_finite() {
                    acc += twice;
                    w.triangles.push([a, b, c]);
                    w.tri_cumulative.push(acc);
                }
            }
            if w.triangles.len() == before {
                continue;
            }
            w.tri_start.push(w.triangles.len());
            total += population;
            w.area_cumulative.push(total);
            w.area_of.push(i);
        }
        assert!(
            !w.area_of.is_empty(),
            "no area has both residents and a positive area"
        );
        let mut rng = keyed_rng(params.seed, Stream::Police, u64::MAX);
        w.hotspots = (0..params.hotspots)
            .map(|_| {
                let k = w.draw_area(&mut rng);
                let p = w.draw_point(&mut rng, k);
                Hotspot {
                    area: w.area_of[k],
                    x: p.x,
                    y: p.y,
                }
            })
            .collect();
        w
    }

    /// The parameters.
    pub fn params(&self) -> &NationalParams {
        &self.params
    }

    /// The planted hotspots.
    pub fn hotspots(&self) -> &[Hotspot] {
        &self.hotspots
    }

    /// Number of chunks of [`CHUNK`] events.
    pub fn chunks(&self) -> usize {
        self.params.events.div_ceil(CHUNK)
    }

    /// The events of chunk `c` (`c < self.chunks()`), in order.
    pub fn chunk(&self, c: usize) -> Vec<NationalEvent> {
        let first = c * CHUNK;
        let end = (first + CHUNK).min(self.params.events);
        let mut rng = keyed_rng(self.params.seed, Stream::Police, c as u64);
        let offence_weights: Vec<f64> = Offence::ALL.iter().map(|o| o.base_rate()).collect();
        (first..end)
            .map(|number| {
                let (point, hotspot) =
                    if !self.hotspots.is_empty() && chance(&mut rng, self.params.hotspot_share) {
                        let h = index(&mut rng, self.hotspots.len());
                        let (dx, dy) = normal_pair(&mut rng);
                        let centre = self.hotspots[h];
                        let sigma = self.params.hotspot_sigma;
                        (
                            Coord {
                                x: centre.x + sigma * dx,
                                y: centre.y + sigma * dy,
                            },
                            Some(h as u32),
                        )
                    } else {
                        let k = self.draw_area(&mut rng);
                        (self.draw_point(&mut rng, k), None)
                    };
                let offence = Offence::ALL[weighted(&mut rng, &offence_weights)];
                NationalEvent {
                    number: number as u64,
                    point,
                    time: self.draw_time(&mut rng),
                    offence,
                    domestic_abuse: chance(&mut rng, offence.domestic_share()),
                    hotspot,
                }
            })
            .collect()
    }

    /// The services: each at a uniform point of a population-weighted area.
    pub fn services(&self) -> Vec<NationalService> {
        let mut rng = keyed_rng(self.params.seed, Stream::Services, u64::MAX);
        (0..self.params.services)
            .map(|i| {
                let k = self.draw_area(&mut rng);
                NationalService {
                    name: format!("Service {:05}", i + 1),
                    kind: SERVICE_KINDS[i % SERVICE_KINDS.len()],
                    point: self.draw_point(&mut rng, k),
                }
            })
            .collect()
    }

    /// A drawable area (index into `area_of`) in proportion to its population.
    fn draw_area(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = *self.area_cumulative.last().unwrap_or(&0.0);
        let u = unit(rng) * total;
        self.area_cumulative
            .partition_point(|&c| c <= u)
            .min(self.area_of.len() - 1)
    }

    /// A uniform point of drawable area `k`.
    fn draw_point(&self, rng: &mut ChaCha8Rng, k: usize) -> Coord<f64> {
        let (lo, hi) = (self.tri_start[k], self.tri_start[k + 1]);
        let cumulative = &self.tri_cumulative[lo..hi];
        let u = unit(rng) * cumulative[cumulative.len() - 1];
        let t = cumulative
            .partition_point(|&c| c <= u)
            .min(cumulative.len() - 1);
        let [a, b, c] = self.triangles[lo + t];
        let (mut r, mut s) = (unit(rng), unit(rng));
        if r + s > 1.0 {
            (r, s) = (1.0 - r, 1.0 - s);
        }
        Coord {
            x: a.x + r * (b.x - a.x) + s * (c.x - a.x),
            y: a.y + r * (b.y - a.y) + s * (c.y - a.y),
        }
    }

    /// A timestamp: uniform month and day, hour by [`HOUR_WEIGHTS`], uniform minute.
    fn draw_time(&self, rng: &mut ChaCha8Rng) -> (i32, u32, u32, u32, u32) {
        let (y0, m0) = self.params.start;
        let offset = index(rng, self.params.months.max(1) as usize) as u32 + (m0 - 1);
        let year = y0 + (offset / 12) as i32;
        let month = offset % 12 + 1;
        let day = index(rng, days_in_month(year, month) as usize) as u32 + 1;
        let hour = weighted(rng, &HOUR_WEIGHTS) as u32;
        let minute = index(rng, 60) as u32;
        (year, month, day, hour, minute)
    }
}

/// Two independent standard normal draws (Box-Muller with pure-Rust `libm`, so the same
/// bits on every platform).
fn normal_pair(rng: &mut ChaCha8Rng) -> (f64, f64) {
    let u = uniform(rng, f64::MIN_POSITIVE, 1.0);
    let v = unit(rng);
    let r = libm::sqrt(-2.0 * libm::log(u));
    let theta = 2.0 * std::f64::consts::PI * v;
    (r * libm::cos(theta), r * libm::sin(theta))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Intersects};
    use geo_types::{polygon, Point};

    fn squares() -> Vec<MultiPolygon<f64>> {
        // Two squares side by side, the second with a square hole, and an L shape.
        let a = polygon![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0), (x: 1000.0, y: 1000.0), (x: 0.0, y: 1000.0)];
        let b = polygon!(
            exterior: [(x: 1000.0, y: 0.0), (x: 2000.0, y: 0.0), (x: 2000.0, y: 1000.0), (x: 1000.0, y: 1000.0)],
            interiors: [[(x: 1400.0, y: 400.0), (x: 1600.0, y: 400.0), (x: 1600.0, y: 600.0), (x: 1400.0, y: 600.0)]],
        );
        let c = polygon![(x: 0.0, y: 1000.0), (x: 2000.0, y: 1000.0), (x: 2000.0, y: 1200.0), (x: 200.0, y: 1200.0), (x: 200.0, y: 2000.0), (x: 0.0, y: 2000.0)];
        vec![a.into(), b.into(), c.into()]
    }

    fn workload(events: usize, hotspot_share: f64) -> NationalWorkload {
        let polys = squares();
        let areas: Vec<_> = polys.iter().zip([100.0, 300.0, 0.0]).collect();
        let areas: Vec<(&MultiPolygon<f64>, f64)> = areas.into_iter().collect();
        NationalWorkload::new(
            &areas,
            NationalParams {
                events,
                services: 50,
                hotspots: 3,
                hotspot_share,
                ..NationalParams::default()
            },
        )
    }

    #[test]
    fn background_points_lie_in_areas_in_proportion_to_population() {
        let w = workload(3 * CHUNK + 17, 0.0);
        let polys = squares();
        let events: Vec<NationalEvent> = (0..w.chunks()).flat_map(|c| w.chunk(c)).collect();
        assert_eq!(events.len(), 3 * CHUNK + 17);
        let mut counts = [0usize; 3];
        for e in &events {
            let p = Point::from(e.point);
            let area = polys.iter().position(|mp| mp.intersects(&p)).unwrap();
            counts[area] += 1;
            // Never in the hole of the second square.
            assert!(!(1400.0 < p.x() && p.x() < 1600.0 && 400.0 < p.y() && p.y() < 600.0));
        }
        // No residents in the L shape: no events; the rest 1:3 within sampling error.
        assert_eq!(counts[2], 0);
        let share = counts[1] as f64 / events.len() as f64;
        assert!((share - 0.75).abs() < 0.01, "share {share}");
        assert!(events.iter().enumerate().all(|(i, e)| e.number == i as u64));
    }

    #[test]
    fn chunks_are_reproducible_and_independent() {
        let w = workload(2 * CHUNK, 0.2);
        assert_eq!(w.chunk(1), workload(2 * CHUNK, 0.2).chunk(1));
        assert_ne!(w.chunk(0)[0].point, w.chunk(1)[0].point);
        let planted = w.chunk(0).iter().filter(|e| e.hotspot.is_some()).count();
        let share = planted as f64 / CHUNK as f64;
        assert!((share - 0.2).abs() < 0.01, "share {share}");
    }

    #[test]
    fn times_stay_in_the_span_and_services_in_the_areas() {
        let w = workload(CHUNK, 0.1);
        for e in w.chunk(0) {
            let (y, m, d, h, min) = e.time;
            let months = (y - 2022) * 12 + m as i32 - 1;
            assert!((0..36).contains(&months));
            assert!(d >= 1 && d <= days_in_month(y, m) && h < 24 && min < 60);
        }
        let polys = squares();
        let services = w.services();
        assert_eq!(services.len(), 50);
        assert!(services.iter().all(|s| polys[..2]
            .iter()
            .any(|mp| mp.contains(&Point::from(s.point)) || mp.intersects(&Point::from(s.point)))));
    }
}
