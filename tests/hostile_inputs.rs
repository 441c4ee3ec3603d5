//! Inputs that try to exhaust or fool the run: decompression bombs, endless lines, symbolic
//! link loops and duplicates in a globbed folder, a boundary of 500,000 vertices. Every
//! input is generated here, in a temporary folder.
#![allow(clippy::unwrap_used)] // fixture helpers: a failed unwrap is a failed test

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";

/// Four police.uk rows: three in the two squares of `tests/bad_input/two_squares.geojson`
/// (A1 west, A2 east), one east of both.
const ROWS: &str =
    ",2019-01,Test Police,Test Police,-4.17,50.38,On or near A Street,A1,West,Burglary,,\n\
,2019-01,Test Police,Test Police,-4.12,50.38,On or near B Street,A2,East,Burglary,,\n\
,2019-01,Test Police,Test Police,-4.16,50.37,On or near C Street,A1,West,Robbery,,\n\
,2019-01,Test Police,Test Police,-4.00,50.38,On or near D Street,,,Robbery,,\n";

/// Writes `study.toml` in `dir`: the two squares, and one police.uk source of `paths`
/// joined spatially, then `extra` (e.g. a `[limits]` table).
fn study(dir: &Path, boundaries: &Path, paths: &str, extra: &str) -> PathBuf {
    let path = dir.join("study.toml");
    std::fs::write(
        &path,
        format!(
            "[study]\nname = \"hostile inputs\"\noutput_dir = \"out\"\n\n\
             [boundaries]\npath = {:?}\nid_field = \"code\"\nname_field = \"name\"\n\n\
             [[source]]\nname = \"police\"\nformat = \"police_uk\"\npaths = [{paths:?}]\njoin = \"spatial\"\n\n{extra}",
            boundaries.display().to_string(),
        ),
    )
    .unwrap();
    path
}

fn two_squares() -> PathBuf {
    root().join("tests/bad_input/two_squares.geojson")
}

/// One gzip member holding `bytes`.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A gzip file of `head` followed by `repeat` copies of `block`, written as concatenated
/// gzip members (one stream to `gzip -d` and to safemap), so that a file expanding to
/// gigabytes takes milliseconds to write.
fn gzip_bomb(path: &Path, head: &str, block: &[u8], repeat: usize) {
    let member = gzip(block);
    let mut out = gzip(head.as_bytes());
    for _ in 0..repeat {
        out.extend_from_slice(&member);
    }
    std::fs::write(path, out).unwrap();
}

/// Runs `safemap args` and waits at most `limit` (a guard against a hang, not a timing):
/// `None` if it had to be killed.
fn safemap_within(args: &[&str], limit: Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safemap"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(child.wait_with_output().unwrap())
}

/// Runs `safemap run study` and returns the exit code and standard error.
fn run_err(study: &Path, out: &Path) -> (Option<i32>, String) {
    let o = safemap(
        &[
            "run",
            study.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The attack's case: a gzip file that expands to 2 GiB of zeros after the header, with no
/// line ending. Before, it was one row at 4.2 GB resident and exit 0.
#[test]
fn a_gzip_bomb_of_zeros_stops_at_the_line_limit() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("2019-01-test-street.csv.gz");
    gzip_bomb(&bomb, HEADER, &vec![0u8; 1 << 20], 2048);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 << 20);
    let s = study(dir.path(), &two_squares(), "*.csv.gz", "");
    let (code, err) = run_err(&s, &dir.path().join("out"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&bomb.display().to_string()), "{err}");
    assert!(
        err.contains("line 2 is longer than 1024 KiB") && err.contains("raise max_line_kib"),
        "{err}"
    );
}

/// Rows that compress a thousand times: stopped by the expansion limit, or, with that
/// raised, by the decompressed-size limit, each named with how to raise it.
#[test]
fn a_gzip_bomb_of_rows_stops_at_the_expansion_and_size_limits() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("2019-01-test-street.csv.gz");
    let block = ROWS.repeat((1 << 20) / ROWS.len());
    gzip_bomb(&bomb, HEADER, block.as_bytes(), 1024);
    let s = study(dir.path(), &two_squares(), "*.csv.gz", "");
    let (code, err) = run_err(&s, &dir.path().join("out"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&bomb.display().to_string()), "{err}");
    assert!(
        err.contains("expands more than 100 times when decompressed")
            && err.contains("raise max_expansion_ratio in the study's [limits] table"),
        "{err}"
    );
    let s = study(
        dir.path(),
        &two_squares(),
        "*.csv.gz",
        "[limits]\nmax_expansion_ratio = 100000\nmax_decompressed_mib = 16\n",
    );
    let (code, err) = run_err(&s, &dir.path().join("out"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("expands to more than 16 MiB when decompressed, after line")
            && err.contains("raise max_decompressed_mib"),
        "{err}"
    );
    // The same rows, 1 MiB of them, read under the default limits.
    let small = dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    gzip_bomb(
        &small.join("2019-01-test-street.csv.gz"),
        HEADER,
        block.as_bytes(),
        1,
    );
    let s = study(&small, &two_squares(), "*.csv.gz", "");
    let out = small.join("out");
    run_into(&s, &out);
    let rows = (block.len() / ROWS.len() * 4) as u64;
    assert_eq!(four_numbers(accounting(&manifest(&out), "police"))[0], rows);
}

/// A line longer than the limit is an error for its file, naming the line; the limit is
/// the study's.
#[test]
fn an_over_long_line_is_an_error_naming_the_line_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2019-01-test-street.csv");
    let long = format!(
        ",2019-01,Test Police,Test Police,-4.17,50.38,{},A1,West,Burglary,,\n",
        "x".repeat(5000)
    );
    std::fs::write(&file, format!("{HEADER}{ROWS}{long}{ROWS}")).unwrap();
    let s = study(
        dir.path(),
        &two_squares(),
        "*.csv",
        "[limits]\nmax_line_kib = 4\n",
    );
    let (code, err) = run_err(&s, &dir.path().join("out"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!("{} line 6 is longer than 4 KiB", file.display()))
            && err.contains("raise max_line_kib in the study's [limits] table"),
        "{err}"
    );
    // Under the default limit (1 MiB) the line is a row like any other.
    let s = study(dir.path(), &two_squares(), "*.csv", "");
    let out = dir.path().join("out");
    run_into(&s, &out);
    assert_eq!(four_numbers(accounting(&manifest(&out), "police"))[0], 9);
}

/// A `**` glob over a folder with two links back up: before, the run read one file 41 times
/// for one loop and never ended with two. Now each folder is searched once, the file read
/// once, and the links reported.
#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_globbed_folder_is_searched_once() {
    let dir = tempfile::tempdir().unwrap();
    let police = dir.path().join("police");
    std::fs::create_dir(&police).unwrap();
    std::fs::write(
        police.join("2019-01-test-street.csv"),
        format!("{HEADER}{ROWS}"),
    )
    .unwrap();
    std::os::unix::fs::symlink(".", police.join("again")).unwrap();
    std::os::unix::fs::symlink("..", police.join("up")).unwrap();
    let s = study(dir.path(), &two_squares(), "police/**/*.csv", "");
    let out = dir.path().join("out");
    let o = safemap_within(
        &["run", s.to_str().unwrap(), "--out", out.to_str().unwrap()],
        Duration::from_mins(5),
    )
    .expect("the run ends");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let m = manifest(&out);
    let a = accounting(&m, "police");
    assert_eq!(four_numbers(a), [4, 3, 1, 0]);
    let skipped: Vec<(&str, &str)> = a["skipped_paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    let again = police.join("again").display().to_string();
    let up = police.join("up/police").display().to_string();
    assert_eq!(
        skipped,
        [(again.as_str(), "folder"), (up.as_str(), "folder")]
    );
    assert!(
        stdout.contains(&format!(
            "not read again: {again} leads to {}, already searched",
            police.display()
        )),
        "{stdout}"
    );
    let inputs: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["role"] == "source:police")
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
}

/// A link beside its target: before, its rows were counted twice. Now the target is read
/// once and the link reported, so every physical line is counted once.
#[cfg(unix)]
#[test]
fn a_symlink_beside_its_target_is_read_once_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let police = dir.path().join("police");
    std::fs::create_dir(&police).unwrap();
    let target = police.join("2019-01-test-street.csv");
    std::fs::write(&target, format!("{HEADER}{ROWS}")).unwrap();
    let copy = police.join("2019-01-copy-street.csv");
    std::os::unix::fs::symlink("2019-01-test-street.csv", &copy).unwrap();
    let s = study(dir.path(), &two_squares(), "police/*.csv", "");
    let out = dir.path().join("out");
    let stdout = run_into(&s, &out);
    let m = manifest(&out);
    let a = accounting(&m, "police");
    assert_eq!(four_numbers(a), [4, 3, 1, 0]);
    assert_eq!(
        a["skipped_paths"],
        serde_json::json!([{
            "path": copy.display().to_string(),
            "same_as": target.display().to_string(),
            "kind": "file",
        }])
    );
    assert!(
        stdout.contains(&format!(
            "not read again: {} is the same file as {}, read once",
            copy.display(),
            target.display()
        )),
        "{stdout}"
    );
}

/// A boundary of one area with 500,000 vertices reads, validates as a valid polygon and
/// joins. Before, validation alone took about 30 minutes (quadratic: 75 s at 100,000).
/// Speed is measured in `benches/boundaries.rs`, not here.
#[test]
fn a_500000_vertex_boundary_reads_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let boundaries = dir.path().join("big.geojson");
    std::fs::write(
        &boundaries,
        safemap_synth::stress::many_vertex_area(500_000, (-4.15, 50.38), 0.05, "BIG"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("2019-01-test-street.csv"),
        format!("{HEADER}{ROWS}"),
    )
    .unwrap();
    let s = study(dir.path(), &boundaries, "*.csv", "");
    let stdout = safemap_ok(&["validate", s.to_str().unwrap()], &[], 0);
    assert!(
        stdout.contains("areas: 1 (0 invalid polygons kept"),
        "{stdout}"
    );
    assert!(
        stdout.contains("source police: read 4 = joined 3 + outside 1 + rejected 0"),
        "{stdout}"
    );
}
