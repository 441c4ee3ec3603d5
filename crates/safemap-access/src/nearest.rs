//! Per demand point: the nearest reachable supply point ([`nearest`] over a cost structure,
//! [`nearest_straight_line`] at any distance) and how many supply points lie within a cost
//! ([`count_within`]).

use crate::input::check_cost_parameter;
use crate::{AccessError, CostMatrix};
use geo_types::Coord;
use rayon::prelude::*;
use rstar::{primitives::GeomWithData, RTree};

/// The nearest supply point of a demand point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Index of the supply point.
    pub supply: usize,
    /// Its cost from the demand point.
    pub cost: f64,
}

/// Per demand point, the reachable supply point of least cost (the lowest index among equal
/// costs), or `None` when the cost structure holds no pair for it. Only pairs in `costs`
/// count: with [`CostMatrix::straight_line`] a supply point beyond the cutoff is not
/// reachable, so choose a cutoff as far as anyone would travel.
///
/// ```
/// use safemap_access::{nearest, CostMatrix, Nearest};
///
/// let costs = CostMatrix::from_triples(2, 3, [(0, 2, 4.0), (0, 1, 4.0), (0, 0, 9.0)]).unwrap();
/// assert_eq!(nearest(&costs), vec![Some(Nearest { supply: 1, cost: 4.0 }), None]);
/// ```
pub fn nearest(costs: &CostMatrix) -> Vec<Option<Nearest>> {
    (0..costs.n_demand())
        .into_par_iter()
        .map(|i| {
            // Rows are in ascending supply order, so keeping the first minimum breaks ties
            // towards the lowest index.
            costs
                .supplies_of(i)
                .iter()
                .fold(None, |best: Option<Nearest>, (supply, cost)| match best {
                    Some(b) if b.cost <= cost => Some(b),
                    _ => Some(Nearest { supply, cost }),
                })
        })
        .collect()
}

/// Per demand point, the nearest supply point in a straight line, however far (an R-tree
/// nearest-neighbour search; the lowest index among equally near points), or `None` when
/// there is no supply point at all.
///
/// ```
/// use geo_types::Coord;
/// use safemap_access::{nearest_straight_line, Nearest};
///
/// let at = |x: f64| Coord { x, y: 0.0 };
/// let n = nearest_straight_line(&[at(0.0), at(90_000.0)], &[at(30.0), at(-30.0), at(500.0)]);
/// assert_eq!(n[0], Some(Nearest { supply: 0, cost: 30.0 }));
/// assert_eq!(n[1], Some(Nearest { supply: 2, cost: 89_500.0 }));
/// assert_eq!(nearest_straight_line(&[at(0.0)], &[]), vec![None]);
/// ```
pub fn nearest_straight_line(demand: &[Coord<f64>], supply: &[Coord<f64>]) -> Vec<Option<Nearest>> {
    let tree = RTree::bulk_load(
        supply
            .iter()
            .enumerate()
            .map(|(j, p)| GeomWithData::new([p.x, p.y], j))
            .collect(),
    );
    demand
        .par_iter()
        .map(|p| {
            let mut near = tree.nearest_neighbor_iter_with_distance_2(&[p.x, p.y]);
            let (first, d2) = near.next()?;
            // Among points at the same distance, the lowest index.
            let supply = near
                .take_while(|(_, e)| *e <= d2)
                .map(|(s, _)| s.data)
                .fold(first.data, usize::min);
            Some(Nearest {
                supply,
                cost: d2.sqrt(),
            })
        })
        .collect()
}

/// Per demand point, the number of supply points at cost `<= max_cost` (inclusive, the
/// catchment rule of the floating catchments).
///
/// ```
/// use safemap_access::{count_within, CostMatrix};
///
/// let costs = CostMatrix::from_triples(2, 3, [(0, 0, 1.0), (0, 1, 2.0), (1, 2, 2.5)]).unwrap();
/// assert_eq!(count_within(&costs, 2.0).unwrap(), vec![2, 0]);
/// ```
pub fn count_within(costs: &CostMatrix, max_cost: f64) -> Result<Vec<usize>, AccessError> {
    check_cost_parameter("the cost to count within", max_cost)?;
    Ok((0..costs.n_demand())
        .into_par_iter()
        .map(|i| {
            costs
                .supplies_of(i)
                .iter()
                .filter(|&(_, c)| c <= max_cost)
                .count()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_straight_line_search_finds_what_a_full_matrix_finds() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        // Whole metres on a small square: many ties.
        let mut point = || Coord {
            x: rng.random_range(0.0..300.0_f64).round(),
            y: rng.random_range(0.0..300.0_f64).round(),
        };
        let demand: Vec<_> = (0..400).map(|_| point()).collect();
        let supply: Vec<_> = (0..60).map(|_| point()).collect();
        let all = CostMatrix::straight_line(&demand, &supply, 1e6).unwrap();
        assert_eq!(nearest_straight_line(&demand, &supply), nearest(&all));
    }

    #[test]
    fn nearest_and_counts_on_a_line() {
        // Areas at x = 0, 10, 100; services at x = 4, 16, 20 (straight line, cutoff 50).
        let at = |x: f64| Coord { x, y: 0.0 };
        let costs = CostMatrix::straight_line(
            &[at(0.0), at(10.0), at(100.0)],
            &[at(4.0), at(16.0), at(20.0)],
            50.0,
        )
        .unwrap();
        assert_eq!(
            nearest(&costs),
            vec![
                Some(Nearest {
                    supply: 0,
                    cost: 4.0
                }),
                // 6 m to both the first and the second: the lower index wins.
                Some(Nearest {
                    supply: 0,
                    cost: 6.0
                }),
                None,
            ]
        );
        assert_eq!(count_within(&costs, 6.0).unwrap(), vec![1, 2, 0]);
        assert_eq!(count_within(&costs, 20.0).unwrap(), vec![3, 3, 0]);
        assert!(count_within(&costs, f64::NAN).is_err());
    }
}
