//! Disclosure control of public numbers: primary suppression of small counts, rounding, and
//! secondary suppression over a set of nested published counts so that no suppressed count
//! can be recovered by subtracting two published ones.
//!
//! The rule follows the NHS convention by default (counts of 1 to 7 suppressed, all others
//! rounded to the nearest 5); `[disclosure]` in the study changes it.

use serde::{Deserialize, Serialize};

/// `[disclosure]` of the study file, as the manifest records it: small-number control of
/// public outputs (the NHS convention by default: counts of 1 to 7 suppressed, every other
/// count rounded to the nearest 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureSection {
    /// Counts from 1 up to this value are suppressed.
    #[serde(default = "default_suppress_max")]
    pub suppress_max: u64,
    /// Every other count is rounded to the nearest multiple of this (1: not rounded).
    #[serde(default = "default_round_to")]
    pub round_to: u64,
}

impl Default for DisclosureSection {
    fn default() -> Self {
        Self {
            suppress_max: default_suppress_max(),
            round_to: default_round_to(),
        }
    }
}

fn default_suppress_max() -> u64 {
    7
}

fn default_round_to() -> u64 {
    5
}

/// A count as the public sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Published {
    /// Shown, rounded.
    Shown(u64),
    /// Withheld: a small count, or a count whose difference from a published count nesting
    /// it would be a small count.
    Suppressed,
}

impl Published {
    /// The shown value, `None` when suppressed.
    pub fn value(self) -> Option<u64> {
        match self {
            Published::Shown(v) => Some(v),
            Published::Suppressed => None,
        }
    }
}

/// The small-number rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DisclosureRule {
    /// Counts from 1 to this are suppressed.
    pub suppress_max: u64,
    /// Other counts are rounded to the nearest multiple of this.
    pub round_to: u64,
}

impl From<DisclosureSection> for DisclosureRule {
    fn from(s: DisclosureSection) -> Self {
        Self {
            suppress_max: s.suppress_max,
            round_to: s.round_to.max(1),
        }
    }
}

impl DisclosureRule {
    /// True for the counts the rule suppresses (1..=`suppress_max`).
    pub fn is_small(&self, n: u64) -> bool {
        (1..=self.suppress_max).contains(&n)
    }

    /// `n` rounded to the nearest multiple of `round_to` (halves up).
    pub fn round(&self, n: u64) -> u64 {
        (n + self.round_to / 2) / self.round_to * self.round_to
    }

    /// Primary control of one count: zero shown as zero, small counts suppressed, others
    /// rounded.
    ///
    /// ```
    /// use safemap_results::disclosure::{DisclosureRule, Published};
    /// let rule = DisclosureRule { suppress_max: 7, round_to: 5 };
    /// assert_eq!(rule.primary(0), Published::Shown(0));
    /// assert_eq!(rule.primary(7), Published::Suppressed);
    /// assert_eq!(rule.primary(8), Published::Shown(10));
    /// assert_eq!(rule.primary(12), Published::Shown(10));
    /// assert_eq!(rule.primary(13), Published::Shown(15));
    /// ```
    pub fn primary(&self, n: u64) -> Published {
        if self.is_small(n) {
            Published::Suppressed
        } else {
            Published::Shown(self.round(n))
        }
    }

    /// Primary and secondary control of a set of nested counts of one area.
    ///
    /// `exact[i]` is the true count of cell `i`; `ancestors[i]` lists every cell whose
    /// events include all of cell `i`'s (its strict supersets in the published set). Cells
    /// are settled from the coarsest (fewest ancestors) to the finest; a cell is suppressed
    /// when it is small, or when some shown ancestor exceeds it by a small count (their
    /// difference would otherwise be a small count published by subtraction). Suppressing
    /// only the finer cell of a pair keeps the broad figures, which meetings use most.
    pub fn protect(&self, exact: &[u64], ancestors: &[Vec<usize>]) -> Vec<Published> {
        let mut out: Vec<Published> = exact.iter().map(|&n| self.primary(n)).collect();
        self.suppress_exposing_pairs(exact, ancestors, &mut out);
        out
    }

    /// The pairwise secondary rule over `out` (primary control already applied): from the
    /// coarsest cell to the finest, a shown cell is suppressed when some shown ancestor
    /// exceeds it by a small count.
    pub fn suppress_exposing_pairs(
        &self,
        exact: &[u64],
        ancestors: &[Vec<usize>],
        out: &mut [Published],
    ) {
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by_key(|&i| (ancestors[i].len(), i));
        for i in order {
            if out[i] == Published::Suppressed {
                continue;
            }
            let exposes = ancestors[i].iter().any(|&a| {
                out[a] != Published::Suppressed
                    && exact[a]
                        .checked_sub(exact[i])
                        .is_some_and(|d| self.is_small(d))
            });
            if exposes {
                out[i] = Published::Suppressed;
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

    #[test]
    fn primary_rule_suppresses_one_to_seven_and_rounds_the_rest() {
        for n in 1..=7 {
            assert_eq!(NHS.primary(n), Published::Suppressed, "{n}");
        }
        for n in [0_u64, 8, 9, 10, 11, 12, 13, 14, 101, 1002] {
            let v = NHS.primary(n).value().unwrap();
            assert_eq!(v % 5, 0);
            assert!(v.abs_diff(n) <= 2, "{n} -> {v}");
        }
        let exact = DisclosureRule {
            suppress_max: 0,
            round_to: 1,
        };
        assert_eq!(exact.primary(3), Published::Shown(3));
    }

    #[test]
    fn secondary_suppression_hides_a_cell_a_small_difference_would_expose() {
        // Cell 0: all months (40); cell 1: one year (35); cell 2: one month of that year (3).
        let ancestors = vec![vec![], vec![0], vec![0, 1]];
        let out = NHS.protect(&[40, 35, 3], &ancestors);
        // 40 - 35 = 5 would publish the other years' 5 events: the year is suppressed.
        assert_eq!(
            out,
            [
                Published::Shown(40),
                Published::Suppressed,
                Published::Suppressed
            ]
        );
        // Differences of 0 or more than 7 are fine.
        let out = NHS.protect(&[40, 40, 20], &ancestors);
        assert_eq!(
            out,
            [
                Published::Shown(40),
                Published::Shown(40),
                Published::Shown(20)
            ]
        );
    }

    #[test]
    fn no_shown_pair_differs_by_a_small_count() {
        // A chain of nested cells with random-ish counts.
        let exact = [100_u64, 96, 90, 89, 80, 75, 74, 20, 13, 12];
        let ancestors: Vec<Vec<usize>> = (0..exact.len()).map(|i| (0..i).collect()).collect();
        let out = NHS.protect(&exact, &ancestors);
        for (i, anc) in ancestors.iter().enumerate() {
            for &a in anc {
                if out[i] != Published::Suppressed && out[a] != Published::Suppressed {
                    assert!(!NHS.is_small(exact[a] - exact[i]), "cells {a} and {i}");
                }
            }
        }
        assert_eq!(out[0], Published::Shown(100), "the broadest figure is kept");
    }
}
