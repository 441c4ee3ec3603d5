//! Tile addresses in the XYZ scheme (y = 0 at the north edge), their bounds, and the tiles
//! covering a bounding box.

use crate::mercator::{
    lonlat_to_mercator, mercator_to_lonlat, HALF_WORLD, MAX_LATITUDE, WORLD_WIDTH,
};
use crate::TileError;
use geo_types::{coord, Rect};

/// The highest zoom level a [`TileId`] may have.
pub const MAX_ZOOM: u8 = 24;

/// A tile in the XYZ scheme: zoom `z`, column `x` from the west, row `y` from the north.
///
/// Build one with [`TileId::new`], which checks the ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom level, `0..=MAX_ZOOM`.
    pub z: u8,
    /// Column, `0..2^z`, from the antimeridian eastwards.
    pub x: u32,
    /// Row, `0..2^z`, from the north edge southwards.
    pub y: u32,
}

impl TileId {
    /// The tile `z/x/y`, or an error naming the value out of range and the valid range.
    ///
    /// ```
    /// use safemap_tiles::TileId;
    /// assert!(TileId::new(10, 511, 340).is_ok());
    /// assert!(TileId::new(2, 4, 0).is_err());
    /// assert!(TileId::new(25, 0, 0).is_err());
    /// ```
    pub fn new(z: u8, x: u32, y: u32) -> Result<TileId, TileError> {
        if z > MAX_ZOOM {
            return Err(TileError::ZoomOutOfRange { z, max: MAX_ZOOM });
        }
        let max = (1u32 << z) - 1;
        if x > max {
            return Err(TileError::CoordOutOfRange {
                axis: "x",
                value: x,
                z,
                max,
            });
        }
        if y > max {
            return Err(TileError::CoordOutOfRange {
                axis: "y",
                value: y,
                z,
                max,
            });
        }
        Ok(TileId { z, x, y })
    }

    /// Width (and height) of the tile in Web Mercator metres.
    pub fn size(&self) -> f64 {
        WORLD_WIDTH / f64::from(1u32 << self.z)
    }

    /// The tile's bounds in Web Mercator metres (EPSG:3857).
    ///
    /// ```
    /// let b = safemap_tiles::TileId::new(0, 0, 0).unwrap().bounds();
    /// assert!((b.max().x - 20_037_508.34).abs() < 0.01);
    /// ```
    pub fn bounds(&self) -> Rect<f64> {
        let size = self.size();
        let min_x = -HALF_WORLD + f64::from(self.x) * size;
        let max_y = HALF_WORLD - f64::from(self.y) * size;
        Rect::new(
            coord! { x: min_x, y: max_y - size },
            coord! { x: min_x + size, y: max_y },
        )
    }

    /// The tile's bounds in WGS84 degrees: `[west, south, east, north]`.
    pub fn bounds_wgs84(&self) -> [f64; 4] {
        let b = self.bounds();
        let (west, south) = mercator_to_lonlat(b.min().x, b.min().y);
        let (east, north) = mercator_to_lonlat(b.max().x, b.max().y);
        [west, south, east, north]
    }

    /// The PMTiles v3 TileID: the tile's position on the Hilbert curve of its zoom level,
    /// after all tiles of lower zooms (`(4^z - 1) / 3` of them).
    ///
    /// ```
    /// use safemap_tiles::TileId;
    /// assert_eq!(TileId::new(0, 0, 0).unwrap().hilbert_id(), 0);
    /// assert_eq!(TileId::new(1, 1, 0).unwrap().hilbert_id(), 4);
    /// ```
    pub fn hilbert_id(&self) -> u64 {
        let z = u32::from(self.z);
        let mut acc: u64 = ((1u64 << (2 * z)) - 1) / 3;
        let n: u64 = 1 << z;
        let (mut x, mut y) = (u64::from(self.x), u64::from(self.y));
        let mut s = n >> 1;
        while s > 0 {
            let rx = u64::from(x & s != 0);
            let ry = u64::from(y & s != 0);
            acc += s * s * ((3 * rx) ^ ry);
            // Rotate the quadrant (Hilbert curve xy -> d, as in the PMTiles reference code).
            if ry == 0 {
                if rx == 1 {
                    x = n - 1 - x;
                    y = n - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            s >>= 1;
        }
        acc
    }
}

impl std::fmt::Display for TileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// Column and row of the tile at zoom `z` holding WGS84 `lon`, `lat` (clamped to the world).
fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let (mx, my) = lonlat_to_mercator(lon.clamp(-180.0, 180.0), lat);
    let col = ((mx + HALF_WORLD) / WORLD_WIDTH * n).floor();
    let row = ((HALF_WORLD - my) / WORLD_WIDTH * n).floor();
    let max = n - 1.0;
    (col.clamp(0.0, max) as u32, row.clamp(0.0, max) as u32)
}

/// Every tile at zoom `z` that intersects `bbox_wgs84` (`[west, south, east, north]`, degrees),
/// row by row from the north-west. Latitudes are clamped to `±85.05112878`.
///
/// The iterator is empty when `z > MAX_ZOOM`, when a bound is not finite, or when
/// `west > east` or `south > north` (boxes across the antimeridian are not supported:
/// split them in two).
///
/// ```
/// let tiles: Vec<_> = safemap_tiles::tiles_covering([-10.0, 40.0, 10.0, 60.0], 1).collect();
/// assert_eq!(tiles.len(), 2); // the two northern tiles at zoom 1
/// ```
pub fn tiles_covering(bbox_wgs84: [f64; 4], z: u8) -> impl Iterator<Item = TileId> {
    let [west, south, east, north] = bbox_wgs84;
    let valid =
        z <= MAX_ZOOM && bbox_wgs84.iter().all(|v| v.is_finite()) && west <= east && south <= north;
    let (x0, y0, x1, y1) = if valid {
        let (x0, y0) = tile_of(west, north.min(MAX_LATITUDE), z);
        let (x1, y1) = tile_of(east, south.max(-MAX_LATITUDE), z);
        (x0, y0, x1, y1)
    } else {
        (1, 1, 0, 0)
    };
    (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| TileId { z, x, y }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom0_bounds_are_the_world() {
        let t = TileId::new(0, 0, 0).unwrap();
        let b = t.bounds();
        for v in [b.min().x, b.min().y] {
            assert!((v + 20_037_508.34).abs() < 0.01, "{v}");
        }
        for v in [b.max().x, b.max().y] {
            assert!((v - 20_037_508.34).abs() < 0.01, "{v}");
        }
        let w = t.bounds_wgs84();
        assert!((w[0] + 180.0).abs() < 1e-9 && (w[2] - 180.0).abs() < 1e-9);
        assert!((w[1] + 85.051_128_78).abs() < 1e-6 && (w[3] - 85.051_128_78).abs() < 1e-6);
    }

    #[test]
    fn known_tiles_of_london() {
        // Trafalgar Square area: the well-known OSM slippy-map tiles 10/511/340 and 14/8186/5448.
        let (lon, lat) = (-0.1276, 51.5072);
        let t10: Vec<_> = tiles_covering([lon, lat, lon, lat], 10).collect();
        assert_eq!(t10, vec![TileId::new(10, 511, 340).unwrap()]);
        let t14: Vec<_> = tiles_covering([lon, lat, lon, lat], 14).collect();
        assert_eq!(t14, vec![TileId::new(14, 8186, 5448).unwrap()]);
        let b = t14[0].bounds_wgs84();
        assert!(
            b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3],
            "{b:?}"
        );
    }

    #[test]
    fn covering_counts() {
        assert_eq!(tiles_covering([-180.0, -90.0, 180.0, 90.0], 3).count(), 64);
        // Plymouth at z12: a handful of tiles, all containing part of the box.
        let bbox = [-4.21, 50.33, -4.02, 50.45];
        let tiles: Vec<_> = tiles_covering(bbox, 12).collect();
        assert!((4..=12).contains(&tiles.len()), "{}", tiles.len());
        for t in &tiles {
            let b = t.bounds_wgs84();
            assert!(b[0] <= bbox[2] && b[2] >= bbox[0] && b[1] <= bbox[3] && b[3] >= bbox[1]);
        }
        assert_eq!(tiles_covering([1.0, 0.0, 0.0, 1.0], 3).count(), 0);
        assert_eq!(tiles_covering(bbox, 25).count(), 0);
        assert_eq!(tiles_covering([f64::NAN, 0.0, 1.0, 1.0], 3).count(), 0);
    }

    #[test]
    fn out_of_range_errors_name_the_value() {
        let e = TileId::new(25, 0, 0).unwrap_err().to_string();
        assert!(e.contains("25") && e.contains("0 to 24"), "{e}");
        let e = TileId::new(3, 8, 0).unwrap_err().to_string();
        assert!(e.contains("x = 8") && e.contains("0..=7"), "{e}");
        let e = TileId::new(3, 0, 9).unwrap_err().to_string();
        assert!(e.contains("y = 9"), "{e}");
        assert!(TileId::new(24, (1 << 24) - 1, 0).is_ok());
    }

    #[test]
    fn hilbert_ids_follow_the_pmtiles_spec() {
        let id = |z, x, y| TileId::new(z, x, y).unwrap().hilbert_id();
        assert_eq!(id(0, 0, 0), 0);
        assert_eq!(id(1, 0, 0), 1);
        assert_eq!(id(1, 0, 1), 2);
        assert_eq!(id(1, 1, 1), 3);
        assert_eq!(id(1, 1, 0), 4);
        assert_eq!(id(2, 0, 0), 5);
        // Value from the reference implementation's test suite (go-pmtiles).
        assert_eq!(id(12, 3423, 1763), 19_078_479);
        // All ids of a zoom are distinct and fill the zoom's range.
        let mut ids: Vec<u64> = (0..16)
            .flat_map(|x| (0..16).map(move |y| id(4, x, y)))
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, (85..85 + 256).collect::<Vec<u64>>());
    }
}
