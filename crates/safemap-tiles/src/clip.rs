//! Clipping rings to the tile's buffered square, Sutherland-Hodgman style.
//!
//! Written here rather than with `geo`'s `BooleanOps`: that is a general polygon overlay
//! (sweep line, exact predicates), far slower than clipping against one axis-aligned box,
//! which is four half-plane passes per ring. Like other MVT encoders, the result may run
//! along the box edge where a concave ring leaves and re-enters it; renderers draw such
//! zero-width parts as nothing.

use crate::simplify::Pt;

/// Clips the closed ring `ring` (open form: no repeated closing vertex) to the square
/// `lo..=hi` in both axes, writing the result (open form, possibly empty) to `out`.
pub(crate) fn clip_ring(ring: &[Pt], lo: f64, hi: f64, out: &mut Vec<Pt>) {
    out.clear();
    let inside_box = ring
        .iter()
        .all(|p| p[0] >= lo && p[0] <= hi && p[1] >= lo && p[1] <= hi);
    out.extend_from_slice(ring);
    if inside_box {
        return;
    }
    let mut tmp = Vec::with_capacity(ring.len() + 8);
    // (axis, bound, keep values >= bound?)
    for (axis, bound, above) in [(0, lo, true), (0, hi, false), (1, lo, true), (1, hi, false)] {
        std::mem::swap(out, &mut tmp);
        out.clear();
        let inside = |p: &Pt| {
            if above {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        let n = tmp.len();
        for i in 0..n {
            let cur = tmp[i];
            let prev = tmp[(i + n - 1) % n];
            let (ci, pi) = (inside(&cur), inside(&prev));
            if ci != pi {
                let t = (bound - prev[axis]) / (cur[axis] - prev[axis]);
                let mut q = [
                    prev[0] + t * (cur[0] - prev[0]),
                    prev[1] + t * (cur[1] - prev[1]),
                ];
                q[axis] = bound;
                out.push(q);
            }
            if ci {
                out.push(cur);
            }
        }
        if out.is_empty() {
            return;
        }
    }
}

/// Clips the open polyline `line` to the square `lo..=hi` in both axes (Liang-Barsky per
/// segment), calling `part` with each maximal piece inside (at least two points).
pub(crate) fn clip_line(line: &[Pt], lo: f64, hi: f64, mut part: impl FnMut(&[Pt])) {
    let mut cur: Vec<Pt> = Vec::new();
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let mut visible = true;
        for (p, q) in [
            (-dx, a[0] - lo),
            (dx, hi - a[0]),
            (-dy, a[1] - lo),
            (dy, hi - a[1]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if !visible || t0 > t1 {
            if cur.len() >= 2 {
                part(&cur);
            }
            cur.clear();
            continue;
        }
        let at = |t: f64| [a[0] + t * dx, a[1] + t * dy];
        let (p0, p1) = (at(t0), at(t1));
        if cur.last() != Some(&p0) {
            if cur.len() >= 2 {
                part(&cur);
            }
            cur.clear();
            cur.push(p0);
        }
        cur.push(p1);
        if t1 < 1.0 {
            part(&cur);
            cur.clear();
        }
    }
    if cur.len() >= 2 {
        part(&cur);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(r: &[Pt]) -> f64 {
        let n = r.len();
        (0..n)
            .map(|i| r[i][0] * r[(i + 1) % n][1] - r[(i + 1) % n][0] * r[i][1])
            .sum::<f64>()
            / 2.0
    }

    #[test]
    fn square_over_the_corner_is_cut_to_the_overlap() {
        let ring = [[-5.0, -5.0], [5.0, -5.0], [5.0, 5.0], [-5.0, 5.0]];
        let mut out = Vec::new();
        clip_ring(&ring, 0.0, 10.0, &mut out);
        assert!((area(&out) - 25.0).abs() < 1e-9, "{out:?}");
        assert!(out
            .iter()
            .all(|p| (0.0..=5.0).contains(&p[0]) && (0.0..=5.0).contains(&p[1])));
    }

    #[test]
    fn ring_around_the_box_becomes_the_box_and_outside_ring_vanishes() {
        let ring = [[-50.0, -50.0], [50.0, -50.0], [50.0, 50.0], [-50.0, 50.0]];
        let mut out = Vec::new();
        clip_ring(&ring, -1.0, 11.0, &mut out);
        assert!((area(&out) - 144.0).abs() < 1e-9, "{out:?}");
        let ring = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        clip_ring(&ring, -1.0, 11.0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn lines_are_cut_into_the_pieces_inside() {
        let mut parts = Vec::new();
        // In, out across the right edge, back in: two pieces.
        let line = [[1.0, 1.0], [5.0, 1.0], [15.0, 1.0], [15.0, 5.0], [5.0, 5.0]];
        clip_line(&line, 0.0, 10.0, |p| parts.push(p.to_vec()));
        assert_eq!(
            parts,
            vec![
                vec![[1.0, 1.0], [5.0, 1.0], [10.0, 1.0]],
                vec![[10.0, 5.0], [5.0, 5.0]]
            ]
        );
        parts.clear();
        clip_line(&[[20.0, 20.0], [30.0, 30.0]], 0.0, 10.0, |p| {
            parts.push(p.to_vec());
        });
        assert!(parts.is_empty());
    }

    #[test]
    fn ring_inside_is_untouched_and_orientation_is_kept() {
        let ring = [[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0]];
        let mut out = Vec::new();
        clip_ring(&ring, 0.0, 10.0, &mut out);
        assert_eq!(out, ring);
        // A triangle crossing the right edge keeps its (negative) orientation.
        let tri = [[5.0, 5.0], [5.0, 8.0], [15.0, 5.0]];
        clip_ring(&tri, 0.0, 10.0, &mut out);
        assert!(area(&out) < 0.0 && area(&tri) < 0.0);
        assert!(out.iter().all(|p| p[0] <= 10.0));
    }
}
