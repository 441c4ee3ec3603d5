//! [`CostMatrix`]: the sparse costs between demand points (areas) and supply points
//! (services), one row of (supply, cost) pairs per demand, and its transpose [`BySupply`].
//!
//! A pair that is absent is unreachable. Costs are in whatever unit the caller uses (metres
//! for straight lines, minutes or metres from a travel-cost matrix); every threshold given
//! to this crate's functions is in the same unit.
//!
//! **Direction.** Only the demand-to-supply cost `c_ij` (from area `i` to service `j`) is
//! stored. Travel costs may be asymmetric (one-way streets, a timetable), and a
//! floating-catchment computation uses `c_ij` in both of its steps: the supply's catchment
//! in step 1 is the demands `k` with `c_kj` within the cutoff (the people who would travel to
//! `j`), not the places reachable *from* `j`. This is what PySAL `access` does with its one
//! `cost_df` (origin = demand, destination = supply) in `fca.two_stage_fca`, and what
//! r5r / OSRM origin-destination matrices from areas to services give.

use crate::grid::{stored, CellGrid};
use crate::input::check_cost_parameter;
use crate::AccessError;
use geo_types::Coord;
use rayon::prelude::*;

/// Supply points per parallel task of [`CostMatrix::straight_line`].
const SUPPLY_PER_TASK: usize = 256;

/// Compressed sparse rows: row `r`'s entries are `index[offsets[r]..offsets[r + 1]]` with
/// their costs, in ascending index order (except in a structure built only to be
/// [transposed](Csr::transpose), whose rows may hold them in any order).
#[derive(Debug, Clone, PartialEq)]
struct Csr {
    offsets: Vec<usize>,
    index: Vec<u32>,
    cost: Vec<f64>,
}

impl Csr {
    /// From one list of (column, cost) per row, each sorted here by column.
    fn from_rows(rows: Vec<Vec<(u32, f64)>>) -> Self {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0);
        let total: usize = rows.iter().map(Vec::len).sum();
        let mut index = Vec::with_capacity(total);
        let mut cost = Vec::with_capacity(total);
        for mut row in rows {
            row.sort_unstable_by_key(|&(c, _)| c);
            for (c, v) in row {
                index.push(c);
                cost.push(v);
            }
            offsets.push(index.len());
        }
        Csr {
            offsets,
            index,
            cost,
        }
    }

    /// The rows of `parts` one after the other.
    fn concat(parts: Vec<Csr>) -> Self {
        let total = parts.iter().map(|p| p.index.len()).sum();
        let mut all = Csr {
            offsets: vec![0],
            index: Vec::with_capacity(total),
            cost: Vec::with_capacity(total),
        };
        for part in parts {
            let base = all.index.len();
            all.offsets
                .extend(part.offsets[1..].iter().map(|o| base + o));
            all.index.extend_from_slice(&part.index);
            all.cost.extend_from_slice(&part.cost);
        }
        all
    }

    fn row(&self, r: usize) -> Entries<'_> {
        let span = self.offsets[r]..self.offsets[r + 1];
        Entries {
            index: &self.index[span.clone()],
            cost: &self.cost[span],
        }
    }

    /// The transpose with `columns` rows; each new row lists the old rows in ascending
    /// order, whatever the order within the old rows.
    fn transpose(&self, columns: usize) -> Self {
        let mut counts = vec![0usize; columns + 1];
        for &c in &self.index {
            counts[c as usize + 1] += 1;
        }
        for k in 1..counts.len() {
            counts[k] += counts[k - 1];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut index = vec![0u32; self.index.len()];
        let mut cost = vec![0.0; self.index.len()];
        for r in 0..self.offsets.len() - 1 {
            let row = self.row(r);
            for (&c, &v) in row.index.iter().zip(row.cost) {
                let slot = &mut next[c as usize];
                index[*slot] = r as u32;
                cost[*slot] = v;
                *slot += 1;
            }
        }
        Csr {
            offsets,
            index,
            cost,
        }
    }
}

/// One row's (index, cost) pairs, in ascending index order.
#[derive(Debug, Clone, Copy)]
pub struct Entries<'a> {
    index: &'a [u32],
    cost: &'a [f64],
}

impl<'a> Entries<'a> {
    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when the row has no pair.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The (index, cost) pairs in ascending index order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (usize, f64)> + 'a {
        self.index
            .iter()
            .zip(self.cost)
            .map(|(&j, &c)| (j as usize, c))
    }
}

/// Sparse costs from each demand point (area) to the supply points (services) it can reach,
/// in CSR layout: per demand its (supply index, cost) pairs in ascending supply order. See
/// the [module docs](self) for which direction of an asymmetric cost is used.
///
/// ```
/// use geo_types::Coord;
/// use safemap_access::CostMatrix;
///
/// let areas = [Coord { x: 0.0, y: 0.0 }, Coord { x: 5000.0, y: 0.0 }];
/// let services = [Coord { x: 0.0, y: 3000.0 }, Coord { x: 9000.0, y: 0.0 }];
/// // Straight-line metres, pairs within 4 km kept (a pair exactly at the cutoff is kept).
/// let costs = CostMatrix::straight_line(&areas, &services, 4000.0).unwrap();
/// assert_eq!(costs.supplies_of(0).iter().collect::<Vec<_>>(), vec![(0, 3000.0)]);
/// assert_eq!(costs.supplies_of(1).iter().collect::<Vec<_>>(), vec![(1, 4000.0)]);
///
/// // The same from a travel-cost matrix: (demand, supply, cost) triples.
/// let minutes = CostMatrix::from_triples(2, 2, [(0, 0, 12.5), (1, 1, 7.0)]).unwrap();
/// assert_eq!(minutes.pairs(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CostMatrix {
    n_demand: usize,
    n_supply: usize,
    rows: Csr,
}

/// The transpose of a [`CostMatrix`]: per supply point the demands that reach it and their
/// demand-to-supply costs, in ascending demand order. Step 1 of a floating catchment (the
/// demand in each supply's catchment) and the coverage lists of candidate sites read it.
#[derive(Debug, Clone, PartialEq)]
pub struct BySupply {
    n_demand: usize,
    n_supply: usize,
    rows: Csr,
}

impl CostMatrix {
    /// Straight-line (Euclidean) distances between projected points (British National Grid
    /// metres), keeping the pairs with distance `<= cutoff` (inclusive, as PySAL `access`
    /// filters `cost <= max_cost`). The demand points are bucketed in cells as wide as the
    /// cutoff and each supply point tests those in the 3 × 3 cells around it, so the work
    /// follows the pairs near each other, not demand × supply; the rows by demand are then
    /// laid out by a counting sort, in ascending supply order without sorting. A distance is
    /// `sqrt(dx² + dy²)`, as shapely and scipy compute it, and decides alone whether a pair
    /// is kept: the pairs are exactly those of a scan of every pair.
    pub fn straight_line(
        demand: &[Coord<f64>],
        supply: &[Coord<f64>],
        cutoff: f64,
    ) -> Result<Self, AccessError> {
        check_cost_parameter("the straight-line cutoff", cutoff)?;
        check_points("demand", demand)?;
        check_points("supply", supply)?;
        let grid = CellGrid::new(demand, cutoff, supply);
        // Per chunk of supply points, the demand points each reaches, in cell order: the
        // transpose lists each demand's supplies in ascending order.
        let by_supply = supply
            .par_chunks(SUPPLY_PER_TASK)
            .map(|chunk| {
                let mut part = Csr {
                    offsets: vec![0],
                    index: Vec::new(),
                    cost: Vec::new(),
                };
                for s in chunk {
                    grid.for_each_near(*s, |i, [x, y]| {
                        let d = ((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y)).sqrt();
                        if d <= cutoff {
                            part.index.push(i);
                            part.cost.push(d);
                        }
                    });
                    part.offsets.push(part.index.len());
                }
                part
            })
            .collect();
        Ok(CostMatrix {
            n_demand: demand.len(),
            n_supply: supply.len(),
            rows: Csr::concat(by_supply).transpose(demand.len()),
        })
    }

    /// From explicit `(demand, supply, cost)` triples, e.g. a travel-time matrix from r5r,
    /// OSRM or `access`. Pairs absent are unreachable; costs may be asymmetric (see the
    /// [module docs](self)). Every cost must be finite and at least 0, every index in range
    /// and every pair given once.
    pub fn from_triples(
        n_demand: usize,
        n_supply: usize,
        triples: impl IntoIterator<Item = (usize, usize, f64)>,
    ) -> Result<Self, AccessError> {
        let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_demand];
        for (i, j, c) in triples {
            if i >= n_demand {
                return Err(AccessError::IndexOutOfRange {
                    what: "demand",
                    index: i,
                    n: n_demand,
                });
            }
            if j >= n_supply {
                return Err(AccessError::IndexOutOfRange {
                    what: "supply",
                    index: j,
                    n: n_supply,
                });
            }
            if !(c.is_finite() && c >= 0.0) {
                return Err(AccessError::BadCost {
                    demand: i,
                    supply: j,
                    cost: c,
                });
            }
            rows[i].push((stored(j), c));
        }
        let rows = Csr::from_rows(rows);
        for i in 0..n_demand {
            let row = rows.row(i);
            if let Some(w) = row.index.windows(2).find(|w| w[0] == w[1]) {
                return Err(AccessError::DuplicatePair {
                    demand: i,
                    supply: w[0] as usize,
                });
            }
        }
        Ok(CostMatrix {
            n_demand,
            n_supply,
            rows,
        })
    }

    /// Number of demand points (areas).
    pub fn n_demand(&self) -> usize {
        self.n_demand
    }

    /// Number of supply points (services).
    pub fn n_supply(&self) -> usize {
        self.n_supply
    }

    /// Number of reachable (demand, supply) pairs stored.
    pub fn pairs(&self) -> usize {
        self.rows.index.len()
    }

    /// The supplies demand `i` reaches, with their costs, in ascending supply order.
    pub fn supplies_of(&self, i: usize) -> Entries<'_> {
        self.rows.row(i)
    }

    /// `weight(cost)` of every stored pair, in parallel, demand by demand in ascending supply
    /// order: read back with [`CostMatrix::weighted_row`] and [`CostMatrix::sum_by_supply`].
    pub(crate) fn pair_weights(&self, weight: impl Fn(f64) -> f64 + Sync) -> Vec<f64> {
        self.rows.cost.par_iter().map(|&c| weight(c)).collect()
    }

    /// Demand `i`'s (supply, weight) pairs in ascending supply order, `weights` being
    /// [`CostMatrix::pair_weights`].
    pub(crate) fn weighted_row<'a>(
        &'a self,
        i: usize,
        weights: &'a [f64],
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        let span = self.rows.offsets[i]..self.rows.offsets[i + 1];
        self.rows.index[span.clone()]
            .iter()
            .zip(&weights[span])
            .map(|(&j, &w)| (j as usize, w))
    }

    /// Per supply `j`, the sum from +0 of `term(i, w)` over the demands `i` that reach it
    /// (`w` the pair's weight from `weights`, [`CostMatrix::pair_weights`]), added in
    /// ascending demand order: the sum folding [`BySupply::demands_of`] would give, without
    /// building the transpose. Sequential.
    pub(crate) fn sum_by_supply(
        &self,
        weights: &[f64],
        term: impl Fn(usize, f64) -> f64,
    ) -> Vec<f64> {
        let mut sums = vec![0.0; self.n_supply];
        for i in 0..self.n_demand {
            for (j, w) in self.weighted_row(i, weights) {
                sums[j] += term(i, w);
            }
        }
        sums
    }

    /// The transposed view: per supply the demands that reach it.
    pub fn by_supply(&self) -> BySupply {
        BySupply {
            n_demand: self.n_demand,
            n_supply: self.n_supply,
            rows: self.rows.transpose(self.n_supply),
        }
    }
}

impl BySupply {
    /// Number of demand points (areas).
    pub fn n_demand(&self) -> usize {
        self.n_demand
    }

    /// Number of supply points (services).
    pub fn n_supply(&self) -> usize {
        self.n_supply
    }

    /// The demands that reach supply `j`, with their demand-to-supply costs, in ascending
    /// demand order.
    pub fn demands_of(&self, j: usize) -> Entries<'_> {
        self.rows.row(j)
    }
}

fn check_points(what: &'static str, points: &[Coord<f64>]) -> Result<(), AccessError> {
    match points
        .iter()
        .position(|p| !(p.x.is_finite() && p.y.is_finite()))
    {
        Some(index) => Err(AccessError::BadPoint {
            what,
            index,
            x: points[index].x,
            y: points[index].y,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn pairs(e: Entries<'_>) -> Vec<(usize, f64)> {
        e.iter().collect()
    }

    #[test]
    fn straight_line_keeps_exactly_the_pairs_a_full_scan_keeps() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut point = || Coord {
            x: rng.random_range(0.0..20_000.0_f64).round(),
            y: rng.random_range(0.0..20_000.0_f64).round(),
        };
        let demand: Vec<_> = (0..300).map(|_| point()).collect();
        let supply: Vec<_> = (0..80).map(|_| point()).collect();
        let cutoff = 3000.0;
        let m = CostMatrix::straight_line(&demand, &supply, cutoff).unwrap();
        assert_eq!((m.n_demand(), m.n_supply()), (300, 80));
        for (i, p) in demand.iter().enumerate() {
            let want: Vec<(usize, f64)> = supply
                .iter()
                .enumerate()
                .map(|(j, s)| (j, ((s.x - p.x).powi(2) + (s.y - p.y).powi(2)).sqrt()))
                .filter(|&(_, d)| d <= cutoff)
                .collect();
            assert_eq!(pairs(m.supplies_of(i)), want, "demand {i}");
        }
        assert!(m.pairs() > 300, "the fixture should have pairs");
    }

    /// Every (demand, supply, distance) within `cutoff`, by a scan of all pairs.
    fn full_scan(
        demand: &[Coord<f64>],
        supply: &[Coord<f64>],
        cutoff: f64,
    ) -> Vec<Vec<(usize, f64)>> {
        demand
            .iter()
            .map(|p| {
                supply
                    .iter()
                    .enumerate()
                    .map(|(j, s)| {
                        (
                            j,
                            ((s.x - p.x) * (s.x - p.x) + (s.y - p.y) * (s.y - p.y)).sqrt(),
                        )
                    })
                    .filter(|&(_, d)| d <= cutoff)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn straight_line_equals_a_full_scan_at_any_scale_and_cutoff() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        // (offset of the points, their spread, cutoff): negative and huge coordinates, a
        // cutoff of 0 with repeated points, a cutoff far beyond the spread, tiny spreads.
        let cases = [
            (0.0, 20_000.0, 3000.0),
            (-5.0e5, 20_000.0, 750.0),
            (1.0e12, 10.0, 2.5),
            (-3.0e15, 4096.0, 1000.0),
            (0.0, 1.0e-6, 3.0e-7),
            (7.0, 100.0, 0.0),
            (0.0, 100.0, 1.0e9),
        ];
        for (case, &(offset, spread, cutoff)) in cases.iter().enumerate() {
            let mut point = |snap: bool| {
                let v = |r: &mut ChaCha8Rng| {
                    let v: f64 = r.random_range(0.0..spread);
                    offset
                        + if snap {
                            (v / spread * 8.0).round() * spread / 8.0
                        } else {
                            v
                        }
                };
                Coord {
                    x: v(&mut rng),
                    y: v(&mut rng),
                }
            };
            // Some points snapped to a coarse lattice, so pairs repeat, coincide and lie
            // exactly at lattice distances.
            let demand: Vec<_> = (0..400).map(|k| point(k % 3 == 0)).collect();
            let supply: Vec<_> = (0..120).map(|k| point(k % 2 == 0)).collect();
            let m = CostMatrix::straight_line(&demand, &supply, cutoff).unwrap();
            let want = full_scan(&demand, &supply, cutoff);
            for (i, w) in want.iter().enumerate() {
                assert_eq!(&pairs(m.supplies_of(i)), w, "case {case}, demand {i}");
            }
            assert_eq!(
                m.pairs(),
                want.iter().map(Vec::len).sum::<usize>(),
                "case {case}"
            );
            assert!(m.pairs() > 0, "case {case} should have pairs");
        }
    }

    #[test]
    fn pairs_at_the_cutoff_are_kept_wherever_they_fall_in_the_cells() {
        // A demand point and a supply point exactly 1000 m apart along x or y, at 1600
        // positions 1/16 m apart (exact in binary): wherever the pair falls relative to the
        // cell boundaries, it is kept, and one 1 mm further is not.
        for k in 0..1600 {
            let v = 900.0 + f64::from(k) / 16.0;
            for (along_x, p) in [
                (true, Coord { x: v, y: 5.0 }),
                (false, Coord { x: 5.0, y: v }),
            ] {
                let at = |d: f64| {
                    if along_x {
                        Coord { x: p.x + d, y: p.y }
                    } else {
                        Coord { x: p.x, y: p.y + d }
                    }
                };
                let m = CostMatrix::straight_line(
                    &[p],
                    &[at(1000.0), at(1000.001), at(-1000.0)],
                    1000.0,
                )
                .unwrap();
                let want: Vec<(usize, f64)> =
                    full_scan(&[p], &[at(1000.0), at(1000.001), at(-1000.0)], 1000.0).remove(0);
                assert_eq!(pairs(m.supplies_of(0)), want, "at {v}, along x {along_x}");
                assert_eq!(want.len(), 2, "at {v}: the fixture has pairs at the cutoff");
            }
        }
    }

    #[test]
    fn a_pair_exactly_at_the_cutoff_is_kept() {
        // 3-4-5 triangle: the distance is exactly 5000.
        let m = CostMatrix::straight_line(
            &[Coord { x: 0.0, y: 0.0 }],
            &[
                Coord {
                    x: 3000.0,
                    y: 4000.0,
                },
                Coord {
                    x: 3000.0,
                    y: 4001.0,
                },
            ],
            5000.0,
        )
        .unwrap();
        assert_eq!(pairs(m.supplies_of(0)), vec![(0, 5000.0)]);
    }

    #[test]
    fn triples_are_sorted_checked_and_transposed() {
        let m =
            CostMatrix::from_triples(3, 2, [(2, 1, 4.0), (0, 1, 3.0), (0, 0, 9.0), (2, 0, 0.0)])
                .unwrap();
        assert_eq!(pairs(m.supplies_of(0)), vec![(0, 9.0), (1, 3.0)]);
        assert!(m.supplies_of(1).is_empty());
        assert_eq!(pairs(m.supplies_of(2)), vec![(0, 0.0), (1, 4.0)]);
        let t = m.by_supply();
        assert_eq!(pairs(t.demands_of(0)), vec![(0, 9.0), (2, 0.0)]);
        assert_eq!(pairs(t.demands_of(1)), vec![(0, 3.0), (2, 4.0)]);
        assert_eq!((t.n_demand(), t.n_supply()), (3, 2));
    }

    #[test]
    fn bad_triples_are_named() {
        let err = |t: Vec<(usize, usize, f64)>| CostMatrix::from_triples(2, 2, t).unwrap_err();
        assert_eq!(
            err(vec![(1, 0, -1.0)]),
            AccessError::BadCost {
                demand: 1,
                supply: 0,
                cost: -1.0
            }
        );
        assert!(matches!(
            err(vec![(0, 1, f64::NAN)]),
            AccessError::BadCost {
                demand: 0,
                supply: 1,
                ..
            }
        ));
        assert_eq!(
            err(vec![(0, 2, 1.0)]),
            AccessError::IndexOutOfRange {
                what: "supply",
                index: 2,
                n: 2
            }
        );
        assert_eq!(
            err(vec![(0, 1, 1.0), (0, 1, 2.0)]),
            AccessError::DuplicatePair {
                demand: 0,
                supply: 1
            }
        );
        let msg = err(vec![(1, 0, f64::INFINITY)]).to_string();
        assert!(msg.contains("demand 1 to supply 0 is inf"), "{msg}");
        assert!(matches!(
            CostMatrix::straight_line(
                &[Coord {
                    x: f64::NAN,
                    y: 0.0
                }],
                &[],
                1.0
            ),
            Err(AccessError::BadPoint {
                what: "demand",
                index: 0,
                ..
            })
        ));
        assert!(matches!(
            CostMatrix::straight_line(&[], &[], -1.0),
            Err(AccessError::BadCostParameter { .. })
        ));
    }
}
