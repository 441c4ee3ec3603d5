//! Plane geometry on open rings (`Vec<Coord>` without the closing repeat).

use geo_types::Coord;

/// Rounds to the 0.1 m grid every written boundary vertex lives on.
pub(crate) fn round_dm(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: (c.x * 10.0).round() / 10.0,
        y: (c.y * 10.0).round() / 10.0,
    }
}

/// Twice the signed area (positive when counter-clockwise).
#[cfg(test)]
pub(crate) fn signed_area2(ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

/// The area of a simple ring.
#[cfg(test)]
pub(crate) fn ring_area(ring: &[Coord<f64>]) -> f64 {
    signed_area2(ring).abs() / 2.0
}

/// The centroid of a simple ring.
pub(crate) fn ring_centroid(ring: &[Coord<f64>]) -> Coord<f64> {
    let n = ring.len();
    // Work relative to the first vertex to keep the products small.
    let o = ring[0];
    let (mut cx, mut cy, mut a2) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (ring[i] - o, ring[(i + 1) % n] - o);
        let cross = p.x * q.y - q.x * p.y;
        a2 += cross;
        cx += (p.x + q.x) * cross;
        cy += (p.y + q.y) * cross;
    }
    Coord {
        x: o.x + cx / (3.0 * a2),
        y: o.y + cy / (3.0 * a2),
    }
}

/// Even-odd point-in-ring test.
pub(crate) fn in_ring(p: Coord<f64>, ring: &[Coord<f64>]) -> bool {
    let n = ring.len();
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Distance from `p` to the segment `a`-`b`.
pub(crate) fn dist_to_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let d = b - a;
    let len2 = d.x * d.x + d.y * d.y;
    let t = if len2 > 0.0 {
        (((p - a).x * d.x + (p - a).y * d.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let q = Coord {
        x: a.x + t * d.x,
        y: a.y + t * d.y,
    };
    dist(p, q)
}

/// Distance from `p` to the boundary of a ring.
pub(crate) fn dist_to_ring(p: Coord<f64>, ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| dist_to_segment(p, ring[i], ring[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// Distance from `p` to a ring's region: 0 inside, else to the boundary.
pub(crate) fn dist_to_region(p: Coord<f64>, ring: &[Coord<f64>]) -> f64 {
    if in_ring(p, ring) {
        0.0
    } else {
        dist_to_ring(p, ring)
    }
}

/// Euclidean distance.
pub(crate) fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let d = a - b;
    (d.x * d.x + d.y * d.y).sqrt()
}

fn orient(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn on_segment(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// True if the closed segments `a`-`b` and `c`-`d` share any point other than an
/// endpoint common to both.
pub(crate) fn segments_conflict(
    a: Coord<f64>,
    b: Coord<f64>,
    c: Coord<f64>,
    d: Coord<f64>,
) -> bool {
    let shared = [a, b].iter().any(|p| *p == c || *p == d);
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return true;
    }
    if shared {
        // Touching at the common endpoint is fine; overlapping along a line is not.
        let collinear = o1 == 0.0 && o2 == 0.0;
        if !collinear {
            return false;
        }
        let (p, q) = if a == c || a == d {
            (b, if a == c { d } else { c })
        } else {
            (a, if b == c { d } else { c })
        };
        return on_segment(c, d, p) || on_segment(a, b, q);
    }
    (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn square_area_centroid_and_containment() {
        let sq = [c(0.0, 0.0), c(2.0, 0.0), c(2.0, 2.0), c(0.0, 2.0)];
        assert!((ring_area(&sq) - 4.0).abs() < 1e-12);
        assert!(signed_area2(&sq) > 0.0);
        assert_eq!(ring_centroid(&sq), c(1.0, 1.0));
        assert!(in_ring(c(1.0, 1.5), &sq));
        assert!(!in_ring(c(3.0, 1.0), &sq));
        assert!((dist_to_ring(c(1.0, 1.5), &sq) - 0.5).abs() < 1e-12);
        assert!((dist_to_region(c(5.0, 2.0), &sq) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn segment_conflicts() {
        assert!(segments_conflict(
            c(0.0, 0.0),
            c(2.0, 2.0),
            c(0.0, 2.0),
            c(2.0, 0.0)
        ));
        assert!(!segments_conflict(
            c(0.0, 0.0),
            c(1.0, 0.0),
            c(1.0, 0.0),
            c(1.0, 1.0)
        ));
        assert!(segments_conflict(
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 0.0),
            c(1.0, 0.0)
        ));
        assert!(segments_conflict(
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(1.0, 0.0),
            c(1.0, 1.0)
        ));
        assert!(!segments_conflict(
            c(0.0, 0.0),
            c(1.0, 0.0),
            c(0.0, 1.0),
            c(1.0, 1.0)
        ));
        assert_eq!(round_dm(c(1.04, -2.06)), c(1.0, -2.1));
    }
}
