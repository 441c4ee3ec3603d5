//! Plymouth, real data: row accounting, spatial counts against the PySAL/GeoPandas
//! reference, and the code-join rate to 1e-9.

mod common;
use common::*;

const REFERENCE: &str = "reference/uk_plymouth_lsoa11_police_2018-10_2019-02.csv";

#[test]
fn spatial_join_accounts_for_every_row_and_matches_reference_counts() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    let m = manifest(out.path());
    let a = accounting(&m, "police");
    let [read, joined, _outside, rejected] = four_numbers(a);
    assert_eq!(read, 56_626, "all five Devon & Cornwall months");
    assert_eq!(rejected, 2_293);
    assert_eq!(a["rejected_by_reason"]["no coordinates"], 2_293);
    assert!(stdout.contains("read 56,626"), "{stdout}");

    let reference = read_csv(&data(REFERENCE));
    let ours = read_csv(&out.path().join("areas.csv"));
    assert_eq!(ours.len(), 161);
    let mut differences = Vec::new();
    for want in &reference {
        let code = &want["LSOA11CD"];
        let got = ours
            .iter()
            .find(|r| &r["code"] == code)
            .unwrap_or_else(|| panic!("{code} missing"));
        if got["police_all_count"] != want["crimes_all_point_in_polygon"] {
            differences.push(format!(
                "{code}: ours {} reference {}",
                got["police_all_count"], want["crimes_all_point_in_polygon"]
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "per-LSOA counts differ:\n{}",
        differences.join("\n")
    );
    let total: u64 = ours
        .iter()
        .map(|r| r["police_all_count"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, joined);
    assert_eq!(joined, 12_064, "the reference's point-in-polygon total");
}

#[test]
fn code_join_rate_matches_reference_to_1e9() {
    let out = tempfile::tempdir().unwrap();
    safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-code.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    let m = manifest(out.path());
    let [_, joined, _, rejected] = four_numbers(accounting(&m, "police"));
    assert_eq!(joined, 12_064, "rows whose LSOA code is a Plymouth LSOA");
    assert_eq!(
        rejected, 2_293,
        "rows with no LSOA code (the same rows that have no location)"
    );
    let reference = read_csv(&data(REFERENCE));
    let ours = read_csv(&out.path().join("areas.csv"));
    for want in &reference {
        let code = &want["LSOA11CD"];
        let got = ours.iter().find(|r| &r["code"] == code).unwrap();
        let ours_rate: f64 = got["police_violence_and_sexual_offences_rate"]
            .parse()
            .unwrap();
        let ref_rate: f64 = want["violence_sexual_per_1000"].parse().unwrap();
        assert!(
            (ours_rate - ref_rate).abs() < 1e-9,
            "{code}: {ours_rate} vs {ref_rate}"
        );
        assert_eq!(got["police_all_count"], want["crimes_all"], "{code}");
        assert_eq!(got["population"], want["total_population"], "{code}");
        // With the reference weights (the study's [weights] kind = "file"), the hotspot
        // statistics of the violence rate equal esda's.
        for (ours_col, ref_col) in [
            ("violence_gi_star_z", "gi_star_binary_z"),
            ("violence_local_moran_i", "local_moran_I_rowstd"),
        ] {
            let (a, b): (f64, f64) = (
                got[ours_col].parse().unwrap(),
                want[ref_col].parse().unwrap(),
            );
            assert!((a - b).abs() < 1e-9, "{code} {ours_col}: {a} vs esda {b}");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data("reference/uk_cities_summary.json")).unwrap())
            .unwrap();
    let moran = m["analyses"][0]["global_moran"]["I"].as_f64().unwrap();
    let want = summary["Plymouth"]["moran_I_violence_rate_rowstd"]
        .as_f64()
        .unwrap();
    assert!(
        (moran - want).abs() < 1e-9,
        "Moran's I {moran} vs esda {want}"
    );
}

#[test]
fn the_nhs_gp_register_loads_as_it_is() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-gp-register.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    // Every physical line after the header is one row (the file has no quotes or line
    // breaks in fields): read = joined + outside + rejected = that count.
    let register = data("services/nhs-choices-2019/GP.csv");
    let bytes = std::fs::read(&register).unwrap();
    let rows = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64
        - 1;
    let m = manifest(out.path());
    let [read, joined, outside, rejected] = four_numbers(&m["services"]);
    assert_eq!(read, rows);
    assert_eq!(read, 8_883);
    // 43 practices lie in Plymouth's LSOAs (checked by an independent point-in-polygon of
    // GP.utf8.csv); the others are kept as outside, for access across the boundary.
    assert_eq!((joined, outside, rejected), (43, 8_839, 1));
    assert_eq!(m["services"]["rejected_by_reason"]["no coordinates"], 1);
    assert!(
        stdout.contains("services: read 8,883 = joined 43 + outside 8,839 + rejected 1"),
        "{stdout}"
    );
    let rejects = read_csv(&out.path().join("rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(
        (rejects[0]["input"].as_str(), rejects[0]["line"].as_str()),
        ("services", "8708")
    );
    // The names are decoded from windows-1252 and every practice is a GP practice.
    let geojson: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("services.geojson")).unwrap())
            .unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len() as u64, joined + outside);
    let props = |id: &str| {
        &features
            .iter()
            .find(|f| f["properties"]["service_id"] == id)
            .unwrap()["properties"]
    };
    assert_eq!(props("B86100")["name"], "St Martin\u{2019}s Practice");
    assert!(features.iter().all(|f| {
        let p = &f["properties"];
        p["kind"] == "gp_practice" && p["kind_label"] == "GP practice" && p["tier"].is_null()
    }));
    let in_plymouth = features
        .iter()
        .filter(|f| f["properties"]["area"].is_string())
        .count() as u64;
    assert_eq!(in_plymouth, joined);
}

/// 2SFCA and E2SFCA of Plymouth's LSOAs against Plymouth's GP practices equal PySAL
/// `access` (scripts/reference/make_access_reference.py) to a relative 1e-9, over the same
/// distance matrix; the nearest practice is the matrix's cheapest pair.
#[test]
fn gp_access_equals_pysal_access() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/plymouth-gp-access.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    assert!(
        stdout.contains("access gp_practice: 8,882 services"),
        "{stdout}"
    );
    let ours = read_csv(&out.path().join("access.csv"));
    let reference = read_csv(&root().join("tests/reference/plymouth_gp_access.csv"));
    assert_eq!(ours.len(), 161);
    assert_eq!(reference.len(), 161);
    let mut cheapest = std::collections::BTreeMap::<String, (f64, String)>::new();
    for pair in read_csv(&root().join("tests/reference/plymouth_gp_cost.csv")) {
        let cost: f64 = pair["metres"].parse().unwrap();
        let best = cheapest
            .entry(pair["lsoa11_code"].clone())
            .or_insert((f64::INFINITY, String::new()));
        if cost < best.0 {
            *best = (cost, pair["gp_code"].clone());
        }
    }
    let mut compared = 0;
    for want in &reference {
        let got = ours.iter().find(|r| r["code"] == want["code"]).unwrap();
        assert_eq!(got["population"], want["population"]);
        for (column, ours_column) in [
            ("two_sfca_2km", "two_sfca_2km"),
            ("e2sfca_3km", "e2sfca_3km"),
        ] {
            let g: f64 = got[ours_column].parse().unwrap();
            if want[column] == "nan" {
                // PySAL leaves an area without a practice in reach undefined; safemap says
                // it has no access, and no practice within 2 km.
                assert_eq!(g, 0.0, "{}", want["code"]);
                assert_eq!(got["within"], "0");
                continue;
            }
            let w: f64 = want[column].parse().unwrap();
            assert!(
                (g - w).abs() <= 1e-9 * w.abs(),
                "{} {column}: safemap {g} vs access {w}",
                want["code"]
            );
            compared += 1;
        }
        let (cost, id) = &cheapest[&want["code"]];
        assert_eq!(got["nearest_cost"].parse::<f64>().unwrap(), *cost);
        assert_eq!(&got["nearest_service"], id);
    }
    assert!(compared >= 320, "{compared}");
    // The manifest records the settings and the matrix read, with its checksum.
    let m = manifest(out.path());
    assert_eq!(
        m["parameters"]["access"]["access"]["score"][1]["decay"],
        "stepwise"
    );
    let matrix = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["role"] == "access.cost_matrix")
        .unwrap();
    assert_eq!(matrix["sha256"].as_str().unwrap().len(), 64);
}

/// The published Plymouth LSOAs tile cleanly; with one LSOA simplified carelessly (geo's
/// Douglas-Peucker at about 40 m, as a GIS does to one layer without its neighbours) the
/// run reports the overlaps and gaps it leaves, each naming that LSOA, in the manifest and
/// the summary.
#[test]
fn a_carelessly_simplified_lsoa_is_reported_by_its_overlaps_and_gaps() {
    use geo::Simplify;
    let dir = tempfile::tempdir().unwrap();
    let clean = plymouth_study(dir.path(), "clean.toml", None, "");
    let tessellation_of = |study: &std::path::Path, out: &str| {
        let out = dir.path().join(out);
        let stdout = run_into(study, &out);
        let areas = &manifest(&out)["areas"];
        (
            stdout,
            serde_json::json!([areas["overlaps"], areas["gaps"]]),
        )
    };
    let (stdout, found) = tessellation_of(&clean, "clean");
    assert_eq!(found, serde_json::json!([[], []]));
    assert!(!stdout.contains("do not tile"), "{stdout}");

    let text =
        std::fs::read_to_string(data("boundaries/uk-geojson/lsoa11/E06000026.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let feature = &mut doc["features"][20];
    let victim = feature["properties"]["LSOA11CD"]
        .as_str()
        .unwrap()
        .to_string();
    let g: geojson::Geometry = serde_json::from_value(feature["geometry"].clone()).unwrap();
    let g: geo_types::Geometry<f64> = g.try_into().unwrap();
    let simplified = match g {
        geo_types::Geometry::Polygon(p) => geo_types::Geometry::Polygon(p.simplify(0.0004)),
        geo_types::Geometry::MultiPolygon(m) => {
            geo_types::Geometry::MultiPolygon(m.simplify(0.0004))
        }
        other => panic!("not a polygon: {other:?}"),
    };
    feature["geometry"] = serde_json::to_value(geojson::Geometry::from(&simplified)).unwrap();
    let path = dir.path().join("simplified.geojson");
    std::fs::write(&path, doc.to_string()).unwrap();
    let study = plymouth_study(dir.path(), "simplified.toml", Some(&path), "");
    let (stdout, found) = tessellation_of(&study, "simplified");
    let (overlaps, gaps) = (found[0].as_array().unwrap(), found[1].as_array().unwrap());
    assert!(!overlaps.is_empty() && !gaps.is_empty(), "{found}");
    for o in overlaps {
        let codes = o["codes"].as_array().unwrap();
        assert!(codes.iter().any(|c| c == victim.as_str()), "{o}");
        assert!(o["area"].as_f64().unwrap() >= 10.0, "{o}");
    }
    for g in gaps {
        let touching = g["touching"].as_array().unwrap();
        assert!(touching.iter().any(|c| c == victim.as_str()), "{g}");
        assert!(
            touching.len() >= 2 && g["area"].as_f64().unwrap() >= 10.0,
            "{g}"
        );
    }
    assert!(
        stdout.contains(&format!(
            "the polygons do not tile: {} overlapping pairs",
            overlaps.len()
        )) && stdout.contains(&victim),
        "{stdout}"
    );
}

/// Over `[limits] max_tiling_vertices`, whether the polygons tile is not checked: the
/// summary says so with the set's vertices and the limit, and the manifest has no answer
/// (null, not an empty list, which would say "checked: none").
#[test]
fn a_boundary_set_over_the_vertex_limit_is_not_checked_for_tiling() {
    let dir = tempfile::tempdir().unwrap();
    let study = plymouth_study(
        dir.path(),
        "study.toml",
        None,
        "[limits]\nmax_tiling_vertices = 1000\n",
    );
    let out = dir.path().join("out");
    let stdout = run_into(&study, &out);
    let areas = &manifest(&out)["areas"];
    assert!(
        areas["overlaps"].is_null() && areas["gaps"].is_null(),
        "{areas}"
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("whether the polygons tile was not checked"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.ends_with("over [limits] max_tiling_vertices = 1000"),
        "{line}"
    );
    let vertices: u64 = line
        .split(": ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .map(|n| n.replace(',', "").parse().unwrap())
        .unwrap();
    assert!(vertices > 1000, "{line}");
}
