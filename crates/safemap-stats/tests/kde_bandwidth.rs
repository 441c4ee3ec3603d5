//! The spatial Silverman bandwidth rule (ArcGIS Pro's Kernel Density default) against hand
//! computations.

use safemap_stats::kde::{BandwidthRule, KdeError, KdePoints};

const RULE: BandwidthRule = BandwidthRule::SpatialSilverman;

/// √(1/ln 2).
const K: f64 = 1.201_122_408_786_449_8;

fn h(xs: &[f64], ys: &[f64]) -> f64 {
    RULE.bandwidth(&KdePoints::new(xs, ys).expect("points"))
        .expect("bandwidth")
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} vs {b}");
}

#[test]
fn standard_distance_branch() {
    // Four corners of a 10 × 20 rectangle and its centre. Mean centre (5, 10); distances
    // √125 (four times) and 0: Dm = √125 ≈ 11.18; SD = √(4·125/5) = 10; √(1/ln 2)·Dm ≈
    // 13.43 > SD, so h = 0.9 · 10 · 5^(-0.2).
    let got = h(&[0.0, 10.0, 0.0, 10.0, 5.0], &[0.0, 0.0, 20.0, 20.0, 10.0]);
    close(got, 0.9 * 10.0 * 0.724_779_663_677_695_5);
    close(got, 6.523_016_973_099_26);
}

#[test]
fn median_distance_branch_odd_and_even() {
    // Four points at 0 and one at 100 on a line: mean 20; distances 20 ×4, 80: Dm = 20;
    // SD = √((4·400 + 6400)/5) = 40 > K·20 ≈ 24.02, so h = 0.9 · K · 20 · 5^(-0.2).
    let got = h(&[0.0, 0.0, 0.0, 0.0, 100.0], &[0.0; 5]);
    close(got, 0.9 * K * 20.0 * 5f64.powf(-0.2));
    // Even count: 0, 1, 3, 10: mean 3.5; distances 3.5, 2.5, 0.5, 6.5; Dm = (2.5 + 3.5)/2
    // = 3; SD = √(61/4) ≈ 3.905 > K·3 ≈ 3.603.
    let got = h(&[0.0, 1.0, 3.0, 10.0], &[0.0; 4]);
    close(got, 0.9 * K * 3.0 * 4f64.powf(-0.2));
}

#[test]
fn weights_count_as_points_and_unit_weights_change_nothing() {
    // Weights 1, 1, 1, 1, 4 on the line example: n = 8, mean 50, every distance 50:
    // SD = Dm = 50, h = 0.9 · 50 · 8^(-0.2).
    let xs = [0.0, 0.0, 0.0, 0.0, 100.0];
    let ys = [0.0; 5];
    let w = [1.0, 1.0, 1.0, 1.0, 4.0];
    let got = RULE
        .bandwidth(&KdePoints::weighted(&xs, &ys, &w).expect("points"))
        .expect("bandwidth");
    close(got, 0.9 * 50.0 * 8f64.powf(-0.2));
    // Unit weights give the unweighted rule exactly; zero-weight points take no part.
    let xs = [0.0, 1.0, 3.0, 10.0, 1.0e6];
    let ys = [0.0, 0.0, 0.0, 0.0, 5.0];
    let w = [1.0, 1.0, 1.0, 1.0, 0.0];
    let got = RULE
        .bandwidth(&KdePoints::weighted(&xs, &ys, &w).expect("points"))
        .expect("bandwidth");
    assert_eq!(got, h(&xs[..4], &ys[..4]));
}

#[test]
fn the_rule_does_not_depend_on_the_origin() {
    let xs = [0.0, 17.0, 3.5, 40.0, 22.0, 9.0];
    let ys = [0.0, 5.0, 30.0, 12.0, 8.0, 19.0];
    let shifted_x: Vec<f64> = xs.iter().map(|x| x + 451_000.0).collect();
    let shifted_y: Vec<f64> = ys.iter().map(|y| y + 120_000.0).collect();
    let a = h(&xs, &ys);
    let b = h(&shifted_x, &shifted_y);
    assert!((a - b).abs() < 1e-9 * a, "{a} vs {b}");
}

#[test]
fn degenerate_inputs_are_errors() {
    assert_eq!(
        RULE.bandwidth(&KdePoints::new(&[1.0], &[1.0]).expect("points")),
        Err(KdeError::TooFewPoints { n: 1 })
    );
    let e = RULE
        .bandwidth(&KdePoints::new(&[5.0, 5.0, 5.0], &[2.0, 2.0, 2.0]).expect("points"))
        .expect_err("coincident points");
    assert!(matches!(e, KdeError::DegenerateBandwidth { .. }), "{e}");
    assert!(e.to_string().contains("fixed bandwidth"));
}
