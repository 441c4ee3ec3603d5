//! The OSTN15 grid shift between ETRS89 and OSGB36 / National Grid coordinates.
//!
//! OSTN15 is a grid of 701 x 1251 nodes, 1 km apart, covering 0-700 km east and 0-1250 km
//! north of the National Grid false origin; each node holds the east and north shifts (to the
//! millimetre) from ETRS89 grid coordinates to OSGB36. The shift at any point is the bilinear
//! interpolation of the four nodes around it ("Transformations and OSGM15 user guide",
//! section 4 and Annex B).
//!
//! The data are the Ordnance Survey's (`data/OSTN15_license.txt`), packed by
//! `scripts/ostn15/pack.py` into `data/ostn15_shifts.bin.gz` (whole millimetres, delta-coded
//! by row, gzip; the script documents the layout). The file is embedded in the binary and
//! decoded once, on first use.

use flate2::read::GzDecoder;
use std::io::{self, Read};
use std::sync::OnceLock;

/// Nodes per row (eastings 0-700 km).
const COLUMNS: usize = 701;
/// Rows (northings 0-1250 km).
const ROWS: usize = 1251;
/// Distance between nodes, metres.
const SPACING: f64 = 1000.0;
/// Largest easting in the grid, metres.
const MAX_EASTING: f64 = SPACING * (COLUMNS - 1) as f64;
/// Largest northing in the grid, metres.
const MAX_NORTHING: f64 = SPACING * (ROWS - 1) as f64;
/// The first bytes of the packed file.
const MAGIC: &[u8; 8] = b"OSTN15MM";
/// Bytes before the shifts: the magic and the two dimensions.
const HEADER_LEN: usize = MAGIC.len() + 8;

/// The packed shifts, as written by `scripts/ostn15/pack.py`.
static PACKED: &[u8] = include_bytes!("../data/ostn15_shifts.bin.gz");

/// The OS's convergence limit for the inverse iteration, metres.
const INVERSE_TOLERANCE: f64 = 0.0001;
/// Iterations allowed after the first estimate; a couple suffice across the whole grid.
const INVERSE_MAX_ITERATIONS: usize = 10;

/// The shift planes, in millimetres, row by row from the south, each row from the west.
#[derive(Debug, PartialEq)]
struct ShiftGrid {
    east: Vec<i32>,
    north: Vec<i32>,
}

impl ShiftGrid {
    /// Decodes the packed file (see `scripts/ostn15/pack.py`).
    fn decode(packed: &[u8]) -> io::Result<Self> {
        let mut raw = Vec::with_capacity(HEADER_LEN + 8 * COLUMNS * ROWS);
        GzDecoder::new(packed).read_to_end(&mut raw)?;
        let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
        if raw.len() < HEADER_LEN || !raw.starts_with(MAGIC) {
            return Err(invalid("OSTN15 shifts: missing the OSTN15MM header".into()));
        }
        let dimension =
            |at: usize| u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
        let (columns, rows) = (dimension(8), dimension(12));
        if (columns as usize, rows as usize) != (COLUMNS, ROWS) {
            return Err(invalid(format!(
                "OSTN15 shifts: grid of {columns} x {rows} nodes, expected {COLUMNS} x {ROWS}"
            )));
        }
        let body = &raw[HEADER_LEN..];
        let plane_len = 4 * COLUMNS * ROWS;
        if body.len() != 2 * plane_len {
            return Err(invalid(format!(
                "OSTN15 shifts: {} bytes of shifts, expected {}",
                body.len(),
                2 * plane_len
            )));
        }
        let (east, north) = body.split_at(plane_len);
        Ok(ShiftGrid {
            east: undelta(east),
            north: undelta(north),
        })
    }

    /// The shift (east, north) in metres at node (`column`, `row`).
    fn node(&self, column: usize, row: usize) -> (f64, f64) {
        let i = row * COLUMNS + column;
        (
            f64::from(self.east[i]) / 1000.0,
            f64::from(self.north[i]) / 1000.0,
        )
    }
}

/// Undoes the packer's delta coding of one plane of little-endian `i32`: each value follows
/// its west neighbour; the first of a row follows the first of the row below.
fn undelta(bytes: &[u8]) -> Vec<i32> {
    let deltas = bytes
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let mut plane = Vec::with_capacity(COLUMNS * ROWS);
    for (i, delta) in deltas.enumerate() {
        let base = match i % COLUMNS {
            0 if i == 0 => 0,
            0 => plane[i - COLUMNS],
            _ => plane[i - 1],
        };
        plane.push(base + delta);
    }
    plane
}

/// The decoded grid, decoded on first use.
fn grid() -> &'static ShiftGrid {
    static GRID: OnceLock<ShiftGrid> = OnceLock::new();
    GRID.get_or_init(|| {
        ShiftGrid::decode(PACKED).expect("the embedded OSTN15 shifts decode (checked by tests)")
    })
}

/// Whether a grid coordinate lies in the OSTN15 rectangle (edges included).
fn in_grid(e: f64, n: f64) -> bool {
    (0.0..=MAX_EASTING).contains(&e) && (0.0..=MAX_NORTHING).contains(&n)
}

/// The OSTN15 shift (east, north) in metres at ETRS89 grid coordinate (`e`, `n`): the
/// bilinear interpolation of the four nodes around it. `None` outside the OSTN15 rectangle.
///
/// A point on the east or north edge uses the last cell, so every point of the closed
/// rectangle has a shift.
fn shift(e: f64, n: f64) -> Option<(f64, f64)> {
    if !in_grid(e, n) {
        return None;
    }
    let grid = grid();
    let column = ((e / SPACING) as usize).min(COLUMNS - 2);
    let row = ((n / SPACING) as usize).min(ROWS - 2);
    // Offsets within the cell as fractions of its side, and the weights of its corners:
    // south-west, south-east, north-west, north-east (the OS guide's s0..s3).
    let t = (e - column as f64 * SPACING) / SPACING;
    let u = (n - row as f64 * SPACING) / SPACING;
    let weights = [(1.0 - t) * (1.0 - u), t * (1.0 - u), (1.0 - t) * u, t * u];
    let corners = [
        grid.node(column, row),
        grid.node(column + 1, row),
        grid.node(column, row + 1),
        grid.node(column + 1, row + 1),
    ];
    let (mut se, mut sn) = (0.0, 0.0);
    for (w, (ce, cn)) in weights.into_iter().zip(corners) {
        se += w * ce;
        sn += w * cn;
    }
    Some((se, sn))
}

/// Rounds metres to the millimetre.
fn round_to_mm(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// ETRS89 grid coordinate to OSGB36 / National Grid easting and northing, rounded to the
/// millimetre (the precision of the OS's published results). `None` outside the OSTN15
/// rectangle.
pub(crate) fn etrs89_to_osgb36(e: f64, n: f64) -> Option<(f64, f64)> {
    let (se, sn) = shift(e, n)?;
    Some((round_to_mm(e + se), round_to_mm(n + sn)))
}

/// Why an OSGB36 coordinate has no ETRS89 counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InverseError {
    /// The coordinate, or an estimate on the way, lies outside the OSTN15 rectangle.
    OutsideGrid,
    /// The iteration did not settle within its iteration limit.
    NonConvergent,
}

/// OSGB36 / National Grid easting and northing to the ETRS89 grid coordinate, unrounded, by
/// the OS's iteration (user guide, section 6.2): subtract the shift found at the OSGB36
/// coordinate, then repeatedly subtract the shift found at the current ETRS89 estimate, until
/// the shift changes by no more than 0.1 mm in either direction.
///
/// The coverage is that of the ETRS89 point: an OSGB36 coordinate up to about 100 m outside
/// the rectangle (a northing of -50 m on the south edge) can be the image of a point inside
/// it, so the first shift is taken at the nearest point of the rectangle; every later one must
/// lie in it.
pub(crate) fn osgb36_to_etrs89(e: f64, n: f64) -> Result<(f64, f64), InverseError> {
    if !(e.is_finite() && n.is_finite()) {
        return Err(InverseError::OutsideGrid);
    }
    let mut last = shift(e.clamp(0.0, MAX_EASTING), n.clamp(0.0, MAX_NORTHING))
        .ok_or(InverseError::OutsideGrid)?;
    let mut estimate = (e - last.0, n - last.1);
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let next = shift(estimate.0, estimate.1).ok_or(InverseError::OutsideGrid)?;
        estimate = (e - next.0, n - next.1);
        if (next.0 - last.0).abs() <= INVERSE_TOLERANCE
            && (next.1 - last.1).abs() <= INVERSE_TOLERANCE
        {
            return if in_grid(estimate.0, estimate.1) {
                Ok(estimate)
            } else {
                Err(InverseError::OutsideGrid)
            };
        }
        last = next;
    }
    Err(InverseError::NonConvergent)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of the OS data file `OSTN15_OSGM15_DataFile.txt`, verbatim (Point_ID, ETRS89
    /// easting and northing, east, north and height shifts, datum flag): its first lines,
    /// the two Caister Water Tower cell corners of the OS guide's worked example, a node
    /// over Ireland (flag 16), the middle of the grid, and the last node.
    const DATA_FILE_LINES: [&str; 8] = [
        "1,0,0,90.750,-82.020,55.127,15",
        "2,1000,0,90.764,-82.015,55.108,15",
        "4,3000,0,90.794,-82.005,55.070,15",
        "220065,651000,313000,102.787,-78.242,44.236,1",
        "220767,652000,314000,102.834,-78.225,44.210,1",
        "371677,146000,530000,89.155,-68.149,55.794,16",
        "438476,350000,625000,97.073,-65.106,52.213,1",
        "876951,700000,1250000,109.209,-53.064,44.731,16",
    ];

    /// A data file line as (Point_ID, easting, northing, east shift, north shift), with the
    /// shifts parsed as the text says.
    fn parse(line: &str) -> (usize, f64, f64, f64, f64) {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| f[i].parse::<f64>().unwrap();
        (f[0].parse().unwrap(), num(1), num(2), num(3), num(4))
    }

    #[test]
    fn decoded_nodes_equal_the_os_data_file() {
        for line in DATA_FILE_LINES {
            let (id, e, n, se, sn) = parse(line);
            let (column, row) = ((e / SPACING) as usize, (n / SPACING) as usize);
            assert_eq!(id, row * COLUMNS + column + 1, "{line}");
            assert_eq!(grid().node(column, row), (se, sn), "{line}");
        }
    }

    #[test]
    fn interpolation_at_a_node_is_the_node_shift() {
        for line in DATA_FILE_LINES {
            let (_, e, n, se, sn) = parse(line);
            assert_eq!(shift(e, n), Some((se, sn)), "{line}");
        }
    }

    #[test]
    fn interpolation_is_bilinear_inside_a_cell() {
        let g = grid();
        let (sw, se_node) = (g.node(651, 313), g.node(652, 313));
        let (nw, ne) = (g.node(651, 314), g.node(652, 314));
        // A quarter of the way east and three quarters north.
        let (t, u) = (0.25, 0.75);
        let expect = |f: fn((f64, f64)) -> f64| {
            (1.0 - t) * (1.0 - u) * f(sw)
                + t * (1.0 - u) * f(se_node)
                + (1.0 - t) * u * f(nw)
                + t * u * f(ne)
        };
        let (se, sn) = shift(651_250.0, 313_750.0).unwrap();
        assert!((se - expect(|s| s.0)).abs() < 1e-12, "{se}");
        assert!((sn - expect(|s| s.1)).abs() < 1e-12, "{sn}");
        // Strictly between the corner values, which differ.
        assert!(sw.0.min(ne.0) < se && se < sw.0.max(ne.0));
    }

    #[test]
    fn the_rectangle_is_closed_and_nothing_outside_has_a_shift() {
        assert!(shift(MAX_EASTING, MAX_NORTHING).is_some());
        assert!(shift(0.0, 0.0).is_some());
        for (e, n) in [
            (-0.001, 0.0),
            (0.0, -0.001),
            (MAX_EASTING + 0.001, 5.0),
            (5.0, MAX_NORTHING + 0.001),
            (f64::NAN, 5.0),
        ] {
            assert_eq!(shift(e, n), None, "({e}, {n})");
            assert_eq!(etrs89_to_osgb36(e, n), None, "({e}, {n})");
        }
    }

    #[test]
    fn the_os_worked_example_shifts_both_ways() {
        // Caister Water Tower, OS user guide Annex B: ETRS89 (651307.003, 313255.686) is
        // OSGB36 (651409.804, 313177.450).
        assert_eq!(
            etrs89_to_osgb36(651_307.003, 313_255.686),
            Some((651_409.804, 313_177.450))
        );
        let (e, n) = osgb36_to_etrs89(651_409.804, 313_177.450).unwrap();
        assert!((e - 651_307.003).abs() < 0.001 && (n - 313_255.686).abs() < 0.001);
        assert_eq!(
            osgb36_to_etrs89(-50.0, 5_000.0),
            Err(InverseError::OutsideGrid)
        );
        // South of the OSGB36 rectangle, but the image of a point 29 m inside the ETRS89 one
        // (the north shift there is -82 m).
        let (e, n) = osgb36_to_etrs89(247_081.82, -53.132).unwrap();
        assert!((0.0..100.0).contains(&n), "{e}, {n}");
        assert_eq!(etrs89_to_osgb36(e, n), Some((247_081.82, -53.132)));
        // Inside the OSGB36 rectangle, but the ETRS89 point is 90 m west of it.
        assert_eq!(
            osgb36_to_etrs89(50.0, 5_000.0),
            Err(InverseError::OutsideGrid)
        );
    }

    #[test]
    fn damaged_data_is_refused_with_the_reason() {
        let gzip = |raw: &[u8]| {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut enc, raw).unwrap();
            enc.finish().unwrap()
        };
        let err = ShiftGrid::decode(&gzip(b"NOTOSTN!")).unwrap_err();
        assert!(err.to_string().contains("header"), "{err}");
        let mut small = MAGIC.to_vec();
        small.extend(2u32.to_le_bytes());
        small.extend(2u32.to_le_bytes());
        let err = ShiftGrid::decode(&gzip(&small)).unwrap_err();
        assert!(err.to_string().contains("2 x 2 nodes"), "{err}");
        let mut short = MAGIC.to_vec();
        short.extend((COLUMNS as u32).to_le_bytes());
        short.extend((ROWS as u32).to_le_bytes());
        short.extend([0; 12]);
        let err = ShiftGrid::decode(&gzip(&short)).unwrap_err();
        assert!(err.to_string().contains("12 bytes of shifts"), "{err}");
        assert!(ShiftGrid::decode(&PACKED[..1000]).is_err());
    }
}
