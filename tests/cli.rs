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

/// A study file named without a folder (`safemap validate study.toml`, run in its folder)
/// finds its inputs relative to the current folder, with paths as written.
#[test]
fn a_study_named_without_a_folder_finds_its_inputs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .args(["validate", "under_threshold.toml"])
        .current_dir(root().join("tests/bad_input"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("source police: read 4 = joined 2 + outside 0 + rejected 2"),
        "{stdout}"
    );
}

/// The run summary compares the spatial join with the source's own area codes only when
/// those are codes of the boundaries: police.uk's LSOA codes against LSOA-coded boundaries,
/// not against wards.
#[test]
fn code_agreement_is_reported_only_for_the_same_geography() {
    let run = |study: &str| {
        let out = tempfile::tempdir().unwrap();
        let o = out.path().to_str().unwrap();
        let stdout = safemap_ok(&["run", study, "--out", o], &[], 0);
        (stdout, accounting(&manifest(out.path()), "police").clone())
    };
    // Three rows are located: two in the area their code names, one coded ZZZ999.
    let (stdout, a) = run("tests/code_agreement/lsoa_boundaries.toml");
    assert_eq!(a["joined"], 3, "{a}");
    assert_eq!(a["code_agreement"]["agree"], 2, "{a}");
    assert!(
        stdout.contains("spatial area = the source's own area code for 66.67% of 3 joined rows"),
        "{stdout}"
    );
    let (stdout, a) = run("tests/code_agreement/ward_boundaries.toml");
    assert_eq!(a["joined"], 3, "{a}");
    assert!(a.get("code_agreement").is_none(), "{a}");
    assert!(!stdout.contains("own area code"), "{stdout}");
}

/// Asserts that stderr is exactly `error: {message}` once, and that the message's first
/// clause appears once (no cause printed twice).
fn assert_one_error(args: &[&str], message: &str) {
    let (code, err) = stderr_of(args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    assert_eq!(err, format!("error: {message}\n"), "{args:?}");
    let clause = message.split(": ").nth(1).unwrap_or(message);
    assert_eq!(err.matches(clause).count(), 1, "{err}");
}

#[test]
fn each_error_is_printed_once() {
    let reread = "check the path, which is relative to the folder of the study file";
    for command in ["run", "validate"] {
        assert_one_error(
            &[command, "tests/bad_input/missing_population.toml"],
            "population: cannot read tests/bad_input/no-such-population.csv: check that the \
             file exists, is readable and is not truncated: No such file or directory (os error 2)",
        );
        assert_one_error(
            &[command, "tests/bad_input/glob_matches_nothing.toml"],
            &format!("source \"police\": no file matches \"no-such-force/*-street.csv\": {reread}"),
        );
        assert_one_error(
            &[command, "tests/bad_input/wrong_id_field.toml"],
            "boundaries: feature 0 (0-based) of tests/bad_input/two_squares.geojson has no \
             \"LSOA11CD\" property (it has: code, name); set id_field / name_field in the \
             study's [boundaries] table to the right property",
        );
        assert_one_error(
            &[command, "tests/bad_input/wrong_column.toml"],
            "population: column \"population\" is not in the header (line 1) of \
             tests/bad_input/population.csv; its columns are: code, residents. Fix the column \
             name in the study file's mapping",
        );
        assert_one_error(
            &[command, "tests/bad_input/does-not-exist.toml"],
            "cannot read study file tests/bad_input/does-not-exist.toml: No such file or \
             directory (os error 2)",
        );
    }
}

#[test]
fn a_stray_quote_costs_one_row() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    safemap_ok(
        &["run", "tests/bad_input/unbalanced_quote.toml", "--out", o],
        &[],
        0,
    );
    // 8 data lines: line 4 opens a quote that never closes; the 7 others are read.
    let m = manifest(out.path());
    assert_eq!(four_numbers(accounting(&m, "police")), [8, 7, 0, 1]);
    let rejects = read_csv(&out.path().join("rejects.csv"));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["file"], "quote-street.csv");
    assert_eq!(rejects[0]["line"], "4");
    assert_eq!(rejects[0]["column"], "Location");
    assert_eq!(
        rejects[0]["value"],
        "\"On or near C Street,A1,West,Burglary,Under investigation,"
    );
    assert!(
        rejects[0]["reason"].starts_with("unbalanced quote"),
        "{rejects:?}"
    );
}

/// A study of `police` (a police.uk file) joined to Plymouth's LSOAs, written into `dir`.
fn plymouth_study(dir: &std::path::Path, police: &std::path::Path) -> std::path::PathBuf {
    let study = dir.join("study.toml");
    let boundaries = data("boundaries/uk-geojson/lsoa11/E06000026.json");
    std::fs::write(
        &study,
        format!(
            "[study]\nname = \"stray quote\"\noutput_dir = \"out\"\n\n\
             [boundaries]\npath = {:?}\nid_field = \"LSOA11CD\"\nname_field = \"LSOA11NM\"\n\n\
             [[source]]\nname = \"police\"\nformat = \"police_uk\"\npaths = [{:?}]\njoin = \"spatial\"\n",
            boundaries.display().to_string(),
            police.display().to_string(),
        ),
    )
    .expect("write the study file");
    study
}

#[test]
fn a_stray_quote_in_a_real_police_file_costs_one_row() {
    let source = data("police/devon-and-cornwall/2019-01-devon-and-cornwall-street.csv");
    let text = std::fs::read_to_string(&source).unwrap();
    let data_lines = text.lines().count() as u64 - 1;
    // A `"` before the Location text of line 7 (a Cornwall row, outside Plymouth).
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let at = lines[6].match_indices(',').nth(5).unwrap().0 + 1;
    lines[6].insert(at, '"');
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("2019-01-stray-quote-street.csv");
    std::fs::write(&broken, lines.join("\n") + "\n").unwrap();

    let run = |police: &std::path::Path, name: &str| {
        let study_dir = dir.path().join(name);
        std::fs::create_dir(&study_dir).unwrap();
        let out = study_dir.join("out");
        let study = plymouth_study(&study_dir, police);
        run_into(&study, &out);
        let m = manifest(&out);
        (
            four_numbers(accounting(&m, "police")),
            read_csv(&out.join("rejects.csv")),
        )
    };
    let ([read, joined, outside, rejected], _) = run(&source, "clean");
    assert_eq!(read, data_lines);
    let (broken_numbers, rejects) = run(&broken, "broken");
    // Every line is still counted: only line 7 moves from outside to rejected.
    assert_eq!(
        broken_numbers,
        [data_lines, joined, outside - 1, rejected + 1]
    );
    let stray: Vec<_> = rejects
        .iter()
        .filter(|r| r["reason"].starts_with("unbalanced quote"))
        .collect();
    assert_eq!(stray.len(), 1, "{stray:?}");
    assert_eq!(stray[0]["line"], "7");
    assert_eq!(stray[0]["column"], "Location");
    assert!(stray[0]["value"].starts_with("\"On or near"), "{stray:?}");
}

#[test]
fn validate_and_run_agree_on_exit_codes() {
    // Every study in tests/studies (the national one included: its run takes about 15 s in
    // the test profile), every study of the bad-input corpus, and a missing study file.
    let mut studies: Vec<String> = Vec::new();
    for dir in ["tests/studies", "tests/bad_input"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.extension().is_some_and(|e| e == "toml") {
                studies.push(format!("{dir}/{name}"));
            }
        }
    }
    studies.push("tests/bad_input/does-not-exist.toml".to_string());
    studies.sort();
    let mut seen = std::collections::BTreeSet::new();
    for study in &studies {
        let out = tempfile::tempdir().unwrap();
        let (validate, validate_err) = stderr_of(&["validate", study]);
        let (run, run_err) = stderr_of(&["run", study, "--out", out.path().to_str().unwrap()]);
        assert_eq!(
            validate, run,
            "{study}: validate and run disagree\nvalidate:\n{validate_err}\nrun:\n{run_err}"
        );
        assert_eq!(validate_err, run_err, "{study}: the same messages");
        seen.insert(run);
    }
    // The corpus exercises every exit code.
    assert_eq!(
        seen,
        [Some(0), Some(1), Some(2)].into_iter().collect(),
        "{studies:?}"
    );
}

#[test]
fn the_demo_says_its_missing_coordinates_are_planted() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &["demo", "--no-serve", "--out", dir.path().to_str().unwrap()],
        &[],
        0,
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("planted by the synthetic city"))
        .unwrap_or_else(|| panic!("no line about planted rejects:\n{stdout}"));
    let planted: u64 = line
        .split_whitespace()
        .find_map(|w| w.replace(',', "").parse().ok())
        .unwrap();
    // The number is what the run rejected, and what the city's police files hold.
    let m = manifest(&dir.path().join("results"));
    let rejected = &accounting(&m, "police")["rejected_by_reason"]["no coordinates"];
    assert_eq!(rejected.as_u64(), Some(planted), "{line}");
    let mut without_location = 0;
    for entry in std::fs::read_dir(dir.path().join("police")).unwrap() {
        without_location += read_csv(&entry.unwrap().path())
            .iter()
            .filter(|r| r["Longitude"].is_empty() && r["Latitude"].is_empty())
            .count() as u64;
    }
    assert_eq!(without_location, planted);
    assert!(line.contains("rejects.csv"), "{line}");
}

#[test]
fn bad_periods_exit_2_naming_the_key_and_value() {
    let base =
        std::fs::read_to_string(root().join("tests/bad_input/under_threshold.toml")).unwrap();
    let grid =
        "[grid]\nshape = \"square\"\ncell_size_m = 250\nsource = \"police\"\nthreshold_m = 500\n";
    let density = "[density]\nsource = \"police\"\ncell_size_m = 100\n";
    let analysis = "[weights]\nkind = \"queen\"\n[[analysis]]\nname = \"a\"\nsource = \"police\"\nstatistics = [\"gi_star\"]\n";
    let cases = [
        (
            format!("{grid}period = {{ from = \"2023-13\", to = \"2024-01\" }}\n"),
            "`grid.period.from`",
            "\"2023-13\" is not a month; expected YYYY-MM",
        ),
        (
            format!("{density}period = {{ from = \"2024-01\", to = \"2024-1\" }}\n"),
            "`density.period.to`",
            "\"2024-1\" is not a month",
        ),
        (
            format!("{analysis}period = {{ from = \"2024-02\", to = \"2024-01\" }}\n"),
            "`analysis[0].period`",
            "from (2024-02) is after to (2024-01)",
        ),
        (
            "[period]\nfrom = \"2019-06\"\nto = \"2019-05\"\n".to_string(),
            "`period`",
            "from (2019-06) is after to (2019-05)",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, (extra, key, what)) in cases.iter().enumerate() {
        let study = dir.path().join(format!("bad_period_{i}.toml"));
        std::fs::write(&study, format!("{base}\n{extra}")).unwrap();
        let out = dir.path().join(format!("out_{i}"));
        for args in [
            vec!["validate", study.to_str().unwrap()],
            vec![
                "run",
                study.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        ] {
            let (code, err) = stderr_of(&args);
            assert_eq!(code, Some(2), "{args:?}: {err}");
            assert!(err.contains(key) && err.contains(what), "{args:?}: {err}");
            assert!(err.contains(&format!("bad_period_{i}.toml")), "{err}");
        }
        assert!(!out.exists(), "a bad study writes nothing");
    }
}
