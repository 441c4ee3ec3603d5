//! The need index ([`need_index`]): a weighted composite of standardised, named area
//! columns (see [`composite`](mod@crate::composite) for the z-scores and missing values), each column's
//! contribution kept, with each area's rank and how far that rank moves when the weights
//! change.
//!
//! **Rank robustness.** For each column in turn, its weight is multiplied by `1 + p` and
//! by `1 - p` (`p` = 0.2 by default) with the other weights unchanged, the areas are ranked
//! again, and each area's figure is the largest absolute change of its rank over those
//! `2 × columns` reweightings. The weights are not renormalised to sum to 1 after the
//! change: a ranking does not change when every weight is scaled by the same positive
//! factor, so renormalising would give the same ranks.
//!
//! Ranks are 1 for the highest need; areas with equal scores share the mean of their
//! positions (fractional ranking, as `scipy.stats.rankdata`'s default), so a tie cannot
//! look like a move.

use crate::composite::{composite, Component, Composite};
use crate::AccessError;
use rayon::prelude::*;

/// Parameters of [`need_index`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeedParams {
    perturbation: f64,
}

impl Default for NeedParams {
    fn default() -> Self {
        NeedParams { perturbation: 0.2 }
    }
}

impl NeedParams {
    /// A ±20% change of each weight for the robustness figure.
    pub fn new() -> Self {
        Self::default()
    }

    /// The relative change of each weight in the robustness figure, in [0, 1) (0.2 for
    /// ±20%).
    #[must_use]
    pub fn perturbation(mut self, p: f64) -> Self {
        self.perturbation = p;
        self
    }
}

/// The need index of every area.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedIndex {
    /// The index (`composite.score`) with every column's z-score and contribution.
    pub composite: Composite,
    /// Per area its rank, 1 = highest need (ties share the mean rank); `None` without an
    /// index.
    pub rank: Vec<Option<f64>>,
    /// Per area the largest absolute rank change over the reweightings; `None` without an
    /// index.
    pub max_rank_change: Vec<Option<f64>>,
}

/// The need index of `components` with its ranks and rank robustness (see the
/// [module docs](self)).
///
/// ```
/// use safemap_access::{need_index, Component, NeedParams};
///
/// let assaults = [Some(9.0), Some(4.0), Some(1.0), Some(6.0)];
/// let deprivation = [Some(1.0), Some(5.0), Some(2.0), Some(9.0)];
/// let need = need_index(
///     &[Component::new("assaults", &assaults, 1.0), Component::new("imd", &deprivation, 1.0)],
///     &NeedParams::new(),
/// )
/// .unwrap();
/// assert_eq!(need.rank, vec![Some(2.0), Some(3.0), Some(4.0), Some(1.0)]);
/// // A ±20% change of either weight does not reorder these areas.
/// assert_eq!(need.max_rank_change, vec![Some(0.0); 4]);
/// ```
pub fn need_index(
    components: &[Component<'_>],
    params: &NeedParams,
) -> Result<NeedIndex, AccessError> {
    let p = params.perturbation;
    if !(0.0..1.0).contains(&p) {
        return Err(AccessError::BadFraction {
            what: "the weight perturbation",
            value: p,
            min: 0.0,
            max: 1.0,
        });
    }
    let composite = composite(components)?;
    let rank = descending_ranks(&composite.score);
    let weights: Vec<f64> = components.iter().map(|c| c.weight).collect();
    let reweightings: Vec<Vec<f64>> = (0..weights.len())
        .flat_map(|k| [1.0 + p, 1.0 - p].map(|f| (k, f)))
        .map(|(k, f)| {
            let mut w = weights.clone();
            w[k] *= f;
            w
        })
        .collect();
    let moves: Vec<Vec<Option<f64>>> = reweightings
        .par_iter()
        .map(|w| {
            descending_ranks(&composite.rescored(w))
                .iter()
                .zip(&rank)
                .map(|(a, b)| Some(((*a)? - (*b)?).abs()))
                .collect()
        })
        .collect();
    let max_rank_change = (0..rank.len())
        .map(|i| {
            rank[i]?;
            Some(moves.iter().filter_map(|m| m[i]).fold(0.0, f64::max))
        })
        .collect();
    Ok(NeedIndex {
        composite,
        rank,
        max_rank_change,
    })
}

/// Fractional ranks of the present scores, 1 for the largest; ties share the mean of
/// their positions.
pub(crate) fn descending_ranks(scores: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut order: Vec<(usize, f64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut rank = vec![None; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let end = start + order[start..].partition_point(|x| x.1 == order[start].1);
        // Positions start + 1 ..= end share their mean.
        let shared = (start + 1 + end) as f64 / 2.0;
        for &(i, _) in &order[start..end] {
            rank[i] = Some(shared);
        }
        start = end;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_fractional_for_ties() {
        let r = descending_ranks(&[Some(3.0), None, Some(5.0), Some(3.0), Some(1.0)]);
        assert_eq!(r, vec![Some(2.5), None, Some(1.0), Some(2.5), Some(4.0)]);
    }

    #[test]
    fn rank_robustness_by_hand() {
        // Two columns over four areas, each with mean 0 and population sd 1 already
        // (values ±1), so z = value.  a = (1, 1, -1, -1), b = (1, -1, 1, -1).
        // Weights a 1.0, b 0.9: scores 1.9, 0.1, -0.1, -1.9 -> ranks 1, 2, 3, 4.
        let a = [Some(1.0), Some(1.0), Some(-1.0), Some(-1.0)];
        let b = [Some(1.0), Some(-1.0), Some(1.0), Some(-1.0)];
        let need = need_index(
            &[Component::new("a", &a, 1.0), Component::new("b", &b, 0.9)],
            &NeedParams::new(),
        )
        .unwrap();
        assert_eq!(need.rank, vec![Some(1.0), Some(2.0), Some(3.0), Some(4.0)]);
        // a x 0.8: scores 1.7, -0.1, 0.1, -1.7: areas 1 and 2 swap. b x 1.2 (1.08): 2.08,
        // -0.08, 0.08, -2.08: the same swap. a x 1.2 and b x 0.8 keep the order.
        assert_eq!(
            need.max_rank_change,
            vec![Some(0.0), Some(1.0), Some(1.0), Some(0.0)]
        );
        // With ±5% the weights stay apart (a 0.95 > b 0.945): nothing moves.
        let calm = need_index(
            &[Component::new("a", &a, 1.0), Component::new("b", &b, 0.9)],
            &NeedParams::new().perturbation(0.05),
        )
        .unwrap();
        assert_eq!(calm.max_rank_change, vec![Some(0.0); 4]);
        assert!(need_index(
            &[Component::new("a", &a, 1.0)],
            &NeedParams::new().perturbation(1.5)
        )
        .is_err());
    }

    #[test]
    fn areas_without_an_index_have_no_rank() {
        let a = [Some(1.0), None, Some(3.0), Some(0.0)];
        let need = need_index(&[Component::new("a", &a, 1.0)], &NeedParams::new()).unwrap();
        assert_eq!(need.rank, vec![Some(2.0), None, Some(1.0), Some(3.0)]);
        assert_eq!(need.max_rank_change[1], None);
        // One column: scaling its weight cannot reorder anything.
        assert_eq!(need.max_rank_change[0], Some(0.0));
    }
}
