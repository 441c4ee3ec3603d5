//! Timing of the conditional permutation at national scale: a 187 x 187 queen lattice
//! (34,969 areas, about as many as the 34,753 LSOAs of England and Wales) with 999
//! permutations, on 1 and 2 threads. Ignored by default; run with
//! `cargo test -p safemap-stats --release --test timing -- --ignored --nocapture`.
//! (The criterion benchmarks and the esda comparison live in benches/.)

mod common;

use std::time::{Duration, Instant};

use common::{queen_lattice, synthetic_counts};
use safemap_stats::{
    getis_ord, local_moran, GetisOrdParams, GiVariant, LocalMoranParams, Sampling,
};

/// CPU time of this process (user + system, all threads) on Linux, to see through a busy
/// machine; zero elsewhere.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = fields
        .get(11..13)
        .map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum());
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

#[test]
#[ignore = "timing only; run in release"]
fn national_scale_permutations() {
    let side = 187;
    let w = queen_lattice(side);
    let y = synthetic_counts(side, 1);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            for (round, sampling) in [Sampling::Shared, Sampling::Shared, Sampling::PerSite]
                .into_iter()
                .enumerate()
            {
                let (t, c) = (Instant::now(), cpu_time());
                let params = GetisOrdParams::new(GiVariant::GiStar, 1).sampling(sampling);
                let g = getis_ord(&y, &w, params).unwrap();
                let (gi_star, gi_cpu) = (t.elapsed(), cpu_time().saturating_sub(c));
                let (t, c) = (Instant::now(), cpu_time());
                let l = local_moran(&y, &w, LocalMoranParams::new(1).sampling(sampling)).unwrap();
                let (lisa, lisa_cpu) = (t.elapsed(), cpu_time().saturating_sub(c));
                assert!(g.sites.iter().all(|s| s.is_some_and(|s| s.p_sim.is_some())));
                assert!(l.sites.iter().all(|s| s.is_some_and(|s| s.p_sim.is_some())));
                eprintln!(
                    "{} areas, 999 permutations, {threads} thread(s), {} sampling, round {round}: \
                     Gi* {gi_star:.3?} (cpu {gi_cpu:.2?}), Local Moran {lisa:.3?} (cpu {lisa_cpu:.2?})",
                    w.n(),
                    sampling.as_str()
                );
            }
        });
    }
}
