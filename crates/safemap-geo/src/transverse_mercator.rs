//! The National Grid Transverse Mercator projection on the GRS80 ellipsoid: ETRS89
//! longitude/latitude <-> ETRS89 grid coordinates (the coordinates OSTN15 shifts).
//!
//! The series are the OS's, from "A guide to coordinate systems in Great Britain", Annex C
//! (also Annex B of the OSTN15/OSGM15 transformation user guide), as used by Grid InQuest II:
//! equations C1-C3 and C6-C7 forward, C8-C9 (the iteration for the footpoint latitude phi')
//! and the VII..XIIA series of C.4 back. They are truncated series: accurate to well under a
//! millimetre near the central meridian (2 degrees W), a few millimetres at St Kilda.
//!
//! The expressions are written, term for term and in the same order of operations, as the
//! `lonlat_bng` 0.9 crate (which safemap used before) writes them, so the results are the
//! same to the last bit: changing an association or a `powi` for a product moves the last
//! bit and, rarely, the millimetre a coordinate rounds to.

/// GRS80 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// GRS80 semi-minor axis, metres.
const B: f64 = 6_356_752.314_1;
/// Scale factor on the central meridian.
const F0: f64 = 0.999_601_271_7;
/// Easting of the true origin, metres.
const E0: f64 = 400_000.0;
/// Northing of the true origin, metres.
const N0: f64 = -100_000.0;
/// Latitude of the true origin, degrees.
const PHI0_DEGREES: f64 = 49.0;
/// Longitude of the true origin (the central meridian), degrees.
const LAMBDA0_DEGREES: f64 = -2.0;
/// The eccentricity squared, e².
const E2: f64 = (A * A - B * B) / (A * A);
/// The third flattening n (equation C1).
const N: f64 = (A - B) / (A + B);
/// The footpoint iteration stops when the meridional arc is this close to the northing,
/// metres (0.01 mm, the OS's limit).
const FOOTPOINT_TOLERANCE: f64 = 0.000_01;
/// The footpoint iteration takes a handful of steps anywhere in the grid; the cap only
/// keeps a NaN from looping.
const FOOTPOINT_MAX_ITERATIONS: usize = 100;

/// The meridional arc M from the true origin's latitude to `phi` (radians), metres
/// (equation C3).
fn meridional_arc(phi: f64) -> f64 {
    let (dp, sp) = (
        phi - PHI0_DEGREES.to_radians(),
        phi + PHI0_DEGREES.to_radians(),
    );
    B * F0
        * ((1.0 + N * (1.0 + 5.0 / 4.0 * N * (1.0 + N))) * dp
            - 3.0 * N * (1.0 + N * (1.0 + 7.0 / 8.0 * N)) * dp.sin() * sp.cos()
            + (15.0 / 8.0 * N * (N * (1.0 + N))) * (2.0 * dp).sin() * (2.0 * sp).cos()
            - 35.0 / 24.0 * N * N * N * (3.0 * dp).sin() * (3.0 * sp).cos())
}

/// The radii of curvature at latitude `phi` (radians), scaled by F0 (equation C2).
struct Radii {
    /// Transverse radius of curvature ν, metres.
    nu: f64,
    /// Meridional radius of curvature ρ, metres.
    rho: f64,
    /// η² = ν/ρ - 1.
    eta2: f64,
}

impl Radii {
    fn at(phi: f64) -> Self {
        let sin2 = phi.sin() * phi.sin();
        let nu = A * F0 * (1.0 - E2 * sin2).powf(-0.5);
        let rho = A * F0 * (1.0 - E2) * (1.0 - E2 * sin2).powf(-1.5);
        Radii {
            nu,
            rho,
            eta2: nu / rho - 1.0,
        }
    }
}

/// ETRS89 longitude/latitude (degrees) to ETRS89 grid easting/northing (metres), unrounded
/// (equations C6-C7).
pub(crate) fn forward(lon: f64, lat: f64) -> (f64, f64) {
    let (phi, lambda) = (lat.to_radians(), lon.to_radians());
    let Radii { nu, rho, eta2 } = Radii::at(phi);
    let (sin, cos, tan) = (phi.sin(), phi.cos(), phi.tan());
    let (t2, t4) = (tan * tan, tan.powi(4));
    let (c3, c5) = (cos.powi(3), cos.powi(5));
    let i = meridional_arc(phi) + N0;
    let ii = nu / 2.0 * sin * cos;
    let iii = nu / 24.0 * sin * c3 * (5.0 - t2 + 9.0 * eta2);
    let iiia = nu / 720.0 * sin * c5 * (61.0 - 58.0 * t2 + t4);
    let iv = nu * cos;
    let v = nu / 6.0 * c3 * (nu / rho - t2);
    let vi = nu / 120.0 * c5 * (5.0 - 18.0 * t2 + t4 + 14.0 * eta2 - 58.0 * t2 * eta2);
    let l = lambda - LAMBDA0_DEGREES.to_radians();
    let (l2, l3) = (l * l, l * l * l);
    let north = i + ii * l2 + iii * l2 * l2 + iiia * l3 * l3;
    let east = E0 + iv * l + v * l3 + vi * l3 * l2;
    (east, north)
}

/// The footpoint latitude phi' (radians) of a northing: the latitude whose meridional arc
/// equals the northing's distance from the true origin (equations C8-C9, iterated).
fn footpoint_latitude(north: f64) -> f64 {
    let dn = north - N0;
    let mut phi = PHI0_DEGREES.to_radians() + dn / (A * F0);
    for _ in 0..FOOTPOINT_MAX_ITERATIONS {
        let residual = dn - meridional_arc(phi);
        if residual.abs() < FOOTPOINT_TOLERANCE {
            break;
        }
        phi += residual / (A * F0);
    }
    phi
}

/// ETRS89 grid easting/northing (metres) to ETRS89 longitude/latitude (degrees), unrounded
/// (the VII..XIIA series of Annex C.4, at the footpoint latitude).
pub(crate) fn inverse(east: f64, north: f64) -> (f64, f64) {
    let phi = footpoint_latitude(north);
    let Radii { nu, rho, eta2 } = Radii::at(phi);
    let (tan, sec) = (phi.tan(), 1.0 / phi.cos());
    let t2 = tan * tan;
    let (t4, t6) = (t2 * t2, t2 * t2 * t2);
    let nu2 = nu * nu;
    let nu3 = nu2 * nu;
    let (nu5, nu7) = (nu3 * nu2, nu3 * nu2 * nu2);
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu3) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu5) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu3) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu5) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu7) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    // Powers of the distance from the central meridian, by repeated multiplication.
    let mut d = [1.0; 8];
    for k in 1..d.len() {
        d[k] = d[k - 1] * (east - E0);
    }
    let lat = compensated_sum(&[phi, -(vii * d[2]), viii * d[4], -(ix * d[6])]);
    let lambda0 = LAMBDA0_DEGREES.to_radians();
    let lon = compensated_sum(&[lambda0, x * d[1], -(xi * d[3]), xii * d[5], -(xiia * d[7])]);
    (lon.to_degrees(), lat.to_degrees())
}

/// Kahan's compensated sum: the series terms span ten orders of magnitude, and compensation
/// keeps the low-order bits of the small ones.
fn compensated_sum(terms: &[f64]) -> f64 {
    let (mut sum, mut lost) = (0.0, 0.0);
    for &term in terms {
        let y = term - lost;
        let t = sum + y;
        lost = (t - sum) - y;
        sum = t;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_os_worked_example_projects_both_ways() {
        // Caister Water Tower, OS transformations guide Annex B: ETRS89 (1.716073973 E,
        // 52.658007833 N) is ETRS89 grid (651307.003, 313255.686).
        let (e, n) = forward(1.716_073_973, 52.658_007_833);
        assert!((e - 651_307.003).abs() < 0.0005 && (n - 313_255.686).abs() < 0.0005);
        let (lon, lat) = inverse(651_307.003, 313_255.686);
        assert!((lon - 1.716_073_973).abs() < 1e-8 && (lat - 52.658_007_833).abs() < 1e-8);
    }

    #[test]
    fn the_footpoint_latitude_has_the_northing_as_its_arc() {
        for north in [0.0, 313_255.686, 1_250_000.0] {
            let phi = footpoint_latitude(north);
            assert!((meridional_arc(phi) + N0 - north).abs() < FOOTPOINT_TOLERANCE);
        }
        // On the central meridian the latitude is the footpoint latitude.
        let (lon, lat) = inverse(E0, 500_000.0);
        assert!((lon - LAMBDA0_DEGREES).abs() < 1e-12);
        assert!((lat - footpoint_latitude(500_000.0).to_degrees()).abs() < 1e-12);
    }
}
