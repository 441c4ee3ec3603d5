//! Enhanced 2SFCA (Luo & Qi weights 1 / 0.68 / 0.22 up to 1 / 2 / 3 km, capacity 1) of the
//! 34,753 England and Wales LSOA11 areas against 10,000 services, on the inputs of
//! [`safemap_benches::access_inputs`] (LSOA centroids in British National Grid with their
//! mid-2019 population; 10,000 seeded services at jittered LSOA centroids). Timed twice: from
//! the points (the R-tree query for pairs within 3 km and the catchments) and from the cost
//! structure already built. `benches/peers/run.sh` compares the same computation (on the
//! synthetic workload's services) with PySAL `access` and a scipy cKDTree version.
//!
//! Correctness is asserted before timing: the pairs within 3 km are exactly those of a
//! brute-force scan of all 347.5 million (area, service) pairs; a sample of areas (every
//! 997th and the one of highest access) equals a naive computation of the formula over every
//! area and service to 1e-12; population-weighted access sums to the number of services
//! with any weighted demand; two runs are identical.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use geo_types::Coord;
use rayon::prelude::*;
use safemap_access::CostMatrix;
use safemap_benches::access_inputs::{
    decay, e2sfca, e2sfca_from_points, national_access_inputs, CUTOFF, SERVICES,
};
use std::time::{Duration, Instant};

fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).sqrt()
}

fn assert_correct(areas: &[Coord<f64>], population: &[f64], services: &[Coord<f64>]) {
    let costs = CostMatrix::straight_line(areas, services, CUTOFF).expect("costs");
    let brute: usize = areas
        .par_iter()
        .map(|&a| {
            services
                .iter()
                .filter(|&&s| distance(a, s) <= CUTOFF)
                .count()
        })
        .sum();
    assert_eq!(costs.pairs(), brute, "pairs within 3 km");
    let result = e2sfca(&costs, population);
    let weight = |d: f64| decay().weight(d);
    // The demand in a service's catchment, over every area.
    let catchment = |s: Coord<f64>| -> f64 {
        areas
            .iter()
            .zip(population)
            .map(|(&a, &p)| weight(distance(a, s)) * p)
            .sum()
    };
    let highest = (0..areas.len()).max_by(|&a, &b| result.access[a].total_cmp(&result.access[b]));
    let mut checked = 0;
    for i in (0..areas.len()).step_by(997).chain(highest) {
        let want: f64 = services
            .iter()
            .filter_map(|&s| {
                let w = weight(distance(areas[i], s));
                if w == 0.0 {
                    return None;
                }
                let d = catchment(s);
                (d > 0.0).then(|| w / d)
            })
            .sum();
        let got = result.access[i];
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
            "area {i}: {got} != naive {want}"
        );
        checked += 1;
    }
    let served = result.ratio.iter().flatten().count() as f64;
    let weighted: f64 = population
        .iter()
        .zip(&result.access)
        .map(|(p, a)| p * a)
        .sum();
    assert!(
        (weighted - served).abs() <= 1e-9 * served,
        "sum P A = {weighted}, services with demand {served}"
    );
    assert_eq!(e2sfca(&costs, population), result, "two runs differ");
    let none = (0..areas.len())
        .filter(|&i| costs.supplies_of(i).is_empty())
        .count();
    eprintln!(
        "access checked: {checked} areas against the naive formula; {} pairs within 3 km ({:.2} services per area), {none} areas with none, {served} of {SERVICES} services with demand",
        costs.pairs(),
        costs.pairs() as f64 / areas.len() as f64,
    );
}

fn bench_access(c: &mut Criterion) {
    let inputs = national_access_inputs();
    let (areas, population, services) = (&inputs.areas, &inputs.population, &inputs.services);
    let started = Instant::now();
    assert_correct(areas, population, services);
    eprintln!("access correctness checks took {:.1?}", started.elapsed());
    let costs = CostMatrix::straight_line(areas, services, CUTOFF).expect("costs");

    let mut g = c.benchmark_group("access_national_lsoa11");
    g.sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    g.bench_function("e2sfca_3km_10k_services_from_points", |b| {
        b.iter(|| e2sfca_from_points(&inputs));
    });
    g.bench_function("e2sfca_3km_10k_services_given_costs", |b| {
        b.iter(|| e2sfca(&costs, population));
    });
    g.finish();
}

criterion_group!(benches, bench_access);
criterion_main!(benches);
