//! WGS84 longitude/latitude to Web Mercator (EPSG:3857) metres.

/// Equatorial radius of the WGS84 ellipsoid, used as the sphere of Web Mercator (metres).
pub const EARTH_RADIUS: f64 = 6_378_137.0;

/// Width of the Web Mercator world, `2 * pi * EARTH_RADIUS` (metres).
pub const WORLD_WIDTH: f64 = 40_075_016.685_578_49;

/// Half the world width: the world spans `-HALF_WORLD..=HALF_WORLD` in x and y (metres).
pub const HALF_WORLD: f64 = WORLD_WIDTH / 2.0;

/// The latitude at which Web Mercator's square world ends (degrees).
pub const MAX_LATITUDE: f64 = 85.051_128_78;

/// Projects WGS84 `lon`, `lat` (degrees) to Web Mercator `(x, y)` metres, clamping the latitude
/// to `±85.05112878` so the poles map to the edge of the square world.
///
/// ```
/// let (x, y) = safemap_tiles::lonlat_to_mercator(180.0, 90.0);
/// assert!((x - 20_037_508.342_789_244).abs() < 1e-6);
/// assert!((y - 20_037_508.34).abs() < 0.1);
/// ```
pub fn lonlat_to_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE);
    let x = EARTH_RADIUS * lon.to_radians();
    let y = EARTH_RADIUS
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    (x, y)
}

/// Inverse of [`lonlat_to_mercator`]: Web Mercator metres to WGS84 `(lon, lat)` degrees.
pub fn mercator_to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let lon = (x / EARTH_RADIUS).to_degrees();
    let lat = (2.0 * (y / EARTH_RADIUS).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_and_round_trip() {
        let (x0, y0) = lonlat_to_mercator(0.0, 0.0);
        assert!(x0 == 0.0 && y0.abs() < 1e-6);
        let (x, y) = lonlat_to_mercator(-4.1427, 50.3755);
        // Plymouth: about -461 km east, 6.51 Mm north.
        assert!((x + 461_164.0).abs() < 100.0, "{x}");
        assert!((y - 6_514_000.0).abs() < 5_000.0, "{y}");
        let (lon, lat) = mercator_to_lonlat(x, y);
        assert!((lon + 4.1427).abs() < 1e-9 && (lat - 50.3755).abs() < 1e-9);
    }

    #[test]
    fn latitude_is_clamped() {
        assert_eq!(lonlat_to_mercator(0.0, 89.9), lonlat_to_mercator(0.0, 90.0));
        let (_, y) = lonlat_to_mercator(0.0, -90.0);
        assert!((y + HALF_WORLD).abs() < 0.01, "{y}");
    }
}
