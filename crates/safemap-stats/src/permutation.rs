//! Permutation inference: pseudo p-values, tail conventions, and the seeded random draws.
//!
//! # Conditional permutation (local statistics)
//!
//! For site `i` with `k_i` neighbours, the value at `i` stays fixed and `R` times a set of
//! `k_i` values is drawn **without replacement from the other `n - 1` values**; each draw is
//! put in place of the neighbours' values and the statistic recomputed. With `M` the number
//! of permuted statistics at least as extreme as the observed one,
//!
//! ```text
//! p = (M + 1) / (R + 1)
//! ```
//!
//! where "as extreme" depends on the [`Tail`].
//!
//! # Randomness and reproducibility
//!
//! All draws come from ChaCha8 keyed by `ChaCha8Rng::seed_from_u64(seed)`, on numbered
//! streams: stream `i` belongs to site `i`, stream `2^62` to the shared tuples below, and
//! streams `2^63 + r` to the `r`-th whole-map shuffle of global Moran's I. What a site draws
//! depends only on `(seed, i, R)` and the weights, never on the number of threads or the
//! order in which sites are processed (sites run in parallel with rayon), so results are
//! identical for any thread count. How the draws are made is the [`Sampling`]:
//!
//! - [`Sampling::Shared`] (**the default**): `R` random tuples of `k_max` distinct indices
//!   of `0..n-1` are drawn once (stream `2^62`); site `i` draws one shift `c_i` from its own
//!   stream and uses each tuple's first `k_i` entries moved by `c_i` modulo `n - 1`, then
//!   mapped past itself (`i` becomes `n - 1`). Shifting is a bijection, so every site's `R`
//!   draws are independent, uniformly random `k_i`-subsets of the other sites: each p-value
//!   is an exact conditional-permutation p-value. The sites' draws are not independent of
//!   one another; esda shares its tuples in the same way, but with no shift, so that every
//!   site there also sees the same positions.
//! - [`Sampling::PerSite`]: every site draws all its tuples from its own stream, so the
//!   sites' p-values are independent given the data; about three times slower.
//!
//! # Exact comparisons
//!
//! Both local statistics are, for a fixed site, increasing (or decreasing) functions of the
//! weighted neighbour sum `L_i = sum_j w_ij y_j` of the **raw** values: Gi/Gi* divide it by a
//! positive constant, Local Moran's I multiplies it by `z_i` (after a constant shift). So
//! permuted sums are compared with the observed sum, not the statistics themselves: with
//! integer counts and binary or row-standardised weights (a row of equal weights is summed
//! unweighted) the comparison is exact, and a permuted sum within rounding error
//! (`2 k eps sum_j |w_ij| max|y|`) of the observed one counts as a **tie**. Ties count on
//! both sides (as `>=` and as `<=`). A site whose statistic does not depend on its
//! neighbours (Local Moran with `z_i = 0`) ties with every permutation and gets `p = 1`.
//!
//! # Speed
//!
//! Draws use Lemire's multiply-shift with rejection (exactly uniform). Rows of up to 12
//! neighbours are handled by code specialised for that exact size (fully unrolled sums and,
//! per site, a branch-free all-pairs check for repeated draws, which are redrawn); larger
//! neighbourhoods use a partial Fisher-Yates shuffle of an index pool, undone after each
//! tuple. Nothing is allocated per permutation.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use safemap_types::Weights;

/// Which permuted statistics count as "at least as extreme" as the observed one.
///
/// With `R` permutations, `G` = number of permuted statistics `>=` the observed one and
/// `L` = number `<=` it (ties count in both):
///
/// | tail | p |
/// |---|---|
/// | `Folded` | `(min(G, L) + 1) / (R + 1)` |
/// | `TwoSided` | `min(1, 2 (min(G, L) + 1) / (R + 1))` |
/// | `Upper` | `(G + 1) / (R + 1)` |
/// | `Lower` | `(L + 1) / (R + 1)` |
///
/// **safemap's default is [`Tail::Folded`]**, so that pseudo p-values are comparable with
/// esda's `p_sim` and GeoDa's. `Folded` is esda's default `alternative="directed"`: esda counts
/// `M = #(sim >= observed)` and folds it to `R - M` when `M > R - M`, which is
/// `min(G, L)` whenever there are no ties (with ties esda counts them only upwards, so a
/// site tied with every permutation gets esda `p = 1/(R+1)` but safemap `p = 1`). It is a
/// one-sided p-value in the direction the data point to; `TwoSided` doubles it. Note that
/// esda's own `alternative="folded"` is a different rule (distance from the permutation
/// mean) and is not offered here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Tail {
    /// The smaller tail, one-sided (esda "directed", GeoDa). The default.
    #[default]
    Folded,
    /// Twice the smaller tail, capped at 1.
    TwoSided,
    /// High values extreme: the alternative "the statistic is larger than by chance".
    Upper,
    /// Low values extreme: the alternative "the statistic is smaller than by chance".
    Lower,
}

impl Tail {
    /// Stable lowercase name: `folded`, `two_sided`, `upper`, `lower`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Folded => "folded",
            Self::TwoSided => "two_sided",
            Self::Upper => "upper",
            Self::Lower => "lower",
        }
    }

    /// The pseudo p-value from `at_least` = #(permuted `>=` observed), `at_most` =
    /// #(permuted `<=` observed) and `permutations` = `R` (see the table above).
    ///
    /// ```
    /// use safemap_stats::Tail;
    /// assert_eq!(Tail::Folded.p_value(990, 10, 999), 0.011);
    /// assert_eq!(Tail::Upper.p_value(990, 10, 999), 0.991);
    /// assert_eq!(Tail::TwoSided.p_value(990, 10, 999), 0.022);
    /// ```
    pub fn p_value(self, at_least: usize, at_most: usize, permutations: usize) -> f64 {
        let r1 = (permutations + 1) as f64;
        let smaller = (at_least.min(at_most) + 1) as f64;
        match self {
            Self::Folded => smaller / r1,
            Self::TwoSided => (2.0 * smaller / r1).min(1.0),
            Self::Upper => (at_least + 1) as f64 / r1,
            Self::Lower => (at_most + 1) as f64 / r1,
        }
    }
}

/// How the random neighbour sets of the conditional permutation are drawn (see the
/// [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Sampling {
    /// One set of `R` tuples for all sites, shifted per site: exact per-site p-values, as
    /// esda, and about three times faster than `PerSite`. The default.
    #[default]
    Shared,
    /// Independent tuples for every site from its own stream.
    PerSite,
}

impl Sampling {
    /// Stable name: `shared` or `per_site`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shared => "shared",
            Self::PerSite => "per_site",
        }
    }
}

/// The permutation test settings every statistic takes: `R`, the [`Tail`], the
/// [`Sampling`] and the seed.
///
/// `R = 0` means no permutation test (pseudo p-values are `None`). Defaults: 999
/// permutations, [`Tail::Folded`], [`Sampling::Shared`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PermutationTest {
    permutations: usize,
    tail: Tail,
    sampling: Sampling,
    seed: u64,
}

impl PermutationTest {
    /// 999 permutations, folded tail, shared sampling, and the given seed.
    pub fn new(seed: u64) -> Self {
        Self {
            permutations: 999,
            tail: Tail::Folded,
            sampling: Sampling::Shared,
            seed,
        }
    }

    /// Sets the number of permutations `R` (0 for none). 999 resolves p down to 0.001,
    /// 9,999 to 0.0001.
    #[must_use]
    pub fn permutations(mut self, permutations: usize) -> Self {
        self.permutations = permutations;
        self
    }

    /// Sets the tail convention.
    #[must_use]
    pub fn tail(mut self, tail: Tail) -> Self {
        self.tail = tail;
        self
    }

    /// Sets how neighbour sets are drawn.
    #[must_use]
    pub fn sampling(mut self, sampling: Sampling) -> Self {
        self.sampling = sampling;
        self
    }

    /// The number of permutations `R`.
    pub fn count(&self) -> usize {
        self.permutations
    }

    /// The tail convention.
    pub fn tail_convention(&self) -> Tail {
        self.tail
    }

    /// How neighbour sets are drawn.
    pub fn sampling_scheme(&self) -> Sampling {
        self.sampling
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// Stream of the tuples shared by all sites under [`Sampling::Shared`].
const SHARED_STREAM: u64 = 1 << 62;

/// First stream used by whole-map (global) permutations.
pub(crate) const GLOBAL_STREAM_BASE: u64 = 1 << 63;

/// The keyed generator for `seed` (stream 0), cloned per stream by [`stream`].
pub(crate) fn keyed(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The random stream `stream` of the key `base`.
pub(crate) fn stream(base: &ChaCha8Rng, stream: u64) -> ChaCha8Rng {
    let mut rng = base.clone();
    rng.set_stream(stream);
    rng
}

/// A uniform integer in `0..bound` (`bound > 0`): Lemire's multiply-shift with rejection,
/// which is exactly uniform and needs a division only when a rejection is possible. (This is
/// what `rand`'s `gen_range` does; written out here because it sits in the innermost loop
/// with a `ChaCha8Rng` and `rand` itself is not otherwise needed.)
#[inline]
pub(crate) fn below(rng: &mut ChaCha8Rng, bound: u32) -> u32 {
    let mut product = u64::from(rng.next_u32()) * u64::from(bound);
    if (product as u32) < bound {
        let threshold = bound.wrapping_neg() % bound;
        while (product as u32) < threshold {
            product = u64::from(rng.next_u32()) * u64::from(bound);
        }
    }
    (product >> 32) as u32
}

/// How a local statistic moves with its site's neighbour sum `L_i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The statistic increases with `L_i`.
    Increasing,
    /// The statistic decreases with `L_i`.
    Decreasing,
    /// The statistic does not depend on `L_i`: every permutation ties.
    Constant,
}

/// An index pool for partial Fisher-Yates draws of distinct values of `0..m`, with a log of
/// the swaps so that each draw can be undone. (`rand::seq::index::sample` does the drawing,
/// but allocates per call and leaves no way to restore the pool; restoring is what makes a
/// draw depend only on its own random numbers, whatever the thread drew before.)
struct Pool {
    slots: Vec<u32>,
    swaps: Vec<usize>,
}

impl Pool {
    fn new(m: usize) -> Self {
        Self {
            slots: (0..m as u32).collect(),
            swaps: Vec::new(),
        }
    }

    /// After `k` swaps the first `k` slots are a uniform ordered sample of distinct values.
    fn draw(&mut self, rng: &mut ChaCha8Rng, k: usize) -> &[u32] {
        let m = self.slots.len();
        self.swaps.clear();
        for t in 0..k {
            let pick = t + below(rng, (m - t) as u32) as usize;
            self.slots.swap(t, pick);
            self.swaps.push(pick);
        }
        &self.slots[..k]
    }

    /// Undoes the last draw, so every draw starts from `0..m` in order and depends only on
    /// the random numbers it used.
    fn undo(&mut self) {
        for (t, &pick) in self.swaps.iter().enumerate().rev() {
            self.slots.swap(t, pick);
        }
    }
}

/// `R` tuples of `k_max` distinct values of `0..m`, row after row, from the shared stream.
fn shared_tuples(base: &ChaCha8Rng, m: usize, k_max: usize, r: usize) -> Vec<u32> {
    let mut rng = stream(base, SHARED_STREAM);
    let mut pool = Pool::new(m);
    let mut tuples = Vec::with_capacity(r * k_max);
    for _ in 0..r {
        tuples.extend_from_slice(pool.draw(&mut rng, k_max));
        pool.undo();
    }
    tuples
}

/// Pseudo p-values of a local statistic for every site, by conditional permutation.
///
/// `w` gives each site's neighbours and weights (no self-weight: a self term is constant under
/// conditional permutation). `direction[i]` says how site `i`'s statistic moves with its
/// neighbour sum; `None` (and islands) get `None`.
pub(crate) fn conditional_p_values(
    y: &[f64],
    w: &Weights,
    direction: &[Option<Direction>],
    test: PermutationTest,
) -> Vec<Option<f64>> {
    let n = y.len();
    let r = test.permutations;
    let tested = |i: usize| direction[i].is_some() && w.cardinality(i) > 0;
    if r == 0 || !(0..n).any(tested) {
        return vec![None; n];
    }
    let base = keyed(test.seed);
    let shared = (test.sampling == Sampling::Shared).then(|| {
        let k_max = (0..n)
            .filter(|&i| tested(i))
            .map(|i| w.cardinality(i))
            .max();
        let k_max = k_max.unwrap_or(0);
        (k_max, shared_tuples(&base, n - 1, k_max, r))
    });
    let site = Site {
        y,
        max_abs: y.iter().fold(0.0_f64, |m, v| m.max(v.abs())),
        base: &base,
        r,
    };
    (0..n)
        .into_par_iter()
        .with_min_len(64)
        .map_init(
            || None::<Pool>,
            |pool, i| {
                if !tested(i) {
                    return None;
                }
                let (at_least, at_most) = match direction[i]? {
                    Direction::Constant => (r, r),
                    dir => {
                        let (ge, le) = site.count(w, i, shared.as_ref(), pool);
                        if dir == Direction::Increasing {
                            (ge, le)
                        } else {
                            (le, ge)
                        }
                    }
                };
                Some(test.tail.p_value(at_least, at_most, r))
            },
        )
        .collect()
}

/// What every site's count needs.
struct Site<'a> {
    y: &'a [f64],
    max_abs: f64,
    base: &'a ChaCha8Rng,
    r: usize,
}

/// Unit weights for rows of equal weights (summed unweighted, so integer data sum exactly).
const ONES: [f64; 64] = [1.0; 64];

/// Calls `$f::<K>($args)` for the site's cardinality `K` when `K <= 12`, else `$other`.
macro_rules! by_cardinality {
    ($k:expr, $f:ident($($arg:expr),*), $other:expr) => {
        match $k {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            8 => $f::<8>($($arg),*),
            9 => $f::<9>($($arg),*),
            10 => $f::<10>($($arg),*),
            11 => $f::<11>($($arg),*),
            12 => $f::<12>($($arg),*),
            _ => $other,
        }
    };
}

impl Site<'_> {
    /// `(#(L_perm >= L_obs), #(L_perm <= L_obs))` for site `i`, ties within rounding counted
    /// in both. `shared` is `(k_max, tuples)` under [`Sampling::Shared`]; `pool` is the
    /// thread's scratch for large neighbourhoods under [`Sampling::PerSite`].
    fn count(
        &self,
        w: &Weights,
        i: usize,
        shared: Option<&(usize, Vec<u32>)>,
        pool: &mut Option<Pool>,
    ) -> (usize, usize) {
        let n = self.y.len();
        let neighbours = w.neighbours(i);
        let values = w.values(i);
        let k = neighbours.len();
        let uniform = values.iter().all(|&v| v == values[0]);
        let weights = if uniform && k <= ONES.len() {
            &ONES[..k]
        } else {
            values
        };
        let observed: f64 = neighbours
            .iter()
            .zip(weights)
            .map(|(&j, &wj)| wj * self.y[j as usize])
            .sum();
        let abs_weight: f64 = weights.iter().map(|v| v.abs()).sum();
        let tol = 2.0 * k as f64 * f64::EPSILON * abs_weight * self.max_abs;
        let mut rng = stream(self.base, i as u64);
        let others = Others {
            site: i as u32,
            last: (n - 1) as u32,
        };
        let (y, r) = (self.y, self.r);
        let bounds = (observed - tol, observed + tol);
        if let Some((k_max, tuples)) = shared {
            let shift = below(&mut rng, others.last);
            let rows = tuples.chunks_exact(*k_max);
            let args = (&others, shift, y, weights, bounds);
            by_cardinality!(k, count_shared(rows, args), count_shared_any(rows, args))
        } else {
            let args = (&others, y, weights, bounds, r);
            by_cardinality!(
                k,
                count_per_site(&mut rng, args),
                count_pooled(&mut rng, pool.get_or_insert_with(|| Pool::new(n - 1)), args)
            )
        }
    }
}

/// Maps a draw in `0..n-1` to a site other than `site`: `site` itself becomes `n - 1`.
struct Others {
    site: u32,
    /// `n - 1`.
    last: u32,
}

impl Others {
    #[inline]
    fn map(&self, j: u32) -> u32 {
        if j == self.site {
            self.last
        } else {
            j
        }
    }

    /// `j + shift` modulo `n - 1` (both below it), then mapped past the site.
    #[inline]
    fn shifted(&self, j: u32, shift: u32) -> u32 {
        let mut x = j + shift;
        if x >= self.last {
            x -= self.last;
        }
        self.map(x)
    }
}

/// Arguments shared by the counting kernels: the mapping, the shift (shared sampling only),
/// the values, the row's weights and the tie bounds `(low, high)`.
type SharedArgs<'a> = (&'a Others, u32, &'a [f64], &'a [f64], (f64, f64));
/// The mapping, the values, the row's weights, the tie bounds and `R`.
type PerSiteArgs<'a> = (&'a Others, &'a [f64], &'a [f64], (f64, f64), usize);

/// Adds one permuted sum to the counts.
#[inline]
fn tally(counts: &mut (usize, usize), sum: f64, (low, high): (f64, f64)) {
    counts.0 += usize::from(sum >= low);
    counts.1 += usize::from(sum <= high);
}

/// Shared tuples, `K` known at compile time (unrolled sum, no bounds checks on weights).
#[inline]
fn count_shared<'t, const K: usize>(
    rows: impl Iterator<Item = &'t [u32]>,
    (others, shift, y, weights, bounds): SharedArgs<'_>,
) -> (usize, usize) {
    let mut w = [0.0; K];
    w.copy_from_slice(weights);
    let mut counts = (0, 0);
    for row in rows {
        let mut sum = 0.0;
        for t in 0..K {
            sum += w[t] * y[others.shifted(row[t], shift) as usize];
        }
        tally(&mut counts, sum, bounds);
    }
    counts
}

/// Shared tuples, any number of neighbours.
fn count_shared_any<'t>(
    rows: impl Iterator<Item = &'t [u32]>,
    (others, shift, y, weights, bounds): SharedArgs<'_>,
) -> (usize, usize) {
    let mut counts = (0, 0);
    for row in rows {
        let sum: f64 = row
            .iter()
            .zip(weights)
            .map(|(&j, &wt)| wt * y[others.shifted(j, shift) as usize])
            .sum();
        tally(&mut counts, sum, bounds);
    }
    counts
}

/// Per-site tuples of exactly `K` draws: repeats are found by a branch-free all-pairs check
/// (one integer flag, no short-circuit) and redrawn.
#[inline]
fn count_per_site<const K: usize>(
    rng: &mut ChaCha8Rng,
    (others, y, weights, bounds, r): PerSiteArgs<'_>,
) -> (usize, usize) {
    let mut w = [0.0; K];
    w.copy_from_slice(weights);
    let mut counts = (0, 0);
    for _ in 0..r {
        let mut idx = [0_u32; K];
        for slot in &mut idx {
            *slot = others.map(below(rng, others.last));
        }
        while let Some(t) = first_repeat(&idx) {
            idx[t] = others.map(below(rng, others.last));
        }
        let mut sum = 0.0;
        for t in 0..K {
            sum += w[t] * y[idx[t] as usize];
        }
        tally(&mut counts, sum, bounds);
    }
    counts
}

/// The position of the first value that repeats an earlier one, if any (the search for the
/// position runs only when a repeat exists, about once in `2n / K^2` tuples).
#[inline]
fn first_repeat<const K: usize>(idx: &[u32; K]) -> Option<usize> {
    let mut equal = 0_u32;
    for a in 1..K {
        for b in 0..a {
            equal |= u32::from(idx[a] == idx[b]);
        }
    }
    if equal == 0 {
        return None;
    }
    (1..K).find(|&a| idx[..a].contains(&idx[a]))
}

/// Per-site tuples for large neighbourhoods, from the thread's index pool.
fn count_pooled(
    rng: &mut ChaCha8Rng,
    pool: &mut Pool,
    (others, y, weights, bounds, r): PerSiteArgs<'_>,
) -> (usize, usize) {
    let mut counts = (0, 0);
    for _ in 0..r {
        let sum: f64 = pool
            .draw(rng, weights.len())
            .iter()
            .zip(weights)
            .map(|(&j, &wt)| wt * y[others.map(j) as usize])
            .sum();
        pool.undo();
        tally(&mut counts, sum, bounds);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails() {
        assert_eq!(Tail::default(), Tail::Folded);
        // no ties: G + L = R
        assert_eq!(Tail::Folded.p_value(3, 996, 999), 0.004);
        assert_eq!(Tail::Lower.p_value(3, 996, 999), 0.997);
        // all tied: not significant
        assert_eq!(Tail::Folded.p_value(999, 999, 999), 1.0);
        assert_eq!(Tail::TwoSided.p_value(600, 399, 999), 0.8);
        assert_eq!(Tail::TwoSided.p_value(999, 999, 999), 1.0);
    }

    #[test]
    fn below_is_in_range_and_covers_it() {
        let mut rng = stream(&keyed(1), 0);
        let mut seen = [0_u32; 7];
        for _ in 0..7000 {
            seen[below(&mut rng, 7) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| (850..1150).contains(&c)), "{seen:?}");
    }

    #[test]
    fn mapping_and_shift_are_bijections_onto_the_others() {
        for site in 0..5_u32 {
            let o = Others { site, last: 4 };
            for shift in 0..4 {
                let mut seen: Vec<u32> = (0..4).map(|j| o.shifted(j, shift)).collect();
                seen.sort_unstable();
                let want: Vec<u32> = (0..5).filter(|&j| j != site).collect();
                assert_eq!(seen, want, "site {site} shift {shift}");
            }
        }
    }

    #[test]
    fn repeats_are_found() {
        let mut idx = [5, 6, 7, 9];
        assert_eq!(first_repeat(&idx), None);
        idx[2] = 5;
        assert_eq!(first_repeat(&idx), Some(2));
        idx[3] = 6;
        assert_eq!(first_repeat(&idx), Some(2));
        assert_eq!(first_repeat(&[4]), None);
    }

    #[test]
    fn pool_draws_are_distinct_and_undone() {
        let mut pool = Pool::new(10);
        let mut rng = stream(&keyed(2), 0);
        for _ in 0..100 {
            let mut tuple = pool.draw(&mut rng, 6).to_vec();
            tuple.sort_unstable();
            tuple.dedup();
            assert_eq!(tuple.len(), 6);
            pool.undo();
            assert_eq!(pool.slots, (0..10).collect::<Vec<u32>>());
        }
    }

    /// Every sampler gives the exact distribution of neighbour sums: the share of 3-subsets
    /// of {1..9} (the values 0..9 without site 0) whose sum is >= 20.
    #[test]
    fn samplers_agree_with_exact_probability() {
        let y: Vec<f64> = (0..10).map(f64::from).collect();
        let mut hit = 0_u32;
        let mut all = 0_u32;
        for a in 1..10 {
            for b in a + 1..10 {
                for c in b + 1..10 {
                    all += 1;
                    hit += u32::from(a + b + c >= 20);
                }
            }
        }
        let exact = f64::from(hit) / f64::from(all);
        let r = 40_000;
        let others = Others { site: 0, last: 9 };
        let bounds = (20.0, 20.0);
        let rng = || stream(&keyed(3), 0);
        let ones = [1.0; 3];
        let tuples = shared_tuples(&keyed(3), 9, 3, r);
        let shared = count_shared::<3>(tuples.chunks_exact(3), (&others, 4, &y, &ones, bounds));
        let shared_any = count_shared_any(tuples.chunks_exact(3), (&others, 4, &y, &ones, bounds));
        assert_eq!(shared, shared_any);
        let args = (&others, &y[..], &ones[..], bounds, r);
        let fixed = count_per_site::<3>(&mut rng(), args);
        let pooled = count_pooled(&mut rng(), &mut Pool::new(9), args);
        for (ge, _) in [shared, fixed, pooled] {
            let share = ge as f64 / r as f64;
            assert!((share - exact).abs() < 0.01, "{share} vs {exact}");
        }
    }
}
