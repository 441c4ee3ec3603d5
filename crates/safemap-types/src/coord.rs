//! Coordinates checked at the boundary.

use crate::Crs;
use serde::{Deserialize, Serialize};

/// A coordinate whose values are finite and in range for its CRS.
///
/// WGS84: longitude in \[-180, 180\], latitude in \[-90, 90\].
/// British National Grid: easting in \[-100 000, 800 000\], northing in \[-100 000, 1 400 000\]
/// (the OSTN15 grid with a margin). Planar: any finite values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CheckedCoord {
    x: f64,
    y: f64,
    crs: Crs,
}

/// Why a coordinate pair was refused.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CoordError {
    /// A value is NaN or infinite.
    #[error("coordinate is not a finite number")]
    NotFinite,
    /// Latitude outside \[-90, 90\].
    #[error("latitude {0} is out of range: expected -90 to 90")]
    LatitudeOutOfRange(f64),
    /// Longitude outside \[-180, 180\].
    #[error("longitude {0} is out of range: expected -180 to 180")]
    LongitudeOutOfRange(f64),
    /// Easting or northing outside the British National Grid.
    #[error("easting/northing ({0}, {1}) is outside the British National Grid")]
    OutsideGrid(f64, f64),
}

impl CheckedCoord {
    /// Checks `x`, `y` (longitude, latitude for WGS84; easting, northing for BNG).
    pub fn new(x: f64, y: f64, crs: Crs) -> Result<Self, CoordError> {
        if !x.is_finite() || !y.is_finite() {
            return Err(CoordError::NotFinite);
        }
        match crs {
            Crs::Wgs84 => {
                if !(-90.0..=90.0).contains(&y) {
                    return Err(CoordError::LatitudeOutOfRange(y));
                }
                if !(-180.0..=180.0).contains(&x) {
                    return Err(CoordError::LongitudeOutOfRange(x));
                }
            }
            Crs::BritishNationalGrid => {
                if !(-100_000.0..=800_000.0).contains(&x)
                    || !(-100_000.0..=1_400_000.0).contains(&y)
                {
                    return Err(CoordError::OutsideGrid(x, y));
                }
            }
            Crs::Planar => {}
        }
        Ok(Self { x, y, crs })
    }

    /// Longitude or easting.
    pub fn x(self) -> f64 {
        self.x
    }

    /// Latitude or northing.
    pub fn y(self) -> f64 {
        self.y
    }

    /// The CRS the values are in.
    pub fn crs(self) -> Crs {
        self.crs
    }

    /// As a `geo_types` coordinate (x, y).
    pub fn to_coord(self) -> geo_types::Coord<f64> {
        geo_types::Coord {
            x: self.x,
            y: self.y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_nan_and_out_of_range() {
        assert_eq!(
            CheckedCoord::new(f64::NAN, 50.0, Crs::Wgs84),
            Err(CoordError::NotFinite)
        );
        assert_eq!(
            CheckedCoord::new(-4.1, 95.0, Crs::Wgs84),
            Err(CoordError::LatitudeOutOfRange(95.0))
        );
        assert_eq!(
            CheckedCoord::new(200.0, 50.0, Crs::Wgs84),
            Err(CoordError::LongitudeOutOfRange(200.0))
        );
        assert!(CheckedCoord::new(248_000.0, 55_000.0, Crs::BritishNationalGrid).is_ok());
        assert!(CheckedCoord::new(248_000.0, 5_500_000.0, Crs::BritishNationalGrid).is_err());
    }
}
