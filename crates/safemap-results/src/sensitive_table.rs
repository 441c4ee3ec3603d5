//! Disclosure control of one area's published table of a sensitive source, proved by the
//! audit: no hidden count can be narrowed by combining every number the public sees.
//!
//! The method (documented for users in `docs/disclosure.md`):
//!
//! 1. **A small menu.** The public sees a sensitive source only over the whole study period,
//!    for all hours and (when times of day are known) the night-time-economy window, for
//!    all events, each category and each flag. Months, years and custom ranges are for the
//!    analyst role: a menu of nested periods lets sums of siblings pin hidden counts.
//! 2. **Zero is hidden too.** Counts from 0 to `suppress_max` are suppressed alike, so
//!    "suppressed" never means "at least 1".
//! 3. **Rounding** of every other count to the nearest `round_to`.
//! 4. **Secondary suppression** of any shown count whose difference from a shown count
//!    nesting it would be a small count (pairs), and then, until the audit passes, of the
//!    smallest shown count that shares events with a hidden count the public could narrow
//!    to less than the protection width.
//!
//! The audit gives the public more than it has: it is told which hidden counts are small
//! ones (at most `suppress_max`), and knows every structural fact of the menu (categories
//! add up to all events; a flag's events are some of them; the window's events are some of
//! all hours').

use crate::audit::{FeasibleRange, Infeasible, Knowledge};
use crate::disclosure::{DisclosureRule, Published};

/// One area's published cells of a sensitive source, as sums of exact atoms.
#[derive(Debug, Clone, Default)]
pub struct AreaTable {
    /// The exact count of each atom (the finest counts: category × part of the day, flag ×
    /// part of the day).
    pub atoms: Vec<u64>,
    /// Each published cell as the atoms it adds up.
    pub cells: Vec<Vec<usize>>,
    /// Structural facts the public knows: the atoms of `.0` count some of the events of `.1`.
    pub nested: Vec<(Vec<usize>, Vec<usize>)>,
    /// For each cell, the cells whose events include all of its own (pairwise rule).
    pub ancestors: Vec<Vec<usize>>,
}

impl AreaTable {
    /// The exact count of each cell.
    pub fn exact(&self) -> Vec<u64> {
        self.cells
            .iter()
            .map(|c| c.iter().map(|&a| self.atoms[a]).sum())
            .collect()
    }
}

impl DisclosureRule {
    /// The narrowest range the public may be able to put a hidden count in: as wide as the
    /// uncertainty of a shown, rounded count (`round_to - 1`), and never less than half the
    /// suppressed range. With the NHS rule (7, 5) it is 4: a hidden count is never known
    /// better than "one of five values".
    pub fn protection_width(&self) -> u64 {
        (self.round_to.saturating_sub(1)).max(self.suppress_max.div_ceil(2))
    }

    /// The exact counts a shown value `v` can stand for.
    pub fn shown_range(&self, v: u64) -> (u64, u64) {
        let r = self.round_to;
        let below = r / 2;
        let above = r - 1 - below;
        if v == 0 {
            // Only counts that round to 0 and are not suppressed.
            let hi = if self.suppress_max >= above { 0 } else { above };
            return (0, hi);
        }
        let lo = v.saturating_sub(below).max(self.suppress_max + 1);
        (lo, v + above)
    }

    /// Primary control for a sensitive source: counts from 0 to `suppress_max` suppressed
    /// alike, all others rounded.
    pub fn primary_hiding_zero(&self, n: u64) -> Published {
        if n == 0 {
            Published::Suppressed
        } else {
            self.primary(n)
        }
    }

    /// What the public knows of `table` after `published`, and more: which hidden counts
    /// are small.
    pub fn public_knowledge(&self, table: &AreaTable, published: &[Published]) -> Knowledge {
        let exact = table.exact();
        let mut k = Knowledge::new(table.atoms.len());
        for ((cell, shown), n) in table.cells.iter().zip(published).zip(exact) {
            match shown {
                Published::Shown(v) => {
                    let (lo, hi) = self.shown_range(*v);
                    k.bound(cell, lo, Some(hi));
                }
                Published::Suppressed if n <= self.suppress_max => {
                    k.bound(cell, 0, Some(self.suppress_max));
                }
                Published::Suppressed => {}
            }
        }
        for (part, whole) in &table.nested {
            k.at_most(part, whole);
        }
        k
    }

    /// The feasible range of every hidden cell of `table` given `published`.
    pub fn hidden_ranges(
        &self,
        table: &AreaTable,
        published: &[Published],
    ) -> Result<Vec<Option<FeasibleRange>>, Infeasible> {
        let k = self.public_knowledge(table, published);
        table
            .cells
            .iter()
            .zip(published)
            .map(|(cell, p)| match p {
                Published::Suppressed => k.range(cell).map(Some),
                Published::Shown(_) => Ok(None),
            })
            .collect()
    }

    /// Protects one area's table of a sensitive source (see the module docs): the result
    /// passes the audit, every hidden cell at least [`Self::protection_width`] wide.
    pub fn protect_sensitive(&self, table: &AreaTable) -> Result<Vec<Published>, Infeasible> {
        let exact = table.exact();
        let mut out: Vec<Published> = exact.iter().map(|&n| self.primary_hiding_zero(n)).collect();
        self.suppress_exposing_pairs(&exact, &table.ancestors, &mut out);
        let width = self.protection_width();
        loop {
            let ranges = self.hidden_ranges(table, &out)?;
            let Some(weak) = ranges
                .iter()
                .position(|r| r.is_some_and(|r| !r.is_at_least(width)))
            else {
                return Ok(out);
            };
            let shown = |j: &usize| out[*j] != Published::Suppressed;
            let related = |j: &usize| {
                table.cells[*j]
                    .iter()
                    .any(|a| table.cells[weak].contains(a))
            };
            let smallest = |js: Vec<usize>| js.into_iter().min_by_key(|&j| (exact[j], j));
            let pick = smallest((0..out.len()).filter(shown).filter(related).collect())
                .or_else(|| smallest((0..out.len()).filter(shown).collect()));
            match pick {
                Some(j) => out[j] = Published::Suppressed,
                // Everything is hidden: nothing more can be done (and the hidden cells are
                // then bounded by their own small-count facts only).
                None => return Ok(out),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NHS: DisclosureRule = DisclosureRule {
        suppress_max: 7,
        round_to: 5,
    };

    /// Total (all categories) and three categories, all hours only.
    fn three_categories(counts: [u64; 3]) -> AreaTable {
        AreaTable {
            atoms: counts.to_vec(),
            cells: vec![vec![0, 1, 2], vec![0], vec![1], vec![2]],
            nested: vec![],
            ancestors: vec![vec![], vec![0], vec![0], vec![0]],
        }
    }

    #[test]
    fn shown_ranges_are_the_counts_that_round_to_the_value() {
        assert_eq!(NHS.shown_range(10), (8, 12));
        assert_eq!(NHS.shown_range(15), (13, 17));
        assert_eq!(NHS.shown_range(0), (0, 0));
        for n in 8..200 {
            let Published::Shown(v) = NHS.primary(n) else {
                unreachable!()
            };
            let (lo, hi) = NHS.shown_range(v);
            assert!((lo..=hi).contains(&n), "{n} -> {v}");
        }
        assert_eq!(NHS.protection_width(), 4);
    }

    #[test]
    fn two_small_siblings_under_a_shown_total_are_protected() {
        // 13 = 7 + 6: the total shows as 15 (13..17); with the pairwise rule alone, the
        // two small categories would each be 6 or 7.
        let t = AreaTable {
            atoms: vec![7, 6],
            cells: vec![vec![0, 1], vec![0], vec![1]],
            nested: vec![],
            ancestors: vec![vec![], vec![0], vec![0]],
        };
        let pairwise_only = {
            let exact = t.exact();
            let mut out: Vec<Published> =
                exact.iter().map(|&n| NHS.primary_hiding_zero(n)).collect();
            NHS.suppress_exposing_pairs(&exact, &t.ancestors, &mut out);
            out
        };
        let ranges = NHS.hidden_ranges(&t, &pairwise_only).unwrap();
        assert!(
            ranges.iter().flatten().any(|r| !r.is_at_least(4)),
            "{ranges:?}"
        );
        let out = NHS.protect_sensitive(&t).unwrap();
        for r in NHS.hidden_ranges(&t, &out).unwrap().into_iter().flatten() {
            assert!(r.is_at_least(4), "{r:?}");
        }
    }

    #[test]
    fn zero_is_hidden_like_a_small_count_and_large_counts_stay_shown() {
        let t = three_categories([40, 0, 25]);
        let out = NHS.protect_sensitive(&t).unwrap();
        assert_eq!(out[0], Published::Shown(65));
        assert_eq!(out[1], Published::Shown(40));
        assert_eq!(out[2], Published::Suppressed, "zero is not shown");
        assert_eq!(out[3], Published::Shown(25));
        for r in NHS.hidden_ranges(&t, &out).unwrap().into_iter().flatten() {
            assert!(r.is_at_least(4), "{r:?}");
        }
    }

    #[test]
    fn random_tables_always_pass_the_audit() {
        // A small deterministic generator: tables of 3 categories and a flag, two parts of
        // the day (night-time economy and the rest), mostly small counts.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for _ in 0..200 {
            // Atoms: category c, part p at 2c + p; flag part p at 6 + p.
            let mut atoms: Vec<u64> = (0..6).map(|_| next(9)).collect();
            let night: u64 = (0..3).map(|c| atoms[2 * c]).sum();
            let rest: u64 = (0..3).map(|c| atoms[2 * c + 1]).sum();
            atoms.push(next(night + 1));
            atoms.push(next(rest + 1));
            let all_cats: Vec<usize> = (0..6).collect();
            let night_cats = vec![0, 2, 4];
            let mut cells = vec![all_cats.clone(), night_cats.clone()];
            for c in 0..3 {
                cells.push(vec![2 * c, 2 * c + 1]);
                cells.push(vec![2 * c]);
            }
            cells.push(vec![6, 7]);
            cells.push(vec![6]);
            // Ancestors: all-hours total of everything; each night cell's all-hours twin.
            let mut ancestors = vec![vec![], vec![0]];
            for c in 0..3 {
                let at = 2 + 2 * c;
                ancestors.push(vec![0]);
                ancestors.push(vec![0, 1, at]);
            }
            ancestors.push(vec![0]);
            ancestors.push(vec![0, 1, 8]);
            let t = AreaTable {
                atoms,
                cells,
                nested: vec![(vec![6], night_cats), (vec![7], vec![1, 3, 5])],
                ancestors,
            };
            let out = NHS.protect_sensitive(&t).unwrap();
            for (i, r) in NHS.hidden_ranges(&t, &out).unwrap().into_iter().enumerate() {
                if let Some(r) = r {
                    assert!(r.is_at_least(4), "cell {i} of {:?}: {r:?}", t.atoms);
                }
            }
        }
    }
}
