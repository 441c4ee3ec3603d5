//! What the public can work out about a hidden count: the audit a statistical office runs on
//! a table before release (tau-argus calls it the "audit"), here as an attacker would.
//!
//! Everything the public knows about one area of one source is a set of linear facts over
//! non-negative integer *atoms* (the finest counts that every published number is a sum
//! of): each published number bounds a sum of atoms (a count rounded to 10 means 8 to 12),
//! and the structure of the menu adds facts such as "a flag's events are some of all
//! events". The feasible range of any sum of atoms is then the minimum and maximum of that
//! sum over every integer solution: two small integer programmes, solved exactly by
//! `microlp` through `good_lp`.

use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

/// Linear facts over non-negative integer atoms.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    atoms: usize,
    /// `lo ≤ Σ terms ≤ hi` (`hi` `None`: no upper bound).
    bounds: Vec<(Vec<usize>, u64, Option<u64>)>,
    /// `Σ part ≤ Σ whole`.
    nested: Vec<(Vec<usize>, Vec<usize>)>,
}

/// The values a hidden sum of atoms can take given everything public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeasibleRange {
    /// Smallest feasible value.
    pub min: u64,
    /// Largest feasible value (`None`: unbounded).
    pub max: Option<u64>,
}

impl FeasibleRange {
    /// `max - min`, `None` when unbounded.
    pub fn width(&self) -> Option<u64> {
        self.max.map(|m| m - self.min)
    }

    /// True when the range is at least `width` wide.
    pub fn is_at_least(&self, width: u64) -> bool {
        self.width().is_none_or(|w| w >= width)
    }
}

/// The published facts contradict each other (they cannot all be true of the data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the published facts admit no counts at all: {0}")]
pub struct Infeasible(String);

/// A bound the solver treats as "no upper bound": far above any count of one area, and
/// within the integer range `microlp` accepts.
const UNBOUNDED: f64 = 1e9;

impl Knowledge {
    /// No facts yet about `atoms` unknown counts (each at least 0).
    pub fn new(atoms: usize) -> Self {
        Self {
            atoms,
            ..Self::default()
        }
    }

    /// The public knows `lo ≤ Σ terms ≤ hi`.
    pub fn bound(&mut self, terms: &[usize], lo: u64, hi: Option<u64>) {
        self.bounds.push((terms.to_vec(), lo, hi));
    }

    /// The public knows `Σ part ≤ Σ whole` (the part's events are some of the whole's).
    pub fn at_most(&mut self, part: &[usize], whole: &[usize]) {
        self.nested.push((part.to_vec(), whole.to_vec()));
    }

    /// The feasible range of `Σ terms`.
    pub fn range(&self, terms: &[usize]) -> Result<FeasibleRange, Infeasible> {
        let min = self.extreme(terms, false)?;
        let max = self.extreme(terms, true)?;
        // Integer solutions are exact up to the solver's tolerance.
        let max = (max < UNBOUNDED / 2.0).then(|| max.round() as u64);
        Ok(FeasibleRange {
            min: min.round().max(0.0) as u64,
            max,
        })
    }

    fn extreme(&self, terms: &[usize], maximise: bool) -> Result<f64, Infeasible> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = (0..self.atoms)
            .map(|_| vars.add(variable().integer().min(0).max(UNBOUNDED)))
            .collect();
        let sum = |t: &[usize]| -> Expression { t.iter().map(|&i| x[i]).sum() };
        let objective = sum(terms);
        let problem = if maximise {
            vars.maximise(objective.clone())
        } else {
            vars.minimise(objective.clone())
        };
        let mut model = problem.using(microlp);
        for (t, lo, hi) in &self.bounds {
            model = model.with(sum(t).geq(*lo as f64));
            if let Some(hi) = hi {
                model = model.with(sum(t).leq(*hi as f64));
            }
        }
        for (part, whole) in &self.nested {
            model = model.with(sum(part).leq(sum(whole)));
        }
        let solution = model.solve().map_err(|e| Infeasible(e.to_string()))?;
        Ok(solution.eval(&objective))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_part_is_bounded_by_the_rounded_total_and_its_shown_siblings() {
        // Atoms: three categories. Total published as 20 (18..22), first category as 10
        // (8..12), the other two hidden but each at most 7.
        let mut k = Knowledge::new(3);
        k.bound(&[0, 1, 2], 18, Some(22));
        k.bound(&[0], 8, Some(12));
        k.bound(&[1], 0, Some(7));
        k.bound(&[2], 0, Some(7));
        // Together they are 6..14, so each is 0..7 (the other can be up to 7).
        assert_eq!(
            k.range(&[1]).unwrap(),
            FeasibleRange {
                min: 0,
                max: Some(7)
            }
        );
        assert_eq!(
            k.range(&[1, 2]).unwrap(),
            FeasibleRange {
                min: 6,
                max: Some(14)
            }
        );
        // Tighten the total to 13..17 with both hidden parts at most 7 and the first 8..12:
        // nothing pins them; but with the first shown exactly 13 they sum to 0..4.
        let mut k = Knowledge::new(3);
        k.bound(&[0, 1, 2], 13, Some(17));
        k.bound(&[0], 13, Some(13));
        assert_eq!(
            k.range(&[1, 2]).unwrap(),
            FeasibleRange {
                min: 0,
                max: Some(4)
            }
        );
    }

    #[test]
    fn nested_facts_and_unbounded_sums() {
        // A flag (atom 1) is some of the events of a category (atom 0).
        let mut k = Knowledge::new(2);
        k.bound(&[0], 8, Some(12));
        k.at_most(&[1], &[0]);
        assert_eq!(
            k.range(&[1]).unwrap(),
            FeasibleRange {
                min: 0,
                max: Some(12)
            }
        );
        let free = Knowledge::new(1).range(&[0]).unwrap();
        assert_eq!(free.max, None);
        assert!(free.is_at_least(1_000));
        let mut bad = Knowledge::new(1);
        bad.bound(&[0], 5, Some(3));
        assert!(bad.range(&[0]).is_err());
    }
}
