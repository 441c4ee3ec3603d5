//! Missing police.uk files are missing data, not zero crime: two forces, one without its
//! February file, through `safemap run` and the real server over loopback.

#![allow(clippy::unwrap_used)] // fixture helpers: a failed unwrap is a failed test

mod common;
mod serving;
use common::*;
use serving::Server;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Ten squares in a row; the first six lie in "Kent", the last four in "Devon & Cornwall".
const AREAS: usize = 10;
const KENT: usize = 6;

fn square(i: usize) -> [f64; 4] {
    let west = -1.10 + 0.01 * i as f64;
    [west, 51.00, west + 0.01, 51.01]
}

fn polygon([w, s, e, n]: [f64; 4]) -> String {
    format!("{{\"type\":\"Polygon\",\"coordinates\":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}")
}

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";

/// `n` burglaries at the centre of area `i` in `month`.
fn rows(out: &mut String, i: usize, month: &str, n: usize) {
    let [w, s, e, north] = square(i);
    let (x, y) = (f64::midpoint(w, e), f64::midpoint(s, north));
    for _ in 0..n {
        writeln!(out, ",{month},F,F,{x:.5},{y:.5},On or near X,,,Burglary,,").unwrap();
    }
}

/// Events of area `i`: `10 (i + 1)` in January and `10 (i % 3 + 1)` in February (large
/// enough for the public rule to show them).
fn jan_events(i: usize) -> usize {
    10 * (i + 1)
}

fn feb_events(i: usize) -> usize {
    10 * (i % 3 + 1)
}

/// January: both forces, and two BTP rows in area 0; February: Kent only, with one row that
/// lies in a Devon & Cornwall square.
fn write_fixture(dir: &Path, force_areas: bool) {
    let features: Vec<String> = (0..AREAS)
        .map(|i| {
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"code\":\"A{i:02}\",\"name\":\"Area {i}\"}},\"geometry\":{}}}",
                polygon(square(i))
            )
        })
        .collect();
    std::fs::write(
        dir.join("areas.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    )
    .unwrap();
    let split = -1.10 + 0.01 * KENT as f64;
    std::fs::write(
        dir.join("pfa.geojson"),
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\
             {{\"type\":\"Feature\",\"properties\":{{\"pfa\":\"E1\",\"pfa_name\":\"Kent\"}},\"geometry\":{}}},\
             {{\"type\":\"Feature\",\"properties\":{{\"pfa\":\"E2\",\"pfa_name\":\"Devon & Cornwall\"}},\"geometry\":{}}}]}}",
            polygon([-1.2, 50.9, split, 51.1]),
            polygon([split, 50.9, -0.9, 51.1])
        ),
    )
    .unwrap();
    let mut pop = "code,residents\n".to_string();
    for i in 0..AREAS {
        writeln!(pop, "A{i:02},1000").unwrap();
    }
    std::fs::write(dir.join("population.csv"), pop).unwrap();
    let police = dir.join("police");
    std::fs::create_dir_all(&police).unwrap();
    let file = |name: &str, body: &str| {
        std::fs::write(police.join(name), format!("{HEADER}{body}")).unwrap();
    };
    let mut kent_jan = String::new();
    let mut kent_feb = String::new();
    let mut dc_jan = String::new();
    for i in 0..AREAS {
        if i < KENT {
            rows(&mut kent_jan, i, "2019-01", jan_events(i));
            rows(&mut kent_feb, i, "2019-02", feb_events(i));
        } else {
            rows(&mut dc_jan, i, "2019-01", jan_events(i));
        }
    }
    rows(&mut kent_feb, KENT + 1, "2019-02", 1);
    file("2019-01-kent-street.csv", &kent_jan);
    file("2019-02-kent-street.csv", &kent_feb);
    file("2019-01-devon-and-cornwall-street.csv", &dc_jan);
    let mut btp = String::new();
    rows(&mut btp, 0, "2019-01", 2);
    file("2019-01-btp-street.csv", &btp);
    let coverage = if force_areas {
        "coverage = { force_areas = \"pfa.geojson\", id_field = \"pfa\", name_field = \"pfa_name\" }\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("study.toml"),
        format!(
            r#"[study]
name = "two forces"
seed = 3
output_dir = "out"

[period]
from = "2019-01"
to = "2019-02"

[boundaries]
path = "areas.geojson"
id_field = "code"
name_field = "name"

[population]
path = "population.csv"
code_column = "code"
value_column = "residents"

[[source]]
name = "police"
format = "police_uk"
paths = ["police/*.csv"]
join = "spatial"
{coverage}
[weights]
kind = "queen"

[[analysis]]
name = "both"
source = "police"
statistics = ["local_moran", "gi_star"]
permutations = 99

[[analysis]]
name = "january"
source = "police"
period = {{ from = "2019-01", to = "2019-01" }}
statistics = ["gi_star"]
permutations = 99
"#
        ),
    )
    .unwrap();
}

/// Writes the fixture and runs it; the output directory and the run summary.
fn run_fixture(dir: &Path, force_areas: bool) -> String {
    write_fixture(dir, force_areas);
    run_into(&dir.join("study.toml"), &dir.join("out"))
}

fn is_dc(code: &str) -> bool {
    code[1..].parse::<usize>().unwrap() >= KENT
}

fn check_outputs(out: &Path, stdout: &str, method: &str) {
    let m = manifest(out);
    let source = &m["sources"][0];
    let coverage = &source["coverage"];
    assert_eq!(coverage["method"], method, "{coverage}");
    assert_eq!(
        coverage["missing_force_months"],
        serde_json::json!([{"force": "devon-and-cornwall", "name": coverage["missing_force_months"][0]["name"], "month": "2019-02", "areas": AREAS - KENT}]),
        "{coverage}"
    );
    assert_eq!(
        coverage["uncovered_areas_by_month"],
        serde_json::json!([{"month": "2019-01", "areas": 0}, {"month": "2019-02", "areas": AREAS - KENT}])
    );
    // Accounting: every row read is joined, outside or rejected, and of the joined rows
    // exactly the Kent row in a Devon & Cornwall square in February is not counted.
    let a = &source["accounting"];
    let [read, joined, _outside, _rejected] = four_numbers(a);
    let jan: usize = (0..AREAS).map(jan_events).sum::<usize>() + 2;
    let feb: usize = (0..KENT).map(feb_events).sum::<usize>() + 1;
    assert_eq!(read as usize, jan + feb);
    assert_eq!(a["joined_without_coverage"], 1);
    let counts = read_csv(&out.join("counts.csv"));
    let counted: u64 = counts
        .iter()
        .map(|r| r["count"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(counted, joined - 1, "counts.csv holds every counted row");
    assert!(
        counts
            .iter()
            .all(|r| !(is_dc(&r["code"]) && r["month"] == "2019-02")),
        "no counts.csv row for an uncovered cell"
    );
    assert!(counts
        .iter()
        .any(|r| is_dc(&r["code"]) && r["month"] == "2019-01"));
    let gaps = read_csv(&out.join("coverage.csv"));
    assert_eq!(gaps.len(), AREAS - KENT);
    for g in &gaps {
        assert!(is_dc(&g["code"]) && g["month"] == "2019-02", "{g:?}");
        assert!(
            g["reason"].starts_with("no police.uk file for Devon")
                && g["reason"].ends_with("in 2019-02"),
            "{g:?}"
        );
    }
    // areas.csv: the whole period is no data for the Devon & Cornwall areas, not zero.
    let areas: BTreeMap<String, BTreeMap<String, String>> = read_csv(&out.join("areas.csv"))
        .into_iter()
        .map(|r| (r["code"].clone(), r))
        .collect();
    let kent_total = (0..KENT)
        .map(|i| jan_events(i) + feb_events(i))
        .sum::<usize>()
        + 2;
    let kent_population = 1000.0 * KENT as f64;
    for (code, row) in &areas {
        let i: usize = code[1..].parse().unwrap();
        if is_dc(code) {
            for col in [
                "police_all_count",
                "police_all_rate",
                "police_all_expected",
                "police_burglary_count",
                "both_value",
                "both_local_moran_i",
                "both_gi_star_z",
                "both_gi_star_class",
            ] {
                assert_eq!(row[col], "", "{code} {col}");
            }
            assert_eq!(row["police_coverage"], "0.5");
            assert!(!row["january_gi_star_z"].is_empty(), "January is covered");
        } else {
            let n = jan_events(i) + feb_events(i) + if i == 0 { 2 } else { 0 };
            assert_eq!(row["police_all_count"], n.to_string(), "{code}");
            assert_eq!(row["police_coverage"], "1");
            // Expected at the study-wide rate of the areas with data only.
            let expected: f64 = row["police_all_expected"].parse().unwrap();
            let want = 1000.0 * kent_total as f64 / kent_population;
            assert!(
                (expected - want).abs() < 1e-9,
                "{code}: {expected} vs {want}"
            );
            assert!(!row["both_gi_star_z"].is_empty());
        }
    }
    // The summary compares 2019-01 to 2019-02 with the two months before, which no file
    // covers: no data then, so no previous count and no change (not a rise from zero).
    let summary = read_csv(&out.join("summary.csv"));
    assert!(!summary.is_empty());
    for r in &summary {
        assert_eq!(r["previous_period"], "2018-11 to 2018-12", "{r:?}");
        assert_eq!(
            (r["previous_count"].as_str(), r["change_pct"].as_str()),
            ("", ""),
            "{r:?}"
        );
    }
    let change = read_csv(&out.join("change.csv"));
    assert_eq!(change.len(), summary.len() * AREAS);
    for r in &change {
        for col in [
            "previous_count",
            "change_pct",
            "rate_ratio",
            "p",
            "class_fdr",
        ] {
            assert_eq!(r[col], "", "{col}: {r:?}");
        }
    }
    // The counts of the period are still there for the areas with data then.
    let kent_all = change
        .iter()
        .filter(|r| r["measure"] == "all" && !is_dc(&r["code"]));
    assert!(kent_all.clone().count() == KENT && kent_all.clone().all(|r| !r["count"].is_empty()));
    let analyses = m["analyses"].as_array().unwrap();
    assert_eq!(analyses[0]["areas_without_data"], AREAS - KENT);
    assert_eq!(analyses[0]["areas_analysed"], KENT);
    assert_eq!(analyses[1]["areas_without_data"], 0);
    assert!(
        stdout.contains("no file for 1 force-months: devon-and-cornwall 2019-02"),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 in 2019-02"),
        "the summary counts uncovered areas: {stdout}"
    );
}

#[test]
fn a_missing_force_month_is_no_data_with_a_force_area_file() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run_fixture(dir.path(), true);
    let out = dir.path().join("out");
    check_outputs(&out, &stdout, "force_areas");
    let m = manifest(&out);
    let details = &m["sources"][0]["coverage"]["details"];
    assert_eq!(
        details["forces_with_files_but_no_force_area"],
        serde_json::json!(["btp"])
    );
    assert_eq!(
        m["sources"][0]["coverage"]["missing_force_months"][0]["name"],
        "Devon & Cornwall"
    );
}

#[test]
fn a_missing_force_month_is_no_data_when_forces_are_inferred_from_rows() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run_fixture(dir.path(), false);
    check_outputs(&dir.path().join("out"), &stdout, "inferred_from_rows");
}

#[test]
fn the_server_marks_no_data_areas_for_both_roles_and_never_counts_them_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    run_fixture(dir.path(), true);
    let token = dir.path().join("analyst.token");
    std::fs::write(&token, "coverage-test-token-0123456789\n").unwrap();
    let server = Server::start(&dir.path().join("out"), &token, &[]);
    for analyst in [false, true] {
        let all = server.json("/api/areas.json?source=police", analyst);
        let items = all["areas"].as_array().unwrap();
        assert_eq!(items.len(), AREAS);
        for item in items {
            let code = item["code"].as_str().unwrap();
            if is_dc(code) {
                assert_eq!(item["no_data"], true, "{analyst} {item}");
                assert_eq!(item["suppressed"], false, "{item}");
                for k in [
                    "count",
                    "rate",
                    "rate_lo",
                    "rate_hi",
                    "expected",
                    "excess_risk",
                    "eb_rate",
                ] {
                    assert!(item[k].is_null(), "{analyst} {code} {k}: {item}");
                }
            } else {
                assert_eq!(item["no_data"], false, "{item}");
                assert!(item["rate"].is_number(), "{item}");
            }
        }
        // The study-wide rate behind `expected` leaves the no-data areas out: expected is
        // the same for every (equal-population) area with data, and equals the mean count
        // of those areas, not the mean over all ten.
        let shown: Vec<&serde_json::Value> =
            items.iter().filter(|i| i["no_data"] == false).collect();
        let counts: Vec<f64> = shown.iter().filter_map(|i| i["count"].as_f64()).collect();
        if counts.len() == shown.len() {
            let mean = counts.iter().sum::<f64>() / counts.len() as f64;
            let expected = shown[0]["expected"].as_f64().unwrap();
            assert!(
                (expected - mean).abs() < 1e-9,
                "{analyst}: {expected} vs {mean}"
            );
        }
        // January alone is covered everywhere.
        let jan = server.json(
            "/api/areas.json?source=police&from=2019-01&to=2019-01",
            analyst,
        );
        assert!(jan["areas"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["no_data"] == false));
        let one = server.json("/api/areas/A08?source=police", analyst);
        let values = &one["values"];
        assert_eq!(values["no_data"], true);
        assert_eq!(values["suppressed"], false);
        assert!(values["count"].is_null());
        let reason = values["no_data_reason"].as_str().unwrap();
        assert_eq!(reason, "no police.uk file for Devon & Cornwall in 2019-02");
        let monthly = one["monthly"].as_array().unwrap();
        assert_eq!(monthly[1]["month"], "2019-02");
        assert!(monthly[1]["count"].is_null() && monthly[1]["no_data"] == true);
        assert_eq!(monthly[1]["suppressed"], false);
        assert_eq!(monthly[0]["no_data"], false);
        if analyst {
            assert_eq!(monthly[0]["count"], jan_events(8), "A08 in January");
        }
        let kent = server.json("/api/areas/A01?source=police", analyst);
        assert_eq!(kent["values"]["no_data"], false);
        assert!(kent["values"]["no_data_reason"].is_null());
    }
}
