//! Property tests of the hotspot statistics and the multiple-testing cut-offs (issue 16), on
//! random values and random (symmetric, possibly disconnected) neighbour graphs:
//!
//! - every pseudo p-value is `(M + 1) / (R + 1)` for a whole `M` in `0..=R`, so in (0, 1];
//!   analytic p-values are in [0, 1]; islands get no value;
//! - results are identical on 1 thread and on 3;
//! - the Benjamini-Hochberg cut-off is the step-up rule's, lies between Bonferroni's and
//!   `alpha`, and never falls when `alpha` rises or a p-value falls.

use proptest::prelude::*;
use safemap_stats::{
    bonferroni_cutoff, fdr_cutoff, getis_ord, global_moran, local_moran, GetisOrdParams, GiVariant,
    LocalMoranParams, MoranParams,
};
use safemap_types::{Transform, Weights};

/// Values (non-negative, not all equal) and a symmetric neighbour graph on as many areas.
fn study() -> impl Strategy<Value = (Vec<f64>, Weights)> {
    (3usize..60).prop_flat_map(|n| {
        let values = prop_oneof![
            proptest::collection::vec((0u32..20).prop_map(f64::from), n),
            proptest::collection::vec(0.0..1000.0f64, n),
        ];
        let edges = proptest::collection::vec((0..n, 0..n), 0..4 * n);
        (values, edges).prop_map(move |(mut y, edges)| {
            // Not all equal and a positive total, as the statistics need.
            y[0] += 1.0;
            let mut lists = vec![Vec::new(); n];
            for (a, b) in edges.into_iter().filter(|(a, b)| a != b) {
                lists[a].push(b as u32);
                lists[b].push(a as u32);
            }
            for l in &mut lists {
                l.sort_unstable();
                l.dedup();
            }
            let w = Weights::from_neighbour_lists(&lists).expect("symmetric lists");
            (y, w)
        })
    })
}

/// `p` is `(M + 1) / (R + 1)` for a whole `M` in `0..=R`.
fn is_pseudo_p(p: f64, r: usize) -> bool {
    let m_plus_1 = p * (r + 1) as f64;
    p > 0.0 && p <= 1.0 && (m_plus_1 - m_plus_1.round()).abs() < 1e-9 && m_plus_1.round() >= 1.0
}

fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn pseudo_p_values_are_m_plus_1_over_r_plus_1(
        (y, w) in study(),
        r in prop_oneof![Just(0usize), Just(9), Just(99), 1usize..300],
        seed in any::<u64>(),
    ) {
        let islands = w.islands();
        for variant in [GiVariant::Gi, GiVariant::GiStar] {
            for transform in [Transform::Binary, Transform::RowStandardised] {
                let params = GetisOrdParams::new(variant, seed).transform(transform).permutations(r);
                let g = getis_ord(&y, &w, params).expect("valid input");
                prop_assert_eq!(&g.islands, &islands);
                for (i, site) in g.sites.iter().enumerate() {
                    let Some(s) = site else {
                        prop_assert!(islands.contains(&i) || g.undefined.contains(&i));
                        continue;
                    };
                    prop_assert!((0.0..=1.0).contains(&s.p_norm), "p_norm {}", s.p_norm);
                    prop_assert_eq!(s.p_sim.is_some(), r > 0);
                    if let Some(p) = s.p_sim {
                        prop_assert!(is_pseudo_p(p, r), "{:?} p_sim {} with R = {}", variant, p, r);
                    }
                }
            }
        }
        let lm = local_moran(&y, &w, LocalMoranParams::new(seed).permutations(r)).expect("valid input");
        for (i, site) in lm.sites.iter().enumerate() {
            prop_assert_eq!(site.is_none(), islands.contains(&i));
            if let Some(p) = site.and_then(|s| s.p_sim) {
                prop_assert!(is_pseudo_p(p, r), "local Moran p_sim {} with R = {}", p, r);
            }
        }
        // Global Moran needs 4 areas and one with neighbours.
        if y.len() >= 4 && islands.len() < y.len() {
            let m = global_moran(&y, &w, MoranParams::new(seed).permutations(r)).expect("valid input");
            prop_assert_eq!(m.p_sim.is_some(), r > 0);
            if let Some(p) = m.p_sim {
                prop_assert!(is_pseudo_p(p, r), "global Moran p_sim {} with R = {}", p, r);
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count(
        (y, w) in study(),
        r in 1usize..200,
        seed in any::<u64>(),
    ) {
        let run = || {
            let gi = getis_ord(&y, &w, GetisOrdParams::new(GiVariant::GiStar, seed).permutations(r));
            let lm = local_moran(&y, &w, LocalMoranParams::new(seed).permutations(r));
            (gi.expect("valid input"), lm.expect("valid input"))
        };
        prop_assert_eq!(on_threads(1, run), on_threads(3, run));
    }

    #[test]
    fn fdr_cutoffs_are_the_step_up_rule_and_monotone(
        p in proptest::collection::vec(prop_oneof![(1u32..=1000).prop_map(|k| f64::from(k) / 1000.0), 0.0..=1.0f64], 0..200),
        alphas in (0.001..0.999f64, 0.001..0.999f64),
        lower in (any::<prop::sample::Index>(), 0.0..=1.0f64),
    ) {
        let (a1, a2) = if alphas.0 <= alphas.1 { alphas } else { (alphas.1, alphas.0) };
        let bh = fdr_cutoff(&p, a1).unwrap();
        let m = p.len();
        // The step-up rule by counting: the largest k with p_(k) <= k alpha / m.
        let mut sorted = p.clone();
        sorted.sort_by(f64::total_cmp);
        let k = (1..=m).rev().find(|&k| sorted[k - 1] <= k as f64 * a1 / m as f64);
        match k {
            Some(k) => prop_assert_eq!(bh, k as f64 * a1 / m as f64),
            None if m > 0 => prop_assert_eq!(bh, a1 / m as f64),
            None => prop_assert_eq!(bh, a1),
        }
        prop_assert!(bonferroni_cutoff(&p, a1).unwrap() <= bh && bh <= a1);
        prop_assert!(bh <= fdr_cutoff(&p, a2).unwrap(), "cut-off fell as alpha rose");
        if m > 0 {
            let mut smaller = p.clone();
            let i = lower.0.index(m);
            smaller[i] *= lower.1;
            prop_assert!(bh <= fdr_cutoff(&smaller, a1).unwrap(), "cut-off fell as a p-value fell");
        }
    }
}
