//! Well-known binary (ISO WKB, little-endian, 2D) of the two geometry types GeoParquet
//! files here hold: points (events, the cube's area points) and multipolygons (areas).
//!
//! Written here rather than with the `wkb` crate: the two encoders are a few lines over a
//! fixed byte layout, and DuckDB, GEOS (shapely) and Sedona read them back in the tests.

use geo_types::{Coord, LineString, MultiPolygon};

/// Byte-order mark of little-endian WKB.
const LITTLE_ENDIAN: u8 = 1;
/// WKB geometry type codes.
const POINT: u32 = 1;
const POLYGON: u32 = 3;
const MULTI_POLYGON: u32 = 6;

/// The 21 bytes of a point.
pub fn point(c: Coord<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(21);
    header(&mut out, POINT);
    coord(&mut out, c);
    out
}

/// A multipolygon: each part's exterior ring, then its holes, as stored.
pub fn multi_polygon(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::new();
    header(&mut out, MULTI_POLYGON);
    count(&mut out, mp.0.len());
    for polygon in &mp.0 {
        header(&mut out, POLYGON);
        count(&mut out, 1 + polygon.interiors().len());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            line_string(&mut out, ring);
        }
    }
    out
}

fn header(out: &mut Vec<u8>, kind: u32) {
    out.push(LITTLE_ENDIAN);
    out.extend_from_slice(&kind.to_le_bytes());
}

fn count(out: &mut Vec<u8>, n: usize) {
    // A ring or part count past u32 cannot come from a boundary file this crate read.
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn line_string(out: &mut Vec<u8>, ring: &LineString<f64>) {
    count(out, ring.0.len());
    for &c in &ring.0 {
        coord(out, c);
    }
}

fn coord(out: &mut Vec<u8>, c: Coord<f64>) {
    out.extend_from_slice(&c.x.to_le_bytes());
    out.extend_from_slice(&c.y.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{coord, polygon};

    #[test]
    fn point_layout() {
        let b = point(coord! { x: 1.5, y: -2.0 });
        assert_eq!(b.len(), 21);
        assert_eq!(&b[..5], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(b[5..13].try_into().unwrap()), 1.5);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), -2.0);
    }

    #[test]
    fn multipolygon_layout() {
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)];
        let b = multi_polygon(&MultiPolygon(vec![square.clone(), square]));
        // header + part count, then per part: header + ring count + point count + 4 points.
        assert_eq!(b.len(), 9 + 2 * (9 + 4 + 4 * 16));
        assert_eq!(
            u32::from_le_bytes(b[1..5].try_into().unwrap()),
            MULTI_POLYGON
        );
        assert_eq!(u32::from_le_bytes(b[5..9].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(b[10..14].try_into().unwrap()), POLYGON);
        assert_eq!(u32::from_le_bytes(b[14..18].try_into().unwrap()), 1);
        assert_eq!(u32::from_le_bytes(b[18..22].try_into().unwrap()), 4);
    }
}
