//! Writes `boundaries/demo-city.geojson`, the boundaries of the default synthetic city.
//!
//! `cargo run -p safemap-synth --example write_demo_boundaries`

use safemap_synth::{generate, CityParams};
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../boundaries/demo-city.geojson");
    std::fs::write(&path, generate(&CityParams::default()).boundaries_geojson())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
