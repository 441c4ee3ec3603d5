//! Maximal covering location against PySAL `spopt`: the seeded instance and spopt's answer
//! (CBC through PuLP) in `tests/reference/mclp_spopt.json`, written by
//! `scripts/reference/make_access_reference.py`.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use safemap_access::{maximal_covering, CostMatrix, MclpMethod, MclpParams, Solver};
use serde_json::Value;

#[test]
fn the_exact_solution_covers_what_spopt_covers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/reference/mclp_spopt.json"
    );
    let r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let weights: Vec<f64> = r["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect();
    let cost: Vec<Vec<f64>> = r["cost"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_f64().unwrap())
                .collect()
        })
        .collect();
    let (n, m) = (cost.len(), cost[0].len());
    let triples = cost
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, &c)| (i, j, c)));
    let costs = CostMatrix::from_triples(n, m, triples).unwrap();
    let p = usize::try_from(r["p"].as_u64().unwrap()).unwrap();
    let radius = r["radius_m"].as_f64().unwrap();
    let spopt = r["spopt_covered_weight"].as_f64().unwrap();
    let exact = maximal_covering(
        &costs,
        &weights,
        None,
        &MclpParams::new(p, radius).solver(Solver::Exact),
    )
    .unwrap();
    assert_eq!(exact.method, MclpMethod::Exact);
    assert_eq!(exact.covered_after(), spopt, "sites {:?}", exact.sites());
    // Recomputed from the chosen sites, independently of the solver's own figure.
    let covered: f64 = (0..n)
        .filter(|&i| exact.sites().iter().any(|&j| cost[i][j] <= radius))
        .map(|i| weights[i])
        .sum();
    assert_eq!(covered, spopt);
    // The greedy heuristic never beats the optimum.
    let greedy = maximal_covering(
        &costs,
        &weights,
        None,
        &MclpParams::new(p, radius).solver(Solver::Greedy),
    )
    .unwrap();
    assert!(greedy.covered_after() <= spopt);
}
