//! Coordinate checking shared by every reader: two text fields to a
//! [`CheckedCoord`], or the [`RejectReason`] that says what is wrong.
//!
//! The checks, in order (the first that fails decides the reason):
//!
//! 1. Both fields empty: no location (`Ok(None)`; the reader decides what that means).
//! 2. One field empty: [`RejectReason::MissingValue`] naming that column.
//! 3. Not a number: [`RejectReason::UnparsableNumber`]; `NaN` or infinite:
//!    [`RejectReason::NotANumber`] (x is checked before y).
//! 4. WGS84 only, **swapped latitude and longitude**: the pair is rejected with
//!    [`RejectReason::SwappedLatLon`] when (longitude, latitude) lies outside the box around
//!    Great Britain and Northern Ireland (longitude -9 to 3, latitude 49 to 61) but the
//!    swapped pair (latitude, longitude) lies inside it. This must come before the range
//!    checks: a swapped UK pair such as longitude 50.37, latitude -4.14 is otherwise in range
//!    and would silently land in the Indian Ocean. A pair that is out of range and not a
//!    swapped UK pair (latitude 95) fails the range check instead.
//! 5. WGS84: latitude outside -90..90: [`RejectReason::LatitudeOutOfRange`]; longitude outside
//!    -180..180: [`RejectReason::LongitudeOutOfRange`].
//! 6. British National Grid: outside the grid (see [`CheckedCoord`]): [`RejectReason::OutsideGrid`].

use crate::source::Problem;
use safemap_types::{CheckedCoord, CoordError, Crs, RejectReason};

/// Longitude range of the Great Britain and Northern Ireland box used by the swap check.
const UK_LON: std::ops::RangeInclusive<f64> = -9.0..=3.0;
/// Latitude range of the Great Britain and Northern Ireland box used by the swap check.
const UK_LAT: std::ops::RangeInclusive<f64> = 49.0..=61.0;

/// Checks the text of an x/y pair (longitude/latitude for WGS84, easting/northing for BNG).
///
/// `columns` are the names of the x and y columns, used in the reject. Returns `Ok(None)`
/// when both fields are empty. Fields are trimmed first.
pub(crate) fn check_coord(
    x: &str,
    y: &str,
    columns: (&str, &str),
    crs: Crs,
) -> Result<Option<CheckedCoord>, Problem> {
    let (x, y) = (x.trim(), y.trim());
    match (x.is_empty(), y.is_empty()) {
        (true, true) => return Ok(None),
        (true, false) => return Err(Problem::at(columns.0, x, RejectReason::MissingValue)),
        (false, true) => return Err(Problem::at(columns.1, y, RejectReason::MissingValue)),
        (false, false) => {}
    }
    let xv = number(x, columns.0)?;
    let yv = number(y, columns.1)?;
    if crs == Crs::Wgs84 && !in_uk_box(xv, yv) && in_uk_box(yv, xv) {
        return Err(Problem {
            column: Some(format!("{}, {}", columns.0, columns.1)),
            value: format!("{x}, {y}"),
            reason: RejectReason::SwappedLatLon,
        });
    }
    CheckedCoord::new(xv, yv, crs)
        .map(Some)
        .map_err(|e| match e {
            CoordError::LatitudeOutOfRange(_) => {
                Problem::at(columns.1, y, RejectReason::LatitudeOutOfRange)
            }
            CoordError::LongitudeOutOfRange(_) => {
                Problem::at(columns.0, x, RejectReason::LongitudeOutOfRange)
            }
            // Finite values were checked above; any other error is outside the grid.
            _ => Problem {
                column: Some(format!("{}, {}", columns.0, columns.1)),
                value: format!("{x}, {y}"),
                reason: RejectReason::OutsideGrid,
            },
        })
}

/// True if (lon, lat) lies in the Great Britain and Northern Ireland box.
fn in_uk_box(lon: f64, lat: f64) -> bool {
    UK_LON.contains(&lon) && UK_LAT.contains(&lat)
}

/// Parses one coordinate value (already known to be non-empty).
fn number(text: &str, column: &str) -> Result<f64, Problem> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(Problem::at(column, text, RejectReason::NotANumber)),
        Err(_) => Err(Problem::at(column, text, RejectReason::UnparsableNumber)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LL: (&str, &str) = ("Longitude", "Latitude");

    fn reason(x: &str, y: &str, crs: Crs) -> (Option<String>, RejectReason) {
        let p = check_coord(
            x,
            y,
            if crs == Crs::Wgs84 {
                LL
            } else {
                ("easting", "northing")
            },
            crs,
        )
        .unwrap_err();
        (p.column, p.reason)
    }

    #[test]
    fn good_and_empty() {
        let c = check_coord(" -4.14 ", "50.37", LL, Crs::Wgs84)
            .unwrap()
            .unwrap();
        assert_eq!((c.x(), c.y(), c.crs()), (-4.14, 50.37, Crs::Wgs84));
        assert_eq!(check_coord("", " ", LL, Crs::Wgs84), Ok(None));
        // Valid points outside the UK are not the reader's business.
        assert!(check_coord("2.35", "48.85", LL, Crs::Wgs84)
            .unwrap()
            .is_some());
        let c = check_coord("248000", "55000", ("e", "n"), Crs::BritishNationalGrid)
            .unwrap()
            .unwrap();
        assert_eq!(c.crs(), Crs::BritishNationalGrid);
    }

    #[test]
    fn each_reason() {
        let lon = Some("Longitude".to_string());
        let lat = Some("Latitude".to_string());
        assert_eq!(
            reason("", "50.1", Crs::Wgs84),
            (lon.clone(), RejectReason::MissingValue)
        );
        assert_eq!(
            reason("-4.1", "", Crs::Wgs84),
            (lat.clone(), RejectReason::MissingValue)
        );
        assert_eq!(
            reason("-4,1", "50.1", Crs::Wgs84),
            (lon.clone(), RejectReason::UnparsableNumber)
        );
        assert_eq!(
            reason("-4.1", "NaN", Crs::Wgs84),
            (lat.clone(), RejectReason::NotANumber)
        );
        assert_eq!(
            reason("inf", "50", Crs::Wgs84),
            (lon.clone(), RejectReason::NotANumber)
        );
        assert_eq!(
            reason("-4.14", "95", Crs::Wgs84),
            (lat, RejectReason::LatitudeOutOfRange)
        );
        assert_eq!(
            reason("200", "50", Crs::Wgs84),
            (lon, RejectReason::LongitudeOutOfRange)
        );
        assert_eq!(
            reason("50.37", "-4.14", Crs::Wgs84),
            (
                Some("Longitude, Latitude".into()),
                RejectReason::SwappedLatLon
            )
        );
        assert_eq!(
            reason("248000", "5500000", Crs::BritishNationalGrid).1,
            RejectReason::OutsideGrid
        );
        // A swapped pair is only a swap in WGS84.
        assert!(check_coord("50.37", "-4.14", ("e", "n"), Crs::BritishNationalGrid).is_ok());
    }
}
