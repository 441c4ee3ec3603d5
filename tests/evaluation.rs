//! `evaluation.json` of the demo agrees with the other outputs: for the fixed pair and a
//! rolling window of each evaluation over the areas, the event counts, hit rate, PAI, PEI
//! and RRI are recomputed from `counts.csv`, the flagged area codes and the areas'
//! ellipsoidal areas measured on `areas.geojson` (not the engine's British National Grid
//! polygons); the top-share hotspots are chosen again from the train months' counts; the
//! grid cells hold the same events as the areas.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use geo::GeodesicArea;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Area code → ellipsoidal area (m²) of each feature of `areas.geojson`, in file order.
fn geodesic_areas(geojson: &Value) -> Vec<(String, f64)> {
    let ring = |r: &Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| Coord {
                x: p[0].as_f64().unwrap(),
                y: p[1].as_f64().unwrap(),
            })
            .collect()
    };
    let polygon = |p: &Value| {
        let rings = p.as_array().unwrap();
        Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
    };
    geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let g = &f["geometry"];
            let mp = match g["type"].as_str().unwrap() {
                "Polygon" => MultiPolygon(vec![polygon(&g["coordinates"])]),
                _ => MultiPolygon(
                    g["coordinates"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(polygon)
                        .collect(),
                ),
            };
            (
                f["properties"]["code"].as_str().unwrap().to_string(),
                mp.geodesic_area_unsigned(),
            )
        })
        .collect()
}

/// Per area code, the events of `label` per month (`YYYY-MM`) of source `police`.
fn monthly(counts: &[BTreeMap<String, String>], label: &str) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for r in counts
        .iter()
        .filter(|r| r["source"] == "police" && r["category"] == label)
    {
        *out.entry((r["code"].clone(), r["month"].clone()))
            .or_default() += r["count"].parse::<u64>().unwrap();
    }
    out
}

fn months(range: &Value) -> (String, String) {
    (
        range["from"].as_str().unwrap().to_string(),
        range["to"].as_str().unwrap().to_string(),
    )
}

/// Each area's events in the months `range` (inclusive `YYYY-MM` strings compare as dates).
fn totals(
    by_month: &BTreeMap<(String, String), u64>,
    codes: &[(String, f64)],
    range: &(String, String),
) -> Vec<u64> {
    codes
        .iter()
        .map(|(code, _)| {
            by_month
                .iter()
                .filter(|((c, m), _)| c == code && *m >= range.0 && *m <= range.1)
                .map(|(_, n)| n)
                .sum()
        })
        .collect()
}

fn assert_close(what: &str, got: &Value, want: f64, tolerance: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
    assert!(
        (got - want).abs() <= tolerance * want.abs().max(1e-12),
        "{what}: evaluation.json says {got}, recomputed {want}"
    );
}

/// Recomputes one window's figures over the areas and compares them.
fn check_window(
    what: &str,
    w: &Value,
    codes: &[(String, f64)],
    by_month: &BTreeMap<(String, String), u64>,
) {
    assert_eq!(
        w["left_out"],
        serde_json::json!([]),
        "{what}: the demo has no gaps"
    );
    let flagged: BTreeSet<&str> = w["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let is_flagged: Vec<bool> = codes
        .iter()
        .map(|(c, _)| flagged.contains(c.as_str()))
        .collect();
    let sum_flagged = |v: &[u64]| -> u64 {
        v.iter()
            .zip(&is_flagged)
            .filter(|(_, f)| **f)
            .map(|(n, _)| n)
            .sum()
    };
    let train = totals(by_month, codes, &months(&w["train"]));
    let test = totals(by_month, codes, &months(&w["test"]));
    let (big_n1, n1) = (train.iter().sum::<u64>(), sum_flagged(&train));
    let (big_n, n) = (test.iter().sum::<u64>(), sum_flagged(&test));
    assert!(
        big_n > 0 && n > 0,
        "{what}: a test that can fail needs hits"
    );
    for (key, want) in [
        ("train_events", big_n1),
        ("flagged_train_events", n1),
        ("test_events", big_n),
        ("hits", n),
    ] {
        assert_eq!(w[key], want, "{what}: {key}");
    }
    let areas: Vec<f64> = codes.iter().map(|(_, a)| *a).collect();
    let total: f64 = areas.iter().sum();
    let flagged_area: f64 = areas
        .iter()
        .zip(&is_flagged)
        .filter(|(_, f)| **f)
        .map(|(a, _)| a)
        .sum();
    let share = flagged_area / total;
    let hit_rate = n as f64 / big_n as f64;
    let pai = hit_rate / share;
    // n*: areas by test events per m², densest first, the last one pro rata.
    let mut order: Vec<usize> = (0..codes.len()).filter(|&i| test[i] > 0).collect();
    order.sort_by(|&i, &j| (test[j] as f64 / areas[j]).total_cmp(&(test[i] as f64 / areas[i])));
    let (mut left, mut best) = (flagged_area, 0.0);
    for i in order {
        let take = areas[i].min(left);
        best += test[i] as f64 * take / areas[i];
        left -= take;
    }
    let rri = (n as f64 / n1 as f64) / (big_n as f64 / big_n1 as f64);
    // Ellipsoidal areas against the engine's planar ones: shares agree to well under 0.1%.
    assert_close(
        &format!("{what}: area_share"),
        &w["area_share"],
        share,
        1e-3,
    );
    assert_close(
        &format!("{what}: hit_rate"),
        &w["hit_rate"],
        hit_rate,
        1e-12,
    );
    assert_close(&format!("{what}: pai"), &w["pai"], pai, 1e-3);
    assert_close(&format!("{what}: pei"), &w["pei"], n as f64 / best, 1e-3);
    assert_close(&format!("{what}: rri"), &w["rri"], rri, 1e-12);
}

#[test]
fn evaluation_json_agrees_with_counts_and_area_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
        &[],
        0,
    );
    let results = dir.path().join("results");
    let m = manifest(&results);
    assert!(
        m["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "evaluation.json"),
        "{}",
        m["outputs"]
    );
    let police = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "police")
        .unwrap();
    let slug = "violence_and_sexual_offences";
    let at = police["slugs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s == slug)
        .unwrap();
    let label = police["measures"][at].as_str().unwrap();
    let by_month = monthly(&read_csv(&results.join("counts.csv")), label);
    let read_json = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(results.join(name)).unwrap()).unwrap()
    };
    let codes = geodesic_areas(&read_json("areas.geojson"));
    let doc = read_json("evaluation.json");
    let evaluations = doc["evaluations"].as_array().unwrap();
    assert_eq!(evaluations.len(), 2);
    for e in evaluations {
        let name = e["name"].as_str().unwrap();
        assert_eq!(e["category"], slug);
        let units = e["units"].as_array().unwrap();
        let areas = units.iter().find(|u| u["kind"] == "areas").unwrap();
        let cells = units.iter().find(|u| u["kind"] == "grid").unwrap();
        assert_eq!(areas["units"], codes.len());
        let split = &areas["split"];
        assert_eq!(
            (months(&split["train"]), months(&split["test"])),
            (
                ("2023-01".to_string(), "2024-06".to_string()),
                ("2024-07".to_string(), "2025-12".to_string())
            ),
            "{name}: the 36 months split in halves"
        );
        check_window(&format!("{name} split"), split, &codes, &by_month);
        let windows = areas["rolling"]["windows"].as_array().unwrap();
        assert_eq!(
            windows.len(),
            36 - 12,
            "{name}: one origin a month after the first year"
        );
        assert_eq!(
            months(&windows[0]["test"]),
            ("2024-01".into(), "2024-01".into())
        );
        check_window(&format!("{name} rolling 0"), &windows[0], &codes, &by_month);
        check_window(
            &format!("{name} rolling last"),
            &windows[23],
            &codes,
            &by_month,
        );
        let pai: Vec<f64> = windows.iter().map(|w| w["pai"].as_f64().unwrap()).collect();
        assert_close(
            &format!("{name}: mean PAI"),
            &areas["rolling"]["mean"]["pai"]["value"],
            pai.iter().sum::<f64>() / pai.len() as f64,
            1e-12,
        );
        // The same events, counted in cells instead of areas.
        for key in ["train_events", "test_events"] {
            assert_eq!(cells["split"][key], split[key], "{name}: grid {key}");
        }
        if e["units"][0]["hotspots"]["method"] == "top_share" {
            // The top 5% of 175 areas: 9, by train-month events, ties by boundary order.
            let train = totals(&by_month, &codes, &months(&split["train"]));
            let mut order: Vec<usize> = (0..codes.len()).collect();
            order.sort_by(|&i, &j| train[j].cmp(&train[i]).then(i.cmp(&j)));
            let top: BTreeSet<&str> = order[..9].iter().map(|&i| codes[i].0.as_str()).collect();
            let flagged: BTreeSet<&str> = split["flagged"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(flagged, top, "{name}");
        }
        assert!(
            stdout.contains(&format!(
                "evaluation {name}: {} hotspots of 2023-01 to 2024-06 against 2024-07 to 2025-12: {} of 175 areas",
                areas["hotspots"]["method"].as_str().unwrap(),
                split["flagged_units"]
            )),
            "{stdout}"
        );
    }
}
