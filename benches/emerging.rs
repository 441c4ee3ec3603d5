//! Emerging hot spot analysis on the 34,753 England and Wales LSOA11 areas with 36 monthly
//! slices and 999 permutations per slice: space-time Gi* (queen neighbours and the previous
//! month) with pseudo p-values, FDR per slice, Mann-Kendall of each area's z series and the
//! 17 classes. Target (issue 13): under 15 s on two cores.
//!
//! The events are synthetic: each area's count in each month is a Poisson draw with mean
//! 0.8 events per 100 residents a year (mid-2019 population), which is what scattering
//! that many events uniformly over the area and counting them gives; the 40 areas nearest
//! one area (by queen steps) carry an excess rising from 2x to 6x over the three years, so
//! the benchmark first asserts they are classed intensifying hot spots.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use safemap_benches::{lsoa_population_2019, national_lsoas_with_codes};
use safemap_geo::weights::{contiguity_weights, Contiguity, ContiguityParams};
use safemap_stats::emerging::{emerging_hot_spots, EmergingClass, Pattern, Side, Significance};
use safemap_stats::{space_time_gi_star, Correction, PermutationTest};
use safemap_types::Weights;
use std::time::{Duration, Instant};

const MONTHS: usize = 36;
const PERMUTATIONS: usize = 999;

/// A Poisson draw (Knuth's method: the means here are small).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    let limit = (-mean).exp();
    let (mut k, mut p) = (0.0, 1.0);
    loop {
        p *= rng.random::<f64>();
        if p <= limit {
            return k;
        }
        k += 1.0;
    }
}

/// The cube (slice-major), the weights and the planted areas.
fn inputs() -> (Vec<f64>, Weights, Vec<usize>) {
    let (codes, polygons) = national_lsoas_with_codes();
    let population = lsoa_population_2019(&codes);
    let w = contiguity_weights(&polygons, &ContiguityParams::new(Contiguity::Queen))
        .expect("queen weights");
    let n = w.n();
    // The planted cluster: breadth-first from area 20,000 until 40 areas.
    let mut planted = vec![20_000_usize];
    let mut at = 0;
    while planted.len() < 40 && at < planted.len() {
        for &j in w.neighbours(planted[at]) {
            if planted.len() < 40 && !planted.contains(&(j as usize)) {
                planted.push(j as usize);
            }
        }
        at += 1;
    }
    let mut in_cluster = vec![false; n];
    for &i in &planted {
        in_cluster[i] = true;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut cube = vec![0.0; n * MONTHS];
    for t in 0..MONTHS {
        let rise = 2.0 + 4.0 * t as f64 / (MONTHS - 1) as f64;
        for i in 0..n {
            let mean = population[i] * 0.008 / 12.0;
            let mean = if in_cluster[i] { mean * rise } else { mean };
            cube[t * n + i] = poisson(&mut rng, mean);
        }
    }
    eprintln!(
        "emerging inputs: {n} areas x {MONTHS} months, {} events, {} planted areas",
        cube.iter().sum::<f64>(),
        planted.len()
    );
    (cube, w, planted)
}

fn run(cube: &[f64], w: &Weights) -> Vec<safemap_stats::emerging::EmergingLocation> {
    let test = PermutationTest::new(1).permutations(PERMUTATIONS);
    let st = space_time_gi_star(cube, MONTHS, w, 1, test).expect("space-time Gi*");
    assert!(st.p_sim.iter().flatten().count() > st.n_areas * (MONTHS - 1));
    emerging_hot_spots(
        &st,
        Significance::Normal,
        0.05,
        Correction::BenjaminiHochberg,
        0.05,
    )
    .expect("classes")
}

fn bench_emerging(c: &mut Criterion) {
    let (cube, w, planted) = inputs();
    let started = Instant::now();
    let areas = run(&cube, &w);
    eprintln!("emerging: one run {:.2?}", started.elapsed());
    let intensifying = EmergingClass::Spot(Side::Hot, Pattern::Intensifying);
    let found = planted
        .iter()
        .filter(|&&i| areas[i].class == intensifying)
        .count();
    assert!(
        found * 4 >= planted.len() * 3,
        "{found} of {} planted areas intensifying",
        planted.len()
    );
    let elsewhere = (0..areas.len())
        .filter(|i| !planted.contains(i) && areas[*i].class == intensifying)
        .count();
    assert!(
        elsewhere * 100 <= areas.len(),
        "{elsewhere} other areas intensifying"
    );
    let mut g = c.benchmark_group("emerging");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    g.bench_function("national_36_months_999_permutations", |b| {
        b.iter(|| run(&cube, &w))
    });
    g.finish();
}

criterion_group!(benches, bench_emerging);
criterion_main!(benches);
