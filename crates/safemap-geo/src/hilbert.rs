//! Hilbert-curve keys, used to visit points in a cache-friendly order.
//!
//! Points that are close on the curve are close in the plane, so consecutive queries walk
//! the same R-tree nodes and polygon grids while they are still in cache.

use geo::Coord;

/// Largest supported order (bits per axis).
pub(crate) const MAX_ORDER: u32 = 15;

/// Maps points in an envelope to their position along a Hilbert curve of a given order
/// (a 2^order x 2^order lattice) over it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HilbertKeys {
    order: u32,
    min: Coord<f64>,
    scale_x: f64,
    scale_y: f64,
}

impl HilbertKeys {
    /// Keys of order `order` (1 to [`MAX_ORDER`]) over the envelope of the finite points in
    /// `points` (any envelope if there are none).
    pub(crate) fn over(points: &[Coord<f64>], order: u32) -> Self {
        assert!(
            (1..=MAX_ORDER).contains(&order),
            "Hilbert order {order} out of range"
        );
        let mut min = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for p in points.iter().filter(|p| p.x.is_finite() && p.y.is_finite()) {
            min.x = min.x.min(p.x);
            min.y = min.y.min(p.y);
            max.x = max.x.max(p.x);
            max.y = max.y.max(p.y);
        }
        if min.x > max.x {
            min = Coord { x: 0.0, y: 0.0 };
            max = min;
        }
        let side = f64::from((1u32 << order) - 1);
        let scale = |span: f64| if span > 0.0 { side / span } else { 0.0 };
        HilbertKeys {
            order,
            min,
            scale_x: scale(max.x - min.x),
            scale_y: scale(max.y - min.y),
        }
    }

    /// Number of distinct keys: `4^order`.
    pub(crate) fn len(&self) -> usize {
        1 << (2 * self.order)
    }

    /// The key of `p`, below [`HilbertKeys::len`]; non-finite points get the last key.
    pub(crate) fn key(&self, p: Coord<f64>) -> u32 {
        let last = (1u32 << self.order) - 1;
        if !p.x.is_finite() || !p.y.is_finite() {
            return hilbert_index(self.order, last, 0);
        }
        // `as` saturates, so points outside the envelope clamp to its edge.
        let x = ((p.x - self.min.x) * self.scale_x) as u32;
        let y = ((p.y - self.min.y) * self.scale_y) as u32;
        hilbert_index(self.order, x.min(last), y.min(last))
    }
}

/// Position of lattice cell (`x`, `y`) along the Hilbert curve of the given order.
fn hilbert_index(order: u32, mut x: u32, mut y: u32) -> u32 {
    let n = 1u32 << order;
    let mut d = 0u32;
    let mut s = n / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_keys_are_neighbouring_cells() {
        // Invert by brute force on a small corner of the lattice: the first 4^4 keys fill
        // the 16 x 16 corner, and each step moves by one cell.
        let mut cells: Vec<(u32, u32, u32)> = (0..16)
            .flat_map(|x| (0..16).map(move |y| (hilbert_index(4, x, y), x, y)))
            .collect();
        cells.sort_unstable();
        assert_eq!(cells.last().unwrap().0, 255);
        for w in cells.windows(2) {
            let (dx, dy) = (w[0].1.abs_diff(w[1].1), w[0].2.abs_diff(w[1].2));
            assert_eq!(dx + dy, 1, "{w:?}");
        }
    }

    #[test]
    fn keys_cover_the_envelope_and_park_nan() {
        let pts = [Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 5.0 }];
        let keys = HilbertKeys::over(&pts, 8);
        assert_eq!(keys.len(), 65_536);
        assert_eq!(keys.key(pts[0]), 0);
        assert_eq!(
            keys.key(Coord {
                x: f64::NAN,
                y: 0.0
            }),
            65_535
        );
        // The curve runs from the lower-left corner to the lower-right one.
        let corners = [(0.0, 5.0), (10.0, 5.0), (10.0, 0.0)].map(|(x, y)| keys.key(Coord { x, y }));
        assert!(corners[0] > 0 && corners[0] < corners[1] && corners[1] < corners[2]);
        assert_eq!(corners[2], 65_535);
        // A single point or no finite point does not divide by zero.
        assert_eq!(HilbertKeys::over(&pts[..1], 3).key(pts[0]), 0);
        assert_eq!(HilbertKeys::over(&[], 3).key(pts[1]), 0);
    }
}
