//! The inputs and parameters of the national E2SFCA benchmark (`benches/access.rs`); the
//! catchment and weights are shared with the peer comparison's `peer_tasks e2sfca`.
//!
//! Demand: the 34,753 England and Wales LSOA11 polygons' centroids in British National Grid
//! with their mid-2019 population. Supply: 10,000 services at distinct LSOA centroids drawn
//! with a seeded ChaCha8 generator, each moved by a seeded uniform offset of up to 500 m in x
//! and y (so services follow where people live, as GP practices do).

use crate::{lsoa_population_2019, national_lsoas_with_codes};
use geo::Centroid;
use geo_types::Coord;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use safemap_access::{floating_catchment, CostMatrix, Decay, FcaParams, FloatingCatchment};

/// Number of services.
pub const SERVICES: usize = 10_000;
/// Seed of the services' draw.
pub const SEED: u64 = 12;
/// The catchment: straight-line metres.
pub const CUTOFF: f64 = 3000.0;
/// Largest offset of a service from the centroid it is drawn at, in x and in y (m).
pub const JITTER: f64 = 500.0;

/// Luo & Qi's weights 1 / 0.68 / 0.22 up to 1 / 2 / 3 km.
pub fn decay() -> Decay {
    Decay::luo_qi(1000.0)
}

/// The benchmark's demand and supply points.
pub struct AccessInputs {
    /// `LSOA11CD` of each area, in the boundary file's order.
    pub codes: Vec<String>,
    /// Each area's polygon centroid (BNG metres).
    pub areas: Vec<Coord<f64>>,
    /// Each area's mid-2019 population.
    pub population: Vec<f64>,
    /// The seeded services (BNG metres).
    pub services: Vec<Coord<f64>>,
}

/// Reads the national LSOAs and population from `../shared/data` and draws the services.
pub fn national_access_inputs() -> AccessInputs {
    let (codes, polygons) = national_lsoas_with_codes();
    let areas: Vec<Coord<f64>> = polygons
        .par_iter()
        .map(|p| p.centroid().expect("an LSOA has area").0)
        .collect();
    let population = lsoa_population_2019(&codes);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut order: Vec<usize> = (0..areas.len()).collect();
    // Partial Fisher-Yates: the first SERVICES entries are a uniform draw without repeats.
    for k in 0..SERVICES {
        let pick = rng.random_range(k..order.len());
        order.swap(k, pick);
    }
    let services = order[..SERVICES]
        .iter()
        .map(|&a| Coord {
            x: areas[a].x + rng.random_range(-JITTER..JITTER),
            y: areas[a].y + rng.random_range(-JITTER..JITTER),
        })
        .collect();
    AccessInputs {
        codes,
        areas,
        population,
        services,
    }
}

/// Two-step E2SFCA (capacity 1 per service) of `population` over `costs`.
pub fn e2sfca(costs: &CostMatrix, population: &[f64]) -> FloatingCatchment {
    floating_catchment(costs, population, None, &FcaParams::new(decay())).expect("E2SFCA")
}

/// The straight-line pairs within [`CUTOFF`] and the E2SFCA over them: what the bench times
/// as `e2sfca_3km_10k_services_from_points`.
pub fn e2sfca_from_points(inputs: &AccessInputs) -> FloatingCatchment {
    let costs = CostMatrix::straight_line(&inputs.areas, &inputs.services, CUTOFF).expect("costs");
    e2sfca(&costs, &inputs.population)
}
