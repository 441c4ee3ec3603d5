//! Sparse spatial weights: who neighbours whom, and how strongly.
//!
//! [`Weights`] holds an `n × n` matrix `W` in compressed sparse row (CSR) form: row `i` lists
//! the neighbours `j` of area `i` (sorted ascending, never `i` itself) and the weights `w_ij`.
//! Areas are positions `0..n` in the caller's area list (the same order as every per-area
//! slice handed to the statistics).
//!
//! The form of the values is recorded as a [`Transform`]:
//!
//! ```text
//! Binary           w_ij = 1 for every neighbour
//! RowStandardised  w_ij = v_ij / sum_k v_ik      (each non-empty row sums to 1)
//! Supplied         w_ij as given (e.g. inverse distances read from a GWT file)
//! ```
//!
//! An **island** is an area with no neighbours (an empty row). Islands are legal here; every
//! statistic built on `Weights` reports them instead of failing.

use std::fmt;

/// The form of the weight values, and the target of [`Weights::transformed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transform {
    /// Every neighbour has weight 1 (contiguity, k-nearest, distance band). PySAL `'B'`.
    Binary,
    /// Each row divided by its sum, so the weights of an area's neighbours sum to 1 (islands
    /// keep an empty row). The spatial lag becomes the neighbours' weighted mean. PySAL `'R'`.
    RowStandardised,
    /// The values as constructed, neither binarised nor standardised. PySAL `'O'` (original).
    /// As the target of [`Weights::transformed`] it means "leave the values as they are".
    Supplied,
}

impl Transform {
    /// Stable lowercase name for manifests and outputs: `binary`, `row_standardised`,
    /// `supplied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Binary => "binary",
            Self::RowStandardised => "row_standardised",
            Self::Supplied => "supplied",
        }
    }
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A neighbour list that cannot be turned into [`Weights`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WeightsError {
    /// Neighbour ids are `u32`, so at most `u32::MAX` areas are supported.
    #[error("{n} areas is more than the {} spatial weights can index", u32::MAX)]
    TooManyAreas {
        /// Number of areas asked for.
        n: usize,
    },
    /// A neighbour id is not the position of an area.
    #[error("area {area} lists neighbour {neighbour}, but there are only {n} areas (ids 0..{n})")]
    NeighbourOutOfRange {
        /// Area whose list is wrong.
        area: usize,
        /// The offending neighbour id.
        neighbour: u32,
        /// Number of areas.
        n: usize,
    },
    /// An area lists itself. Self-weights (as in Gi*) are added by the statistic that needs
    /// them, never stored.
    #[error("area {area} lists itself as a neighbour: remove it (Gi* adds its own self-weight)")]
    SelfNeighbour {
        /// The area.
        area: usize,
    },
    /// An area lists the same neighbour twice.
    #[error("area {area} lists neighbour {neighbour} more than once")]
    DuplicateNeighbour {
        /// The area.
        area: usize,
        /// The repeated neighbour.
        neighbour: u32,
    },
    /// A weight value is zero, negative or not finite.
    #[error(
        "the weight of area {area} on neighbour {neighbour} is {value}: weights must be finite \
         and positive (leave a pair out instead of giving it weight 0)"
    )]
    BadValue {
        /// The area.
        area: usize,
        /// The neighbour.
        neighbour: u32,
        /// The offending value.
        value: f64,
    },
}

/// Sparse spatial weights in CSR form. See the [module docs](self).
///
/// ```
/// use safemap_types::{Transform, Weights};
/// // 0 - 1 - 2 in a line, and 3 an island.
/// let w = Weights::from_neighbour_lists(&[vec![1], vec![2, 0], vec![1], vec![]])?;
/// assert_eq!(w.neighbours(1), &[0, 2]); // sorted
/// assert_eq!(w.islands(), vec![3]);
/// let r = w.transformed(Transform::RowStandardised);
/// assert_eq!(r.values(1), &[0.5, 0.5]);
/// assert_eq!(w.components(), (2, vec![0, 0, 0, 1]));
/// # Ok::<(), safemap_types::WeightsError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Row `i` is `neighbours[offsets[i]..offsets[i + 1]]`; `offsets.len() == n + 1`.
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
    values: Vec<f64>,
    transform: Transform,
}

impl Weights {
    /// Binary weights from one neighbour list per area (`lists[i]` are the neighbours of area
    /// `i`, in any order). Ids must be `< lists.len()`, not repeated, and not the area itself.
    /// The relation is taken as given: it need not be symmetric (k-nearest neighbours are
    /// not); see [`Weights::is_symmetric`].
    pub fn from_neighbour_lists<L: AsRef<[u32]>>(lists: &[L]) -> Result<Self, WeightsError> {
        Self::build(
            lists.len(),
            lists.iter().map(|l| l.as_ref().iter().map(|&j| (j, 1.0))),
        )
    }

    /// Weights with values from one `(neighbour, weight)` list per area; weights must be finite
    /// and positive. The form is [`Transform::Binary`] when every value is exactly 1 and
    /// [`Transform::Supplied`] otherwise.
    pub fn from_weighted_lists<L: AsRef<[(u32, f64)]>>(lists: &[L]) -> Result<Self, WeightsError> {
        Self::build(
            lists.len(),
            lists.iter().map(|l| l.as_ref().iter().copied()),
        )
    }

    fn build<R, I>(n: usize, rows: R) -> Result<Self, WeightsError>
    where
        R: Iterator<Item = I>,
        I: Iterator<Item = (u32, f64)>,
    {
        if u32::try_from(n).is_err() {
            return Err(WeightsError::TooManyAreas { n });
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut neighbours = Vec::new();
        let mut values = Vec::new();
        let mut row: Vec<(u32, f64)> = Vec::new();
        for (area, items) in rows.enumerate() {
            row.clear();
            for (neighbour, value) in items {
                if neighbour as usize >= n {
                    return Err(WeightsError::NeighbourOutOfRange { area, neighbour, n });
                }
                if neighbour as usize == area {
                    return Err(WeightsError::SelfNeighbour { area });
                }
                if !(value.is_finite() && value > 0.0) {
                    return Err(WeightsError::BadValue {
                        area,
                        neighbour,
                        value,
                    });
                }
                row.push((neighbour, value));
            }
            row.sort_unstable_by_key(|&(j, _)| j);
            if let Some(pair) = row.windows(2).find(|p| p[0].0 == p[1].0) {
                return Err(WeightsError::DuplicateNeighbour {
                    area,
                    neighbour: pair[0].0,
                });
            }
            neighbours.extend(row.iter().map(|&(j, _)| j));
            values.extend(row.iter().map(|&(_, v)| v));
            offsets.push(neighbours.len());
        }
        let transform = if values.iter().all(|&v| v == 1.0) {
            Transform::Binary
        } else {
            Transform::Supplied
        };
        Ok(Self {
            offsets,
            neighbours,
            values,
            transform,
        })
    }

    /// Number of areas (rows).
    pub fn n(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored (area, neighbour) pairs, i.e. non-zero weights.
    pub fn links(&self) -> usize {
        self.neighbours.len()
    }

    /// Neighbours of area `i`, ascending. Panics if `i >= n()`.
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Weights of area `i` on its [`neighbours`](Self::neighbours), in the same order.
    pub fn values(&self, i: usize) -> &[f64] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of neighbours of area `i` (0 for an island).
    pub fn cardinality(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }

    /// The form of the values.
    pub fn transform(&self) -> Transform {
        self.transform
    }

    /// A copy with values in the form `to`: [`Transform::Binary`] sets every weight to 1,
    /// [`Transform::RowStandardised`] divides each row by its sum (islands stay empty), and
    /// [`Transform::Supplied`] keeps the values (and recorded form) unchanged. The neighbour
    /// structure never changes.
    #[must_use]
    pub fn transformed(&self, to: Transform) -> Weights {
        let mut out = self.clone();
        match to {
            Transform::Supplied => {}
            Transform::Binary => {
                out.values.fill(1.0);
                out.transform = Transform::Binary;
            }
            Transform::RowStandardised => {
                if self.transform != Transform::RowStandardised {
                    for i in 0..self.n() {
                        let row = &mut out.values[self.offsets[i]..self.offsets[i + 1]];
                        let sum: f64 = row.iter().sum();
                        for v in row.iter_mut() {
                            *v /= sum;
                        }
                    }
                }
                out.transform = Transform::RowStandardised;
            }
        }
        out
    }

    /// Areas with no neighbours, ascending.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|&i| self.cardinality(i) == 0)
            .collect()
    }

    /// Connected components of the neighbour graph with direction ignored (so an asymmetric
    /// k-nearest-neighbour relation gives its weak components): the number of components and
    /// a label per area. Labels are `0..count`, numbered in order of each component's
    /// lowest area; an island is a component of its own.
    pub fn components(&self) -> (usize, Vec<usize>) {
        // Union-find with path halving; union by smaller root keeps labels deterministic.
        // (A graph crate such as petgraph has this; a dozen lines do not justify the
        // dependency in the crate every other one builds on.)
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let n = self.n();
        let mut parent: Vec<usize> = (0..n).collect();
        for i in 0..n {
            for &j in self.neighbours(i) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j as usize));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut label = vec![usize::MAX; n];
        let mut count = 0;
        for i in 0..n {
            let root = find(&mut parent, i);
            if label[root] == usize::MAX {
                label[root] = count;
                count += 1;
            }
            label[i] = label[root];
        }
        (count, label)
    }

    /// Whether `w_ij == w_ji` for every pair (neighbour structure and values). Binary
    /// contiguity is symmetric; row-standardised and k-nearest weights usually are not.
    pub fn is_symmetric(&self) -> bool {
        (0..self.n()).all(|i| {
            self.neighbours(i)
                .iter()
                .zip(self.values(i))
                .all(|(&j, &w)| self.weight(j as usize, i) == Some(w))
        })
    }

    /// The weights among the areas with `keep[i]` true, renumbered in order (PySAL's
    /// `w_subset`): links to dropped areas are removed, the other values kept as they are. An
    /// area whose neighbours are all dropped becomes an island. Binary weights stay binary;
    /// other forms become [`Transform::Supplied`] (a row-standardised row that lost a
    /// neighbour no longer sums to 1: transform the subset again).
    ///
    /// ```
    /// use safemap_types::Weights;
    /// // 0 - 1 - 2 - 3 in a line; drop 1.
    /// let w = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1, 3], vec![2]])?;
    /// let s = w.subset(&[true, false, true, true]);
    /// assert_eq!(s.n(), 3);
    /// assert_eq!(s.islands(), vec![0]);
    /// assert_eq!(s.neighbours(1), &[2]); // old 2 is new 1, old 3 is new 2
    /// # Ok::<(), safemap_types::WeightsError>(())
    /// ```
    ///
    /// Panics if `keep.len() != self.n()`.
    #[must_use]
    pub fn subset(&self, keep: &[bool]) -> Weights {
        assert_eq!(keep.len(), self.n(), "one keep flag per area");
        let mut new_id = vec![u32::MAX; self.n()];
        let mut next = 0_u32;
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            new_id[i] = next;
            next += 1;
        }
        let mut offsets = Vec::with_capacity(next as usize + 1);
        offsets.push(0);
        let mut neighbours = Vec::new();
        let mut values = Vec::new();
        for i in (0..self.n()).filter(|&i| keep[i]) {
            for (&j, &v) in self.neighbours(i).iter().zip(self.values(i)) {
                if keep[j as usize] {
                    // Renumbering preserves order, so each row stays sorted.
                    neighbours.push(new_id[j as usize]);
                    values.push(v);
                }
            }
            offsets.push(neighbours.len());
        }
        let transform = if self.transform == Transform::Binary {
            Transform::Binary
        } else {
            Transform::Supplied
        };
        Weights {
            offsets,
            neighbours,
            values,
            transform,
        }
    }

    /// The weight of area `i` on area `j`, `None` when `j` is not a neighbour of `i`.
    pub fn weight(&self, i: usize, j: usize) -> Option<f64> {
        let j = u32::try_from(j).ok()?;
        self.neighbours(i)
            .binary_search(&j)
            .ok()
            .map(|k| self.values(i)[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_lists() {
        assert_eq!(
            Weights::from_neighbour_lists(&[vec![1], vec![2]]),
            Err(WeightsError::NeighbourOutOfRange {
                area: 1,
                neighbour: 2,
                n: 2
            })
        );
        assert_eq!(
            Weights::from_neighbour_lists(&[vec![0]]),
            Err(WeightsError::SelfNeighbour { area: 0 })
        );
        assert_eq!(
            Weights::from_neighbour_lists(&[vec![1, 2, 1], vec![], vec![]]),
            Err(WeightsError::DuplicateNeighbour {
                area: 0,
                neighbour: 1
            })
        );
        let err = Weights::from_weighted_lists(&[vec![(1, f64::NAN)], vec![]]).unwrap_err();
        assert!(err.to_string().contains("NaN"), "{err}");
        assert!(Weights::from_weighted_lists(&[vec![(1, 0.0)], vec![]]).is_err());
    }

    #[test]
    fn forms_and_transforms() {
        let w = Weights::from_weighted_lists(&[vec![(1, 2.0), (2, 6.0)], vec![(0, 1.0)], vec![]])
            .unwrap();
        assert_eq!(w.transform(), Transform::Supplied);
        assert_eq!(w.links(), 3);
        let r = w.transformed(Transform::RowStandardised);
        assert_eq!(r.values(0), &[0.25, 0.75]);
        assert_eq!(r.transform(), Transform::RowStandardised);
        assert_eq!(r.transformed(Transform::RowStandardised), r);
        let b = r.transformed(Transform::Binary);
        assert_eq!(b.values(0), &[1.0, 1.0]);
        assert_eq!(
            b.transformed(Transform::Supplied).transform(),
            Transform::Binary
        );
        let unit = Weights::from_weighted_lists(&[vec![(1, 1.0)], vec![(0, 1.0)]]).unwrap();
        assert_eq!(unit.transform(), Transform::Binary);
        assert_eq!(Transform::RowStandardised.to_string(), "row_standardised");
    }

    #[test]
    fn symmetry_components_islands() {
        let w =
            Weights::from_neighbour_lists(&[vec![1], vec![0], vec![3], vec![], vec![]]).unwrap();
        assert!(!w.is_symmetric());
        assert_eq!(w.islands(), vec![3, 4]);
        // 2 -> 3 joins them (direction ignored); 4 is alone.
        assert_eq!(w.components(), (3, vec![0, 0, 1, 1, 2]));
        let s = Weights::from_neighbour_lists(&[vec![1], vec![0]]).unwrap();
        assert!(s.is_symmetric());
        let line = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1]]).unwrap();
        assert!(line.is_symmetric());
        assert!(!line.transformed(Transform::RowStandardised).is_symmetric());
        assert_eq!(s.weight(0, 1), Some(1.0));
        assert_eq!(s.weight(0, 0), None);
    }

    #[test]
    fn subset_drops_links_to_left_out_areas_and_keeps_values() {
        let w = Weights::from_weighted_lists(&[
            vec![(1, 2.0), (3, 4.0)],
            vec![(0, 1.0), (2, 1.0)],
            vec![(1, 5.0), (3, 1.0)],
            vec![(0, 3.0), (2, 1.0)],
        ])
        .unwrap()
        .transformed(Transform::RowStandardised);
        let s = w.subset(&[true, false, true, true]);
        assert_eq!(s.n(), 3);
        assert_eq!(s.transform(), Transform::Supplied);
        assert_eq!(s.neighbours(0), &[2]);
        assert_eq!(s.values(0), w.values(0)[1..].to_vec().as_slice());
        assert_eq!(s.neighbours(1), &[2]);
        assert_eq!(s.neighbours(2), &[0, 1]);
        let r = s.transformed(Transform::RowStandardised);
        assert_eq!(r.values(0), &[1.0]);
        let all = w.subset(&[true; 4]);
        assert_eq!(all.neighbours(2), w.neighbours(2));
        assert_eq!(w.subset(&[false; 4]).n(), 0);
    }
}
