//! Writes the inputs of the national E2SFCA bench (`benches/access.rs`) and safemap's result
//! on them, so `benches/peers.py` runs PySAL `access` and a scipy cKDTree version on exactly
//! the same points and checks their answers against safemap's. Not a timing:
//!
//! ```sh
//! cargo run --profile bench -p safemap-benches --example access_inputs -- OUTDIR
//! ```
//!
//! writes, every number at full precision (Rust's shortest round-trip form):
//!
//! - `OUTDIR/demand.csv`: `code,x,y,population`, one row per LSOA11 in the boundary file's
//!   order (centroid in British National Grid metres, mid-2019 population);
//! - `OUTDIR/services.csv`: `id,x,y`, the 10,000 seeded services (BNG metres);
//! - `OUTDIR/safemap_e2sfca.csv`: `code,access`, safemap's E2SFCA per area (3 km, weights
//!   1 / 0.68 / 0.22, capacity 1; 0 where no service is in reach).

use safemap_benches::access_inputs::{e2sfca_from_points, national_access_inputs};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Creates `path` and writes `header` then one line per item of `rows`.
fn write_csv(path: &Path, header: &str, rows: impl Iterator<Item = String>) {
    let file =
        File::create(path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    let mut out = BufWriter::new(file);
    let write = |out: &mut BufWriter<File>, line: &str| {
        writeln!(out, "{line}").unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    };
    write(&mut out, header);
    for row in rows {
        write(&mut out, &row);
    }
    out.flush()
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn main() {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .expect("usage: access_inputs OUTDIR (the directory to write the CSV files into)")
        .into();
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let inputs = national_access_inputs();
    let result = e2sfca_from_points(&inputs);
    write_csv(
        &dir.join("demand.csv"),
        "code,x,y,population",
        inputs
            .codes
            .iter()
            .zip(&inputs.areas)
            .zip(&inputs.population)
            .map(|((code, p), pop)| format!("{code},{:?},{:?},{pop:?}", p.x, p.y)),
    );
    write_csv(
        &dir.join("services.csv"),
        "id,x,y",
        inputs
            .services
            .iter()
            .enumerate()
            .map(|(j, s)| format!("{j},{:?},{:?}", s.x, s.y)),
    );
    write_csv(
        &dir.join("safemap_e2sfca.csv"),
        "code,access",
        inputs
            .codes
            .iter()
            .zip(&result.access)
            .map(|(code, a)| format!("{code},{a:?}")),
    );
    eprintln!(
        "access_inputs: {} areas, {} services and safemap's E2SFCA written to {}",
        inputs.areas.len(),
        inputs.services.len(),
        dir.display()
    );
}
