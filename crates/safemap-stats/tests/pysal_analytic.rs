//! Analytic statistics equal esda 2.9.0 / libpysal 4.14.1 to 1e-9: Moran's I (global and
//! local), Gi and Gi* (binary and row-standardised), on columbus CRIME, Plymouth violence
//! rates and stl HR8893 (reference files in ../shared/data/reference and tests/reference).

mod common;

use common::{assert_close, data, gal, json, num, reference, Table};
use safemap_stats::{
    getis_ord, global_moran, local_moran, GetisOrd, GetisOrdParams, GiVariant, LocalMoran,
    LocalMoranParams, MoranParams,
};
use safemap_types::{Transform, Weights};

const TOL: f64 = 1e-9;

fn columbus() -> (Table, Vec<f64>, Weights) {
    let t = Table::read(&data("reference/columbus_crime_queen_local.csv"));
    let w = gal(&data("reference/columbus_crime_queen_weights.gal"), None);
    let y = t.numbers("CRIME");
    (t, y, w)
}

fn lm(y: &[f64], w: &Weights) -> LocalMoran {
    local_moran(y, w, LocalMoranParams::new(0).permutations(0)).expect("local moran")
}

fn gi(y: &[f64], w: &Weights, variant: GiVariant, transform: Transform) -> GetisOrd {
    getis_ord(
        y,
        w,
        GetisOrdParams::new(variant, 0)
            .transform(transform)
            .permutations(0),
    )
    .expect("getis-ord")
}

fn g_and_z(r: &GetisOrd) -> (Vec<f64>, Vec<f64>) {
    r.sites
        .iter()
        .map(|s| {
            let s = s.expect("no islands here");
            (s.g, s.z)
        })
        .unzip()
}

#[test]
fn columbus_global_moran() {
    let (_, y, w) = columbus();
    let m = global_moran(&y, &w, MoranParams::new(1).permutations(0)).unwrap();
    let want = json(&data("reference/columbus_crime_queen_global.json"));
    let g = |k: &str| num(&want, &["global_moran_row_standardised", k]);
    for (name, got) in [
        ("I", m.i),
        ("EI", m.expected),
        ("VI_norm", m.normality.variance),
        ("z_norm", m.normality.z),
        ("p_norm", m.normality.p),
        ("VI_rand", m.randomisation.variance),
        ("z_rand", m.randomisation.z),
        ("p_rand", m.randomisation.p),
    ] {
        assert!((got - g(name)).abs() <= TOL, "{name}: {got} vs {}", g(name));
    }
    assert!(m.islands.is_empty() && m.p_sim.is_none());
}

#[test]
fn columbus_local_moran_and_quadrants() {
    let (t, y, w) = columbus();
    let r = lm(&y, &w);
    let sites: Vec<_> = r.sites.iter().map(|s| s.expect("site")).collect();
    let is: Vec<f64> = sites.iter().map(|s| s.i).collect();
    assert_close("I", &is, &t.numbers("local_moran_I_rowstd"), TOL);
    let q: Vec<f64> = sites.iter().map(|s| f64::from(s.quadrant.code())).collect();
    assert_eq!(q, t.numbers("local_moran_quadrant"));
}

#[test]
fn columbus_getis_ord_variants() {
    let (t, y, w) = columbus();
    for (variant, transform, prefix) in [
        (GiVariant::GiStar, Transform::Binary, "gi_star_binary"),
        (
            GiVariant::GiStar,
            Transform::RowStandardised,
            "gi_star_rowstd",
        ),
        (GiVariant::Gi, Transform::Binary, "gi_binary"),
    ] {
        let (g, z) = g_and_z(&gi(&y, &w, variant, transform));
        assert_close(prefix, &g, &t.numbers(&format!("{prefix}_G")), TOL);
        assert_close(prefix, &z, &t.numbers(&format!("{prefix}_z")), TOL);
    }
}

#[test]
fn gi_star_binary_matches_the_mission_formula() {
    // z_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n sum w^2 - W_i^2)/(n-1))), self included.
    let (_, y, w) = columbus();
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let s = (y.iter().map(|v| v * v).sum::<f64>() / n - mean * mean).sqrt();
    let r = gi(&y, &w, GiVariant::GiStar, Transform::Binary);
    for i in 0..y.len() {
        let sum = y[i] + w.neighbours(i).iter().map(|&j| y[j as usize]).sum::<f64>();
        let wi = (w.cardinality(i) + 1) as f64;
        let z = (sum - mean * wi) / (s * ((n * wi - wi * wi) / (n - 1.0)).sqrt());
        let site = r.sites[i].unwrap();
        assert!((site.z - z).abs() < 1e-12, "{i}");
        // Two-sided p through statrs' normal distribution (the crate goes through erfc).
        let normal = statrs::distribution::Normal::standard();
        let p = 2.0 * statrs::distribution::ContinuousCDF::sf(&normal, z.abs());
        assert!((site.p_norm - p).abs() <= 1e-14 * p.max(1e-300), "{i}");
    }
}

#[test]
fn plymouth_gi_star_local_and_global_moran() {
    let t = Table::read(&data(
        "reference/uk_plymouth_lsoa11_police_2018-10_2019-02.csv",
    ));
    let ids = t.strings("LSOA11CD");
    let w = gal(
        &data("reference/uk_plymouth_lsoa11_intersects.gal"),
        Some(&ids),
    );
    let counts = t.numbers("violence_sexual");
    let population = t.numbers("total_population");
    let rate: Vec<f64> = counts
        .iter()
        .zip(&population)
        .map(|(c, p)| c / p * 1000.0)
        .collect();
    assert_close("rate", &rate, &t.numbers("violence_sexual_per_1000"), 1e-9);
    let card: Vec<f64> = (0..w.n()).map(|i| w.cardinality(i) as f64).collect();
    assert_eq!(card, t.numbers("n_neighbours"));

    let (_, z) = g_and_z(&gi(&rate, &w, GiVariant::GiStar, Transform::Binary));
    assert_close("gi_star_binary_z", &z, &t.numbers("gi_star_binary_z"), TOL);
    let is: Vec<f64> = lm(&rate, &w).sites.iter().map(|s| s.unwrap().i).collect();
    assert_close(
        "local_moran_I_rowstd",
        &is,
        &t.numbers("local_moran_I_rowstd"),
        TOL,
    );

    let summary = json(&data("reference/uk_cities_summary.json"));
    let m = global_moran(&rate, &w, MoranParams::new(0).permutations(0)).unwrap();
    let want_i = num(&summary, &["Plymouth", "moran_I_violence_rate_rowstd"]);
    let want_z = num(&summary, &["Plymouth", "moran_z_norm"]);
    assert!((m.i - want_i).abs() <= TOL && (m.normality.z - want_z).abs() <= TOL);
}

#[test]
fn stl_and_columbus_analytic_values_of_the_permutation_files() {
    for (file, gal_path) in [
        (
            "permutation_columbus_crime.csv",
            "reference/columbus_crime_queen_weights.gal",
        ),
        ("permutation_stl_hr8893.csv", "pysal/stl/stl.gal"),
    ] {
        let t = Table::read(&reference(file));
        let w = gal(&data(gal_path), None);
        let y = t.numbers("value");
        let r = lm(&y, &w);
        let is: Vec<f64> = r.sites.iter().map(|s| s.unwrap().i).collect();
        assert_close(file, &is, &t.numbers("local_moran_I"), TOL);
        let q: Vec<f64> = r
            .sites
            .iter()
            .map(|s| f64::from(s.unwrap().quadrant.code()))
            .collect();
        assert_eq!(q, t.numbers("local_moran_quadrant"), "{file}");
        let (g, z) = g_and_z(&gi(&y, &w, GiVariant::GiStar, Transform::Binary));
        assert_close(file, &g, &t.numbers("gi_star_G"), TOL);
        assert_close(file, &z, &t.numbers("gi_star_z"), TOL);
    }
}
