//! Helpers shared by the end-to-end tests: run the real `safemap` binary, read its outputs.
#![allow(dead_code)] // each test file uses a different subset
#![allow(clippy::unwrap_used)] // test support: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `../shared/data` beside the checkout.
pub fn data(rel: &str) -> PathBuf {
    let p = root().join("../shared/data").join(rel);
    assert!(
        p.exists(),
        "test data missing: {} (the shared data must sit at ../shared/data)",
        p.display()
    );
    p
}

/// The Plymouth study (`tests/studies/plymouth.toml`) written to `dir/name` with its paths
/// absolute, its boundary file `boundaries` (the study's own when `None`), and `extra`
/// appended.
pub fn plymouth_study(dir: &Path, name: &str, boundaries: Option<&Path>, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("tests/studies/plymouth.toml")).unwrap();
    let shared = data("").canonicalize().unwrap();
    let mut text = text.replace("../../../shared/data/", &format!("{}/", shared.display()));
    if let Some(boundaries) = boundaries {
        let own = format!(
            "{}/boundaries/uk-geojson/lsoa11/E06000026.json",
            shared.display()
        );
        text = text.replace(&own, boundaries.to_str().unwrap());
    }
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
    path
}

/// Runs `safemap run study --out out`, which must succeed, and returns its standard output.
pub fn run_into(study: &Path, out: &Path) -> String {
    safemap_ok(
        &[
            "run",
            study.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
        0,
    )
}

/// Runs `safemap` with `args`, extra environment, no standard input.
pub fn safemap(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safemap"));
    cmd.args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run safemap")
}

/// Runs `safemap` and asserts the exit code; returns stdout.
pub fn safemap_ok(args: &[&str], env: &[(&str, &str)], code: i32) -> String {
    let out = safemap(args, env);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(code),
        "safemap {args:?}\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A CSV file as a list of column → value maps.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .map(String::from)
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// `manifest.json` of an output directory.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// The accounting object of source `name` in a manifest.
pub fn accounting<'a>(m: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let s = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap();
    &s["accounting"]
}

/// Asserts read = joined + outside + rejected and returns the four numbers.
pub fn four_numbers(a: &serde_json::Value) -> [u64; 4] {
    let n = |k: &str| a[k].as_u64().unwrap();
    let v = [n("read"), n("joined"), n("outside"), n("rejected")];
    assert_eq!(
        v[0],
        v[1] + v[2] + v[3],
        "read != joined + outside + rejected: {a}"
    );
    v
}
