//! MVT geometry commands (spec 4.3): quantised tile coordinates, ring cleaning and winding,
//! and the `MoveTo` / `LineTo` / `ClosePath` integer stream with zigzag-encoded deltas.
//!
//! Written here because it is a few lines of arithmetic and it must interact with the
//! ring cleaning (dropping degenerate rings after quantisation) and the winding rules.

use crate::simplify::Pt;

const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

/// Zigzag encoding of a parameter: 0, -1, 1, -2, ... → 0, 1, 2, 3, ...
pub(crate) fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// A command integer: id in the low 3 bits, count above.
pub(crate) fn command(id: u32, count: u32) -> u32 {
    (id & 0x7) | (count << 3)
}

/// Twice the signed area of a ring in tile coordinates (y down), by the surveyor's formula
/// of the spec: positive for exterior rings (clockwise on screen).
pub(crate) fn area2(ring: &[[i32; 2]]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1])
        })
        .sum()
}

/// Rounds `ring` (tile units) to integers into `out`, removing consecutive duplicates and a
/// repeated closing vertex. Returns false when the ring is degenerate: fewer than three
/// distinct points or zero area.
pub(crate) fn quantise_ring(ring: &[Pt], out: &mut Vec<[i32; 2]>) -> bool {
    out.clear();
    for p in ring {
        let q = [p[0].round() as i32, p[1].round() as i32];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out.len() >= 3 && area2(out) != 0
}

/// Winds `ring` as MVT wants: an `exterior` ring with positive area, an interior ring with
/// negative area, reversing it when needed.
pub(crate) fn orient_ring(ring: &mut [[i32; 2]], exterior: bool) {
    if (area2(ring) > 0) != exterior {
        ring.reverse();
    }
}

/// Builds one feature's geometry command stream.
#[derive(Default)]
pub(crate) struct GeometryEncoder {
    cursor: [i32; 2],
    /// The commands and parameters so far.
    pub data: Vec<u32>,
}

impl GeometryEncoder {
    fn delta(&mut self, p: [i32; 2]) {
        self.data.push(zigzag(p[0] - self.cursor[0]));
        self.data.push(zigzag(p[1] - self.cursor[1]));
        self.cursor = p;
    }

    /// Points: one `MoveTo` with every point.
    pub(crate) fn points(&mut self, pts: &[[i32; 2]]) {
        if pts.is_empty() {
            return;
        }
        self.data.push(command(MOVE_TO, pts.len() as u32));
        for &p in pts {
            self.delta(p);
        }
    }

    /// A line (at least two points): `MoveTo`, `LineTo`.
    pub(crate) fn line(&mut self, line: &[[i32; 2]]) {
        self.data.push(command(MOVE_TO, 1));
        self.delta(line[0]);
        self.data.push(command(LINE_TO, (line.len() - 1) as u32));
        for &p in &line[1..] {
            self.delta(p);
        }
    }

    /// A ring (open form, at least three points, wound by [`orient_ring`]): `MoveTo`,
    /// `LineTo`, `ClosePath`.
    pub(crate) fn ring(&mut self, ring: &[[i32; 2]]) {
        self.data.push(command(MOVE_TO, 1));
        self.delta(ring[0]);
        self.data.push(command(LINE_TO, (ring.len() - 1) as u32));
        for &p in &ring[1..] {
            self.delta(p);
        }
        self.data.push(command(CLOSE_PATH, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_and_commands_match_the_spec() {
        assert_eq!(
            [0, -1, 1, -2, 2, 2047, -2048].map(zigzag),
            [0, 1, 2, 3, 4, 4094, 4095]
        );
        assert_eq!(command(MOVE_TO, 1), 9);
        assert_eq!(command(LINE_TO, 3), 26);
        assert_eq!(command(CLOSE_PATH, 1), 15);
    }

    #[test]
    fn spec_example_polygon() {
        // Spec 4.3.5.3 example: polygon (3,6) (8,12) (20,34) → [9 6 12 18 10 12 24 44 15].
        let mut e = GeometryEncoder::default();
        let mut ring = [[3, 6], [8, 12], [20, 34]];
        orient_ring(&mut ring, true);
        e.ring(&ring);
        assert_eq!(e.data, [9, 6, 12, 18, 10, 12, 24, 44, 15]);
    }

    #[test]
    fn spec_example_points() {
        // Spec 4.3.5.2: multi point (5,7), (3,2) → [17 10 14 3 9].
        let mut e = GeometryEncoder::default();
        e.points(&[[5, 7], [3, 2]]);
        assert_eq!(e.data, [17, 10, 14, 3, 9]);
    }

    #[test]
    fn spec_example_line() {
        // Spec 4.3.5.2: linestring (2,2) (2,10) (10,10) → [9 4 4 18 0 16 16 0].
        let mut e = GeometryEncoder::default();
        e.line(&[[2, 2], [2, 10], [10, 10]]);
        assert_eq!(e.data, [9, 4, 4, 18, 0, 16, 16, 0]);
    }

    #[test]
    fn winding_is_forced() {
        // Counter-clockwise on screen (negative area) as an exterior: reversed.
        let mut ring = [[0, 0], [0, 10], [10, 10], [10, 0]];
        assert!(area2(&ring) < 0);
        orient_ring(&mut ring, true);
        assert!(area2(&ring) > 0);
        orient_ring(&mut ring, false);
        assert!(area2(&ring) < 0);
    }

    #[test]
    fn degenerate_rings_are_detected() {
        let mut out = Vec::new();
        // Collapses to two points after rounding.
        assert!(!quantise_ring(
            &[[0.1, 0.1], [0.2, 0.3], [5.0, 5.0], [5.2, 4.9]],
            &mut out
        ));
        // Three collinear points: zero area.
        assert!(!quantise_ring(
            &[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]],
            &mut out
        ));
        // Duplicates and closing vertex removed.
        assert!(quantise_ring(
            &[[0.0, 0.0], [0.4, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 0.1]],
            &mut out
        ));
        assert_eq!(out, [[0, 0], [4, 0], [4, 4]]);
    }
}
