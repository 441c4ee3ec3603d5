//! Getis-Ord Gi* and Local Moran's I with 999 conditional permutations on the 34,753 England
//! and Wales LSOA11 areas: police.uk all crime of January 2019 (joined to the polygons) per
//! 1,000 mid-2019 residents, queen contiguity found from the polygons. The inputs of
//! `tests/studies/national.toml`. PEERS.md: esda takes 2.43 s (Gi*, numba, 2 threads, plus
//! 22-32 s of compilation per process) and 1.46 s (Local Moran) on 35k areas.
//!
//! Correctness is asserted before timing: the analytic Gi* z and Local Moran I of a sample of
//! areas equal a direct computation from MISSION.md's formulas; islands get no value; every
//! pseudo p-value is `(M + 1) / (R + 1)` with `0 <= M <= R`, so in (0, 1]; and two runs with
//! the same seed give identical results.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use safemap_benches::{
    count_per_area, join, lsoa_population_2019, national_lsoas_with_codes, national_police_points,
};
use safemap_geo::weights::{contiguity_weights, Contiguity, ContiguityParams};
use safemap_geo::AreaIndex;
use safemap_stats::{getis_ord, local_moran, GetisOrdParams, GiVariant, LocalMoranParams};
use safemap_types::weights::Transform;
use safemap_types::Weights;
use std::time::{Duration, Instant};

/// The study's seed (`tests/studies/national.toml`).
const SEED: u64 = 1;
const PERMUTATIONS: usize = 999;

fn gi_star_params() -> GetisOrdParams {
    GetisOrdParams::new(GiVariant::GiStar, SEED)
        .transform(Transform::Binary)
        .permutations(PERMUTATIONS)
}

fn local_moran_params() -> LocalMoranParams {
    LocalMoranParams::new(SEED)
        .transform(Transform::RowStandardised)
        .permutations(PERMUTATIONS)
}

/// All crime per 1,000 residents per area, and the queen weights.
fn inputs() -> (Vec<f64>, Weights) {
    let (codes, polygons) = national_lsoas_with_codes();
    let index = AreaIndex::new(&polygons);
    let counts = count_per_area(&join(&index, &national_police_points()), polygons.len());
    let population = lsoa_population_2019(&codes);
    let values: Vec<f64> = counts
        .iter()
        .zip(&population)
        .map(|(&c, &p)| {
            assert!(p > 0.0, "population must be positive");
            c / p * 1000.0
        })
        .collect();
    let w = contiguity_weights(&polygons, &ContiguityParams::new(Contiguity::Queen))
        .expect("queen weights");
    eprintln!(
        "hotspot inputs: {} areas, {} crimes joined, sum of rates {:.6}, mean {:.4} neighbours, islands {:?}",
        values.len(),
        counts.iter().sum::<f64>(),
        values.iter().sum::<f64>(),
        w.links() as f64 / w.n() as f64,
        w.islands(),
    );
    (values, w)
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-9 * want.abs().max(1.0)
}

/// `p = (M + 1) / (R + 1)` for an integer `0 <= M <= R`.
fn assert_pseudo_p(p: f64) {
    let m = p * (PERMUTATIONS + 1) as f64 - 1.0;
    assert!(
        p > 0.0 && p <= 1.0 && (m - m.round()).abs() < 1e-6,
        "pseudo p {p}"
    );
}

/// Sampled areas (every 997th, plus the highest and lowest value) against MISSION.md's Gi*
/// and Local Moran formulas; p-values and islands for every area.
fn assert_correct(values: &[f64], w: &Weights) {
    let n = values.len();
    let nf = n as f64;
    let islands = w.islands();
    let gi = getis_ord(values, w, gi_star_params()).expect("Gi*");
    let lm = local_moran(values, w, local_moran_params()).expect("Local Moran");
    assert_eq!(gi.islands, islands);
    assert_eq!(lm.islands, islands);
    assert!(gi.undefined.is_empty(), "undefined Gi*: {:?}", gi.undefined);

    let xbar = values.iter().sum::<f64>() / nf;
    let s = (values.iter().map(|x| x * x).sum::<f64>() / nf - xbar * xbar).sqrt();
    let sd = (values.iter().map(|x| (x - xbar).powi(2)).sum::<f64>() / nf).sqrt();
    let z: Vec<f64> = values.iter().map(|x| (x - xbar) / sd).collect();
    let sum_z2: f64 = z.iter().map(|v| v * v).sum();
    let argmax = (0..n).max_by(|&a, &b| values[a].total_cmp(&values[b]));
    let argmin = (0..n).min_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut checked = 0;
    for i in (0..n).step_by(997).chain(argmax).chain(argmin) {
        let nb = w.neighbours(i);
        if nb.is_empty() {
            assert!(gi.sites[i].is_none() && lm.sites[i].is_none(), "island {i}");
            continue;
        }
        // Gi*, binary weights including the area itself: w_ij = w_ij^2 = 1.
        let sum_w = (nb.len() + 1) as f64;
        let lag = values[i] + nb.iter().map(|&j| values[j as usize]).sum::<f64>();
        let want = (lag - xbar * sum_w) / (s * ((nf * sum_w - sum_w * sum_w) / (nf - 1.0)).sqrt());
        let got = gi.sites[i].expect("Gi* site").z;
        assert!(close(got, want), "Gi* z of area {i}: {got} != {want}");
        // Local Moran, row-standardised: I_i = (n - 1) z_i (mean of neighbours' z) / sum z^2.
        let lag_z = nb.iter().map(|&j| z[j as usize]).sum::<f64>() / nb.len() as f64;
        let want = (nf - 1.0) * z[i] * lag_z / sum_z2;
        let got = lm.sites[i].expect("Local Moran site").i;
        assert!(
            close(got, want),
            "Local Moran I of area {i}: {got} != {want}"
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} areas checked");
    for (g, l) in gi
        .sites
        .iter()
        .zip(&lm.sites)
        .filter_map(|(g, l)| (*g).zip(*l))
    {
        assert_pseudo_p(g.p_sim.expect("Gi* pseudo p"));
        assert_pseudo_p(l.p_sim.expect("Local Moran pseudo p"));
    }
    assert_eq!(
        getis_ord(values, w, gi_star_params()).expect("Gi*"),
        gi,
        "Gi* must repeat exactly with the same seed"
    );
    assert_eq!(
        local_moran(values, w, local_moran_params()).expect("Local Moran"),
        lm,
        "Local Moran must repeat exactly with the same seed"
    );
    let significant = |p: Option<f64>| p.is_some_and(|p| p <= 0.05);
    eprintln!(
        "hotspots checked: {checked} areas against the formulas; pseudo p <= 0.05: Gi* {}, Local Moran {} of {n}",
        gi.sites.iter().flatten().filter(|s| significant(s.p_sim)).count(),
        lm.sites.iter().flatten().filter(|s| significant(s.p_sim)).count(),
    );
}

fn bench_hotspots(c: &mut Criterion) {
    let (values, w) = inputs();
    let started = Instant::now();
    assert_correct(&values, &w);
    eprintln!("hotspots correctness checks took {:.1?}", started.elapsed());

    let mut g = c.benchmark_group("hotspots_national_lsoa11");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    g.bench_function("gi_star_binary_999", |b| {
        b.iter(|| getis_ord(&values, &w, gi_star_params()));
    });
    g.bench_function("local_moran_rowstd_999", |b| {
        b.iter(|| local_moran(&values, &w, local_moran_params()));
    });
    g.finish();
}

criterion_group!(benches, bench_hotspots);
criterion_main!(benches);
