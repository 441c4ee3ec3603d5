//! Maximal covering location ([`maximal_covering`], Church & ReVelle 1974): choose up to
//! `k` new sites among candidates so that the demand weight (unmet need) within a coverage
//! cost of a chosen site is as large as possible. Demand already covered by existing
//! facilities can be given and counts as covered before any site is added.
//!
//! **Exact** for small instances: the integer programme
//!
//! ```text
//! maximise  Σ_g w_g y_g
//! subject to y_g ≤ Σ_{j covers g} x_j   for every group g
//!            Σ_j x_j ≤ k,  x_j ∈ {0, 1},  0 ≤ y_g ≤ 1
//! ```
//!
//! solved by `microlp` through `good_lp`, warm-started from the greedy solution. Demand
//! points covered by the same set of candidates form one group `g` (their weights summed),
//! and only candidates covering some uncovered demand take part, so the programme is
//! usually far smaller than the instance. [`Solver::Auto`] solves exactly when the
//! candidates taking part times the groups is at most [`EXACT_MAX_SIZE`]. Branch and bound
//! time varies from instance to instance and can grow exponentially: on random instances
//! near that size (250-300 candidates, 280-380 groups, k = 15-25) it took 0.02-1.3 s on one
//! core of the development machine, at 150 × 1,941 with k = 20 it took 22 s, and at
//! 1,000 candidates up to 100 s. No time limit is set, because a limit would make the
//! answer depend on the machine's speed; [`Solver::Exact`] runs to the proven optimum
//! however long it takes.
//!
//! **Greedy** otherwise: add the site of largest marginal gain (the lowest index among
//! equal gains) until `k` sites are chosen, evaluating gains lazily (Minoux's accelerated
//! greedy). Covered weight is a monotone submodular function of the set of sites, so the
//! greedy gain is at least `1 - 1/e` ≈ 63.2% of the best possible gain (Nemhauser, Wolsey
//! & Fisher 1978). The result also reports a data-dependent bound on the optimum: at every
//! step the optimum's gain is at most the gain so far plus the `k` largest marginal gains
//! (Leskovec et al. 2007), at most the greedy gain divided by `1 - 1/e`, and at most all
//! the uncovered weight some candidate covers; the smallest of these bounds is reported.
//!
//! Both report the covered weight before any new site and after each one, sites in order
//! of their greedy marginal gain (for the exact solution: its sites ordered greedily). A
//! site that would add nothing is not chosen, so fewer than `k` sites come back when fewer
//! add any covered weight.

use crate::input::{check_amounts, check_cost_parameter, sum};
use crate::{AccessError, CostMatrix};
use good_lp::{
    microlp, variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel,
    Variable, WithInitialSolution,
};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

/// [`Solver::Auto`] solves exactly when (candidates covering uncovered demand) × (groups
/// of uncovered demand covered by the same candidates) is at most this.
pub const EXACT_MAX_SIZE: usize = 100_000;
/// The greedy gain is at least this share of the best possible gain: `1 - 1/e`.
pub const GREEDY_GUARANTEE: f64 = 1.0 - 1.0 / std::f64::consts::E;

/// How to choose the sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Solver {
    /// Exact when the instance is small (see the [module docs](self)), greedy otherwise.
    #[default]
    Auto,
    /// The integer programme, however large.
    Exact,
    /// The greedy heuristic.
    Greedy,
}

/// Parameters of [`maximal_covering`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MclpParams {
    sites: usize,
    coverage_cost: f64,
    solver: Solver,
}

impl MclpParams {
    /// Up to `sites` new sites, each covering the demand at cost `<= coverage_cost` from it.
    pub fn new(sites: usize, coverage_cost: f64) -> Self {
        MclpParams {
            sites,
            coverage_cost,
            solver: Solver::Auto,
        }
    }

    /// How to solve.
    #[must_use]
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = solver;
        self
    }
}

/// One added site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MclpStep {
    /// The candidate's index.
    pub site: usize,
    /// The weight it covers that nothing before it covered.
    pub gain: f64,
    /// The covered weight once it is added.
    pub covered_after: f64,
}

/// How the sites were chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MclpMethod {
    /// The integer programme's optimum.
    Exact,
    /// The greedy heuristic: its added weight is at least [`GREEDY_GUARANTEE`] of the best
    /// possible, and the best possible covered weight is at most `optimum_at_most`.
    Greedy {
        /// An upper bound on the covered weight of the best choice of sites.
        optimum_at_most: f64,
    },
}

/// The chosen sites and the weight they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Mclp {
    /// The weight of all demand points.
    pub total_weight: f64,
    /// The weight covered before any new site (by the existing facilities).
    pub covered_before: f64,
    /// The sites in order of their marginal gain.
    pub steps: Vec<MclpStep>,
    /// Exact or greedy, with the greedy bound.
    pub method: MclpMethod,
}

impl Mclp {
    /// The chosen candidates, in order.
    pub fn sites(&self) -> Vec<usize> {
        self.steps.iter().map(|s| s.site).collect()
    }

    /// The covered weight with every chosen site.
    pub fn covered_after(&self) -> f64 {
        self.steps
            .last()
            .map_or(self.covered_before, |s| s.covered_after)
    }
}

/// Chooses up to `k` new sites among the candidates of `costs` (demand × candidate costs),
/// maximising the `weight` (unmet need, one value of at least 0 per demand point) covered
/// within the coverage cost; `already_covered` marks demand covered by existing
/// facilities. See the [module docs](self).
///
/// ```
/// use safemap_access::{maximal_covering, CostMatrix, MclpMethod, MclpParams};
///
/// // Four areas (weights 5, 4, 3, 1); candidate 0 reaches areas 0 and 1, candidate 1 areas
/// // 1 and 2, candidate 2 areas 2 and 3 (all within 1 km).
/// let costs = CostMatrix::from_triples(
///     4,
///     3,
///     [(0, 0, 500.0), (1, 0, 800.0), (1, 1, 300.0), (2, 1, 900.0), (2, 2, 100.0), (3, 2, 700.0)],
/// )
/// .unwrap();
/// let best = maximal_covering(&costs, &[5.0, 4.0, 3.0, 1.0], None, &MclpParams::new(2, 1000.0))
///     .unwrap();
/// assert_eq!(best.sites(), vec![0, 2]);
/// assert_eq!(best.covered_after(), 13.0);
/// assert_eq!(best.method, MclpMethod::Exact);
/// ```
pub fn maximal_covering(
    costs: &CostMatrix,
    weight: &[f64],
    already_covered: Option<&[bool]>,
    params: &MclpParams,
) -> Result<Mclp, AccessError> {
    let n = costs.n_demand();
    check_amounts("the demand weight", weight, n)?;
    check_cost_parameter("the coverage cost", params.coverage_cost)?;
    if let Some(c) = already_covered.filter(|c| c.len() != n) {
        return Err(AccessError::LengthMismatch {
            what: "the already-covered flags",
            len: c.len(),
            n,
        });
    }
    let k = params.sites;
    if k > costs.n_supply() {
        return Err(AccessError::TooFewCandidates {
            k,
            candidates: costs.n_supply(),
        });
    }
    let covered0: Vec<bool> = (0..n)
        .map(|i| already_covered.is_some_and(|c| c[i]))
        .collect();
    let instance = Instance::new(costs, weight, &covered0, params.coverage_cost);
    let total_weight = sum(weight.iter().copied());
    let covered_before = sum((0..n).filter(|&i| covered0[i]).map(|i| weight[i]));
    let greedy = instance.greedy(k);
    let exact = match params.solver {
        Solver::Greedy => false,
        Solver::Exact => true,
        Solver::Auto => {
            instance.useful.len().saturating_mul(instance.groups.len()) <= EXACT_MAX_SIZE
        }
    };
    let (steps, method) = if exact {
        let chosen = instance.exact(k, &greedy.sites)?;
        let steps = instance.ordered(&chosen, covered_before);
        let (got, want) = (covered_gain(&steps), covered_gain(&greedy.steps));
        if got < want - 1e-9 * want.abs().max(1.0) {
            return Err(AccessError::Solver(format!(
                "its sites cover {got} new weight, less than the greedy {want}"
            )));
        }
        (steps, MclpMethod::Exact)
    } else {
        let steps = instance.ordered(&greedy.sites, covered_before);
        let optimum_at_most = covered_before + greedy.optimum_gain_at_most;
        (steps, MclpMethod::Greedy { optimum_at_most })
    };
    Ok(Mclp {
        total_weight,
        covered_before,
        steps,
        method,
    })
}

fn covered_gain(steps: &[MclpStep]) -> f64 {
    sum(steps.iter().map(|s| s.gain))
}

/// The covering relation restricted to uncovered demand of positive weight.
struct Instance<'a> {
    weight: &'a [f64],
    /// Per candidate, the uncovered demand points it covers (ascending).
    covers: Vec<Vec<u32>>,
    /// Already covered, per demand point.
    covered0: &'a [bool],
    /// Candidates covering any uncovered demand, ascending.
    useful: Vec<usize>,
    /// Groups of uncovered demand covered by the same candidates: (candidates, weight).
    groups: Vec<(Vec<u32>, f64)>,
}

/// The greedy choice and its bound.
struct Greedy {
    sites: Vec<usize>,
    steps: Vec<MclpStep>,
    optimum_gain_at_most: f64,
}

/// A candidate's marginal gain, as last evaluated, for the lazy greedy's heap: the largest
/// gain first, the lowest index among equal gains.
struct Bound {
    gain: f64,
    site: usize,
    evaluated_at: usize,
}

impl PartialEq for Bound {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Bound {}
impl PartialOrd for Bound {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Bound {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then(other.site.cmp(&self.site))
    }
}

impl<'a> Instance<'a> {
    fn new(
        costs: &CostMatrix,
        weight: &'a [f64],
        covered0: &'a [bool],
        coverage_cost: f64,
    ) -> Self {
        let open = |i: usize| !covered0[i] && weight[i] > 0.0;
        let by_candidate = costs.by_supply();
        let covers: Vec<Vec<u32>> = (0..costs.n_supply())
            .map(|j| {
                by_candidate
                    .demands_of(j)
                    .iter()
                    .filter(|&(i, c)| c <= coverage_cost && open(i))
                    .map(|(i, _)| i as u32)
                    .collect()
            })
            .collect();
        let useful = (0..covers.len())
            .filter(|&j| !covers[j].is_empty())
            .collect();
        let mut grouped: BTreeMap<Vec<u32>, f64> = BTreeMap::new();
        for i in (0..costs.n_demand()).filter(|&i| open(i)) {
            let by: Vec<u32> = costs
                .supplies_of(i)
                .iter()
                .filter(|&(_, c)| c <= coverage_cost)
                .map(|(j, _)| j as u32)
                .collect();
            if !by.is_empty() {
                *grouped.entry(by).or_insert(0.0) += weight[i];
            }
        }
        Instance {
            weight,
            covers,
            covered0,
            useful,
            groups: grouped.into_iter().collect(),
        }
    }

    fn gain(&self, site: usize, covered: &[bool]) -> f64 {
        sum(self.covers[site]
            .iter()
            .filter(|&&i| !covered[i as usize])
            .map(|&i| self.weight[i as usize]))
    }

    /// Lazy greedy with the online bound.
    fn greedy(&self, k: usize) -> Greedy {
        let mut covered = self.covered0.to_vec();
        let mut heap: BinaryHeap<Bound> = self
            .useful
            .iter()
            .map(|&site| Bound {
                gain: self.gain(site, &covered),
                site,
                evaluated_at: 0,
            })
            .collect();
        let mut sites = Vec::new();
        let mut gained = 0.0;
        let mut bound = f64::INFINITY;
        for step in 0..k {
            bound = bound.min(gained + top_sum(&heap, k));
            let best = loop {
                match heap.pop() {
                    None => break None,
                    Some(b) if b.evaluated_at == step => break Some(b),
                    Some(b) => heap.push(Bound {
                        gain: self.gain(b.site, &covered),
                        site: b.site,
                        evaluated_at: step,
                    }),
                }
            };
            let Some(best) = best else {
                break;
            };
            if best.gain <= 0.0 {
                break;
            }
            for &i in &self.covers[best.site] {
                covered[i as usize] = true;
            }
            gained += best.gain;
            sites.push(best.site);
        }
        // After the last step: every remaining bound is stale but still an upper bound.
        bound = bound.min(gained + top_sum(&heap, k));
        // Nor can the optimum cover more than all the demand some candidate covers.
        let coverable = sum(self.groups.iter().map(|g| g.1));
        let optimum_gain_at_most = bound.min(gained / GREEDY_GUARANTEE).min(coverable);
        let steps = self.ordered(&sites, 0.0);
        Greedy {
            sites,
            steps,
            optimum_gain_at_most,
        }
    }

    /// The integer programme's optimal sites; `warm` (the greedy sites) is its start.
    fn exact(&self, k: usize, warm: &[usize]) -> Result<Vec<usize>, AccessError> {
        if self.useful.len() <= k {
            return Ok(self.useful.clone());
        }
        let mut vars = ProblemVariables::new();
        let mut x: Vec<Option<Variable>> = vec![None; self.covers.len()];
        for &j in &self.useful {
            x[j] = Some(vars.add(variable().binary()));
        }
        let y: Vec<Variable> = self
            .groups
            .iter()
            .map(|_| vars.add(variable().min(0.0).max(1.0)))
            .collect();
        let objective: Expression = self.groups.iter().zip(&y).map(|((_, w), &v)| *w * v).sum();
        let chosen = |j: usize| x[j].expect("a useful candidate");
        let mut model = vars.maximise(objective).using(microlp);
        for ((by, _), &v) in self.groups.iter().zip(&y) {
            let reach: Expression = by.iter().map(|&j| chosen(j as usize)).sum();
            model = model.with(Expression::from(v).leq(reach));
        }
        let count: Expression = self.useful.iter().map(|&j| chosen(j)).sum();
        model = model.with(count.leq(k as f64));
        let start = self
            .useful
            .iter()
            .map(|&j| (chosen(j), if warm.contains(&j) { 1.0 } else { 0.0 }));
        let mut covered = self.covered0.to_vec();
        for &j in warm {
            for &i in &self.covers[j] {
                covered[i as usize] = true;
            }
        }
        let start_y = self.groups.iter().zip(&y).map(|((by, _), &v)| {
            let reached = by.iter().any(|j| warm.contains(&(*j as usize)));
            (v, if reached { 1.0 } else { 0.0 })
        });
        let model = model.with_initial_solution(start.chain(start_y));
        let solution = model
            .solve()
            .map_err(|e| AccessError::Solver(e.to_string()))?;
        // No time or gap limit is set, so anything but a proven optimum is a solver fault.
        if !matches!(solution.status(), SolutionStatus::Optimal) {
            return Err(AccessError::Solver(format!(
                "it stopped with status {:?}, not a proven optimum",
                solution.status()
            )));
        }
        Ok(self
            .useful
            .iter()
            .copied()
            .filter(|&j| solution.value(chosen(j)) > 0.5)
            .collect())
    }

    /// `sites` in greedy order of marginal gain (ties to the lowest index), dropping any
    /// that adds nothing, with the covered weight after each from `covered_before`.
    fn ordered(&self, sites: &[usize], covered_before: f64) -> Vec<MclpStep> {
        let mut covered = self.covered0.to_vec();
        let mut left: Vec<usize> = sites.to_vec();
        left.sort_unstable();
        let mut total = covered_before;
        let mut steps = Vec::new();
        while !left.is_empty() {
            let (at, gain) = left
                .iter()
                .enumerate()
                .map(|(at, &j)| (at, self.gain(j, &covered)))
                .fold((0, f64::NEG_INFINITY), |best, cur| {
                    if cur.1 > best.1 {
                        cur
                    } else {
                        best
                    }
                });
            if gain <= 0.0 {
                break;
            }
            let site = left.remove(at);
            for &i in &self.covers[site] {
                covered[i as usize] = true;
            }
            total += gain;
            steps.push(MclpStep {
                site,
                gain,
                covered_after: total,
            });
        }
        steps
    }
}

/// The sum of the `k` largest gains in the heap.
fn top_sum(heap: &BinaryHeap<Bound>, k: usize) -> f64 {
    let mut gains: Vec<f64> = heap.iter().map(|b| b.gain).collect();
    gains.sort_unstable_by(|a, b| b.total_cmp(a));
    sum(gains.iter().take(k).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random instance: demand and candidates in a 10 km square, weights 0..100 (a
    /// tenth 0), a fifth of the demand already covered.
    fn random_instance(seed: u64, m: usize) -> (CostMatrix, Vec<f64>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = rng.random_range(5..60);
        let point = |rng: &mut ChaCha8Rng| geo_types::Coord {
            x: rng.random_range(0.0..10_000.0),
            y: rng.random_range(0.0..10_000.0),
        };
        let demand: Vec<_> = (0..n).map(|_| point(&mut rng)).collect();
        let sites: Vec<_> = (0..m).map(|_| point(&mut rng)).collect();
        let costs = CostMatrix::straight_line(&demand, &sites, 5000.0).unwrap();
        let weight = (0..n)
            .map(|_| {
                if rng.random_bool(0.1) {
                    0.0
                } else {
                    rng.random_range(0.0..100.0_f64).round()
                }
            })
            .collect();
        let covered = (0..n).map(|_| rng.random_bool(0.2)).collect();
        (costs, weight, covered)
    }

    /// The best covered weight over every set of at most `k` of the `m` candidates.
    fn brute_force(
        costs: &CostMatrix,
        weight: &[f64],
        covered0: &[bool],
        k: usize,
        cost: f64,
    ) -> f64 {
        let m = costs.n_supply();
        let mut best = 0.0f64;
        for mask in 0u32..(1 << m) {
            if mask.count_ones() as usize > k {
                continue;
            }
            let value: f64 = (0..costs.n_demand())
                .filter(|&i| {
                    covered0[i]
                        || costs
                            .supplies_of(i)
                            .iter()
                            .any(|(j, c)| c <= cost && mask & (1 << j) != 0)
                })
                .map(|i| weight[i])
                .sum();
            best = best.max(value);
        }
        best
    }

    #[test]
    fn exact_equals_brute_force_and_greedy_never_beats_it() {
        let mut greedy_short = 0;
        for seed in 0..120 {
            let m = 4 + (seed as usize % 9);
            let (costs, weight, covered) = random_instance(seed, m);
            let k = 1 + (seed as usize % 4).min(m - 1);
            let cost = [1500.0, 2500.0, 3500.0][seed as usize % 3];
            let params = MclpParams::new(k, cost);
            let exact = maximal_covering(
                &costs,
                &weight,
                Some(&covered),
                &params.solver(Solver::Exact),
            )
            .unwrap();
            let want = brute_force(&costs, &weight, &covered, k, cost);
            assert!(
                (exact.covered_after() - want).abs() < 1e-9,
                "seed {seed}: exact {} != brute force {want}",
                exact.covered_after()
            );
            assert_eq!(exact.method, MclpMethod::Exact);
            assert!(exact.steps.len() <= k);
            let greedy = maximal_covering(
                &costs,
                &weight,
                Some(&covered),
                &params.solver(Solver::Greedy),
            )
            .unwrap();
            let got = greedy.covered_after();
            assert!(got <= want + 1e-9, "seed {seed}: greedy {got} > {want}");
            let MclpMethod::Greedy { optimum_at_most } = greedy.method else {
                panic!("greedy method expected");
            };
            assert!(
                optimum_at_most >= want - 1e-9,
                "seed {seed}: bound {optimum_at_most} < {want}"
            );
            let before = greedy.covered_before;
            assert!(got - before >= GREEDY_GUARANTEE * (want - before) - 1e-9);
            if got < want - 1e-9 {
                greedy_short += 1;
            }
            // Steps: gains positive and non-increasing, covered weight adding up.
            for s in [&exact.steps, &greedy.steps] {
                let mut total = exact.covered_before;
                for (t, step) in s.iter().enumerate() {
                    assert!(step.gain > 0.0);
                    total += step.gain;
                    assert!((step.covered_after - total).abs() < 1e-9);
                    if t > 0 {
                        assert!(step.gain <= s[t - 1].gain + 1e-9);
                    }
                }
            }
        }
        // The fixtures must exercise a case where greedy is not optimal.
        assert!(greedy_short > 0, "greedy was optimal on every instance");
    }

    #[test]
    fn greedy_can_miss_the_optimum_and_exact_does_not() {
        // Weights: a0 3, a1 3, a2 4, a3 4, a4 2. Candidate c0 covers {a0, a1} (6), c1
        // {a2, a3} (8), c2 {a0, a2, a4} (9). Greedy takes c2 (9), then c1 adds a3 (4): 13.
        // The optimum is c0 + c1: 14.
        let t = [
            (0, 0, 1.0),
            (1, 0, 1.0),
            (2, 1, 1.0),
            (3, 1, 1.0),
            (0, 2, 1.0),
            (2, 2, 1.0),
            (4, 2, 1.0),
        ];
        let costs = CostMatrix::from_triples(5, 3, t).unwrap();
        let w = [3.0, 3.0, 4.0, 4.0, 2.0];
        let greedy = maximal_covering(
            &costs,
            &w,
            None,
            &MclpParams::new(2, 1.0).solver(Solver::Greedy),
        )
        .unwrap();
        assert_eq!(greedy.sites(), vec![2, 1]);
        assert_eq!(greedy.covered_after(), 13.0);
        let exact = maximal_covering(&costs, &w, None, &MclpParams::new(2, 1.0)).unwrap();
        assert_eq!(exact.method, MclpMethod::Exact);
        // Ordered by greedy gain: c1 (8) then c0 (6).
        assert_eq!(
            exact.steps,
            vec![
                MclpStep {
                    site: 1,
                    gain: 8.0,
                    covered_after: 8.0
                },
                MclpStep {
                    site: 0,
                    gain: 6.0,
                    covered_after: 14.0
                }
            ]
        );
        // Existing cover of area 2 and 3 changes the answer: c2 then c0 cover the rest.
        let exact = maximal_covering(
            &costs,
            &w,
            Some(&[false, false, true, true, false]),
            &MclpParams::new(2, 1.0),
        )
        .unwrap();
        assert_eq!(exact.covered_before, 8.0);
        assert_eq!(exact.covered_after(), 16.0);
        assert_eq!(exact.total_weight, 16.0);
        // Nothing more to gain after everything is covered: one site is enough.
        let all = maximal_covering(
            &costs,
            &w,
            Some(&[false, false, true, true, false]),
            &MclpParams::new(3, 1.0),
        )
        .unwrap();
        assert_eq!(all.covered_after(), 16.0);
        assert!(all.steps.len() <= 2);
    }

    #[test]
    fn auto_is_greedy_beyond_the_exact_size() {
        // 1,200 areas and 400 candidates in a 20 km square, 3 km coverage: hundreds of
        // candidates times over a thousand groups.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut point = || geo_types::Coord {
            x: rng.random_range(0.0..20_000.0),
            y: rng.random_range(0.0..20_000.0),
        };
        let demand: Vec<_> = (0..1200).map(|_| point()).collect();
        let sites: Vec<_> = (0..400).map(|_| point()).collect();
        let costs = CostMatrix::straight_line(&demand, &sites, 3000.0).unwrap();
        let weight: Vec<f64> = (0..1200u32).map(|i| f64::from(i % 7)).collect();
        let r = maximal_covering(&costs, &weight, None, &MclpParams::new(8, 3000.0)).unwrap();
        let MclpMethod::Greedy { optimum_at_most } = r.method else {
            panic!("expected greedy, got {:?}", r.method);
        };
        assert_eq!(r.steps.len(), 8);
        assert!(r.covered_after() <= optimum_at_most);
        assert!(optimum_at_most <= r.total_weight);
        assert!(r.covered_after() >= GREEDY_GUARANTEE * optimum_at_most);
    }

    #[test]
    fn bad_inputs_are_named() {
        let costs = CostMatrix::from_triples(2, 1, [(0, 0, 1.0)]).unwrap();
        assert_eq!(
            maximal_covering(&costs, &[1.0, 1.0], None, &MclpParams::new(2, 1.0)).unwrap_err(),
            AccessError::TooFewCandidates {
                k: 2,
                candidates: 1
            }
        );
        assert!(matches!(
            maximal_covering(&costs, &[1.0, -1.0], None, &MclpParams::new(1, 1.0)),
            Err(AccessError::BadAmount { index: 1, .. })
        ));
        assert!(matches!(
            maximal_covering(&costs, &[1.0, 1.0], Some(&[true]), &MclpParams::new(1, 1.0)),
            Err(AccessError::LengthMismatch { .. })
        ));
        let none = maximal_covering(&costs, &[1.0, 1.0], None, &MclpParams::new(0, 1.0)).unwrap();
        assert!(none.steps.is_empty());
        assert_eq!(none.covered_after(), 0.0);
    }
}
