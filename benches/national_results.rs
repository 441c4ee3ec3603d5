//! The national results directory shared by the server benches: the one named by
//! `SAFEMAP_BENCH_NATIONAL_RESULTS`, or a fresh run of `tests/studies/national.toml`.

use safemap_engine::{RunOptions, Study};
use std::path::{Path, PathBuf};

/// The national results: the directory named by `SAFEMAP_BENCH_NATIONAL_RESULTS`, or a
/// fresh run of `tests/studies/national.toml` in `tmp`.
pub fn national_results(tmp: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SAFEMAP_BENCH_NATIONAL_RESULTS") {
        return PathBuf::from(dir);
    }
    let study_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/studies/national.toml");
    let study = Study::load(&study_path).expect("tests/studies/national.toml loads");
    let out = tmp.join("national");
    let started = std::time::Instant::now();
    safemap_engine::run(
        &study,
        &RunOptions {
            out_dir: Some(out.clone()),
        },
    )
    .expect("the national study runs");
    eprintln!(
        "national study run into {} in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    out
}
