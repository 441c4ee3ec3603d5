//! Same inputs give a byte-identical results directory whatever the thread count: every
//! file the run writes, compared byte for byte, and the same list of files.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
use common::*;
use std::path::Path;

/// Every file of a results directory, by name, with its bytes.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The two runs wrote the same files, byte for byte; `expected` must be among them.
fn assert_identical(one: &Path, two: &Path, expected: &[&str]) {
    let (a, b) = (files_of(one), files_of(two));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the runs wrote different files");
    for name in expected {
        assert!(
            names(&a).iter().any(|n| n == name),
            "{name} was not written: {:?}",
            names(&a)
        );
    }
    // Every file the run lists in its manifest is compared (the manifest itself included).
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.join("manifest.json")).unwrap()).unwrap();
    for listed in manifest["outputs"].as_array().unwrap() {
        let listed = listed.as_str().unwrap();
        assert!(
            names(&a).iter().any(|n| n == listed),
            "{listed} is listed but missing"
        );
    }
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between 1 and 2 threads");
    }
}

/// Runs `args` (ending in `--out`, the directory added here) with 1 and then 2 threads
/// into the same directory, keeping the first results aside; returns both results
/// directories. The same directory both times: paths in the manifest are the same.
fn run_twice(args: &[&str], results_in: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let (out, kept) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let out_arg = out.path().to_str().unwrap();
    let with_out: Vec<&str> = args.iter().copied().chain([out_arg]).collect();
    safemap_ok(&with_out, &[("RAYON_NUM_THREADS", "1")], 0);
    let first = out.path().join(results_in);
    for e in std::fs::read_dir(&first).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::rename(&p, kept.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    safemap_ok(&with_out, &[("RAYON_NUM_THREADS", "2")], 0);
    (out, kept)
}

#[test]
fn demo_outputs_identical_with_one_and_two_threads() {
    let (out, kept) = run_twice(&["demo", "--no-serve", "--out"], "results");
    assert_identical(
        kept.path(),
        &out.path().join("results"),
        &[
            "areas.geojson",
            "areas.csv",
            "counts.csv",
            "counts_by_hour.csv",
            "coverage.csv",
            "rejects.csv",
            "weights.gal",
            "grid.geojson",
            "density.asc",
            "density.geojson",
            "services.geojson",
            "manifest.json",
        ],
    );
}

#[test]
fn plymouth_outputs_identical_with_one_and_two_threads() {
    let (out, kept) = run_twice(&["run", "tests/studies/plymouth.toml", "--out"], ".");
    assert_identical(
        kept.path(),
        out.path(),
        &[
            "areas.geojson",
            "areas.csv",
            "counts.csv",
            "rejects.csv",
            "manifest.json",
        ],
    );
}
