//! Same inputs give byte-identical outputs whatever the thread count.

mod common;
use common::*;

#[test]
fn demo_outputs_identical_with_one_and_two_threads() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (dir, threads) in dirs.iter().zip(["1", "2"]) {
        safemap_ok(
            &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
            &[("RAYON_NUM_THREADS", threads)],
            0,
        );
    }
    for file in ["areas.geojson", "areas.csv", "counts.csv", "rejects.csv"] {
        let a = std::fs::read(dirs[0].path().join("results").join(file)).unwrap();
        let b = std::fs::read(dirs[1].path().join("results").join(file)).unwrap();
        assert!(a.len() > 100, "{file} is suspiciously small");
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
}

#[test]
fn plymouth_outputs_identical_with_one_and_two_threads() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (dir, threads) in dirs.iter().zip(["1", "2"]) {
        safemap_ok(
            &[
                "run",
                "tests/studies/plymouth.toml",
                "--out",
                dir.path().to_str().unwrap(),
            ],
            &[("RAYON_NUM_THREADS", threads)],
            0,
        );
    }
    for file in ["areas.geojson", "areas.csv", "rejects.csv"] {
        let a = std::fs::read(dirs[0].path().join(file)).unwrap();
        let b = std::fs::read(dirs[1].path().join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
}
