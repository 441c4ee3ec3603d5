//! Islands never break a statistic, and results do not depend on the number of threads.

mod common;

use common::{data, gal, queen_lattice, synthetic_counts, Table};
use safemap_stats::{
    cluster_classes, empirical_bayes, getis_ord, global_moran, hotspot_classes, local_moran,
    Correction, EbParams, GetisOrd, GetisOrdParams, GiVariant, LocalMoran, LocalMoranParams,
    MoranParams, Prior, Sampling,
};
use safemap_types::{Transform, Weights};

/// Columbus queen weights with two islands appended (areas 49 and 50).
fn with_islands() -> (Vec<f64>, Weights) {
    let w = gal(&data("reference/columbus_crime_queen_weights.gal"), None);
    let mut lists: Vec<Vec<u32>> = (0..w.n()).map(|i| w.neighbours(i).to_vec()).collect();
    lists.push(Vec::new());
    lists.push(Vec::new());
    let mut y = Table::read(&data("reference/columbus_crime_queen_local.csv")).numbers("CRIME");
    y.extend([70.0, 1.0]);
    (y, Weights::from_neighbour_lists(&lists).expect("weights"))
}

fn finite(v: f64) -> bool {
    v.is_finite()
}

#[test]
fn islands_are_reported_not_fatal() {
    let (y, w) = with_islands();
    assert_eq!(w.islands(), vec![49, 50]);

    let m = global_moran(&y, &w, MoranParams::new(1).permutations(99)).unwrap();
    assert_eq!(m.islands, vec![49, 50]);
    assert!(finite(m.i) && finite(m.normality.z) && finite(m.randomisation.p));
    assert!(m.p_sim.is_some_and(finite));

    let lm = local_moran(&y, &w, LocalMoranParams::new(2).permutations(99)).unwrap();
    assert_eq!(lm.islands, vec![49, 50]);
    assert_eq!((lm.sites[49], lm.sites[50]), (None, None));
    for s in lm.sites.iter().flatten() {
        assert!(finite(s.i) && s.p_sim.is_some_and(finite));
    }
    let quadrants: Vec<_> = lm.sites.iter().map(|s| s.map(|s| s.quadrant)).collect();
    let p: Vec<_> = lm.sites.iter().map(|s| s.and_then(|s| s.p_sim)).collect();
    let classes = cluster_classes(&quadrants, &p, Correction::BenjaminiHochberg).unwrap();
    assert_eq!((classes.adjusted[49], classes.tested), (None, 49));

    for variant in [GiVariant::Gi, GiVariant::GiStar] {
        for transform in [Transform::Binary, Transform::RowStandardised] {
            let params = GetisOrdParams::new(variant, 3)
                .transform(transform)
                .permutations(99);
            let g = getis_ord(&y, &w, params).unwrap();
            assert_eq!(
                (g.islands.clone(), g.undefined.clone()),
                (vec![49, 50], vec![])
            );
            assert_eq!((g.sites[49], g.sites[50]), (None, None));
            for s in g.sites.iter().flatten() {
                assert!(finite(s.g) && finite(s.z) && finite(s.p_norm));
                assert!(s.p_sim.is_some_and(finite));
            }
            let z: Vec<_> = g.sites.iter().map(|s| s.map(|s| s.z)).collect();
            let p: Vec<_> = g.sites.iter().map(|s| s.map(|s| s.p_norm)).collect();
            let c = hotspot_classes(&z, &p, Correction::Bonferroni).unwrap();
            assert_eq!((c.raw[50], c.tested), (None, 49));
        }
    }

    let population = vec![1000.0; y.len()];
    let eb = empirical_bayes(&y, &population, Prior::Spatial(&w), EbParams::new()).unwrap();
    assert!(eb.rates.iter().all(|r| r.is_some_and(finite)));
    assert!(eb.negative_prior_variance.contains(&49));
}

#[test]
fn a_site_at_the_mean_is_never_significant() {
    // z = 0 at area 1: I_1 = 0 in every permutation, all ties, p = 1 (esda: 1 / (R + 1)).
    let w = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1, 3], vec![2]]).unwrap();
    let lm = local_moran(
        &[1.0, 2.0, 0.0, 5.0],
        &w,
        LocalMoranParams::new(4).permutations(99),
    )
    .unwrap();
    assert_eq!(lm.sites[1].unwrap().p_sim, Some(1.0));
}

type Run = (LocalMoran, GetisOrd, GetisOrd, Option<f64>);

fn run_all(y: &[f64], w: &Weights, sampling: Sampling) -> Run {
    let lm = local_moran(
        y,
        w,
        LocalMoranParams::new(42)
            .permutations(199)
            .sampling(sampling),
    )
    .expect("statistic");
    let gs = getis_ord(
        y,
        w,
        GetisOrdParams::new(GiVariant::GiStar, 42)
            .permutations(199)
            .sampling(sampling),
    )
    .expect("statistic");
    let gr = getis_ord(
        y,
        w,
        GetisOrdParams::new(GiVariant::Gi, 43)
            .transform(Transform::RowStandardised)
            .permutations(199)
            .sampling(sampling),
    )
    .expect("statistic");
    let m = global_moran(y, w, MoranParams::new(44).permutations(199)).expect("moran");
    (lm, gs, gr, m.p_sim)
}

/// A weights set mixing small rows (fixed-width sampler) and rows of 20 and 30 neighbours
/// (shuffle sampler), with weights that are not all equal in some rows.
fn mixed_weights(n: usize) -> Weights {
    let lists: Vec<Vec<(u32, f64)>> = (0..n)
        .map(|i| {
            let k = match i % 5 {
                0 => 20,
                1 => 30,
                2 => 3,
                3 => 12,
                _ => 0, // an island every fifth area
            };
            (1..=k)
                .map(|d| (((i + d * 7) % n) as u32, 1.0 + (d % 3) as f64))
                .filter(|&(j, _)| j as usize != i)
                .collect()
        })
        .collect();
    Weights::from_weighted_lists(&lists).expect("weights")
}

#[test]
fn identical_for_any_thread_count() {
    let side = 30;
    let cases = [
        (synthetic_counts(side, 7), queen_lattice(side)),
        (synthetic_counts(side, 8), mixed_weights(side * side)),
    ];
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    for (y, w) in &cases {
        for sampling in [Sampling::Shared, Sampling::PerSite] {
            let one = pool(1).install(|| run_all(y, w, sampling));
            let two = pool(2).install(|| run_all(y, w, sampling));
            let three = pool(3).install(|| run_all(y, w, sampling));
            // (assert! rather than assert_eq!: the Debug output of a mismatch is huge)
            assert!(one == two, "1 and 2 threads differ ({sampling:?})");
            assert!(one == three, "1 and 3 threads differ ({sampling:?})");
            assert!(one.0.sites.iter().flatten().all(|s| s.p_sim.is_some()));
            // A different seed gives different draws.
            let params = LocalMoranParams::new(43)
                .permutations(199)
                .sampling(sampling);
            let other = local_moran(y, w, params).unwrap();
            assert!(
                other.sites != one.0.sites,
                "seeds 42 and 43 agree ({sampling:?})"
            );
        }
    }
}
