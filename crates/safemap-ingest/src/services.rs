//! [`read_services`]: the service register CSV (IDVA services, refuges, family hubs, ...).

use crate::coords::check_coord;
use crate::csv_records::MAX_RECORD_LINES;
use crate::open::{field, CsvInput};
use crate::source::Problem;
use crate::values::{number, yes_no};
use crate::{IngestError, InputLimits};
use safemap_types::{Crs, PreventionTier, Reject, RejectReason, Service, ServiceKind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Column names of the service register, with defaults
/// `name,kind,tier,x,y,capacity,confidential` and `crs = "EPSG:27700"` (x = easting,
/// y = northing). Every column is required in the header (an empty `capacity` value is
/// allowed); requiring `confidential` means a register can never silently publish secret
/// addresses because the column was left out.
///
/// ```
/// let m: safemap_ingest::ServiceMapping = serde_json::from_str(r#"{"x": "lon", "y": "lat", "crs": "EPSG:4326"}"#).unwrap();
/// assert_eq!(m.name, "name");
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceMapping {
    /// Display name column.
    pub name: String,
    /// Service kind column (see [`ServiceKind`]).
    pub kind: String,
    /// Prevention tier column (see [`PreventionTier`]).
    pub tier: String,
    /// x column (easting or longitude).
    pub x: String,
    /// y column (northing or latitude).
    pub y: String,
    /// Capacity column (a number, may be empty).
    pub capacity: String,
    /// Confidential flag column (yes/no).
    pub confidential: String,
    /// CRS of x/y.
    pub crs: Crs,
}

impl Default for ServiceMapping {
    fn default() -> Self {
        let s = str::to_string;
        Self {
            name: s("name"),
            kind: s("kind"),
            tier: s("tier"),
            x: s("x"),
            y: s("y"),
            capacity: s("capacity"),
            confidential: s("confidential"),
            crs: Crs::BritishNationalGrid,
        }
    }
}

/// The services of a register, with its rejects.
///
/// Invariant: `read == services.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicesRead {
    /// The register file.
    pub path: PathBuf,
    /// Services in file order.
    pub services: Vec<Service>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
    /// CRS of the service points.
    pub crs: Crs,
}

/// Reads a service register.
///
/// - `kind` and `tier` are parsed with the `FromStr` of [`ServiceKind`] and
///   [`PreventionTier`]; an unknown name is rejected with `UnknownValue` listing the accepted
///   names.
/// - x/y are checked as the crate docs describe; a service needs a location, so both empty is
///   rejected with `NoCoordinates`.
/// - `capacity` is optional (empty = `None`); it may use thousands separators and must not be
///   negative.
/// - `confidential` is yes/no (empty = no). **Refuges are always confidential**, whatever the
///   column says.
/// - An empty `name` is rejected with `MissingValue`.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] for a mapped column not in the header, a limit passed
/// ([`InputLimits`]), and I/O errors.
pub fn read_services(
    path: &Path,
    mapping: &ServiceMapping,
    limits: InputLimits,
) -> Result<ServicesRead, IngestError> {
    let m = mapping;
    let input = CsvInput::open(path, MAX_RECORD_LINES, limits)?;
    let [name, kind, tier, x, y, capacity, confidential] = [
        &m.name,
        &m.kind,
        &m.tier,
        &m.x,
        &m.y,
        &m.capacity,
        &m.confidential,
    ]
    .map(|c| input.column(c));
    let (name, kind, tier, x, y, capacity, confidential) =
        (name?, kind?, tier?, x?, y?, capacity?, confidential?);
    let mut services = Vec::new();
    let mut rejects = Vec::new();
    let read = input.for_each_row(&mut rejects, |rec, _line| {
        let point = check_coord(
            field(rec, x, &m.x)?,
            field(rec, y, &m.y)?,
            (&m.x, &m.y),
            m.crs,
        )?
        .ok_or_else(|| Problem {
            column: Some(format!("{}, {}", m.x, m.y)),
            value: String::new(),
            reason: RejectReason::NoCoordinates,
        })?;
        let name_text = field(rec, name, &m.name)?;
        if name_text.is_empty() {
            return Err(Problem::at(&m.name, "", RejectReason::MissingValue));
        }
        let kind_text = field(rec, kind, &m.kind)?;
        let kind_value = kind_text.parse::<ServiceKind>().map_err(|e| {
            Problem::at(
                &m.kind,
                kind_text,
                RejectReason::UnknownValue {
                    expected: e.expected,
                },
            )
        })?;
        let tier_text = field(rec, tier, &m.tier)?;
        let tier_value = tier_text.parse::<PreventionTier>().map_err(|e| {
            Problem::at(
                &m.tier,
                tier_text,
                RejectReason::UnknownValue {
                    expected: e.expected,
                },
            )
        })?;
        let cap_text = field(rec, capacity, &m.capacity)?;
        let cap = if cap_text.is_empty() {
            None
        } else {
            Some(number(cap_text, &m.capacity)?)
        };
        if cap.is_some_and(|c| c < 0.0) {
            return Err(Problem::at(
                &m.capacity,
                cap_text,
                RejectReason::UnknownValue {
                    expected: "a number >= 0, or empty".to_string(),
                },
            ));
        }
        let secret = yes_no(field(rec, confidential, &m.confidential)?, &m.confidential)?;
        services.push(Service {
            name: name_text.to_string(),
            kind: kind_value,
            tier: tier_value,
            point,
            capacity: cap,
            confidential: secret || kind_value == ServiceKind::Refuge,
        });
        Ok(())
    })?;
    debug_assert_eq!(read, (services.len() + rejects.len()) as u64);
    Ok(ServicesRead {
        path: path.to_path_buf(),
        services,
        rejects,
        read,
        crs: m.crs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_register() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("services.csv");
        std::fs::write(
            &p,
            "name,kind,tier,x,y,capacity,confidential\n\
             Hub North,family_hub,primary,248000,56000,\"1,200\",no\n\
             Safe House,refuge,tertiary,247500,55500,12,no\n\
             Advice,pub,secondary,247500,55500,,no\n\
             IDVA team,IDVA,Secondary,,,,yes\n\
             Youth club,youth service,2,247000,55000,-3,no\n",
        )
        .unwrap();
        let got = read_services(&p, &ServiceMapping::default(), InputLimits::default()).unwrap();
        assert_eq!((got.read, got.services.len(), got.rejects.len()), (5, 2, 3));
        assert_eq!(got.services[0].capacity, Some(1200.0));
        assert_eq!(got.services[0].kind, ServiceKind::FamilyHub);
        assert!(
            got.services[1].confidential,
            "refuges are always confidential"
        );
        assert!(
            matches!(&got.rejects[0].reason, RejectReason::UnknownValue { expected } if expected.contains("refuge"))
        );
        assert_eq!(got.rejects[0].column.as_deref(), Some("kind"));
        assert_eq!(got.rejects[1].reason, RejectReason::NoCoordinates);
        assert_eq!(
            (got.rejects[2].line, got.rejects[2].column.as_deref()),
            (6, Some("capacity"))
        );
    }
}
