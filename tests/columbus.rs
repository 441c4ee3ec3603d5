//! Columbus (PySAL example), run end to end as a study file: queen weights built from the
//! shapefile's polygons, the shapefile's own CRIME column, against esda/libpysal values
//! (../shared/data/reference/columbus_crime_queen_*) to 1e-9.

mod common;
use common::*;

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: ours {got}, esda {want}"
    );
}

#[test]
fn columbus_crime_matches_esda_to_1e9() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/columbus.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    assert!(stdout.contains("Moran's I"), "{stdout}");
    let m = manifest(out.path());
    assert_eq!(m["weights"]["n"], 49);
    assert_eq!(m["weights"]["islands"].as_array().unwrap().len(), 0);

    let reference: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data("reference/columbus_crime_queen_global.json")).unwrap(),
    )
    .unwrap();
    let want = &reference["global_moran_row_standardised"];
    let got = &m["analyses"][0]["global_moran"];
    // esda's global Moran p-values are two-sided by default (two_tailed=True), as ours.
    for key in [
        "I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand",
    ] {
        close(got[key].as_f64().unwrap(), want[key].as_f64().unwrap(), key);
    }

    let ours = read_csv(&out.path().join("areas.csv"));
    let local = read_csv(&data("reference/columbus_crime_queen_local.csv"));
    assert_eq!(ours.len(), 49);
    for want in &local {
        let got = ours.iter().find(|r| r["code"] == want["POLYID"]).unwrap();
        let f = |row: &std::collections::BTreeMap<String, String>, k: &str| -> f64 {
            row[k]
                .parse()
                .unwrap_or_else(|_| panic!("{k} = {:?}", row[k]))
        };
        let id = &want["POLYID"];
        close(
            f(got, "crime_value"),
            f(want, "CRIME"),
            &format!("{id} CRIME"),
        );
        for (ours_col, ref_col) in [
            ("crime_local_moran_i", "local_moran_I_rowstd"),
            ("crime_local_moran_quadrant", "local_moran_quadrant"),
            ("crime_gi_star_g", "gi_star_binary_G"),
            ("crime_gi_star_z", "gi_star_binary_z"),
            ("crime_gi_star_rowstd_g", "gi_star_rowstd_G"),
            ("crime_gi_star_rowstd_z", "gi_star_rowstd_z"),
            ("crime_gi_g", "gi_binary_G"),
            ("crime_gi_z", "gi_binary_z"),
        ] {
            close(
                f(got, ours_col),
                f(want, ref_col),
                &format!("{id} {ours_col}"),
            );
        }
    }
}
