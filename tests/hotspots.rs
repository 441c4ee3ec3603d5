//! The planted hotspots of the synthetic city are found: Gi* at FDR 5% flags each pattern's
//! areas (recall >= 0.9) and at most 5% of the areas outside every pattern. Reads the city's
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
            &["new_hotspot", "intensifying_hotspot"][..],
        ),
        ("violence_2023", &["diminishing_hotspot"][..]),
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
            recall >= 0.9,
            "{analysis}: recall {recall} ({found} of {targets:?})"
        );
        let false_hot = background.iter().filter(|c| hot.contains(*c)).count();
        let share = false_hot as f64 / background.len() as f64;
        assert!(
            share <= 0.05,
            "{analysis}: {false_hot} background areas flagged hot ({share})"
        );
    }
}
