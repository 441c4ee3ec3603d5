//! [`ServiceRegister`]: how a service register file is laid out, as the study file says,
//! and [`Layout`], that description resolved against the file's header.

use crate::dialect::CsvDialect;
use crate::open::field;
use crate::source::Problem;
use crate::IngestError;
use csv::ByteRecord;
use safemap_types::{Crs, ServiceKind};
use serde::Deserialize;
use std::path::Path;

/// Which columns of a service register hold what (`[services.columns]` in the study file).
/// Every key is optional; what an absent key means:
///
/// | key | absent |
/// |---|---|
/// | `name` | column `name` (required) |
/// | `kind` | column `kind` (required), unless the register has a fixed kind |
/// | `confidential` | column `confidential` (required), unless the register has a fixed value |
/// | `id`, `tier`, `capacity`, `opening_hours` | the column of that name if the header has one, else none |
/// | `x`, `y`, `crs` | columns `x` and `y`, British National Grid (`EPSG:27700`) |
/// | `latitude`, `longitude` | unused: give both instead of `x`, `y`, `crs` for WGS84 |
/// | `postcode` | none; when given, rows without coordinates are placed by their postcode ([`crate::postcodes`]), and a register with only a postcode needs no coordinate columns |
///
/// A column the mapping names must be in the header (a typo is an error, never a silently
/// empty field).
///
/// ```
/// let m: safemap_ingest::ServiceColumns = serde_json::from_str(
///     r#"{"id": "OrganisationCode", "name": "OrganisationName", "latitude": "Latitude", "longitude": "Longitude"}"#,
/// ).unwrap();
/// assert_eq!(m.name.as_deref(), Some("OrganisationName"));
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ServiceColumns {
    /// Service id column (unique in the file).
    pub id: Option<String>,
    /// Display name column.
    pub name: Option<String>,
    /// Service kind column (see [`ServiceKind`]).
    pub kind: Option<String>,
    /// Prevention tier column (primary, secondary, tertiary; empty = none).
    pub tier: Option<String>,
    /// Capacity column (a number >= 0; empty = none).
    pub capacity: Option<String>,
    /// Opening hours column (free text; empty = none).
    pub opening_hours: Option<String>,
    /// Confidential flag column (yes/no).
    pub confidential: Option<String>,
    /// x column (easting, or longitude with `crs = "EPSG:4326"`).
    pub x: Option<String>,
    /// y column (northing or latitude).
    pub y: Option<String>,
    /// CRS of x/y.
    pub crs: Option<Crs>,
    /// Latitude column (WGS84), with `longitude`.
    pub latitude: Option<String>,
    /// Longitude column (WGS84), with `latitude`.
    pub longitude: Option<String>,
    /// Postcode column, used when the coordinates are empty.
    pub postcode: Option<String>,
}

/// Everything the service reader needs to know about a register file: its columns, the
/// values fixed for every row when the file has no column for them, and its dialect.
///
/// A `kind` or `confidential` must come from exactly one place: the fixed value or the
/// column. Confidentiality has no silent default: a register with no `confidential` column
/// says `confidential = false` (or `true`) for all its rows, so secret addresses can never
/// be published because a column was left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceRegister {
    /// Column mapping.
    pub columns: ServiceColumns,
    /// The kind of every row (the file has no kind column), e.g. `gp_practice`.
    pub kind: Option<ServiceKind>,
    /// Whether every row is confidential (the file has no confidential column). Refuges are
    /// confidential whatever this says.
    pub confidential: Option<bool>,
    /// Encoding and delimiter (of a CSV register).
    pub dialect: CsvDialect,
    /// The layer to read from a file GDAL reads that has several (the `gdal` feature).
    pub layer: Option<String>,
}

/// A column of the file: its index and its name (for rejects).
#[derive(Debug, Clone)]
pub(super) struct Col {
    pub(super) index: usize,
    pub(super) name: String,
}

impl Col {
    /// This column's trimmed text in `rec`.
    pub(super) fn text<'r>(&self, rec: &'r ByteRecord) -> Result<&'r str, Problem> {
        field(rec, self.index, &self.name)
    }
}

/// The text of an optional column in `rec` with the column: `None` without the column or
/// when the field is empty.
pub(super) fn non_empty<'r, 'c>(
    rec: &'r ByteRecord,
    col: Option<&'c Col>,
) -> Result<Option<(&'r str, &'c Col)>, Problem> {
    match col {
        Some(c) => Ok(Some((c.text(rec)?, c)).filter(|(t, _)| !t.is_empty())),
        None => Ok(None),
    }
}

/// A value read from a column or fixed for every row.
#[derive(Debug, Clone)]
pub(super) enum Given<T> {
    Column(Col),
    Fixed(T),
}

/// A [`ServiceRegister`] resolved against the file's header.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) id: Option<Col>,
    pub(super) name: Col,
    pub(super) kind: Given<ServiceKind>,
    pub(super) tier: Option<Col>,
    pub(super) capacity: Option<Col>,
    pub(super) opening_hours: Option<Col>,
    pub(super) confidential: Given<bool>,
    /// The x and y columns; `None` for a register located by postcode only.
    pub(super) xy: Option<(Col, Col)>,
    pub(super) crs: Crs,
    pub(super) postcode: Option<Col>,
}

impl Layout {
    /// The location columns, as a reject for a row with none names them.
    pub(super) fn location_columns(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        if let Some((x, y)) = &self.xy {
            names.extend([x.name.as_str(), y.name.as_str()]);
        }
        names.extend(self.postcode.as_ref().map(|c| c.name.as_str()));
        names.join(", ")
    }
}

impl ServiceRegister {
    /// The layout of the file `input` (read from `path`).
    ///
    /// # Errors
    ///
    /// [`IngestError::ConflictingMapping`] when a value is given both ways, or coordinates
    /// both as `x`/`y`/`crs` and as `latitude`/`longitude` (or only one of those two);
    /// [`IngestError::MissingColumn`] for a named or required column not in the header.
    pub(super) fn layout(&self, header: &[String], path: &Path) -> Result<Layout, IngestError> {
        let c = &self.columns;
        let conflict = |message: String| IngestError::ConflictingMapping {
            path: path.to_path_buf(),
            message,
        };
        let has_column = |name: &str| header.iter().position(|h| h == name.trim());
        let required = |mapped: &Option<String>, default: &str| {
            let name = mapped.as_deref().unwrap_or(default);
            match has_column(name) {
                Some(index) => Ok(Col {
                    index,
                    name: name.to_string(),
                }),
                None => Err(IngestError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.to_string(),
                    available: header.join(", "),
                }),
            }
        };
        let optional = |mapped: &Option<String>, default: &str| match mapped {
            Some(_) => required(mapped, default).map(Some),
            None => Ok(has_column(default).map(|index| Col {
                index,
                name: default.to_string(),
            })),
        };
        let kind = match (&self.kind, &c.kind) {
            (Some(_), Some(col)) => {
                return Err(conflict(format!(
                    "gives the kind both as a fixed kind and as column {col:?}: keep one"
                )))
            }
            (Some(k), None) => Given::Fixed(k.clone()),
            (None, _) => Given::Column(required(&c.kind, "kind")?),
        };
        let confidential = match (self.confidential, &c.confidential) {
            (Some(_), Some(col)) => {
                return Err(conflict(format!(
                    "gives confidential both as a fixed value and as column {col:?}: keep one"
                )))
            }
            (Some(v), None) => Given::Fixed(v),
            (None, _) => Given::Column(required(&c.confidential, "confidential")?),
        };
        let postcode = c
            .postcode
            .as_ref()
            .map(|_| required(&c.postcode, "postcode"))
            .transpose()?;
        let coordinates_named = [&c.x, &c.y, &c.latitude, &c.longitude]
            .iter()
            .any(|n| n.is_some())
            || c.crs.is_some();
        let (xy, crs) = match (&c.latitude, &c.longitude) {
            // Located by postcode, and by x/y only where the header has both.
            (None, None) if postcode.is_some() && !coordinates_named => (
                optional(&None, "x")?.zip(optional(&None, "y")?),
                Crs::BritishNationalGrid,
            ),
            (None, None) => (
                Some((required(&c.x, "x")?, required(&c.y, "y")?)),
                c.crs.unwrap_or(Crs::BritishNationalGrid),
            ),
            (Some(_), Some(_)) if c.x.is_none() && c.y.is_none() && c.crs.is_none() => (
                Some((
                    required(&c.longitude, "longitude")?,
                    required(&c.latitude, "latitude")?,
                )),
                Crs::Wgs84,
            ),
            (Some(_), Some(_)) => {
                return Err(conflict(
                    "gives coordinates both as latitude/longitude and as x/y/crs: keep one"
                        .to_string(),
                ))
            }
            _ => {
                return Err(conflict(
                    "names only one of latitude and longitude: give both".to_string(),
                ))
            }
        };
        Ok(Layout {
            id: optional(&c.id, "id")?,
            name: required(&c.name, "name")?,
            kind,
            tier: optional(&c.tier, "tier")?,
            capacity: optional(&c.capacity, "capacity")?,
            opening_hours: optional(&c.opening_hours, "opening_hours")?,
            confidential,
            xy,
            crs,
            postcode,
        })
    }
}
