//! The priority ranking ([`priority`]): an explainable score per area, a weighted sum of
//! named standardised inputs (for example the need index and the gap score; see
//! [`composite`](mod@crate::composite) for the z-scores and missing values), with each area's inputs
//! sorted by how much they push its score up, so a table can show what drives each
//! area's place.

use crate::composite::{composite, Component, Composite};
use crate::AccessError;

/// One input's part in an area's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driver {
    /// The input's position in the inputs given.
    pub input: usize,
    /// `weight × z` of the input in this area.
    pub contribution: f64,
}

/// The ranking of every area.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// The scores with every input's z-score and contribution.
    pub composite: Composite,
    /// The areas with a score, highest score first (the lowest index first among equal
    /// scores).
    pub order: Vec<usize>,
    /// Per area its inputs' contributions, largest first (the earlier input first among
    /// equal ones); empty for an area without a score.
    pub drivers: Vec<Vec<Driver>>,
}

impl Priority {
    /// The `n` areas of highest priority (fewer if fewer have a score).
    pub fn top(&self, n: usize) -> &[usize] {
        &self.order[..n.min(self.order.len())]
    }

    /// The name of the input a driver refers to.
    pub fn input_name(&self, driver: &Driver) -> &str {
        &self.composite.components[driver.input].name
    }
}

/// Ranks the areas by the weighted sum of the standardised `inputs`.
///
/// ```
/// use safemap_access::{priority, Component};
///
/// let need = [Some(2.0), Some(0.5), Some(-1.0), Some(1.0)];
/// let gap = [Some(0.5), Some(2.5), Some(-1.0), Some(0.0)];
/// let p = priority(&[Component::new("need", &need, 1.0), Component::new("gap", &gap, 1.0)])
///     .unwrap();
/// assert_eq!(p.top(2), &[1, 0]);
/// // Area 1 ranks first because of its gap; area 0 because of its need.
/// assert_eq!(p.input_name(&p.drivers[1][0]), "gap");
/// assert_eq!(p.input_name(&p.drivers[0][0]), "need");
/// ```
pub fn priority(inputs: &[Component<'_>]) -> Result<Priority, AccessError> {
    let composite = composite(inputs)?;
    let mut order: Vec<usize> = (0..composite.score.len())
        .filter(|&i| composite.score[i].is_some())
        .collect();
    let score = |i: usize| composite.score[i].unwrap_or(f64::NEG_INFINITY);
    order.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    let drivers = (0..composite.score.len())
        .map(|i| {
            let mut d: Vec<Driver> = composite
                .components
                .iter()
                .enumerate()
                .filter_map(|(input, c)| {
                    c.contribution[i].map(|contribution| Driver {
                        input,
                        contribution,
                    })
                })
                .collect();
            d.sort_by(|a, b| {
                b.contribution
                    .total_cmp(&a.contribution)
                    .then(a.input.cmp(&b.input))
            });
            d
        })
        .collect();
    Ok(Priority {
        composite,
        order,
        drivers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_and_drivers_by_hand() {
        // Four areas, two inputs already with mean 0 and population sd 1 (z = value):
        // need (1, 1, -1, -1), gap (-1, 1, 1, -1); weights 2 and 1.
        // Scores: 2 - 1 = 1, 2 + 1 = 3, -2 + 1 = -1, -2 - 1 = -3. Area 4 has no gap.
        let need = [Some(1.0), Some(1.0), Some(-1.0), Some(-1.0), Some(5.0)];
        let gap = [Some(-1.0), Some(1.0), Some(1.0), Some(-1.0), None];
        let p = priority(&[
            Component::new("need", &need, 2.0),
            Component::new("gap", &gap, 1.0),
        ])
        .unwrap();
        assert_eq!(
            p.composite.score,
            vec![Some(1.0), Some(3.0), Some(-1.0), Some(-3.0), None]
        );
        assert_eq!(p.order, vec![1, 0, 2, 3]);
        assert_eq!(p.top(2), &[1, 0]);
        assert_eq!(p.top(10).len(), 4);
        // Area 0: need +2 drives it, gap -1 holds it back; area 2: gap +1, need -2.
        let names = |i: usize| -> Vec<(&str, f64)> {
            p.drivers[i]
                .iter()
                .map(|d| (p.input_name(d), d.contribution))
                .collect()
        };
        assert_eq!(names(0), vec![("need", 2.0), ("gap", -1.0)]);
        assert_eq!(names(2), vec![("gap", 1.0), ("need", -2.0)]);
        assert!(p.drivers[4].is_empty());
        // The contributions add up to the score.
        for i in 0..4 {
            let sum: f64 = p.drivers[i].iter().map(|d| d.contribution).sum();
            assert_eq!(sum, p.composite.score[i].unwrap());
        }
    }
}
