//! [`read_centroids`]: a population-weighted-centroid table (area code, x, y in a named
//! CRS), the demand points of an access analysis when the study names one.

use crate::coords::check_coord;
use crate::keyed_table::{read_keyed, Keyed};
use crate::source::Problem;
use crate::{IngestError, InputLimits};
use safemap_types::{CheckedCoord, Crs, RejectReason};
use serde::Deserialize;
use std::path::Path;

/// Which columns hold the area code and the point, and the point's CRS (no default: the
/// study names it).
///
/// ```
/// let c: safemap_ingest::CentroidColumns = serde_json::from_str(
///     r#"{"code_column": "LSOA11CD", "x_column": "X", "y_column": "Y", "crs": "EPSG:27700"}"#,
/// ).unwrap();
/// assert_eq!(c.crs, safemap_types::Crs::BritishNationalGrid);
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CentroidColumns {
    /// Column of the area code.
    pub code_column: String,
    /// Column of x (easting, or longitude for `EPSG:4326`).
    pub x_column: String,
    /// Column of y (northing or latitude).
    pub y_column: String,
    /// CRS of x and y.
    pub crs: Crs,
}

/// One point per area code, each in the table's CRS, with the rejects.
pub type Centroids = Keyed<CheckedCoord>;

/// Reads a centroid table (plain or `.gz`, UTF-8, comma-separated).
///
/// Per row: an empty code is `MissingValue`; the point is checked as the crate docs
/// describe, and both fields empty is `NoCoordinates`; a code seen before is
/// `DuplicateAreaCode` (the first row keeps it). Codes are not checked against the study's
/// areas here: the caller knows them.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] when a column is not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_centroids(
    path: &Path,
    columns: &CentroidColumns,
    limits: InputLimits,
) -> Result<Centroids, IngestError> {
    let (x, y) = (columns.x_column.as_str(), columns.y_column.as_str());
    read_keyed(path, &columns.code_column, &[x, y], limits, |t| {
        let (xt, yt) = (t[0], t[1]);
        check_coord(xt, yt, (x, y), columns.crs)?.ok_or_else(|| Problem {
            column: Some(format!("{x}, {y}")),
            value: String::new(),
            reason: RejectReason::NoCoordinates,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_keyed_by_code_with_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pwc.csv");
        std::fs::write(
            &p,
            "code,X,Y,name\n\
             E01000001,248000.5,56000,a\n\
             E01000002,248100,56100,b\n\
             E01000001,1,2,duplicate\n\
             ,248000,56000,no code\n\
             E01000003,,,no point\n\
             E01000004,248000,,half a point\n\
             E01000005,-999999999,56000,off the grid\n",
        )
        .unwrap();
        let cols = CentroidColumns {
            code_column: "code".into(),
            x_column: "X".into(),
            y_column: "Y".into(),
            crs: Crs::BritishNationalGrid,
        };
        let got = read_centroids(&p, &cols, InputLimits::default()).unwrap();
        assert_eq!(got.read, 7);
        assert_eq!(got.read, (got.values.len() + got.rejects.len()) as u64);
        let first = got.values["E01000001"];
        assert_eq!(
            (first.x(), first.y(), first.crs()),
            (248_000.5, 56_000.0, Crs::BritishNationalGrid)
        );
        assert_eq!(got.values["E01000002"].x(), 248_100.0);
        let reasons: Vec<_> = got
            .rejects
            .iter()
            .map(|r| (r.line, r.column.as_deref(), r.reason.clone()))
            .collect();
        assert_eq!(
            reasons,
            [
                (4, Some("code"), RejectReason::DuplicateAreaCode),
                (5, Some("code"), RejectReason::MissingValue),
                (6, Some("X, Y"), RejectReason::NoCoordinates),
                (7, Some("Y"), RejectReason::MissingValue),
                (8, Some("X, Y"), RejectReason::OutsideGrid),
            ]
        );
    }

    #[test]
    fn a_missing_column_is_a_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pwc.csv");
        std::fs::write(&p, "code,lon,lat\nE1,-4.1,50.4\n").unwrap();
        let cols = CentroidColumns {
            code_column: "code".into(),
            x_column: "lon".into(),
            y_column: "latitude".into(),
            crs: Crs::Wgs84,
        };
        let err = read_centroids(&p, &cols, InputLimits::default()).unwrap_err();
        assert!(
            matches!(err, IngestError::MissingColumn { ref column, .. } if column == "latitude")
        );
    }
}
