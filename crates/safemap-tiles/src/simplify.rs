//! Douglas-Peucker simplification, computed once for every tolerance.
//!
//! Douglas-Peucker keeps a vertex at tolerance `t` exactly when the vertex and every split
//! vertex above it in the recursion lie farther than `t` from their segment. So the vertex's
//! *importance*, the smallest of those distances, decides for all tolerances at once
//! (kept ⇔ importance > t), and the results for decreasing tolerances are nested.

/// A point in Web Mercator metres (or tile units).
pub(crate) type Pt = [f64; 2];

/// Distance from `p` to the segment `a`–`b` (to `a` when the segment is a point).
fn segment_distance(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    (qx * qx + qy * qy).sqrt()
}

/// The vertex of `line[a+1..b]` farthest from the segment `line[a]`–`line[b]` (the first
/// one on ties) and its distance, or `None` when there is no vertex between.
fn farthest(line: &[Pt], a: usize, b: usize) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (i, &p) in line.iter().enumerate().take(b).skip(a + 1) {
        let d = segment_distance(p, line[a], line[b]);
        if best.is_none_or(|(_, bd)| d > bd) {
            best = Some((i, d));
        }
    }
    best
}

/// Douglas-Peucker importance of each vertex of `line`: the endpoints and the `forced`
/// first split vertices (at most 2; those that keep a closed ring at four points or more)
/// are infinite; every other vertex is kept at tolerance `t` exactly when its importance
/// exceeds `t`.
pub(crate) fn importance(line: &[Pt], forced: usize) -> Vec<f64> {
    let n = line.len();
    let mut imp = vec![f64::INFINITY; n];
    if n < 3 {
        return imp;
    }
    // Forced splits: the farthest vertex, then the farther of the two halves' farthest.
    let mut cuts = vec![0, n - 1];
    if forced >= 1 {
        if let Some((i, _)) = farthest(line, 0, n - 1) {
            cuts.insert(1, i);
            if forced >= 2 {
                let left = farthest(line, 0, i);
                let right = farthest(line, i, n - 1);
                let pick = match (left, right) {
                    (Some(l), Some(r)) => Some(if r.1 > l.1 { r.0 } else { l.0 }),
                    (l, r) => l.or(r).map(|v| v.0),
                };
                if let Some(j) = pick {
                    cuts.push(j);
                    cuts.sort_unstable();
                }
            }
        }
    }
    let mut stack: Vec<(usize, usize, f64)> = cuts
        .windows(2)
        .map(|w| (w[0], w[1], f64::INFINITY))
        .collect();
    while let Some((a, b, cap)) = stack.pop() {
        if let Some((i, d)) = farthest(line, a, b) {
            let v = d.min(cap);
            imp[i] = v;
            stack.push((a, i, v));
            stack.push((i, b, v));
        }
    }
    imp
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain recursive Douglas-Peucker at one tolerance, for comparison.
    fn dp(line: &[Pt], a: usize, b: usize, t: f64, keep: &mut Vec<usize>) {
        if let Some((i, d)) = farthest(line, a, b) {
            if d > t {
                dp(line, a, i, t, keep);
                keep.push(i);
                dp(line, i, b, t, keep);
            }
        }
    }

    #[test]
    fn importance_reproduces_douglas_peucker_at_every_tolerance() {
        let line: Vec<Pt> = (0..40)
            .map(|i| {
                let x = f64::from(i);
                [x, (x * 0.7).sin() * 3.0 + (x * 0.13).cos() * 5.0]
            })
            .collect();
        let imp = importance(&line, 0);
        for t in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 100.0] {
            let mut keep = vec![0];
            dp(&line, 0, line.len() - 1, t, &mut keep);
            keep.push(line.len() - 1);
            let by_imp: Vec<usize> = (0..line.len()).filter(|&i| imp[i] > t).collect();
            assert_eq!(by_imp, keep, "tolerance {t}");
        }
    }

    #[test]
    fn forced_vertices_survive_any_tolerance() {
        let ring: Vec<Pt> = vec![[0.0, 0.0], [1.0, 0.1], [2.0, 0.0], [1.0, -0.2], [0.0, 0.0]];
        let imp = importance(&ring, 2);
        let kept = imp.iter().filter(|v| v.is_infinite()).count();
        assert_eq!(kept, 4, "{imp:?}");
        // The farthest from the start is (2, 0); then (1, -0.2) beats (1, 0.1).
        assert!(imp[2].is_infinite() && imp[3].is_infinite() && imp[1].is_finite());
    }
}
