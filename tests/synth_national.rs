//! `safemap synth national`: a synthetic workload over real boundaries (here the 161
//! Plymouth LSOAs with their mid-2019 population) that `safemap run` takes as it is.

mod common;
use common::*;
use std::path::Path;

fn synth(out: &Path, events: usize, seed: u64) {
    let boundaries = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    let population = data("population/population19_lsoa11.csv");
    safemap_ok(
        &[
            "synth",
            "national",
            "--boundaries",
            boundaries.to_str().expect("UTF-8 path"),
            "--id-field",
            "LSOA11CD",
            "--population",
            population.to_str().expect("UTF-8 path"),
            "--code-column",
            "lsoa11_code",
            "--value-column",
            "total_population",
            "--events",
            &events.to_string(),
            "--services",
            "300",
            "--seed",
            &seed.to_string(),
            "--out",
            out.to_str().expect("UTF-8 path"),
        ],
        &[],
        0,
    );
}

#[test]
fn workload_is_reproducible_runs_as_written_and_follows_population() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    synth(&a, 150_000, 7);
    synth(&b, 150_000, 7);
    for f in ["events.csv", "services.csv", "hotspots.json"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs for the same seed"
        );
    }
    let results = a.join("results");
    let run = |study: &Path, out: &Path| {
        safemap_ok(
            &[
                "run",
                study.to_str().expect("UTF-8 path"),
                "--out",
                out.to_str().expect("UTF-8 path"),
            ],
            &[],
            0,
        )
    };
    run(&a.join("study.toml"), &results);
    // The Parquet copy of the events, read with the same column mapping, gives the same
    // counts and areas.
    let text = std::fs::read_to_string(a.join("study.toml")).unwrap();
    let parquet_study = a.join("study-parquet.toml");
    std::fs::write(
        &parquet_study,
        text.replace(r#"format = "events_csv""#, r#"format = "events_parquet""#)
            .replace(r#"paths = ["events.csv"]"#, r#"paths = ["events.parquet"]"#),
    )
    .unwrap();
    let from_parquet = a.join("results-parquet");
    run(&parquet_study, &from_parquet);
    for f in ["areas.csv", "counts.csv", "counts_by_hour.csv"] {
        assert!(
            std::fs::read(results.join(f)).unwrap() == std::fs::read(from_parquet.join(f)).unwrap(),
            "{f} from events.parquet differs from events.csv's"
        );
    }
    let m = manifest(&results);
    let [read, joined, outside, rejected] = four_numbers(accounting(&m, "events"));
    assert_eq!((read, rejected), (150_000, 0));
    // Background events are drawn inside the areas; only hotspot events (10%) spread by
    // 300 m can leave the city.
    assert!(
        outside < 15_000 && joined + outside == read,
        "{joined} {outside}"
    );

    // Background counts follow the residents: the counts correlate with the population.
    let areas = read_csv(&results.join("areas.csv"));
    assert_eq!(areas.len(), 161);
    let pairs: Vec<(f64, f64)> = areas
        .iter()
        .map(|r| {
            (
                r["population"].parse().unwrap(),
                r["events_all_count"].parse().unwrap(),
            )
        })
        .collect();
    let n = pairs.len() as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let cov: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = pairs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let vy: f64 = pairs.iter().map(|(_, y)| (y - my).powi(2)).sum();
    let r = cov / (vx * vy).sqrt();
    assert!(r > 0.6, "correlation of counts with population {r}");
    // The planted hotspot centres' areas have more events per resident than the rest.
    let hotspots: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(a.join("hotspots.json")).unwrap()).unwrap();
    let planted: std::collections::BTreeSet<&str> = hotspots
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    let rate = |keep: bool| {
        let (c, p) = areas
            .iter()
            .filter(|r| planted.contains(r["code"].as_str()) == keep)
            .fold((0.0, 0.0), |(c, p), r| {
                (
                    c + r["events_all_count"].parse::<f64>().unwrap(),
                    p + r["population"].parse::<f64>().unwrap(),
                )
            });
        c / p
    };
    assert!(
        rate(true) > 1.05 * rate(false),
        "{} vs {}",
        rate(true),
        rate(false)
    );
}
