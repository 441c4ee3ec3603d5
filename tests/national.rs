//! All England and Wales LSOA11 polygons against the 39 national police.uk files.

mod common;
use common::*;

#[test]
fn national_study_accounts_for_every_row() {
    let out = tempfile::tempdir().unwrap();
    let stdout = safemap_ok(
        &[
            "run",
            "tests/studies/national.toml",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &[],
        0,
    );
    let m = manifest(out.path());
    assert_eq!(m["areas"]["count"], 34_753);
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(
        inputs
            .iter()
            .filter(|i| i["role"] == "source:police")
            .count(),
        39
    );
    let a = accounting(&m, "police");
    let [read, joined, outside, _rejected] = four_numbers(a);
    assert_eq!(read, 334_367);
    assert!(joined > 300_000 && outside > 0, "{a}");
    let share = a["code_agreement"]["share"].as_f64().unwrap();
    assert!(
        (0.94..=0.95).contains(&share),
        "spatial LSOA = police.uk code share {share}"
    );
    assert!(
        stdout.contains("own area code"),
        "the summary reports the share:\n{stdout}"
    );
}
