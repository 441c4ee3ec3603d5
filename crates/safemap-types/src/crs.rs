//! Coordinate reference system tags.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The coordinate reference systems safemap reads and writes.
///
/// Inside the engine every coordinate is British National Grid metres; WGS84 exists
/// only at the edges (inputs, GeoJSON output, tiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Crs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326, axis order lon, lat as in CRS84).
    #[serde(rename = "EPSG:4326")]
    Wgs84,
    /// British National Grid easting/northing in metres (EPSG:27700).
    #[serde(rename = "EPSG:27700")]
    BritishNationalGrid,
    /// Projected coordinates in an unknown or non-British CRS (e.g. the PySAL examples),
    /// used as they are: distances are in its units, nothing is reprojected, and WGS84
    /// outputs carry no geometry.
    #[serde(rename = "planar")]
    Planar,
}

impl Crs {
    /// The EPSG code, e.g. `4326`; `None` for [`Crs::Planar`].
    pub fn epsg(self) -> Option<u32> {
        match self {
            Crs::Wgs84 => Some(4326),
            Crs::BritishNationalGrid => Some(27700),
            Crs::Planar => None,
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.epsg() {
            Some(code) => write!(f, "EPSG:{code}"),
            None => f.write_str("planar"),
        }
    }
}

/// A CRS name that is not one safemap supports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown CRS {0:?}: expected \"EPSG:4326\" (WGS84 lon/lat), \"EPSG:27700\" (British National Grid) or \"planar\" (projected, used as is)")]
pub struct UnknownCrs(pub String);

impl FromStr for Crs {
    type Err = UnknownCrs;

    /// Accepts `EPSG:4326`, `4326`, `CRS84`, `WGS84`, the OGC CRS84 URN, `EPSG:27700`,
    /// `27700`, `BNG`, and the OGC EPSG URNs, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let code = t
            .rsplit([':', '/'])
            .next()
            .unwrap_or(t.as_str())
            .to_string();
        match code.as_str() {
            "4326" | "CRS84" | "WGS84" => Ok(Crs::Wgs84),
            "27700" | "BNG" => Ok(Crs::BritishNationalGrid),
            "PLANAR" => Ok(Crs::Planar),
            _ => Err(UnknownCrs(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        assert_eq!("EPSG:4326".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!(
            "urn:ogc:def:crs:OGC:1.3:CRS84".parse::<Crs>(),
            Ok(Crs::Wgs84)
        );
        assert_eq!(
            "urn:ogc:def:crs:EPSG::27700".parse::<Crs>(),
            Ok(Crs::BritishNationalGrid)
        );
        assert_eq!("bng".parse::<Crs>(), Ok(Crs::BritishNationalGrid));
        assert!("EPSG:3857".parse::<Crs>().is_err());
    }
}
