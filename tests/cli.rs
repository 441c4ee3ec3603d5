//! Command-line behaviour: exit codes and messages for bad studies and inputs.

mod common;
use common::*;

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = safemap(args, &[]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn unknown_config_key_exits_2_naming_key_and_file() {
    let (code, err) = stderr_of(&["validate", "tests/bad_input/unknown_key.toml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(err.contains("unknown_key.toml"), "{err}");
}

#[test]
fn missing_input_file_exits_2_naming_the_pattern() {
    let (code, err) = stderr_of(&["run", "tests/bad_input/missing_file.toml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no-such-month-street.csv"), "{err}");
}

#[test]
fn missing_study_file_exits_2() {
    let (code, err) = stderr_of(&["run", "tests/bad_input/does-not-exist.toml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("does-not-exist.toml"), "{err}");
}

#[test]
fn unknown_area_code_is_rejected_with_line_and_value_and_threshold_sets_exit_1() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    // 2 of 4 rows rejected: above max_reject_share = 0.25, so exit code 1.
    safemap_ok(
        &["run", "tests/bad_input/unknown_area_code.toml", "--out", o],
        &[],
        1,
    );
    let rejects = read_csv(&out.path().join("rejects.csv"));
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    assert_eq!(rejects[0]["line"], "4");
    assert_eq!(rejects[0]["column"], "LSOA code");
    assert_eq!(rejects[0]["value"], "ZZZ999");
    assert_eq!(rejects[0]["reason"], "area code not in the boundary set");
    assert_eq!(rejects[1]["line"], "5");
    assert_eq!(rejects[1]["reason"], "no area code");
    let m = manifest(out.path());
    assert_eq!(four_numbers(accounting(&m, "police")), [4, 2, 0, 2]);
    // The same input under a looser threshold exits 0.
    safemap_ok(
        &["run", "tests/bad_input/under_threshold.toml", "--out", o],
        &[],
        0,
    );
}

#[test]
fn validate_prints_accounting_and_writes_nothing() {
    let stdout = safemap_ok(
        &["validate", "tests/bad_input/under_threshold.toml"],
        &[],
        0,
    );
    assert!(
        stdout.contains("source police: read 4 = joined 2 + outside 0 + rejected 2"),
        "{stdout}"
    );
    assert!(
        !root().join("tests/bad_input/out").exists(),
        "validate must not write outputs"
    );
}
