//! Reprojection between WGS84 longitude/latitude and British National Grid (EPSG:27700).
//!
//! The transformation is the Ordnance Survey's OSTN15: a Transverse Mercator projection on
//! the GRS80 ellipsoid (`transverse_mercator`) followed by the OSTN15 grid shift (`ostn15`: a
//! bilinear interpolation in a 1 km grid of shifts published by the OS). OSTN15 is the OS's
//! definitive transformation between ETRS89 and OSGB36 / National Grid: the OS states it
//! agrees with OS Net to about 0.1 m, and it reproduces the 40 OS developer-pack test points
//! to the published millimetre (checked in this module's tests).
//!
//! safemap carries its own OSTN15 rather than a crate for build time: the `lonlat_bng` crate
//! it used before compiles the 876,951 grid nodes as a generated Rust literal (its data crate
//! `ostn15_phf`) and builds C headers with `cbindgen`, the longest chain of a cold build.
//! Here the grid is the OS's data file packed by the committed `scripts/ostn15/pack.py` into
//! `data/ostn15_shifts.bin.gz` (540 kB, beside the OS licence), embedded and decoded once on
//! first use (70 ms in a test build). The arithmetic is `lonlat_bng` 0.9's, written the
//! same way, so the results are identical to the bit
//! (`tests/data/lonlat_bng_0.9.0_reference.csv` pins 400 of its answers).
//!
//! WGS84 input is treated as ETRS89, as PROJ does for `EPSG:4326 -> EPSG:27700`. The two
//! frames drift apart by about 2.5 cm a year (under a metre by the 2020s), far below the
//! precision of any crime or health record location.
//!
//! Eastings and northings are rounded to the millimetre, the precision of the OS's published
//! results. The round trip WGS84 -> BNG -> WGS84 is within 1 mm on the ground across
//! England, Wales and mainland Scotland; only the far western isles (St Kilda, the Outer
//! Hebrides), where the OS's truncated projection series is least accurate, reach a few
//! millimetres.
//!
//! Coverage is the OSTN15 grid: ETRS89 grid coordinates 0-700 km east and 0-1250 km north
//! of the National Grid false origin, which holds Great Britain, the Isle of Man, Scilly and
//! their coastal waters. A point outside it (the Channel Islands, the open Atlantic, a point
//! whose longitude and latitude were swapped) is refused with
//! [`ReprojectError::OutsideGrid`] naming the values; nothing is silently set to NaN. A
//! British National Grid coordinate is converted when its ETRS89 point lies in the grid.
//! Beware that the rectangle also holds Northern Ireland and the east of the Republic of
//! Ireland: OSTN15 carries extrapolated shifts there, flagged as outside its model, and the
//! flag is not consulted, so such points are converted, to grid coordinates far from any
//! British area.

use crate::ostn15::{self, InverseError};
use crate::transverse_mercator;
use geo::{Coord, MapCoords, MultiPolygon};
use safemap_types::{CheckedCoord, Crs};

/// Why a coordinate could not be reprojected.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReprojectError {
    /// The coordinate lies outside the OSTN15 transformation's coverage.
    ///
    /// `x`, `y` are the values as given: longitude and latitude for WGS84 input, easting and
    /// northing for British National Grid input.
    #[error(
        "coordinate ({x}, {y}) lies outside the OSTN15 grid (Great Britain, the Isle of Man, \
         Scilly and coastal waters): check the CRS and the axis order (x is longitude or \
         easting), or drop points outside Great Britain"
    )]
    OutsideGrid {
        /// Longitude or easting.
        x: f64,
        /// Latitude or northing.
        y: f64,
    },
    /// The iterative British National Grid -> ETRS89 inversion did not converge.
    #[error(
        "easting/northing ({x}, {y}) could not be converted to WGS84: the OSTN15 inversion \
         did not converge; please report this coordinate"
    )]
    NonConvergent {
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// A coordinate value is NaN or infinite.
    #[error("coordinate ({x}, {y}) is not a finite number")]
    NotFinite {
        /// Longitude or easting.
        x: f64,
        /// Latitude or northing.
        y: f64,
    },
    /// The source CRS is not one this module transforms.
    #[error("cannot reproject from {crs}: expected EPSG:4326 (WGS84) or EPSG:27700 (BNG)")]
    UnsupportedCrs {
        /// The CRS that was given.
        crs: Crs,
    },
}

fn check_finite(c: Coord<f64>) -> Result<(), ReprojectError> {
    if c.x.is_finite() && c.y.is_finite() {
        Ok(())
    } else {
        Err(ReprojectError::NotFinite { x: c.x, y: c.y })
    }
}

/// Longitudes and latitudes outside this box are refused before projecting: the box holds
/// the whole OSTN15 rectangle with a wide margin, and keeps the projection series far from
/// where it stops being meaningful.
const LON_RANGE: (f64, f64) = (-15.0, 10.0);
const LAT_RANGE: (f64, f64) = (45.0, 65.0);

/// WGS84 longitude/latitude (degrees) to British National Grid easting/northing (metres).
///
/// The whole OSTN15 rectangle is converted, including the south of the Isles of Scilly (an
/// English LSOA reaches 49.86 N) and the north tip of Shetland, which `lonlat_bng`'s own
/// longitude/latitude functions refused (they stop at the extremes of the OS test points).
fn wgs84_to_bng(c: Coord<f64>) -> Result<Coord<f64>, ReprojectError> {
    check_finite(c)?;
    let outside = ReprojectError::OutsideGrid { x: c.x, y: c.y };
    if !(LON_RANGE.0..=LON_RANGE.1).contains(&c.x) || !(LAT_RANGE.0..=LAT_RANGE.1).contains(&c.y) {
        return Err(outside);
    }
    let (e, n) = transverse_mercator::forward(c.x, c.y);
    let (e, n) = ostn15::etrs89_to_osgb36(e, n).ok_or(outside)?;
    Ok(Coord { x: e, y: n })
}

/// Converts a checked coordinate to British National Grid easting/northing in metres.
///
/// British National Grid input is returned unchanged; WGS84 input goes through OSTN15.
///
/// ```
/// use safemap_geo::reproject::to_bng;
/// use safemap_types::{CheckedCoord, Crs};
///
/// // Caister Water Tower, the worked example in the OS transformations guide.
/// let c = CheckedCoord::new(1.716073973, 52.658007833, Crs::Wgs84).unwrap();
/// let bng = to_bng(c).unwrap();
/// assert_eq!((bng.x, bng.y), (651_409.804, 313_177.450));
/// ```
pub fn to_bng(c: CheckedCoord) -> Result<Coord<f64>, ReprojectError> {
    match c.crs() {
        Crs::BritishNationalGrid => Ok(c.to_coord()),
        Crs::Wgs84 => wgs84_to_bng(c.to_coord()),
        crs => Err(ReprojectError::UnsupportedCrs { crs }),
    }
}

/// Converts a British National Grid easting/northing (metres) to WGS84 longitude/latitude.
///
/// ```
/// use geo::Coord;
/// use safemap_geo::reproject::bng_to_wgs84;
///
/// let ll = bng_to_wgs84(Coord { x: 651_409.804, y: 313_177.450 }).unwrap();
/// assert!((ll.x - 1.716073973).abs() < 1e-8 && (ll.y - 52.658007833).abs() < 1e-8);
/// ```
pub fn bng_to_wgs84(c: Coord<f64>) -> Result<Coord<f64>, ReprojectError> {
    check_finite(c)?;
    let (e, n) = ostn15::osgb36_to_etrs89(c.x, c.y).map_err(|err| match err {
        InverseError::OutsideGrid => ReprojectError::OutsideGrid { x: c.x, y: c.y },
        InverseError::NonConvergent => ReprojectError::NonConvergent { x: c.x, y: c.y },
    })?;
    let (lon, lat) = transverse_mercator::inverse(e, n);
    Ok(Coord { x: lon, y: lat })
}

/// Reprojects every vertex of a multipolygon in `from` to British National Grid.
///
/// Fails on the first vertex outside the OSTN15 grid, naming it.
pub fn multipolygon_to_bng(
    mp: &MultiPolygon<f64>,
    from: Crs,
) -> Result<MultiPolygon<f64>, ReprojectError> {
    match from {
        Crs::BritishNationalGrid => Ok(mp.clone()),
        Crs::Wgs84 => mp.try_map_coords(wgs84_to_bng),
        crs => Err(ReprojectError::UnsupportedCrs { crs }),
    }
}

/// Reprojects every vertex of a multipolygon in `from` to WGS84 longitude/latitude.
///
/// Fails on the first vertex outside the OSTN15 grid, naming it.
pub fn multipolygon_to_wgs84(
    mp: &MultiPolygon<f64>,
    from: Crs,
) -> Result<MultiPolygon<f64>, ReprojectError> {
    match from {
        Crs::Wgs84 => Ok(mp.clone()),
        Crs::BritishNationalGrid => mp.try_map_coords(bng_to_wgs84),
        crs => Err(ReprojectError::UnsupportedCrs { crs }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    /// The 40 test points of the Ordnance Survey OSTN15/OSGM15 developer pack: ETRS89
    /// longitude and latitude (`OSTN15_OSGM15_TestInput_ETRStoOSGB.csv`) and the OS's
    /// published OSGB36 / National Grid easting and northing
    /// (`OSTN15_OSGM15_TestOutput_ETRStoOSGB.csv`), as shipped in the `lonlat_bng` 0.9.0
    /// crate's `test_inputs/` directory (the crate safemap used for OSTN15 before). Columns: id, lon, lat, easting, northing. The
    /// values are written exactly as published.
    #[allow(clippy::unreadable_literal)]
    const OS_TEST_POINTS: [(&str, f64, f64, f64, f64); 40] = [
        ("TP01", -6.29977752, 49.92226394, 91_492.146, 11_318.804),
        ("TP02", -5.2030461, 49.96006138, 170_370.718, 11_572.405),
        ("TP03", -4.108645636, 50.43885826, 250_359.811, 62_016.569),
        ("TP04", -1.297822772, 50.57563665, 449_816.371, 75_335.861),
        ("TP05", -1.450514337, 50.93127938, 438_710.92, 114_792.25),
        ("TP06", -3.551283492, 51.4007822, 292_184.87, 168_003.465),
        ("TP07", 1.444547304, 51.37447026, 639_821.835, 169_565.858),
        ("TP08", -2.544076183, 51.42754743, 362_269.991, 169_978.69),
        ("TP09", -0.119925572, 51.48936565, 530_624.974, 178_388.464),
        ("TP10", -4.30852477, 51.85890896, 241_124.584, 220_332.641),
        ("TP11", 0.89724327, 51.89436637, 599_445.59, 225_722.826),
        ("TP12", -2.154586144, 52.25529382, 389_544.19, 261_912.153),
        ("TP13", -0.91248957, 52.25160951, 474_335.969, 262_047.755),
        ("TP14", 0.401535471, 52.75136687, 562_180.547, 319_784.995),
        ("TP15", -1.197476559, 52.96219109, 454_002.834, 340_834.943),
        ("TP16", -2.640493208, 53.3448028, 357_455.843, 383_290.436),
        ("TP17", -4.289180698, 53.41628516, 247_958.971, 393_492.909),
        ("TP18", -4.289177929, 53.41630925, 247_959.241, 393_495.583),
        ("TP19", -3.040454907, 53.77911026, 331_534.564, 431_920.794),
        ("TP20", -1.663791682, 53.8002152, 422_242.186, 433_818.701),
        ("TP21", -4.634521682, 54.08666318, 227_778.33, 468_847.388),
        ("TP22", -0.077731332, 54.11685144, 525_745.67, 470_703.214),
        ("TP23", -4.388491181, 54.32919541, 244_780.636, 495_254.887),
        ("TP24", -2.938277411, 54.8954234, 339_921.145, 556_034.761),
        ("TP25", -1.616576852, 54.97912274, 424_639.355, 565_012.703),
        ("TP26", -4.296490163, 55.85399953, 256_340.925, 664_697.269),
        ("TP27", -3.294792193, 55.92478266, 319_188.434, 670_947.534),
        ("TP28", -5.828366919, 57.00606696, 167_634.202, 797_067.144),
        ("TP29", -2.048560307, 57.13902519, 397_160.491, 805_349.736),
        ("TP30", -4.219263986, 57.48625001, 267_056.768, 846_176.972),
        ("TP31", -8.578544561, 57.81351838, 9_587.909, 899_448.996),
        ("TP32", -7.592555606, 58.21262247, 71_713.132, 938_516.404),
        ("TP33", -6.260914555, 58.51560361, 151_968.652, 966_483.78),
        ("TP34", -3.726310221, 58.58120461, 299_721.891, 967_202.992),
        (
            "TP35",
            -3.214540011,
            59.03743871,
            330_398.323,
            1_017_347.016,
        ),
        (
            "TP36",
            -4.417576746,
            59.09335035,
            261_596.778,
            1_025_447.602,
        ),
        (
            "TP37",
            -5.827993398,
            59.09671617,
            180_862.461,
            1_029_604.114,
        ),
        (
            "TP38",
            -1.625169661,
            59.53470794,
            421_300.525,
            1_072_147.239,
        ),
        (
            "TP39",
            -1.274869104,
            59.85409914,
            440_725.073,
            1_107_878.448,
        ),
        (
            "TP40",
            -2.073828228,
            60.13308092,
            395_999.668,
            1_138_728.951,
        ),
    ];

    fn wgs84(lon: f64, lat: f64) -> CheckedCoord {
        CheckedCoord::new(lon, lat, Crs::Wgs84).unwrap()
    }

    /// Ground distance in metres between two nearby lon/lat points (local flat approximation).
    fn ground_distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
        let dx = (a.x - b.x) * 111_320.0 * a.y.to_radians().cos();
        let dy = (a.y - b.y) * 110_574.0;
        dx.hypot(dy)
    }

    #[test]
    fn reproduces_the_os_developer_pack_to_the_millimetre() {
        for (id, lon, lat, e, n) in OS_TEST_POINTS {
            let got = to_bng(wgs84(lon, lat)).unwrap();
            assert!(
                (got.x - e).abs() <= 0.001 + 1e-9 && (got.y - n).abs() <= 0.001 + 1e-9,
                "{id}: got ({}, {}), OS publishes ({e}, {n})",
                got.x,
                got.y
            );
        }
    }

    #[test]
    fn inverse_matches_the_os_points_and_round_trips_sub_millimetre() {
        for (id, lon, lat, e, n) in OS_TEST_POINTS {
            let original = Coord { x: lon, y: lat };
            // Inverting the published grid coordinate lands on the published lon/lat.
            let back = bng_to_wgs84(Coord { x: e, y: n }).unwrap();
            let inverse_err = ground_distance(original, back);
            // Round trip through our own forward conversion.
            let round = bng_to_wgs84(to_bng(wgs84(lon, lat)).unwrap()).unwrap();
            let round_err = ground_distance(original, round);
            // The OS's truncated projection series is least accurate far from 2 degrees W:
            // only St Kilda (TP31) and the Outer Hebrides (TP32) exceed a millimetre.
            let limit = if lon < -7.0 { 0.006 } else { 0.001 };
            assert!(
                inverse_err < limit + 0.001,
                "{id}: inverse off by {inverse_err} m"
            );
            assert!(round_err < limit, "{id}: round trip off by {round_err} m");
        }
    }

    /// `tests/data/lonlat_bng_0.9.0_reference.csv`: the crate's answers for 400 points.
    const LONLAT_BNG_REFERENCE: &str = include_str!("../tests/data/lonlat_bng_0.9.0_reference.csv");

    #[test]
    fn agrees_with_lonlat_bng_to_the_bit_and_covers_scilly() {
        let mut compared = 0;
        for line in LONLAT_BNG_REFERENCE
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .skip(1)
        {
            let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
            let ours = to_bng(wgs84(v[0], v[1])).unwrap();
            assert_eq!((ours.x, ours.y), (v[2], v[3]), "{line}");
            let back = bng_to_wgs84(ours).unwrap();
            assert_eq!((back.x, back.y), (v[4], v[5]), "{line}");
            compared += 1;
        }
        assert_eq!(compared, 400);
        // St Agnes, Isles of Scilly (49.89 N), and the south of the Scilly LSOA (49.865 N),
        // both south of lonlat_bng's own latitude limit (49.922 N).
        for (lon, lat) in [(-6.345, 49.892), (-6.3996, 49.8654)] {
            let p = to_bng(wgs84(lon, lat)).unwrap();
            assert!(
                (80_000.0..100_000.0).contains(&p.x) && (0.0..20_000.0).contains(&p.y),
                "{p:?}"
            );
            let back = bng_to_wgs84(p).unwrap();
            assert!(ground_distance(Coord { x: lon, y: lat }, back) < 0.001);
        }
    }

    #[test]
    fn bng_input_is_returned_unchanged() {
        let c = CheckedCoord::new(248_000.5, 55_000.25, Crs::BritishNationalGrid).unwrap();
        assert_eq!(
            to_bng(c).unwrap(),
            Coord {
                x: 248_000.5,
                y: 55_000.25
            }
        );
    }

    #[test]
    fn outside_the_grid_is_refused_with_the_values() {
        // Mid-Atlantic, Jersey (south of the grid), swapped lon/lat (London as lat, lon), and
        // the Western Approaches west of the grid's western edge.
        for (lon, lat) in [(-30.0, 45.0), (-2.1, 49.2), (51.5, -0.1), (-8.0, 50.0)] {
            let err = to_bng(CheckedCoord::new(lon, lat, Crs::Wgs84).unwrap()).unwrap_err();
            assert_eq!(err, ReprojectError::OutsideGrid { x: lon, y: lat });
            assert!(
                err.to_string().contains(&format!("({lon}, {lat})")),
                "{err}"
            );
        }
        for (e, n) in [
            (-50_000.0, 5_000.0),
            (800_000.0, 5_000.0),
            (300_000.0, 1_300_000.0),
        ] {
            assert_eq!(
                bng_to_wgs84(Coord { x: e, y: n }),
                Err(ReprojectError::OutsideGrid { x: e, y: n })
            );
        }
        assert!(matches!(
            bng_to_wgs84(Coord {
                x: f64::NAN,
                y: 1.0
            }),
            Err(ReprojectError::NotFinite { .. })
        ));
    }

    #[test]
    fn northern_ireland_is_converted_not_refused() {
        // The OSTN15 file holds (extrapolated) shifts for every node of the 700 x 1250 km
        // rectangle, flagged "outside the model" (flag 16) over Ireland, and the flag is not
        // consulted (as lonlat_bng did not consult it). So a
        // Belfast point gets a National Grid coordinate (about 146 km E, 530 km N), which
        // lies far from every GB area. Pinned here so a change in behaviour is noticed.
        let belfast = to_bng(wgs84(-5.93, 54.6)).unwrap();
        assert!((140_000.0..150_000.0).contains(&belfast.x), "{belfast:?}");
        assert!((525_000.0..535_000.0).contains(&belfast.y), "{belfast:?}");
    }

    #[test]
    fn multipolygons_round_trip() {
        let square: Polygon<f64> = polygon![
            (x: -4.15, y: 50.37), (x: -4.13, y: 50.37), (x: -4.13, y: 50.38), (x: -4.15, y: 50.38)
        ];
        let mp = MultiPolygon::new(vec![square]);
        let bng = multipolygon_to_bng(&mp, Crs::Wgs84).unwrap();
        assert_eq!(
            multipolygon_to_bng(&bng, Crs::BritishNationalGrid).unwrap(),
            bng
        );
        let first = bng.0[0].exterior().0[0];
        assert!(
            (247_000.0..250_000.0).contains(&first.x) && (53_000.0..56_000.0).contains(&first.y)
        );
        let back = multipolygon_to_wgs84(&bng, Crs::BritishNationalGrid).unwrap();
        for (a, b) in mp.0[0].exterior().0.iter().zip(&back.0[0].exterior().0) {
            assert!(ground_distance(*a, *b) < 0.001);
        }
        assert_eq!(multipolygon_to_wgs84(&mp, Crs::Wgs84).unwrap(), mp);
        let bad = MultiPolygon::new(vec![
            polygon![(x: -30.0, y: 45.0), (x: -4.0, y: 50.0), (x: -4.0, y: 51.0)],
        ]);
        assert_eq!(
            multipolygon_to_bng(&bad, Crs::Wgs84),
            Err(ReprojectError::OutsideGrid { x: -30.0, y: 45.0 })
        );
    }
}
