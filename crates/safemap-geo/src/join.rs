//! The parallel point-to-area join: [`AreaIndex::join`].

use geo::Coord;
use rayon::prelude::*;
use safemap_types::AreaId;

use crate::hilbert::HilbertKeys;
use crate::{AreaIndex, EdgeRule};

/// Below this many points the join runs in input order: sorting would cost more than it saves.
const SORT_THRESHOLD: usize = 16_384;
/// Points per rayon task: long enough runs along the curve to keep caches warm.
const MIN_CHUNK: usize = 2_048;
/// Average number of points per Hilbert cell the points are bucketed by, when that needs
/// no more than `4^MAX_BUCKET_ORDER` cells.
const POINTS_PER_CELL: usize = 4;
/// Largest Hilbert order for bucketing: 65 536 cells, whose counters stay in cache.
const MAX_BUCKET_ORDER: u32 = 8;

impl AreaIndex {
    /// Locates every point under `rule`, in parallel on the current rayon pool.
    ///
    /// The result is in input order (`result[i]` is the area of `points[i]`) and is the same
    /// for any number of threads: each point's answer is [`AreaIndex::locate`]'s, which
    /// depends on nothing but the point. Large inputs are bucketed along a Hilbert curve
    /// first (nearby points together, so the grid cells and polygons they need stay in
    /// cache) and the answers scattered back to input order.
    ///
    /// ```
    /// use geo::{coord, polygon, MultiPolygon};
    /// use safemap_geo::{AreaIndex, EdgeRule};
    /// use safemap_types::AreaId;
    ///
    /// let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
    /// let b = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
    /// let index = AreaIndex::new(&[MultiPolygon::new(vec![a]), MultiPolygon::new(vec![b])]);
    /// let points = [coord! { x: 1.5, y: 0.5 }, coord! { x: 1.0, y: 0.5 }, coord! { x: 3.0, y: 0.0 }];
    /// assert_eq!(
    ///     index.join(&points, EdgeRule::LowestAreaId),
    ///     vec![Some(AreaId(1)), Some(AreaId(0)), None]
    /// );
    /// ```
    pub fn join(&self, points: &[Coord<f64>], rule: EdgeRule) -> Vec<Option<AreaId>> {
        if points.len() < SORT_THRESHOLD || u32::try_from(points.len()).is_err() {
            return points
                .par_iter()
                .with_min_len(MIN_CHUNK)
                .map(|&p| self.locate(p, rule))
                .collect();
        }
        // Bucket the points by Hilbert cell (a counting sort: stable, so the order depends
        // on nothing but the input), copy them in that order, query them in parallel, and
        // gather the answers back into input order.
        let order =
            ((points.len() / POINTS_PER_CELL).max(1).ilog2() / 2).clamp(4, MAX_BUCKET_ORDER);
        let keys = HilbertKeys::over(points, order);
        let cell: Vec<u32> = points
            .par_iter()
            .with_min_len(MIN_CHUNK)
            .map(|&p| keys.key(p))
            .collect();
        let mut next = vec![0u32; keys.len() + 1];
        for &c in &cell {
            next[c as usize + 1] += 1;
        }
        for i in 1..next.len() {
            next[i] += next[i - 1];
        }
        // `rank[i]`: where point `i` goes; `perm[k]`: which point is `k`-th.
        let mut rank = vec![0u32; points.len()];
        let mut perm = vec![0u32; points.len()];
        for (i, (&c, r)) in cell.iter().zip(&mut rank).enumerate() {
            let slot = &mut next[c as usize];
            *r = *slot;
            perm[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(cell);
        let sorted: Vec<Coord<f64>> = perm
            .par_iter()
            .with_min_len(MIN_CHUNK)
            .map(|&i| points[i as usize])
            .collect();
        drop(perm);
        let found: Vec<Option<AreaId>> = sorted
            .par_iter()
            .with_min_len(MIN_CHUNK)
            .map(|&p| self.locate(p, rule))
            .collect();
        rank.par_iter()
            .with_min_len(MIN_CHUNK)
            .map(|&r| found[r as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    /// A 40 x 40 checkerboard of unit squares, and points on a lattice that hits every edge
    /// and vertex plus pseudo-random points, more than `SORT_THRESHOLD` in all.
    fn board_and_points() -> (AreaIndex, Vec<Coord<f64>>) {
        let areas: Vec<MultiPolygon<f64>> = (0..1600)
            .map(|i| {
                let (x, y) = (f64::from(i % 40), f64::from(i / 40));
                MultiPolygon::new(vec![polygon![
                    (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)
                ]])
            })
            .collect();
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut points: Vec<Coord<f64>> = (0..=164)
            .flat_map(|i| {
                (0..=164).map(move |j| Coord {
                    x: f64::from(i) * 0.25 - 0.5,
                    y: f64::from(j) * 0.25 - 0.5,
                })
            })
            .collect();
        points.extend((0..20_000).map(|_| Coord {
            x: next() * 42.0 - 1.0,
            y: next() * 42.0 - 1.0,
        }));
        points.push(Coord {
            x: f64::NAN,
            y: 1.0,
        });
        (AreaIndex::new(&areas), points)
    }

    #[test]
    fn join_equals_locate_in_input_order() {
        let (index, points) = board_and_points();
        assert!(points.len() > SORT_THRESHOLD);
        for rule in [EdgeRule::LowestAreaId, EdgeRule::Exclude] {
            let joined = index.join(&points, rule);
            let expected: Vec<_> = points.iter().map(|&p| index.locate(p, rule)).collect();
            assert_eq!(joined, expected);
        }
        // Small inputs take the unsorted path.
        let few = &points[..100];
        let expected: Vec<_> = few
            .iter()
            .map(|&p| index.locate(p, EdgeRule::Exclude))
            .collect();
        assert_eq!(index.join(few, EdgeRule::Exclude), expected);
    }

    #[test]
    fn join_is_identical_for_one_and_two_threads() {
        let (index, points) = board_and_points();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| index.join(&points, EdgeRule::LowestAreaId))
        };
        let one = run(1);
        let two = run(2);
        assert_eq!(one, two);
        // Every lattice point inside the closed board is assigned exactly once.
        let inside = points
            .iter()
            .zip(&one)
            .filter(|(p, _)| (0.0..=40.0).contains(&p.x) && (0.0..=40.0).contains(&p.y));
        assert!(inside.clone().count() > 20_000);
        for (p, area) in inside {
            assert!(area.is_some(), "{p:?} unassigned");
        }
    }
}
