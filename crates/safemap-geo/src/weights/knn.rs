//! k-nearest-neighbour weights: each point's `k` nearest other points, binary.
//!
//! Distances are compared as squared distances computed exactly as `dx * dx + dy * dy` in
//! `f64`. **Ties** at the `k`-th distance are broken by the **lower index**: the neighbours
//! of `i` are the first `k` other points in the order (squared distance, index). Coincident
//! points are at distance 0 and so come first. The relation is not symmetric (`j` may be
//! among the `k` nearest of `i` but not the reverse); [`Weights::is_symmetric`] tells, and
//! [`Weights::components`] treats links as undirected.
//!
//! Every point has exactly `k` neighbours, so there are no islands, but the graph may fall
//! into several components (distant clusters of at most `k + 1` points). `k` must be at
//! least 1 and below the number of points. Queries run on an [`rstar`] R-tree in parallel
//! with rayon; the result does not depend on the number of threads.

use geo::Coord;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use safemap_types::Weights;

use super::{check_count, check_points, distance_2, WeightsBuildError};

/// Parameters for [`knn_weights`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KnnParams {
    k: usize,
}

impl KnnParams {
    /// The `k` nearest neighbours (`k >= 1`, below the number of points; checked by
    /// [`knn_weights`]).
    pub fn new(k: usize) -> Self {
        Self { k }
    }

    /// The number of neighbours.
    pub fn k(&self) -> usize {
        self.k
    }
}

/// k-nearest-neighbour weights of `points` (area `i` = `points[i]`). See the
/// [module docs](self).
///
/// ```
/// use geo::coord;
/// use safemap_geo::weights::{knn_weights, KnnParams};
///
/// // 1 and 2 are equally far from 0: the lower index wins.
/// let points = [coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 0.0 }, coord! { x: -1.0, y: 0.0 }];
/// let w = knn_weights(&points, &KnnParams::new(1))?;
/// assert_eq!(w.neighbours(0), &[1]);
/// assert_eq!(w.neighbours(2), &[0]);
/// # Ok::<(), safemap_geo::weights::WeightsBuildError>(())
/// ```
pub fn knn_weights(
    points: &[Coord<f64>],
    params: &KnnParams,
) -> Result<Weights, WeightsBuildError> {
    let k = params.k;
    if k == 0 {
        return Err(WeightsBuildError::ZeroK);
    }
    if k >= points.len() {
        return Err(WeightsBuildError::KTooLarge { k, n: points.len() });
    }
    check_count(points.len())?;
    check_points(points)?;

    let tree = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new([p.x, p.y], i as u32))
            .collect(),
    );
    let lists: Vec<Vec<u32>> = points
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |found: &mut Vec<(f64, u32)>, (i, &p)| {
            // Nearest first; keep going while the distance equals the k-th, so that every
            // point tied at the k-th distance is seen, then order by (distance, index).
            found.clear();
            for g in tree
                .nearest_neighbor_iter(&[p.x, p.y])
                .filter(|g| g.data as usize != i)
            {
                let d2 = distance_2(p, points[g.data as usize]);
                if found.len() >= k && d2 > found[k - 1].0 {
                    break;
                }
                found.push((d2, g.data));
                if found.len() == k {
                    // The iterator's order may differ within ties only; fix the k-th.
                    found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                }
            }
            found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            found.iter().take(k).map(|&(_, j)| j).collect()
        })
        .collect();
    Ok(Weights::from_neighbour_lists(&lists)?)
}
