//! Floating-catchment access: [`floating_catchment`] with a distance [`Decay`] (binary =
//! classic 2SFCA, stepwise = enhanced 2SFCA, Gaussian) and a [`Method`] (two-step or
//! balanced or proportional).
//!
//! # Two-step (Luo & Wang 2003; Luo & Qi 2009 for the decay)
//!
//! With population `P_k` at demand `k`, supply (capacity) `S_j` and weight `W(c)` of a
//! demand-to-supply cost `c`:
//!
//! ```text
//! R_j = S_j / Σ_k W(c_kj) P_k          (step 1: supply per person in j's catchment)
//! A_i = Σ_j W(c_ij) R_j                (step 2: access of area i)
//! ```
//!
//! Summed over areas, `Σ_i P_i A_i = Σ_j S_j` over the supplies whose catchment holds any
//! demand: the two-step measure neither creates nor loses supply in total (each `R_j` goes
//! back to exactly the weighted population it was divided by).
//!
//! # Balanced (Paez, Higgins & Vivona 2019, PLoS ONE 14(6) e0218773)
//!
//! In the two-step measure an area's population is counted in every catchment it lies in
//! (demand inflation) and a service's level is handed in full to every area in its
//! catchment (service inflation), and the two do not cancel area by area. The balanced
//! measure allocates both proportionally:
//!
//! ```text
//! Wi_ij = W_ij / Σ_j W_ij              (area i's population shared among its services)
//! Wj_ij = W_ij / Σ_i W_ij              (service j's level shared among its areas)
//! R_j = S_j / Σ_i P_i Wi_ij
//! A_i = Σ_j Wj_ij R_j
//! ```
//!
//! exactly as the R package `accessibility` computes `bfca` (`fca_bfca`). What it
//! preserves: the population allocated to the services adds up to the population that
//! reaches any service (`Σ_j Σ_i P_i Wi_ij = Σ_i P_i`, no demand inflation), and the access
//! of the areas adds up to the level of service of the services (`Σ_i A_i = Σ_j R_j`, no
//! service inflation). It does **not** make `Σ_i P_i A_i = Σ_j S_j`: an area's `A_i` is
//! its share of the services' levels, not supply per resident (one service of capacity 1
//! shared by two areas of 1 and 3 people has level 1/4 and gives each area 1/8). The
//! two-step and the proportional measures are the ones whose population-weighted total
//! equals the supply.
//!
//! # Proportional (selection weights in both steps, as in Wan, Zou & Sternberg 2012's 3SFCA)
//!
//! Each area's population is shared among its services (`Wi_ij`, as in the balanced
//! measure) and the same shares are used to hand each service's level back:
//!
//! ```text
//! R_j = S_j / Σ_i P_i Wi_ij
//! A_i = Σ_j Wi_ij R_j
//! ```
//!
//! so `P_i A_i` is the supply area i's residents receive when every resident uses the
//! services in reach in proportion to their weights. No demand inflation (as balanced) and
//! no supply inflation in the sense of the issue's test: `Σ_i P_i A_i = Σ_j S_j` over the
//! services whose catchment holds any demand, and `A_i` reads as supply per resident.
//!
//! # Conventions, matching PySAL `access` 1.1.10 (`access/fca.py`, `access/weights.py`)
//!
//! - The catchment is inclusive: a pair counts when its cost is `<= cutoff`
//!   (`weighted_catchment` keeps `cost <= max_cost`).
//! - A stepwise weight is the weight of the first step whose upper cost is `>= c`, so a
//!   cost exactly on a step's edge takes the nearer (larger) step's weight, and a cost
//!   beyond the last step has weight 0 (`weights.step_fn`: `if key_to_test <= k: return v`
//!   over the steps in increasing order).
//! - Gaussian weight `exp(-c² / (2σ²))`, 1 at cost 0 and unnormalised (`weights.gaussian`),
//!   cut off at a cost (`max_cost`).
//! - Supply defaults to 1 per service (`access` takes a supply column; give capacities to
//!   weight services).
//! - Demand is the cost structure's direction: `c_ij` from area to service in both steps
//!   (see [`crate::cost`]).
//!
//! Where this crate differs from `access`, for degenerate inputs only:
//!
//! - A supply point whose catchment holds no weighted demand gets no ratio (`None`) and
//!   adds nothing. `access` drops one with no demand pair within the cutoff (the same
//!   result), but gives one whose catchment holds only zero-population areas a ratio of
//!   `S_j / 0 = inf`, so those areas' access is infinite.
//! - An area with no supply point in reach has access 0. `access` leaves it NaN (it is
//!   absent from the grouped sum and the join fills NaN) when no pair is within `max_cost`.
//!
//! Every sum runs sequentially in ascending index order (per supply over its demands, per
//! area over its supplies): the per-area sums in parallel across areas, the per-supply sums
//! in one pass over the pairs (no transpose is built), so the results are identical for any
//! number of rayon threads.

use crate::input::{check_amounts, check_cost_parameter, sum};
use crate::{AccessError, CostMatrix};
use rayon::prelude::*;

/// How the weight of a pair falls with its cost. Every variant is 0 beyond its cutoff.
#[derive(Debug, Clone, PartialEq)]
pub enum Decay {
    /// Weight 1 up to and including `cutoff`, 0 beyond: the classic 2SFCA (Luo & Wang
    /// 2003).
    Binary {
        /// The catchment's cost.
        cutoff: f64,
    },
    /// Enhanced 2SFCA (Luo & Qi 2009): `(upper cost, weight)` steps in increasing order of
    /// upper cost; a cost takes the weight of the first step whose upper cost is `>=` it,
    /// 0 beyond the last. Luo & Qi's weights are 1, 0.68 and 0.22 (a Gaussian sampled at
    /// the steps).
    Stepwise(Vec<(f64, f64)>),
    /// `exp(-c² / (2 sigma²))` up to and including `cutoff`, 0 beyond (PySAL `access`'s
    /// `weights.gaussian(sigma)` with `max_cost = cutoff`).
    Gaussian {
        /// Width of the Gaussian, in cost units.
        sigma: f64,
        /// The catchment's cost.
        cutoff: f64,
    },
}

impl Decay {
    /// Luo & Qi's enhanced 2SFCA steps: weights 1, 0.68 and 0.22 up to `step`, `2 step` and
    /// `3 step`.
    ///
    /// ```
    /// use safemap_access::Decay;
    ///
    /// let d = Decay::luo_qi(1000.0);
    /// assert_eq!(d, Decay::Stepwise(vec![(1000.0, 1.0), (2000.0, 0.68), (3000.0, 0.22)]));
    /// assert_eq!(d.weight(1000.0), 1.0); // on an edge: the nearer step
    /// assert_eq!(d.weight(1000.5), 0.68);
    /// assert_eq!(d.weight(3000.5), 0.0);
    /// ```
    pub fn luo_qi(step: f64) -> Decay {
        Decay::Stepwise(vec![(step, 1.0), (2.0 * step, 0.68), (3.0 * step, 0.22)])
    }

    /// The largest cost with a possibly positive weight: pairs beyond it are outside every
    /// catchment.
    pub fn cutoff(&self) -> f64 {
        match self {
            Decay::Binary { cutoff } | Decay::Gaussian { cutoff, .. } => *cutoff,
            Decay::Stepwise(steps) => steps.last().map_or(0.0, |s| s.0),
        }
    }

    /// The weight of a pair of cost `cost`.
    ///
    /// ```
    /// use safemap_access::Decay;
    ///
    /// let g = Decay::Gaussian { sigma: 1000.0, cutoff: 3000.0 };
    /// assert_eq!(g.weight(0.0), 1.0);
    /// assert_eq!(g.weight(1000.0), (-0.5f64).exp());
    /// assert_eq!(g.weight(3000.1), 0.0);
    /// assert_eq!(Decay::Binary { cutoff: 2.0 }.weight(2.0), 1.0);
    /// ```
    pub fn weight(&self, cost: f64) -> f64 {
        match self {
            Decay::Binary { cutoff } => f64::from(u8::from(cost <= *cutoff)),
            Decay::Stepwise(steps) => steps
                .iter()
                .find(|&&(upper, _)| cost <= upper)
                .map_or(0.0, |&(_, w)| w),
            Decay::Gaussian { sigma, cutoff } => {
                if cost <= *cutoff {
                    // The expression of access's weights.gaussian, term for term.
                    (-cost * cost / (2.0 * sigma * sigma)).exp()
                } else {
                    0.0
                }
            }
        }
    }

    /// Checks the parameters: costs finite and at least 0, steps increasing with finite
    /// weights of at least 0, sigma positive.
    pub fn validate(&self) -> Result<(), AccessError> {
        match self {
            Decay::Binary { cutoff } => check_cost_parameter("the binary decay's cutoff", *cutoff),
            Decay::Gaussian { sigma, cutoff } => {
                if !(sigma.is_finite() && *sigma > 0.0) {
                    return Err(AccessError::BadSigma(*sigma));
                }
                check_cost_parameter("the Gaussian decay's cutoff", *cutoff)
            }
            Decay::Stepwise(steps) => {
                if steps.is_empty() {
                    return Err(AccessError::NoSteps);
                }
                let mut previous = None;
                for (index, &(upper, weight)) in steps.iter().enumerate() {
                    check_cost_parameter("a step's upper cost", upper)?;
                    if !(weight.is_finite() && weight >= 0.0) {
                        return Err(AccessError::BadStepWeight { index, weight });
                    }
                    if let Some(previous) = previous.filter(|&p| upper <= p) {
                        return Err(AccessError::StepsNotIncreasing {
                            index,
                            previous,
                            upper,
                        });
                    }
                    previous = Some(upper);
                }
                Ok(())
            }
        }
    }
}

/// Which floating-catchment measure (see the [module docs](self) for the formulas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Two-step floating catchment (2SFCA; enhanced 2SFCA with a stepwise or Gaussian
    /// decay).
    #[default]
    TwoStep,
    /// Balanced floating catchment (Paez, Higgins & Vivona 2019).
    Balanced,
    /// Proportional allocation: the balanced measure's per-area shares in both steps, so
    /// population-weighted access equals the supply.
    Proportional,
}

/// Parameters of [`floating_catchment`]: the decay and the method (two-step by default).
#[derive(Debug, Clone, PartialEq)]
pub struct FcaParams {
    decay: Decay,
    method: Method,
}

impl FcaParams {
    /// Two-step floating catchment with `decay`.
    pub fn new(decay: Decay) -> Self {
        FcaParams {
            decay,
            method: Method::TwoStep,
        }
    }

    /// The measure.
    #[must_use]
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
}

/// The result of [`floating_catchment`].
#[derive(Debug, Clone, PartialEq)]
pub struct FloatingCatchment {
    /// Per demand point (area), its access `A_i`: supply per person (two-step, proportional)
    /// or its share of the services' levels (balanced); 0 when no supply point is in reach.
    pub access: Vec<f64>,
    /// Per supply point, its ratio `R_j` (supply per person in its catchment), `None` when
    /// its catchment holds no weighted demand (it then adds nothing to any area).
    pub ratio: Vec<Option<f64>>,
    /// Per supply point, the demand in its catchment that `R_j` divides by: `Σ_k W_kj P_k`
    /// (two-step) or `Σ_k P_k Wi_kj` (balanced, proportional).
    pub catchment_demand: Vec<f64>,
}

/// Floating-catchment access of every demand point (area) to the supply points (services)
/// in `costs`. `demand` is the population (or need-weighted population) per area; `supply`
/// the capacity per service, 1 each when `None`. `costs` must hold every pair within the
/// decay's cutoff (a pair absent is unreachable).
///
/// ```
/// use safemap_access::{floating_catchment, CostMatrix, Decay, FcaParams, Method};
///
/// // Two areas of 100 and 300 people, one service 1 km from both.
/// let costs = CostMatrix::from_triples(2, 1, [(0, 0, 1000.0), (1, 0, 1000.0)]).unwrap();
/// let two_step = FcaParams::new(Decay::Binary { cutoff: 2000.0 });
/// let a = floating_catchment(&costs, &[100.0, 300.0], None, &two_step).unwrap();
/// assert_eq!(a.ratio, vec![Some(1.0 / 400.0)]);
/// assert_eq!(a.access, vec![1.0 / 400.0, 1.0 / 400.0]);
///
/// let balanced = two_step.method(Method::Balanced);
/// let b = floating_catchment(&costs, &[100.0, 300.0], Some(&[2.0]), &balanced).unwrap();
/// assert_eq!(b.access, vec![1.0 / 400.0, 1.0 / 400.0]); // half of 2 / 400 each
/// ```
pub fn floating_catchment(
    costs: &CostMatrix,
    demand: &[f64],
    supply: Option<&[f64]>,
    params: &FcaParams,
) -> Result<FloatingCatchment, AccessError> {
    let decay = &params.decay;
    decay.validate()?;
    check_amounts("demand", demand, costs.n_demand())?;
    if let Some(s) = supply {
        check_amounts("supply", s, costs.n_supply())?;
    }
    let capacity = |j: usize| supply.map_or(1.0, |s| s[j]);
    let n = costs.n_demand();
    let w = costs.pair_weights(|c| decay.weight(c));
    // Step 1 divides each pair's weight by its area's weight sum (balanced, proportional);
    // step 2 by its service's (balanced) or its area's (proportional); none for two-step.
    let area_sums = || -> Vec<f64> {
        (0..n)
            .into_par_iter()
            .map(|i| sum(costs.weighted_row(i, &w).map(|(_, w)| w)))
            .collect()
    };
    let (row_sum, step2_sum) = match params.method {
        Method::TwoStep => (None, None),
        Method::Balanced => (
            Some(area_sums()),
            Some(Step2Share::PerService(costs.sum_by_supply(&w, |_, w| w))),
        ),
        Method::Proportional => (Some(area_sums()), Some(Step2Share::PerArea)),
    };
    let catchment_demand = costs.sum_by_supply(&w, |k, w| match &row_sum {
        Some(r) if w > 0.0 => demand[k] * (w / r[k]),
        _ => w * demand[k],
    });
    let ratio: Vec<Option<f64>> = catchment_demand
        .iter()
        .enumerate()
        .map(|(j, &d)| (d > 0.0).then(|| capacity(j) / d))
        .collect();
    let access = (0..n)
        .into_par_iter()
        .map(|i| {
            sum(costs.weighted_row(i, &w).filter_map(|(j, w)| {
                let r = ratio[j].filter(|_| w > 0.0)?;
                Some(match (&step2_sum, &row_sum) {
                    (Some(Step2Share::PerService(s)), _) => w / s[j] * r,
                    (Some(Step2Share::PerArea), Some(a)) => w / a[i] * r,
                    _ => w * r,
                })
            }))
        })
        .collect();
    Ok(FloatingCatchment {
        access,
        ratio,
        catchment_demand,
    })
}

/// What the second step divides a pair's weight by.
enum Step2Share {
    /// The service's weight sum (balanced).
    PerService(Vec<f64>),
    /// The area's weight sum, as in step 1 (proportional).
    PerArea,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// 3 areas of 100, 200 and 300 people; 2 services of capacity 1 and 2. Demand-to-supply
    /// costs (m): area 0: 500 to s0, 2500 to s1; area 1: 1500, 1000; area 2: 3500, 2000.
    fn fixture() -> (CostMatrix, [f64; 3], [f64; 2]) {
        let costs = CostMatrix::from_triples(
            3,
            2,
            [
                (0, 0, 500.0),
                (0, 1, 2500.0),
                (1, 0, 1500.0),
                (1, 1, 1000.0),
                (2, 0, 3500.0),
                (2, 1, 2000.0),
            ],
        )
        .unwrap();
        (costs, [100.0, 200.0, 300.0], [1.0, 2.0])
    }

    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
            "{got} != {want}"
        );
    }

    #[test]
    fn two_step_binary_by_hand() {
        let (costs, pop, cap) = fixture();
        let r = floating_catchment(
            &costs,
            &pop,
            Some(&cap),
            &FcaParams::new(Decay::Binary { cutoff: 2000.0 }),
        )
        .unwrap();
        // Within 2000 m (inclusive): s0 <- areas 0 (500), 1 (1500); s1 <- areas 1 (1000),
        // 2 (2000, on the cutoff, kept); area 0 - s1 (2500) and area 2 - s0 (3500) are out.
        // R0 = 1 / (100 + 200) = 1/300;  R1 = 2 / (200 + 300) = 1/250.
        assert_eq!(r.catchment_demand, vec![300.0, 500.0]);
        close(r.ratio[0].unwrap(), 1.0 / 300.0);
        close(r.ratio[1].unwrap(), 1.0 / 250.0);
        // A0 = R0 = 1/300;  A1 = R0 + R1 = 5/1500 + 6/1500 = 11/1500;  A2 = R1 = 1/250.
        close(r.access[0], 1.0 / 300.0);
        close(r.access[1], 11.0 / 1500.0);
        close(r.access[2], 1.0 / 250.0);
        // Population-weighted: 100/300 + 200 * 11/1500 + 300/250 = 1/3 + 22/15 + 6/5 = 3.
        close(pop.iter().zip(&r.access).map(|(p, a)| p * a).sum(), 3.0);
    }

    #[test]
    fn enhanced_two_step_by_hand() {
        let (costs, pop, cap) = fixture();
        let r = floating_catchment(
            &costs,
            &pop,
            Some(&cap),
            &FcaParams::new(Decay::luo_qi(1000.0)),
        )
        .unwrap();
        // Weights: area 0: 500 -> 1, 2500 -> 0.22; area 1: 1500 -> 0.68, 1000 (on the first
        // edge) -> 1; area 2: 3500 (beyond 3000) -> 0, 2000 (on the second edge) -> 0.68.
        // D0 = 1 * 100 + 0.68 * 200 = 236;  D1 = 0.22 * 100 + 1 * 200 + 0.68 * 300 = 426.
        close(r.catchment_demand[0], 236.0);
        close(r.catchment_demand[1], 426.0);
        // R0 = 1/236;  R1 = 2/426 = 1/213.
        let (r0, r1) = (1.0 / 236.0, 1.0 / 213.0);
        close(r.ratio[0].unwrap(), r0);
        close(r.ratio[1].unwrap(), r1);
        // A0 = 1 R0 + 0.22 R1;  A1 = 0.68 R0 + 1 R1;  A2 = 0.68 R1.
        close(r.access[0], r0 + 0.22 * r1);
        close(r.access[1], 0.68 * r0 + r1);
        close(r.access[2], 0.68 * r1);
    }

    #[test]
    fn gaussian_by_hand() {
        // One service 1000 and 2000 m from two areas of 10 and 30; sigma 1000, cutoff 2000.
        let costs = CostMatrix::from_triples(2, 1, [(0, 0, 1000.0), (1, 0, 2000.0)]).unwrap();
        let decay = Decay::Gaussian {
            sigma: 1000.0,
            cutoff: 2000.0,
        };
        let r = floating_catchment(&costs, &[10.0, 30.0], None, &FcaParams::new(decay)).unwrap();
        // W = exp(-1/2), exp(-2); R = 1 / (10 e^-1/2 + 30 e^-2); A_i = W_i R.
        let (w0, w1) = ((-0.5f64).exp(), (-2.0f64).exp());
        let ratio = 1.0 / (10.0 * w0 + 30.0 * w1);
        close(r.ratio[0].unwrap(), ratio);
        close(r.access[0], w0 * ratio);
        close(r.access[1], w1 * ratio);
    }

    #[test]
    fn asymmetric_costs_use_the_demand_to_supply_direction_in_both_steps() {
        // Minutes from area to service (i -> j): 0->s0 10, 0->s1 20, 1->s0 14, 1->s1 16,
        // 2->s1 5. From service to area (j -> i) the roads differ: s0->0 10, s1->0 12,
        // s0->1 20, s1->1 9, s1->2 5. Catchment 15 minutes, areas of 100, 200, 300,
        // services of capacity 1 and 2.
        let to_service = [
            (0, 0, 10.0),
            (0, 1, 20.0),
            (1, 0, 14.0),
            (1, 1, 16.0),
            (2, 1, 5.0),
        ];
        let from_service = [
            (0, 0, 10.0),
            (0, 1, 12.0),
            (1, 0, 20.0),
            (1, 1, 9.0),
            (2, 1, 5.0),
        ];
        let params = FcaParams::new(Decay::Binary { cutoff: 15.0 });
        let run = |t: &[(usize, usize, f64)]| {
            let costs = CostMatrix::from_triples(3, 2, t.iter().copied()).unwrap();
            floating_catchment(&costs, &[100.0, 200.0, 300.0], Some(&[1.0, 2.0]), &params).unwrap()
        };
        // i -> j within 15: s0 <- areas 0, 1; s1 <- area 2.
        // R0 = 1 / 300, R1 = 2 / 300; A = (R0, R0, R1) = (1/300, 1/300, 1/150).
        let r = run(&to_service);
        close(r.access[0], 1.0 / 300.0);
        close(r.access[1], 1.0 / 300.0);
        close(r.access[2], 1.0 / 150.0);
        // Given the other direction instead, s0 <- area 0; s1 <- areas 0, 1, 2:
        // R0 = 1/100, R1 = 2/600; A = (1/100 + 1/300, 1/300, 1/300): the direction matters.
        let r = run(&from_service);
        close(r.access[0], 1.0 / 100.0 + 1.0 / 300.0);
        close(r.access[1], 1.0 / 300.0);
        close(r.access[2], 1.0 / 300.0);
    }

    #[test]
    fn balanced_by_hand() {
        let (costs, pop, cap) = fixture();
        let params = FcaParams::new(Decay::Binary { cutoff: 2000.0 }).method(Method::Balanced);
        let r = floating_catchment(&costs, &pop, Some(&cap), &params).unwrap();
        // Pairs within 2000 m: (0,s0), (1,s0), (1,s1), (2,s1), all of weight 1.
        // Row sums (per area): 1, 2, 1 -> Wi: (0,s0) 1, (1,s0) 1/2, (1,s1) 1/2, (2,s1) 1.
        // Column sums (per service): 2, 2 -> Wj = 1/2 for every pair.
        // D0 = 100 * 1 + 200 / 2 = 200, D1 = 200 / 2 + 300 * 1 = 400: together 600 = all
        // the population, counted once.
        assert_eq!(r.catchment_demand, vec![200.0, 400.0]);
        // R0 = 1/200, R1 = 2/400 = 1/200.
        close(r.ratio[0].unwrap(), 1.0 / 200.0);
        close(r.ratio[1].unwrap(), 1.0 / 200.0);
        // A0 = R0 / 2 = 1/400; A1 = R0 / 2 + R1 / 2 = 1/200; A2 = R1 / 2 = 1/400.
        close(r.access[0], 1.0 / 400.0);
        close(r.access[1], 1.0 / 200.0);
        close(r.access[2], 1.0 / 400.0);
        // The levels are shared out once: A0 + A1 + A2 = 1/100 = R0 + R1. Weighted by
        // population they give 100/400 + 200/200 + 300/400 = 2, not the supply of 3.
        close(r.access.iter().sum(), 1.0 / 100.0);
        close(pop.iter().zip(&r.access).map(|(p, a)| p * a).sum(), 2.0);
    }

    #[test]
    fn proportional_by_hand() {
        let (costs, pop, _) = fixture();
        let params = FcaParams::new(Decay::Binary { cutoff: 2000.0 }).method(Method::Proportional);
        let r = floating_catchment(&costs, &pop, Some(&[1.0, 4.0]), &params).unwrap();
        // Wi as in balanced_by_hand: (0,s0) 1, (1,s0) 1/2, (1,s1) 1/2, (2,s1) 1, so the same
        // allocated demand 200 and 400; R0 = 1/200, R1 = 4/400 = 1/100.
        assert_eq!(r.catchment_demand, vec![200.0, 400.0]);
        close(r.ratio[0].unwrap(), 1.0 / 200.0);
        close(r.ratio[1].unwrap(), 1.0 / 100.0);
        // A0 = R0; A1 = R0 / 2 + R1 / 2 = 3/400; A2 = R1.
        close(r.access[0], 1.0 / 200.0);
        close(r.access[1], 3.0 / 400.0);
        close(r.access[2], 1.0 / 100.0);
        // Weighted by population: 100/200 + 200 * 3/400 + 300/100 = 5, the whole supply.
        close(pop.iter().zip(&r.access).map(|(p, a)| p * a).sum(), 5.0);
    }

    /// A random instance: areas and services in a 10 km square, straight-line costs.
    fn random_instance(seed: u64) -> (CostMatrix, Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = rng.random_range(1..60);
        let m = rng.random_range(1..25);
        let mut point = || geo_types::Coord {
            x: rng.random_range(0.0..10_000.0),
            y: rng.random_range(0.0..10_000.0),
        };
        let areas: Vec<_> = (0..n).map(|_| point()).collect();
        let services: Vec<_> = (0..m).map(|_| point()).collect();
        let costs = CostMatrix::straight_line(&areas, &services, 3000.0).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xA5);
        let pop = (0..n)
            .map(|_| {
                if rng.random_bool(0.1) {
                    0.0
                } else {
                    rng.random_range(1.0..3000.0_f64).round()
                }
            })
            .collect();
        let cap = (0..m).map(|_| rng.random_range(0.5..5.0)).collect();
        (costs, pop, cap)
    }

    /// Capacity of the services with any weighted demand in their catchment.
    fn reachable_supply(r: &FloatingCatchment, cap: &[f64]) -> f64 {
        r.ratio
            .iter()
            .zip(cap)
            .filter(|(ratio, _)| ratio.is_some())
            .map(|(_, c)| c)
            .sum()
    }

    fn assert_relative(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
            "{what}: {got} != {want}"
        );
    }

    #[test]
    fn what_each_method_preserves_on_random_instances() {
        let decays = [
            Decay::Binary { cutoff: 2000.0 },
            Decay::luo_qi(1000.0),
            Decay::Gaussian {
                sigma: 1200.0,
                cutoff: 3000.0,
            },
        ];
        for seed in 0..200 {
            let (costs, pop, cap) = random_instance(seed);
            for decay in &decays {
                let two =
                    floating_catchment(&costs, &pop, Some(&cap), &FcaParams::new(decay.clone()))
                        .unwrap();
                // Two-step: population-weighted access is the reachable supply.
                let weighted: f64 = pop.iter().zip(&two.access).map(|(p, a)| p * a).sum();
                assert_relative(weighted, reachable_supply(&two, &cap), "2SFCA sum P A");

                let bal = floating_catchment(
                    &costs,
                    &pop,
                    Some(&cap),
                    &FcaParams::new(decay.clone()).method(Method::Balanced),
                )
                .unwrap();
                // Balanced: population allocated once, levels shared out once.
                let reaching: f64 = (0..costs.n_demand())
                    .filter(|&i| {
                        costs
                            .supplies_of(i)
                            .iter()
                            .any(|(_, c)| decay.weight(c) > 0.0)
                    })
                    .map(|i| pop[i])
                    .sum();
                assert_relative(
                    bal.catchment_demand.iter().sum(),
                    reaching,
                    "BFCA allocated population",
                );
                let levels: f64 = bal.ratio.iter().flatten().sum();
                assert_relative(bal.access.iter().sum(), levels, "BFCA sum A");
                // Levels are supply over allocated demand: sum R_j D_j is the reachable supply.
                let supplied: f64 = bal
                    .ratio
                    .iter()
                    .zip(&bal.catchment_demand)
                    .filter_map(|(r, d)| r.map(|r| r * d))
                    .sum();
                assert_relative(supplied, reachable_supply(&bal, &cap), "BFCA sum R D");

                let prop = floating_catchment(
                    &costs,
                    &pop,
                    Some(&cap),
                    &FcaParams::new(decay.clone()).method(Method::Proportional),
                )
                .unwrap();
                // Proportional: the same allocated demand as balanced, and population-weighted
                // access is the reachable supply (no inflation).
                assert_eq!(prop.catchment_demand, bal.catchment_demand);
                let weighted: f64 = pop.iter().zip(&prop.access).map(|(p, a)| p * a).sum();
                assert_relative(
                    weighted,
                    reachable_supply(&prop, &cap),
                    "proportional sum P A",
                );
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let (costs, pop, cap) = random_instance(99);
        let params = FcaParams::new(Decay::luo_qi(800.0)).method(Method::Balanced);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| floating_catchment(&costs, &pop, Some(&cap), &params).unwrap())
        };
        let one = run(1);
        assert_eq!(one, run(4));
        assert!(one.access.iter().any(|&a| a > 0.0));
    }

    #[test]
    fn degenerate_and_bad_inputs() {
        // A service reached only by an empty area has no ratio and adds nothing; an area
        // with no service in reach has access 0.
        let costs = CostMatrix::from_triples(3, 2, [(0, 0, 1.0), (1, 1, 1.0)]).unwrap();
        let r = floating_catchment(
            &costs,
            &[0.0, 5.0, 7.0],
            None,
            &FcaParams::new(Decay::Binary { cutoff: 2.0 }),
        )
        .unwrap();
        assert_eq!(r.ratio, vec![None, Some(0.2)]);
        assert_eq!(r.access, vec![0.0, 0.2, 0.0]);

        let params = FcaParams::new(Decay::Binary { cutoff: 2.0 });
        assert_eq!(
            floating_catchment(&costs, &[1.0, 2.0], None, &params).unwrap_err(),
            AccessError::LengthMismatch {
                what: "demand",
                len: 2,
                n: 3
            }
        );
        assert_eq!(
            floating_catchment(&costs, &[1.0, 2.0, 3.0], Some(&[1.0, -2.0]), &params).unwrap_err(),
            AccessError::BadAmount {
                what: "supply",
                index: 1,
                value: -2.0
            }
        );
        let bad = |d: Decay| floating_catchment(&costs, &[1.0; 3], None, &FcaParams::new(d));
        assert_eq!(
            bad(Decay::Stepwise(vec![])).unwrap_err(),
            AccessError::NoSteps
        );
        assert_eq!(
            bad(Decay::Stepwise(vec![(2.0, 1.0), (1.0, 0.5)])).unwrap_err(),
            AccessError::StepsNotIncreasing {
                index: 1,
                previous: 2.0,
                upper: 1.0
            }
        );
        assert!(matches!(
            bad(Decay::Stepwise(vec![(1.0, -0.5)])).unwrap_err(),
            AccessError::BadStepWeight { index: 0, .. }
        ));
        assert_eq!(
            bad(Decay::Gaussian {
                sigma: 0.0,
                cutoff: 1.0
            })
            .unwrap_err(),
            AccessError::BadSigma(0.0)
        );
    }
}
