//! Property tests of disclosure control (issue 16): for any rule and any set of nested
//! counts of one area, what [`DisclosureRule::protect`] publishes gives away no small count,
//! directly or by subtracting one published count from another that nests it.

use proptest::prelude::*;
use safemap_results::disclosure::{DisclosureRule, Published};

/// A tree of nested cells (cell 0 all events; every other cell inside its parent, a cell of
/// lower index) with exact counts that nest: a cell's count is its own events plus its
/// children's. Returns the counts and each cell's ancestors.
fn nested_cells() -> impl Strategy<Value = (Vec<u64>, Vec<Vec<usize>>)> {
    (1usize..40).prop_flat_map(|n| {
        let parents = (1..n).map(|i| 0..i).collect::<Vec<_>>();
        let own = proptest::collection::vec(prop_oneof![0u64..4, 0u64..30, 0u64..500], n);
        (parents, own).prop_map(|(parents, own)| {
            let mut exact = own;
            for i in (1..exact.len()).rev() {
                exact[parents[i - 1]] += exact[i];
            }
            let ancestors = (0..exact.len())
                .map(|i| {
                    let mut chain = Vec::new();
                    let mut at = i;
                    while at > 0 {
                        at = parents[at - 1];
                        chain.push(at);
                    }
                    chain
                })
                .collect();
            (exact, ancestors)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn published_counts_give_away_no_small_count(
        (exact, ancestors) in nested_cells(),
        suppress_max in prop_oneof![Just(7u64), 0u64..12],
        round_to in prop_oneof![Just(5u64), 1u64..12],
    ) {
        let rule = DisclosureRule { suppress_max, round_to };
        let out = rule.protect(&exact, &ancestors);
        prop_assert_eq!(out.len(), exact.len());
        for (i, published) in out.iter().enumerate() {
            let Published::Shown(v) = *published else { continue };
            prop_assert!(!rule.is_small(exact[i]), "small count {} shown as {}", exact[i], v);
            prop_assert_eq!(v % round_to, 0, "{} not rounded to {}", v, round_to);
            prop_assert!(v.abs_diff(exact[i]) <= round_to / 2, "{} shown as {}", exact[i], v);
            for &a in &ancestors[i] {
                if let Published::Shown(_) = out[a] {
                    let difference = exact[a] - exact[i];
                    prop_assert!(
                        !rule.is_small(difference),
                        "cells {} ({}) and {} ({}) both shown: their difference {} is small",
                        a, exact[a], i, exact[i], difference
                    );
                }
            }
        }
        // Nothing coarser is suppressed to protect something finer: a cell with no ancestors
        // is shown exactly when primary control shows it.
        for (i, published) in out.iter().enumerate() {
            if ancestors[i].is_empty() {
                prop_assert_eq!(*published, rule.primary(exact[i]));
            }
        }
    }
}
