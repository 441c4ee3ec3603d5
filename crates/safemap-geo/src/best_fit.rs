//! [`best_fit`]: which larger polygon each smaller area falls in, the way ONS builds its
//! best-fit lookups: the polygon holding the small area's point on surface.

use crate::point_on_surface;
use crate::{AreaIndex, EdgeRule};
use geo::{Distance, Euclidean};
use geo_types::{MultiPolygon, Point};
use rayon::prelude::*;

/// Where one small area went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The polygon (index into the larger set) holding its point on surface (the first in
    /// order on a shared edge).
    Within(usize),
    /// No polygon holds it (a generalised coastline, an estuary, a sliver between
    /// simplified polygons): the nearest polygon.
    Nearest(usize),
    /// The small area has no point on surface (an empty polygon), or there are no larger
    /// polygons.
    None,
}

impl Fit {
    /// The polygon, however it was found.
    pub fn index(self) -> Option<usize> {
        match self {
            Fit::Within(i) | Fit::Nearest(i) => Some(i),
            Fit::None => None,
        }
    }
}

/// For each of `small`, the polygon of `large` (indexed by `index`, built over `large`)
/// holding its point on surface, else the nearest; in parallel, in input order.
pub fn best_fit(
    small: &[MultiPolygon<f64>],
    large: &[MultiPolygon<f64>],
    index: &AreaIndex,
) -> Vec<Fit> {
    small
        .par_iter()
        .map(|a| {
            let Some(p) = point_on_surface(a) else {
                return Fit::None;
            };
            match index.locate(p.0, EdgeRule::LowestAreaId) {
                Some(id) => Fit::Within(id.index()),
                None => nearest(large, p).map_or(Fit::None, Fit::Nearest),
            }
        })
        .collect()
}

/// The polygon nearest to `p` (the first on a tie).
fn nearest(polygons: &[MultiPolygon<f64>], p: Point<f64>) -> Option<usize> {
    polygons
        .iter()
        .map(|mp| Euclidean.distance(&p, mp))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side), (x: x, y: y)
        ]])
    }

    #[test]
    fn within_then_nearest() {
        let large = vec![square(0.0, 0.0, 10.0), square(10.0, 0.0, 10.0)];
        let index = AreaIndex::new(&large);
        let small = vec![
            square(1.0, 1.0, 2.0),
            square(12.0, 5.0, 2.0),
            square(30.0, 1.0, 2.0),
            MultiPolygon(vec![]),
        ];
        assert_eq!(
            best_fit(&small, &large, &index),
            [Fit::Within(0), Fit::Within(1), Fit::Nearest(1), Fit::None]
        );
    }
}
