//! Time analyses on the synthetic city (reading its ground_truth.json) and on real
//! month-only Plymouth data: emerging hot spot classes of the planted new, intensifying and
//! diminishing hotspots, the night-time-economy hot spot and its hour-of-week profile, the
//! study summary against counts.csv, change per area; and the refusal of an hour window on
//! a month-precision source.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
mod serving;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    safemap_ok(
        &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
        &[],
        0,
    );
    dir
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// The planted groups by kind, and the areas in no group and no halo.
fn planted(dir: &Path) -> (BTreeMap<String, Vec<String>>, BTreeSet<String>) {
    let truth = json(&dir.join("ground_truth.json"));
    let mut groups = BTreeMap::new();
    let mut near = BTreeSet::new();
    for p in truth["patterns"].as_array().unwrap() {
        groups.insert(p["kind"].as_str().unwrap().to_string(), codes(&p["areas"]));
        near.extend(codes(&p["areas"]));
        near.extend(codes(&p["halo"]));
    }
    let rows = read_csv(&dir.join("results/areas.csv"));
    let background = rows
        .iter()
        .map(|r| r["code"].clone())
        .filter(|c| !near.contains(c))
        .collect();
    (groups, background)
}

fn area_properties(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    json(&dir.join("results/areas.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["properties"].clone();
            (p["code"].as_str().unwrap().to_string(), p)
        })
        .collect()
}

#[test]
fn synthetic_city_time_figures_match_what_was_planted() {
    let dir = demo();
    let d = dir.path();
    let (groups, background) = planted(d);
    let props = area_properties(d);

    // Emerging hot spots (quarters, one lag): each planted time pattern gets its class in
    // at least 3 of its 4 areas (the variance of the others hides an area now and then),
    // and background areas almost never get one of these classes.
    for (kind, class) in [
        ("new_hotspot", "new_hot_spot"),
        ("intensifying_hotspot", "intensifying_hot_spot"),
        ("diminishing_hotspot", "diminishing_hot_spot"),
    ] {
        let areas = &groups[kind];
        let got: Vec<&str> = areas
            .iter()
            .map(|c| props[c]["violence_trend_emerging"].as_str().unwrap())
            .collect();
        let hits = got.iter().filter(|g| **g == class).count();
        assert!(hits * 4 >= areas.len() * 3, "{kind}: {got:?}");
        let false_hits = background
            .iter()
            .filter(|c| props[*c]["violence_trend_emerging"] == class)
            .count();
        assert!(
            false_hits * 20 <= background.len(),
            "{class}: {false_hits} of {} background areas",
            background.len()
        );
    }
    let em = json(&d.join("results/emerging.geojson"));
    let features = em["features"].as_array().unwrap();
    let cells = features
        .iter()
        .filter(|f| f["properties"]["level"] == "cell")
        .count();
    assert!(cells > 100, "grid cells are classed too: {cells}");
    let m = manifest(&d.join("results"));
    assert_eq!(
        m["time"]["emerging"][0]["slices"].as_array().unwrap().len(),
        12
    );

    // The night-time economy: the hot spot with the largest Gi* z of violence with injury
    // in Friday and Saturday nights is in the planted group, and the group's hour-of-week
    // profile of force events peaks in those nights.
    let nte = &groups["night_time_economy"];
    let top = props
        .values()
        .filter(|p| p["nte_violence_gi_star_z"].is_f64())
        .max_by(|a, b| {
            a["nte_violence_gi_star_z"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["nte_violence_gi_star_z"].as_f64().unwrap())
        })
        .unwrap();
    assert!(
        nte.contains(&top["code"].as_str().unwrap().to_string()),
        "top NTE hot spot {}",
        top["code"]
    );
    let mut profile = BTreeMap::<(String, u32), u64>::new();
    for r in read_csv(&d.join("results/hour_of_week.csv")) {
        if r["source"] == "force" && r["scope"] == "area" && nte.contains(&r["id"]) {
            *profile
                .entry((r["weekday"].clone(), r["hour"].parse().unwrap()))
                .or_default() += r["count"].parse::<u64>().unwrap();
        }
    }
    let (peak, _) = profile.iter().max_by_key(|(_, c)| **c).unwrap();
    let night = |(day, h): &(String, u32)| {
        (matches!(day.as_str(), "fri" | "sat") && *h >= 21)
            || (matches!(day.as_str(), "sat" | "sun") && *h <= 2)
    };
    assert!(night(peak), "the NTE group's busiest hour is {peak:?}");
    let share = |c: &String| props[c]["force_nte_share"].as_f64().unwrap();
    let group_share = nte.iter().map(share).sum::<f64>() / nte.len() as f64;
    let rest_share = background.iter().map(share).sum::<f64>() / background.len() as f64;
    assert!(
        group_share > 2.0 * rest_share,
        "{group_share} vs {rest_share}"
    );

    // The summary: totals per measure equal counts.csv summed over the two periods, and
    // the percentage change follows from them.
    let counts = read_csv(&d.join("results/counts.csv"));
    let summary = read_csv(&d.join("results/summary.csv"));
    let police_all = summary
        .iter()
        .find(|r| r["source"] == "police" && r["measure"] == "all")
        .unwrap();
    assert_eq!(police_all["period"], "2025-01 to 2025-12");
    assert_eq!(police_all["previous_period"], "2024-01 to 2024-12");
    let measure_col = counts[0]
        .keys()
        .find(|k| k.as_str() == "category" || k.as_str() == "measure")
        .unwrap()
        .clone();
    let total = |year: &str| -> u64 {
        counts
            .iter()
            .filter(|r| r["source"] == "police" && r["month"].starts_with(year))
            .filter(|r| !r[&measure_col].starts_with("flag_"))
            .map(|r| r["count"].parse::<u64>().unwrap())
            .sum()
    };
    let (now, before) = (total("2025"), total("2024"));
    assert_eq!(police_all["count"].parse::<u64>().unwrap(), now);
    assert_eq!(police_all["previous_count"].parse::<u64>().unwrap(), before);
    let pct: f64 = police_all["change_pct"].parse().unwrap();
    assert!((pct - 100.0 * (now as f64 / before as f64 - 1.0)).abs() < 1e-9);
    let ranks: BTreeSet<usize> = summary
        .iter()
        .filter(|r| r["source"] == "police" && !r["rank"].is_empty())
        .map(|r| r["rank"].parse().unwrap())
        .collect();
    assert_eq!(ranks.first(), Some(&1));

    // Change per area: the new hotspot (final quarter of 2025 only) rose significantly.
    for c in &groups["new_hotspot"] {
        assert_eq!(props[c]["violence_change_change_class"], "increase", "{c}");
    }
    let change = read_csv(&d.join("results/change.csv"));
    assert!(change
        .iter()
        .any(|r| r["source"] == "force" && r["measure"] == "flag_domestic_abuse"));
}

#[test]
fn plymouth_month_only_data_has_trends_and_change_but_no_hours() {
    let out = tempfile::tempdir().unwrap();
    let study = plymouth_study(
        out.path(),
        "study.toml",
        None,
        r#"
[weights]
kind = "queen"

[time]
period = "2019-01..2019-02"
previous = "2018-11..2018-12"

[[emerging]]
name = "monthly"
source = "police"
slice = "month"
permutations = 99

[[change]]
name = "winter"
source = "police"
"#,
    );
    let results = out.path().join("results");
    run_into(&study, &results);
    let m = manifest(&results);
    assert_eq!(
        m["time"]["emerging"][0]["slices"].as_array().unwrap().len(),
        5
    );
    assert_eq!(m["time"]["changes"][0]["period"], "2019-01 to 2019-02");
    let rows = read_csv(&results.join("areas.csv"));
    assert!(rows.iter().all(|r| !r.contains_key("police_nte_share")));
    let props = area_properties(out.path());
    let classes: BTreeSet<&str> = props
        .values()
        .map(|p| p["monthly_emerging"].as_str().unwrap())
        .collect();
    assert!(!classes.is_empty());
    assert!(props.values().all(|p| p["winter_change_class"].is_string()));

    // An hour window on police.uk data is refused, saying why.
    let study = plymouth_study(
        out.path(),
        "study.toml",
        None,
        r#"
[weights]
kind = "queen"

[[analysis]]
name = "nights"
source = "police"
window = "nte"
statistics = ["gi_star"]
"#,
    );
    let res = safemap(
        &[
            "run",
            study.to_str().unwrap(),
            "--out",
            results.to_str().unwrap(),
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert_ne!(res.status.code(), Some(0));
    assert!(
        stderr.contains("month-precision") && stderr.contains("police.uk publishes only the month"),
        "{stderr}"
    );
}

/// The study's own night-time-economy window reaches the server: `window=nte` counts the
/// hours `[time] nte` names, not the default ones.
#[test]
fn the_server_counts_the_study_nte_window() {
    let dir = serving::demo_dir();
    let study = std::fs::read_to_string(dir.join("study.toml"))
        .unwrap()
        .replace(
            "output_dir = \"results\"",
            "output_dir = \"results-sat-late\"",
        )
        .replace(
            "[time]\nperiod = \"2025\"\n",
            "[time]\nperiod = \"2025\"\nnte = { days = \"sat\", hours = \"22-23\" }\n",
        );
    assert!(study.contains("hours = \"22-23\""), "the window is set");
    let path = dir.join("study-sat-late.toml");
    std::fs::write(&path, study).unwrap();
    safemap_ok(&["run", path.to_str().unwrap()], &[], 0);
    let results = dir.join("results-sat-late");
    let mut want = BTreeMap::<String, u64>::new();
    for r in read_csv(&results.join("counts_by_hour.csv")) {
        let late = r["weekday"] == "sat" && matches!(r["hour"].as_str(), "22" | "23");
        if r["source"] == "force" && late && !r["category"].starts_with("flag_") {
            *want.entry(r["code"].clone()).or_default() += r["count"].parse::<u64>().unwrap();
        }
    }
    let s = serving::Server::start(&results, &dir.join("analyst.token"), &[]);
    let layers = s.json("/api/layers", true);
    let force = layers["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "force")
        .unwrap();
    let nte = force["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "nte")
        .unwrap();
    assert_eq!(
        (nte["days"].as_str(), nte["hours"].as_str()),
        (Some("sat"), Some("22-23"))
    );
    let answer = s.json("/api/areas.json?source=force&category=all&window=nte", true);
    let mut compared = 0;
    for a in answer["areas"].as_array().unwrap() {
        let code = a["code"].as_str().unwrap();
        assert_eq!(
            a["count"].as_u64().unwrap(),
            want.get(code).copied().unwrap_or(0),
            "{code}"
        );
        compared += 1;
    }
    assert!(compared > 100 && want.values().sum::<u64>() > 0);
}
