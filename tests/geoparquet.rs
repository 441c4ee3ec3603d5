//! `safemap export geoparquet` round-trips through DuckDB spatial from PyPI: the demo study's
//! export read with `read_parquet` and ST_ functions by `tests/duckdb/check_export.py`, which
//! checks that DuckDB understands the geometry and its CRS (EPSG:27700) and that the per-area
//! counts (by area code, by DuckDB's own point-in-polygon join with the `lowest_area_id` edge
//! rule, and from the cube) equal the run's `areas.csv`, and the cube its `counts.csv`.
//!
//! The pinned packages come from `tests/duckdb/venv.sh`. A machine that cannot make that
//! environment skips this test with a message, except in CI (`CI=true`), where it fails.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// The python of the DuckDB environment, or `None` (after saying why) outside CI.
fn duckdb_python() -> Option<String> {
    let out = Command::new("bash")
        .arg(root().join("tests/duckdb/venv.sh"))
        .output()
        .unwrap();
    if out.status.success() {
        return Some(String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the DuckDB environment cannot be made, and CI must run this test:\n{why}"
    );
    eprintln!("skipped: the DuckDB environment cannot be made here:\n{why}");
    None
}

/// `safemap export geoparquet STUDY --out OUT`.
fn export_args<'a>(study: &'a Path, out: &'a Path) -> [&'a str; 5] {
    let path = |p: &'a Path| p.to_str().unwrap();
    ["export", "geoparquet", path(study), "--out", path(out)]
}

#[test]
fn the_demo_export_round_trips_through_duckdb() {
    let Some(python) = duckdb_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let export = dir.path().join("export");
    safemap_ok(
        &["demo", "--no-serve", "--out", demo.to_str().unwrap()],
        &[],
        0,
    );
    let study = demo.join("study.toml");
    let said = safemap_ok(&export_args(&study, &export), &[], 0);
    assert!(said.contains("(analyst only)"), "{said}");
    assert!(export.join("areas.parquet").is_file());
    assert!(
        export.join("events").read_dir().unwrap().count() >= 36,
        "a partition per month"
    );
    let check = Command::new(python)
        .arg(root().join("tests/duckdb/check_export.py"))
        .args([&export, &demo.join("results")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        stdout.contains("agree with areas.csv and counts.csv"),
        "{stdout}"
    );
    // A second export into the same folder is refused: a glob must never mix two exports.
    let again = safemap(&export_args(&study, &export), &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("a previous export is there"));
    // Nor into a results directory: the events never sit among what `serve` reads.
    let results = demo.join("results");
    let into_results = safemap(&export_args(&study, &results), &[]);
    assert_eq!(into_results.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&into_results.stderr).contains("results directory"));
    assert!(!results.join("events").exists());
}
