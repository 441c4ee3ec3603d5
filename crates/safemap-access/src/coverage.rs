//! Coverage: which demand points have a supply point within a cost ([`covered`]) and the
//! share of all population, and of a high-need subset, that they hold ([`coverage`]).

use crate::input::{check_amounts, check_cost_parameter};
use crate::{AccessError, CostMatrix};
use rayon::prelude::*;

/// Per demand point, whether any supply point is at cost `<= max_cost` (inclusive).
///
/// ```
/// use safemap_access::{covered, CostMatrix};
///
/// let costs = CostMatrix::from_triples(3, 1, [(0, 0, 800.0), (1, 0, 1000.0), (2, 0, 1500.0)]).unwrap();
/// assert_eq!(covered(&costs, 1000.0).unwrap(), vec![true, true, false]);
/// ```
pub fn covered(costs: &CostMatrix, max_cost: f64) -> Result<Vec<bool>, AccessError> {
    check_cost_parameter("the coverage cost", max_cost)?;
    Ok((0..costs.n_demand())
        .into_par_iter()
        .map(|i| costs.supplies_of(i).iter().any(|(_, c)| c <= max_cost))
        .collect())
}

/// A covered amount out of a total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// Population of the covered demand points.
    pub covered: f64,
    /// Population of all the demand points counted.
    pub total: f64,
}

impl Share {
    /// `covered / total`, `None` when the total is 0 (nobody to cover).
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0.0).then(|| self.covered / self.total)
    }
}

/// Coverage of all population and of the high-need population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// Every demand point.
    pub all: Share,
    /// The demand points marked high need.
    pub high_need: Share,
}

/// The population within `max_cost` of any supply point, out of all population and out of
/// the population of the demand points marked in `high_need` (for example the areas whose
/// need index is above its median, as [`gap`](mod@crate::gap) classes them). Sums run in area order.
///
/// ```
/// use safemap_access::{coverage, CostMatrix};
///
/// let costs = CostMatrix::from_triples(3, 1, [(0, 0, 800.0), (2, 0, 1500.0)]).unwrap();
/// let c = coverage(&costs, 1000.0, &[100.0, 300.0, 600.0], &[false, true, true]).unwrap();
/// assert_eq!(c.all.fraction(), Some(0.1)); // 100 of 1000
/// assert_eq!(c.high_need.fraction(), Some(0.0)); // 0 of 900
/// ```
pub fn coverage(
    costs: &CostMatrix,
    max_cost: f64,
    population: &[f64],
    high_need: &[bool],
) -> Result<Coverage, AccessError> {
    let n = costs.n_demand();
    check_amounts("population", population, n)?;
    if high_need.len() != n {
        return Err(AccessError::LengthMismatch {
            what: "the high-need flags",
            len: high_need.len(),
            n,
        });
    }
    let is_covered = covered(costs, max_cost)?;
    let share = |counted: &dyn Fn(usize) -> bool| {
        let (mut covered, mut total) = (0.0, 0.0);
        for i in (0..n).filter(|&i| counted(i)) {
            total += population[i];
            if is_covered[i] {
                covered += population[i];
            }
        }
        Share { covered, total }
    };
    Ok(Coverage {
        all: share(&|_| true),
        high_need: share(&|i| high_need[i]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_all_and_of_high_need() {
        // Four areas; services reach areas 0 (900 m) and 2 (1000 m, on the cost) within 1 km.
        let costs = CostMatrix::from_triples(
            4,
            2,
            [
                (0, 0, 900.0),
                (1, 0, 1800.0),
                (2, 1, 1000.0),
                (3, 1, 1001.0),
            ],
        )
        .unwrap();
        let pop = [100.0, 200.0, 300.0, 400.0];
        let c = coverage(&costs, 1000.0, &pop, &[true, true, false, false]).unwrap();
        // All: (100 + 300) / 1000; high need (areas 0, 1): 100 / 300.
        assert_eq!(
            c.all,
            Share {
                covered: 400.0,
                total: 1000.0
            }
        );
        assert_eq!(
            c.high_need,
            Share {
                covered: 100.0,
                total: 300.0
            }
        );
        assert_eq!(c.all.fraction(), Some(0.4));
        let none = coverage(&costs, 1000.0, &pop, &[false; 4]).unwrap();
        assert_eq!(none.high_need.fraction(), None);
        assert!(coverage(&costs, 1000.0, &pop, &[true]).is_err());
        assert!(coverage(&costs, -1.0, &pop, &[true; 4]).is_err());
    }
}
