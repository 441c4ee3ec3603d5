//! `format = "events_parquet"`: the demo city's force events written as Parquet, with typed
//! columns (timestamps, floats, booleans), give exactly the study its `force.csv` gives:
//! every output byte for byte (counts, rates, statistics, grids, time analyses), the same
//! row accounting, and the same rejects (row numbers for line numbers).
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use polars::prelude::{
    BooleanChunked, Column, DataFrame, Float64Chunked, Int64Chunked, IntoColumn, NewChunkedArray,
    ParquetWriter, StringChunked, TimeUnit,
};
use std::collections::BTreeMap;
use std::path::Path;

/// `force.csv` as Parquet: each column typed when every non-empty value parses as its type
/// (empty values become nulls), else text, so rows the CSV reader rejects keep their text.
fn force_csv_to_parquet(csv: &Path, parquet: &Path) -> Vec<String> {
    let rows = read_csv(csv);
    let header: Vec<String> = rows[0].keys().cloned().collect();
    let values = |name: &str| -> Vec<&str> { rows.iter().map(|r| r[name].as_str()).collect() };
    let typed = |name: &str, parse: &dyn Fn(&str) -> bool| {
        values(name).iter().all(|v| v.is_empty() || parse(v))
    };
    let time = |v: &str| chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M").ok();
    let mut kinds = Vec::new();
    let columns: Vec<Column> = header
        .iter()
        .map(|name| {
            let v = values(name);
            let (kind, column) = if typed(name, &|s| time(s).is_some()) {
                let ms = v
                    .iter()
                    .map(|s| time(s).map(|t| t.and_utc().timestamp_millis()));
                let c = Int64Chunked::from_iter_options(name.into(), ms)
                    .into_datetime(TimeUnit::Milliseconds, None);
                ("timestamp", c.into_column())
            } else if typed(name, &|s| matches!(s, "yes" | "no")) {
                let b = v.iter().map(|s| (!s.is_empty()).then_some(*s == "yes"));
                (
                    "boolean",
                    BooleanChunked::from_iter_options(name.into(), b).into_column(),
                )
            } else if typed(name, &|s| s.parse::<f64>().is_ok()) {
                let f = v.iter().map(|s| s.parse::<f64>().ok());
                (
                    "float",
                    Float64Chunked::from_iter_options(name.into(), f).into_column(),
                )
            } else {
                let s = v.iter().map(|s| (!s.is_empty()).then_some(*s));
                (
                    "text",
                    StringChunked::from_iter_options(name.into(), s).into_column(),
                )
            };
            kinds.push(format!("{name}: {kind}"));
            column
        })
        .collect();
    let mut frame = DataFrame::new_infer_height(columns).unwrap();
    ParquetWriter::new(std::fs::File::create(parquet).unwrap())
        .finish(&mut frame)
        .unwrap();
    kinds
}

/// Every file of a folder by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn force_events_as_parquet_give_the_same_study_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    safemap_ok(
        &["demo", "--no-serve", "--out", demo.to_str().unwrap()],
        &[],
        0,
    );
    let kinds = force_csv_to_parquet(&demo.join("force.csv"), &demo.join("force.parquet"));
    for typed in [
        "occurred_at: timestamp",
        "easting: float",
        "northing: float",
        "domestic_abuse: boolean",
    ] {
        assert!(kinds.iter().any(|k| k == typed), "{kinds:?}");
    }
    let study = std::fs::read_to_string(demo.join("study.toml")).unwrap();
    let csv_source = "format = \"events_csv\"\npaths = [\"force.csv\"]";
    assert!(
        study.contains(csv_source),
        "the demo study changed: {study}"
    );
    let parquet_study = study
        .replace(
            csv_source,
            "format = \"events_parquet\"\npaths = [\"force.parquet\"]",
        )
        .replace(
            "output_dir = \"results\"",
            "output_dir = \"results-parquet\"",
        );
    std::fs::write(demo.join("study-parquet.toml"), parquet_study).unwrap();
    safemap_ok(
        &["run", demo.join("study-parquet.toml").to_str().unwrap()],
        &[],
        0,
    );

    let (from_csv, from_parquet) = (
        files(&demo.join("results")),
        files(&demo.join("results-parquet")),
    );
    assert_eq!(
        from_csv.keys().collect::<Vec<_>>(),
        from_parquet.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &from_csv {
        if name != "manifest.json" && name != "rejects.csv" {
            assert!(
                bytes == &from_parquet[name],
                "{name} differs between the CSV and Parquet runs"
            );
        }
    }
    for name in [
        "areas.csv",
        "counts.csv",
        "counts_by_hour.csv",
        "areas.geojson",
    ] {
        assert!(from_csv.contains_key(name), "{name} missing");
    }
    let (a, b) = (
        manifest(&demo.join("results")),
        manifest(&demo.join("results-parquet")),
    );
    let (a, b) = (accounting(&a, "force"), accounting(&b, "force"));
    assert!(a["read"].as_u64().unwrap() > 1000, "{a}");
    for key in [
        "read",
        "joined",
        "outside",
        "rejected",
        "outside_area",
        "outside_period",
        "rejected_by_reason",
    ] {
        assert_eq!(a[key], b[key], "accounting.{key}");
    }

    // The same rejects: the CSV's line N is the Parquet file's row N - 1 (line 1 is the header).
    let rejects = |dir: &str| -> Vec<BTreeMap<String, String>> {
        read_csv(&demo.join(dir).join("rejects.csv"))
            .into_iter()
            .filter(|r| r["input"] == "force")
            .collect()
    };
    let (csv_rejects, parquet_rejects) = (rejects("results"), rejects("results-parquet"));
    assert_eq!(csv_rejects.len(), parquet_rejects.len());
    for (c, p) in csv_rejects.iter().zip(&parquet_rejects) {
        assert!(
            c["file"].ends_with("force.csv") && p["file"].ends_with("force.parquet"),
            "{c:?} {p:?}"
        );
        let line = |r: &BTreeMap<String, String>| r["line"].parse::<u64>().unwrap();
        assert_eq!(line(c), line(p) + 1, "{c:?} {p:?}");
        for key in ["column", "value", "reason"] {
            assert_eq!(c[key], p[key], "{c:?} {p:?}");
        }
    }
}

/// The loop back from a distributed engine: the police counts of the demo's `counts.csv`, as
/// the cube Sedona or Dask writes (area, category, month, count; a month partition per
/// folder), loaded with `format = "counts_parquet"`, give the same counts per area, category
/// and month, and a results directory `serve` can load.
#[test]
fn a_count_cube_loads_back_as_a_code_joined_source() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    safemap_ok(
        &["demo", "--no-serve", "--out", demo.to_str().unwrap()],
        &[],
        0,
    );
    let counts: Vec<_> = read_csv(&demo.join("results/counts.csv"))
        .into_iter()
        .filter(|r| r["source"] == "police" && !r["category"].starts_with("flag_"))
        .collect();
    let mut months: BTreeMap<String, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for r in &counts {
        months.entry(r["month"].clone()).or_default().push(r);
    }
    for (month, rows) in &months {
        let text = |name: &str| {
            StringChunked::from_iter_values(name.into(), rows.iter().map(|r| r[name].as_str()))
                .into_column()
        };
        let n = rows.iter().map(|r| r["count"].parse::<i64>().unwrap());
        let mut frame = DataFrame::new_infer_height(vec![
            text("code"),
            text("category"),
            Int64Chunked::from_iter_values("count".into(), n).into_column(),
        ])
        .unwrap();
        let part = demo.join("cube").join(format!("month={month}"));
        std::fs::create_dir_all(&part).unwrap();
        ParquetWriter::new(std::fs::File::create(part.join("part-0.parquet")).unwrap())
            .finish(&mut frame)
            .unwrap();
    }
    // The demo study's areas and settings (all before its first source), the cube as source.
    let demo_study = std::fs::read_to_string(demo.join("study.toml")).unwrap();
    let (settings, _) = demo_study.split_once("[[source]]").unwrap();
    let settings = settings.replace(
        r#"output_dir = "results""#,
        r#"output_dir = "results-cube""#,
    );
    let cube_source = r#"[[source]]
name = "police"
format = "counts_parquet"
paths = ["cube/*/*.parquet"]
join = "code"

[source.columns]
area_code = "code"
time = "month"
category = "category"
count = "count"
"#;
    std::fs::write(demo.join("study-cube.toml"), settings + cube_source).unwrap();
    safemap_ok(
        &["run", demo.join("study-cube.toml").to_str().unwrap()],
        &[],
        0,
    );
    let cube_counts: Vec<_> = read_csv(&demo.join("results-cube/counts.csv"));
    let key = |r: &BTreeMap<String, String>| {
        [
            &r["code"],
            &r["source"],
            &r["category"],
            &r["month"],
            &r["count"],
        ]
        .map(String::clone)
    };
    let mut expected: Vec<_> = counts.iter().map(key).collect();
    let mut got: Vec<_> = cube_counts.iter().map(key).collect();
    expected.sort();
    got.sort();
    assert!(!expected.is_empty());
    assert_eq!(got, expected, "counts.csv of the cube study");
    let total: u64 = counts
        .iter()
        .map(|r| r["count"].parse::<u64>().unwrap())
        .sum();
    let m = manifest(&demo.join("results-cube"));
    let a = accounting(&m, "police");
    assert_eq!(
        (a["read"].as_u64(), a["joined"].as_u64()),
        (Some(total), Some(total)),
        "{a}"
    );
    // Areas the demo had data for in every month carry the same totals.
    let original = read_csv(&demo.join("results/areas.csv"));
    let loaded = read_csv(&demo.join("results-cube/areas.csv"));
    let mut compared = 0;
    for (o, l) in original.iter().zip(&loaded) {
        assert_eq!(o["code"], l["code"]);
        if !o["police_all_count"].is_empty() {
            assert_eq!(
                o["police_all_count"], l["police_all_count"],
                "{}",
                o["code"]
            );
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared} areas compared");
    let data = safemap_server::dataset::load(&demo.join("results-cube")).unwrap();
    assert_eq!(data.areas.len(), original.len());
}
