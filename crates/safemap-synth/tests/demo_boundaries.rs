//! `boundaries/demo-city.geojson` is the boundary file of the default city.
//!
//! Regenerate it after a change to the generator with
//! `SAFEMAP_BLESS=1 cargo test -p safemap-synth --test demo_boundaries`
//! or `cargo run -p safemap-synth --example write_demo_boundaries`.

mod common;

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../boundaries/demo-city.geojson")
}

#[test]
fn committed_demo_boundaries_are_up_to_date() {
    let fresh = common::demo_city().boundaries_geojson();
    let path = committed_path();
    if std::env::var_os("SAFEMAP_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("boundaries/ is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is missing or stale: it differs from the default synthetic city's boundaries. Regenerate it with \
         `SAFEMAP_BLESS=1 cargo test -p safemap-synth --test demo_boundaries` (or \
         `cargo run -p safemap-synth --example write_demo_boundaries`) and commit it.",
        path.display()
    );
}
