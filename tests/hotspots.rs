//! The planted hotspots of the synthetic city are found: Gi* at FDR 5% flags each pattern's
//! areas (recall >= 0.9; 0.75 where two strong patterns share the period, as their variance
//! hides a few areas of each other from Gi*) and at most 5% of the areas outside every pattern. Reads the city's
//! ground_truth.json; areas bordering a pattern (its "halo") count neither way, since Gi*
//! rightly sees their hot neighbours.

mod common;
use common::*;
use std::collections::BTreeSet;

#[test]
fn planted_hotspots_are_flagged_at_fdr_5_percent() {
    let dir = tempfile::tempdir().unwrap();
    safemap_ok(
        &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
        &[],
        0,
    );
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("ground_truth.json")).unwrap())
            .unwrap();
    let rows = read_csv(&dir.path().join("results/areas.csv"));
    let codes = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let patterns = truth["patterns"].as_array().unwrap();
    let pattern = |kind: &str| {
        codes(
            &patterns
                .iter()
                .find(|p| p["kind"] == kind)
                .unwrap_or_else(|| panic!("{kind}"))["areas"],
        )
    };
    let planted: BTreeSet<String> = patterns.iter().flat_map(|p| codes(&p["areas"])).collect();
    let halo: BTreeSet<String> = patterns.iter().flat_map(|p| codes(&p["halo"])).collect();
    let background: BTreeSet<&String> = rows
        .iter()
        .map(|r| &r["code"])
        .filter(|c| !planted.contains(*c) && !halo.contains(*c))
        .collect();
    assert!(
        background.len() > 50,
        "enough background areas to test false positives"
    );

    // Each analysis of the demo study and the patterns planted in its slice of the data.
    for (analysis, kinds) in [
        ("ed_assaults", &["night_time_economy"][..]),
        ("domestic_abuse", &["domestic_abuse", "service_gap"][..]),
        (
            "violence_2025",
            &["intensifying_hotspot", "diminishing_hotspot"][..],
        ),
        (
            "violence_2023",
            &["intensifying_hotspot", "diminishing_hotspot"][..],
        ),
    ] {
        let column = format!("{analysis}_gi_star_class_fdr");
        let hot: BTreeSet<&String> = rows
            .iter()
            .filter(|r| matches!(r[&column].as_str(), "hot_95" | "hot_99"))
            .map(|r| &r["code"])
            .collect();
        let targets: BTreeSet<String> = kinds.iter().flat_map(|k| pattern(k)).collect();
        let found = targets.iter().filter(|c| hot.contains(c)).count();
        let recall = found as f64 / targets.len() as f64;
        assert!(
            recall
                >= if kinds.len() > 1 && analysis.starts_with("violence") {
                    0.75
                } else {
                    0.9
                },
            "{analysis}: recall {recall} ({found} of {targets:?})"
        );
        let false_hot = background.iter().filter(|c| hot.contains(*c)).count();
        let share = false_hot as f64 / background.len() as f64;
        assert!(
            share <= 0.05,
            "{analysis}: {false_hot} background areas flagged hot ({share})"
        );
    }

    // [grid]: every selected event is in exactly one kept cell, and the busiest cell is hot.
    let grid: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results/grid.geojson")).unwrap())
            .unwrap();
    let cells = grid["features"].as_array().unwrap();
    let in_cells: u64 = cells
        .iter()
        .map(|c| c["properties"]["count"].as_u64().unwrap())
        .sum();
    let violence: u64 = rows
        .iter()
        .map(|r| {
            r["police_violence_and_sexual_offences_count"]
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    let m = manifest(&dir.path().join("results"));
    assert_eq!(
        in_cells + m["grid"]["events_outside_cells"].as_u64().unwrap(),
        violence
    );
    // The manifest names each correction as the class columns do (`…_class_{correction}`).
    assert_eq!(m["grid"]["correction"], "fdr");
    for a in m["analyses"].as_array().unwrap() {
        for l in a["local"].as_array().unwrap() {
            let column = format!(
                "{}_{}_class_{}",
                a["name"].as_str().unwrap(),
                l["statistic"].as_str().unwrap(),
                l["correction"].as_str().unwrap()
            );
            assert!(rows[0].contains_key(&column), "no column {column}");
        }
    }
    let busiest = cells
        .iter()
        .max_by_key(|c| c["properties"]["count"].as_u64().unwrap())
        .unwrap();
    assert!(
        matches!(
            busiest["properties"]["gi_star_class_fdr"].as_str(),
            Some("hot_95" | "hot_99")
        ),
        "{busiest}"
    );
    // [density]: the surface integrates to the number of events (less what the kernel
    // spreads beyond the raster's edge).
    let asc = std::fs::read_to_string(dir.path().join("results/density.asc")).unwrap();
    let cell: f64 = asc
        .lines()
        .find_map(|l| l.strip_prefix("cellsize "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mass: f64 = asc
        .lines()
        .skip(6)
        .flat_map(str::split_whitespace)
        .map(|v| v.parse::<f64>().unwrap())
        .sum::<f64>()
        * (cell / 1000.0).powi(2);
    let events = violence as f64;
    assert!(
        (mass - events).abs() / events < 0.05,
        "density mass {mass} vs {events} events"
    );
}
