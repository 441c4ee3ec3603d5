//! Conditional-permutation pseudo p-values against esda 2.9.0's `p_sim` (9,999 permutations,
//! tests/reference/permutation_*.csv) within Monte Carlo error, and FDR cut-offs equal to
//! `esda.fdr` on esda's own p-values.

mod common;

use common::{data, gal, json, num, reference, Table};
use safemap_stats::{
    fdr_cutoff, getis_ord, local_moran, GetisOrdParams, GiVariant, LocalMoranParams, Sampling, Tail,
};

const R: usize = 9_999;

/// Both p-values estimate the same probability with `R` draws each: their difference has
/// standard deviation `sqrt(2 p (1 - p) / R)`. Every site must be within 5 of those (plus
/// 2/R for the discreteness) and at least 85% within 2.
fn assert_monte_carlo_close(what: &str, ours: &[f64], esda: &[f64]) {
    let r = R as f64;
    let mut within_two = 0;
    for (i, (&a, &b)) in ours.iter().zip(esda).enumerate() {
        let p = 0.5 * (a + b);
        let sd = (2.0 * p * (1.0 - p) / r).sqrt();
        let diff = (a - b).abs();
        assert!(
            diff <= 5.0 * sd + 2.0 / r,
            "{what} site {i}: ours {a}, esda {b}"
        );
        within_two += usize::from(diff <= 2.0 * sd + 1.0 / r);
    }
    let share = within_two as f64 / ours.len() as f64;
    assert!(share >= 0.85, "{what}: only {share} of sites within 2 sd");
}

#[test]
fn pseudo_p_values_match_esda_within_monte_carlo_error() {
    for (file, gal_path, seed) in [
        (
            "permutation_columbus_crime.csv",
            "reference/columbus_crime_queen_weights.gal",
            11,
        ),
        ("permutation_stl_hr8893.csv", "pysal/stl/stl.gal", 12),
    ] {
        let t = Table::read(&reference(file));
        let w = gal(&data(gal_path), None);
        let y = t.numbers("value");
        for sampling in [Sampling::Shared, Sampling::PerSite] {
            let what = format!("{file} {}", sampling.as_str());
            let params = LocalMoranParams::new(seed)
                .permutations(R)
                .sampling(sampling);
            let lm = local_moran(&y, &w, params).unwrap();
            let ours: Vec<f64> = lm.sites.iter().map(|s| s.unwrap().p_sim.unwrap()).collect();
            assert_monte_carlo_close(&what, &ours, &t.numbers("local_moran_p_sim"));

            let params = GetisOrdParams::new(GiVariant::GiStar, seed)
                .permutations(R)
                .sampling(sampling);
            let gs = getis_ord(&y, &w, params).unwrap();
            let ours: Vec<f64> = gs.sites.iter().map(|s| s.unwrap().p_sim.unwrap()).collect();
            assert_monte_carlo_close(&what, &ours, &t.numbers("gi_star_p_sim"));
            // Folded is the smaller tail: never above 0.5 (plus the +1 of the numerator).
            assert!(ours.iter().all(|&p| p <= 0.5 + 1.0 / R as f64));
        }
    }
}

#[test]
fn tails_are_consistent() {
    let t = Table::read(&reference("permutation_columbus_crime.csv"));
    let w = gal(&data("reference/columbus_crime_queen_weights.gal"), None);
    let y = t.numbers("value");
    let p = |tail| -> Vec<f64> {
        let params = GetisOrdParams::new(GiVariant::GiStar, 5)
            .permutations(999)
            .tail(tail);
        let r = getis_ord(&y, &w, params).unwrap();
        r.sites.iter().map(|s| s.unwrap().p_sim.unwrap()).collect()
    };
    let (folded, two, upper, lower) = (
        p(Tail::Folded),
        p(Tail::TwoSided),
        p(Tail::Upper),
        p(Tail::Lower),
    );
    for i in 0..y.len() {
        // Same seed, same draws: the tails are functions of the same two counts.
        assert_eq!(folded[i], upper[i].min(lower[i]), "site {i}");
        assert_eq!(two[i], (2.0 * folded[i]).min(1.0), "site {i}");
        // #>= + #<= = R + #ties (drawing the observed neighbours again is a tie: with 2
        // neighbours out of 48 that happens about once in 1,128 permutations).
        assert!(upper[i] + lower[i] >= 1001.0 / 1000.0 - 1e-12, "site {i}");
    }
}

#[test]
fn fdr_cutoffs_equal_esda() {
    let want = json(&reference("permutation_fdr.json"));
    for (file, name) in [
        ("permutation_columbus_crime.csv", "columbus_crime"),
        ("permutation_stl_hr8893.csv", "stl_hr8893"),
    ] {
        let t = Table::read(&reference(file));
        for (column, stat) in [
            ("local_moran_p_sim", "local_moran"),
            ("gi_star_p_sim", "gi_star"),
        ] {
            let p = t.numbers(column);
            for alpha in ["0.05", "0.1"] {
                let got = fdr_cutoff(&p, alpha.parse().unwrap()).unwrap();
                assert_eq!(
                    got,
                    num(&want, &[name, stat, alpha]),
                    "{name} {stat} {alpha}"
                );
            }
        }
    }
}
