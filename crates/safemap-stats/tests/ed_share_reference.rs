//! The ED-versus-police share test against scipy (tests/reference/ed_share.json, regenerated
//! by scripts/reference/make_ed_reference.py: `scipy.stats.binomtest(k, n, p,
//! alternative="greater")`), to 1e-12.

use safemap_stats::share_above;
use serde_json::Value;

#[test]
fn share_above_equals_scipy_binomtest_greater() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/reference/ed_share.json"
    );
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("ed_share.json")).unwrap();
    let cases = data["share_above"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for c in cases {
        let (k, n, p) = (
            c["k"].as_u64().unwrap(),
            c["n"].as_u64().unwrap(),
            c["p"].as_f64().unwrap(),
        );
        let want = c["p_value"].as_f64().unwrap();
        let got = share_above(k, n, p).unwrap();
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "binomtest({k}, {n}, {p}, greater): {got} != {want}"
        );
    }
}
