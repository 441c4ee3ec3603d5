//! ED analysis on the synthetic city: `ed_summary.csv` equals the shares computed here from
//! the raw generated `ed.csv` (weekend, 21:00-02:59, alcohol, method, location type and the
//! cross-tabs), its area rows and the ED-versus-police columns agree with the area counts,
//! and the planted night-time-economy areas (ED assaults 8 times the background, police
//! violence with injury 4 times) have an ED share significantly above the study's.

mod common;
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// The synthetic city's method values and the category the default table gives each,
/// written out here rather than taken from the ingest code.
fn method_category(raw: &str) -> &'static str {
    match raw {
        "knife" => "knife_or_sharp_object",
        "glass_bottle" => "glass_or_bottle",
        "blunt_object" => "blunt_object",
        "body" => "body",
        "firearm" | "other_weapon" => "other",
        "none" => "not_recorded",
        other => panic!("ed.csv has a method the test does not know: {other}"),
    }
}

/// One raw ED record as the summary reads it.
struct Record {
    weekend: bool,
    night: bool,
    alcohol: bool,
    method: &'static str,
    location: String,
}

fn raw_records(path: &std::path::Path) -> Vec<Record> {
    read_csv(path)
        .into_iter()
        .map(|r| {
            // The assault date and time when both are given, else the arrival's.
            let (d, t) = if r["assault_date"].is_empty() || r["assault_time"].is_empty() {
                (&r["arrival_date"], &r["arrival_time"])
            } else {
                (&r["assault_date"], &r["assault_time"])
            };
            let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("ed.csv date");
            let hour = NaiveTime::parse_from_str(t, "%H:%M")
                .expect("ed.csv time")
                .hour();
            assert!(
                r["alcohol"] == "yes" || r["alcohol"] == "no",
                "the synthetic city records alcohol on every row"
            );
            Record {
                weekend: matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                night: hour >= 21 || hour <= 2,
                alcohol: r["alcohol"] == "yes",
                method: method_category(&r["assault_method"]),
                location: r["location_type"].clone(),
            }
        })
        .collect()
}

/// The expected row: numerator, denominator and percent to one decimal.
fn share(n: usize, d: usize) -> (String, String, String) {
    let percent = if d == 0 {
        String::new()
    } else {
        format!("{:.1}", 100.0 * n as f64 / d as f64)
    };
    (n.to_string(), d.to_string(), percent)
}

#[test]
fn ed_summary_equals_the_raw_records_and_nte_areas_have_a_high_ed_share() {
    let dir = tempfile::tempdir().unwrap();
    safemap_ok(
        &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
        &[],
        0,
    );
    let results = dir.path().join("results");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(results.join("manifest.json")).unwrap()).unwrap();
    let ed_source = manifest["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ed")
        .unwrap();
    assert_eq!(
        ed_source["accounting"]["read"], ed_source["accounting"]["joined"],
        "every generated ED record is joined, so the raw file is the analysed set"
    );
    assert!(manifest["outputs"]
        .as_array()
        .unwrap()
        .contains(&"ed_summary.csv".into()));

    let raw = raw_records(&dir.path().join("ed.csv"));
    let summary = read_csv(&results.join("ed_summary.csv"));
    let study: BTreeMap<(String, String, String), (String, String, String)> = summary
        .iter()
        .filter(|r| r["source"] == "ed" && r["scope"] == "study")
        .map(|r| {
            (
                (
                    r["figure"].clone(),
                    r["subset"].clone(),
                    r["category"].clone(),
                ),
                (
                    r["numerator"].clone(),
                    r["denominator"].clone(),
                    r["percent"].clone(),
                ),
            )
        })
        .collect();
    let got = |figure: &str, subset: &str, category: &str| {
        study
            .get(&(figure.into(), subset.into(), category.into()))
            .unwrap_or_else(|| panic!("no study row {figure} / {subset} / {category}"))
            .clone()
    };
    let n = raw.len();
    let count = |f: &dyn Fn(&Record) -> bool| raw.iter().filter(|r| f(r)).count();
    assert_eq!(
        got("assaults", "", ""),
        (n.to_string(), String::new(), String::new())
    );
    assert_eq!(got("weekend", "", ""), share(count(&|r| r.weekend), n));
    assert_eq!(got("night_21_03", "", ""), share(count(&|r| r.night), n));
    assert_eq!(got("alcohol_recorded", "", ""), share(n, n));
    let alcohol = count(&|r| r.alcohol);
    assert_eq!(got("alcohol_related", "", ""), share(alcohol, n));

    let methods: BTreeSet<&str> = raw.iter().map(|r| r.method).collect();
    let locations: BTreeSet<&str> = raw.iter().map(|r| r.location.as_str()).collect();
    assert!(methods.len() >= 5 && locations.len() == 4);
    for m in &methods {
        assert_eq!(got("method", "", m), share(count(&|r| r.method == *m), n));
    }
    for l in &locations {
        let at = count(&|r| r.location == *l);
        assert_eq!(got("location", "", l), share(at, n));
        // Alcohol × location, both ways.
        let alcohol_at = count(&|r| r.alcohol && r.location == *l);
        assert_eq!(
            got("location", "alcohol_related", l),
            share(alcohol_at, alcohol)
        );
        assert_eq!(
            got("alcohol_related", &format!("location:{l}"), ""),
            share(alcohol_at, at)
        );
        // Method × location, both ways.
        for m in &methods {
            let both = count(&|r| r.method == *m && r.location == *l);
            assert_eq!(got("method", &format!("location:{l}"), m), share(both, at));
            assert_eq!(
                got("location", &format!("method:{m}"), l),
                share(both, count(&|r| r.method == *m))
            );
        }
    }

    // Area rows: each area's assaults are its ED count, and they add up to the study's.
    let areas = read_csv(&results.join("areas.csv"));
    let ed_count: BTreeMap<&str, u64> = areas
        .iter()
        .map(|r| (r["code"].as_str(), r["ed_all_count"].parse().unwrap()))
        .collect();
    let area_assaults: Vec<(&str, u64)> = summary
        .iter()
        .filter(|r| r["scope"] == "area" && r["figure"] == "assaults")
        .map(|r| (r["code"].as_str(), r["numerator"].parse().unwrap()))
        .collect();
    assert_eq!(area_assaults.iter().map(|a| a.1).sum::<u64>(), n as u64);
    for (code, k) in &area_assaults {
        assert_eq!(ed_count[code], *k, "{code}");
    }

    // ED against police violence with injury, per area.
    let entry = &manifest["ed_vs_police"];
    assert_eq!(entry["police_category"], "Violence with injury");
    assert_eq!(entry["public"], false);
    let geo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(results.join("areas.geojson")).unwrap()).unwrap();
    let props: Vec<&serde_json::Value> = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .collect();
    let force_vwi: BTreeMap<&str, u64> = areas
        .iter()
        .map(|r| {
            (
                r["code"].as_str(),
                r["force_violence_with_injury_count"].parse().unwrap(),
            )
        })
        .collect();
    let (mut sum_ed, mut sum_all) = (0, 0);
    for p in &props {
        let code = p["code"].as_str().unwrap();
        let e = p["ed_vs_police_ed_assaults"].as_u64().unwrap();
        let q = p["ed_vs_police_police_violence"].as_u64().unwrap();
        assert_eq!((e, q), (ed_count[code], force_vwi[code]), "{code}");
        (sum_ed, sum_all) = (sum_ed + e, sum_all + e + q);
        if e + q > 0 {
            let s = p["ed_vs_police_ed_share"].as_f64().unwrap();
            assert_eq!(s, e as f64 / (e + q) as f64);
        }
    }
    assert_eq!(
        entry["study_share"].as_f64().unwrap(),
        sum_ed as f64 / sum_all as f64
    );
    let public = manifest["layers"][0]["public_columns"].as_array().unwrap();
    assert!(
        !public
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("ed_vs_police")),
        "the ED-versus-police columns are analyst only"
    );

    // The planted night-time-economy areas: ED share significantly high after FDR, and
    // their p-values the smallest of all areas.
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("ground_truth.json")).unwrap())
            .unwrap();
    let nte: BTreeSet<&str> = truth["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "night_time_economy")
        .unwrap()["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(!nte.is_empty());
    let mut by_p: Vec<(f64, &str)> = props
        .iter()
        .filter_map(|p| Some((p["ed_vs_police_ed_share_p"].as_f64()?, p["code"].as_str()?)))
        .collect();
    by_p.sort_by(|a, b| a.0.total_cmp(&b.0));
    let first: BTreeSet<&str> = by_p.iter().take(nte.len()).map(|x| x.1).collect();
    assert_eq!(first, nte, "the NTE areas have the smallest p-values");
    for p in &props {
        let code = p["code"].as_str().unwrap();
        if nte.contains(code) {
            assert_eq!(p["ed_vs_police_ed_share_class_fdr"], "high", "{code}");
            assert!(
                p["ed_vs_police_ed_share"].as_f64().unwrap()
                    > entry["study_share"].as_f64().unwrap()
            );
        }
    }
}

#[test]
fn the_police_category_falls_back_to_violence_and_sexual_offences_or_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    safemap_ok(&["demo", "--no-serve", "--out", d], &[], 0);
    let study = dir.path().join("study.toml");
    let text = std::fs::read_to_string(&study).unwrap();
    let section = "police = \"force\"\ncategory = \"violence_with_injury\"\n";
    assert!(text.contains(section));

    // data.police.uk has no violence-with-injury category: the default is the next one.
    std::fs::write(&study, text.replace(section, "police = \"police\"\n")).unwrap();
    let out = dir.path().join("police_uk");
    run_into(&study, &out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["ed_vs_police"]["police_category"],
        "Violence and sexual offences"
    );
    assert_eq!(manifest["ed_vs_police"]["police"], "police");

    // A category the police source lacks is an error naming the key and the choices.
    std::fs::write(
        &study,
        text.replace(section, "police = \"force\"\ncategory = \"assault\"\n"),
    )
    .unwrap();
    let o = safemap(
        &[
            "run",
            study.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for part in [
        "ed_vs_police.category",
        "\"assault\"",
        "violence_with_injury",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
}
