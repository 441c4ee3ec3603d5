//! [`read_services`]: a service register (GP practices, IDVA services, refuges, family hubs,
//! ...) in a CSV or (the `gdal` feature) a point layer GDAL reads, through a
//! [`ServiceRegister`] from the study file.
//!
//! | module | offers |
//! |---|---|
//! | [`register`] | [`ServiceRegister`], [`ServiceColumns`]: the file's columns, fixed values and dialect |

pub mod register;

pub use register::{ServiceColumns, ServiceRegister};

use crate::coords::check_coord;
use crate::csv_records::MAX_RECORD_LINES;
#[cfg(feature = "gdal")]
use crate::gdal_table::{GdalTable, GEOMETRY_X, GEOMETRY_Y};
use crate::open::CsvInput;
use crate::postcodes::{locate, PostcodeDirectory, PostcodeLookup};
use crate::source::Problem;
use crate::values::{number, yes_no};
use crate::{IngestError, InputLimits};
use csv::ByteRecord;
use register::{non_empty, Given};
use safemap_types::service::kind::SLUG_RULE;
use safemap_types::{Crs, PreventionTier, Reject, RejectReason, Service, ServiceKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The services of a register, with its rejects.
///
/// Invariant: `read == services.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicesRead {
    /// The register file.
    pub path: PathBuf,
    /// Services in file order; every valid row, wherever it lies.
    pub services: Vec<Service>,
    /// Rows that could not be used.
    pub rejects: Vec<Reject>,
    /// Data rows read (header excluded).
    pub read: u64,
    /// CRS of the coordinate columns (points placed by postcode are British National Grid).
    pub crs: Crs,
    /// Services placed by their postcode.
    pub placed_by_postcode: u64,
}

/// Reads a service register through `register`'s columns: a CSV written in
/// `register.dialect`, or (the `gdal` feature) a point layer of any vector format GDAL reads
/// (by extension: GeoPackage, Shapefile, FlatGeobuf, KML, GeoJSON, ...; `register.layer`
/// picks one of several), located by its point geometry (`gdal_table`) unless the
/// columns name coordinates, a row's line being its feature's 1-based position.
///
/// Per row, in this order (the first problem found rejects the row):
///
/// - the location is checked as the crate docs describe; with a `postcode` column, a row
///   without coordinates is placed by its postcode through `postcodes` (see
///   [`crate::postcodes`] for its rejects); a service needs a location, so a row with none
///   is `NoCoordinates`;
/// - an empty `name`, or an empty `id` when the file has an id column, is `MissingValue`;
/// - `kind` is read with [`ServiceKind`]'s `FromStr` (case-insensitive, spaces and hyphens
///   for `_`): empty is `MissingValue`, a value that is not a slug then is `InvalidValue`.
///   Any slug is a kind;
/// - `tier`, when there is a column, is primary/secondary/tertiary (or 1/2/3); empty is no
///   tier, anything else `UnknownValue`;
/// - `capacity` may use thousands separators; empty is none; negative is `InvalidValue`;
/// - `opening_hours` is kept as written; empty is none;
/// - `confidential` is yes/no (empty = no). **Refuges are always confidential**
///   ([`ServiceKind::is_confidential_by_nature`]), whatever the column or fixed value says;
/// - last, the **id**: the id column's value, or without one the row's line number in the
///   file (the header is line 1), which no other row can have. An id an earlier service
///   has is `DuplicateId`: the first valid row keeps it.
///
/// Rows outside any study area are kept: the reader does not know the areas, and a service
/// near the boundary serves the areas inside it.
///
/// # Errors
///
/// [`IngestError::MissingColumn`] for a column the mapping names (or requires) that is not
/// in the header, [`IngestError::ConflictingMapping`], a limit passed ([`InputLimits`]),
/// and I/O errors.
pub fn read_services(
    path: &Path,
    register: &ServiceRegister,
    limits: InputLimits,
    postcodes: Option<&PostcodeDirectory>,
) -> Result<ServicesRead, IngestError> {
    let rows = Rows::open(path, register, limits)?;
    let l = match &rows {
        Rows::Csv(input) => register.layout(&input.header, path)?,
        #[cfg(feature = "gdal")]
        Rows::Gdal(table) => table_register(register, table).layout(&table.header, path)?,
    };
    let mut services = Vec::new();
    let mut rejects = Vec::new();
    let mut ids = HashSet::new();
    let lookup = postcodes.map(|directory| PostcodeLookup {
        directory,
        lsoa_as_area_code: false,
    });
    let mut placed_by_postcode = 0;
    let take = |rec: &ByteRecord, line: u64| {
        let point = match &l.xy {
            Some((x, y)) => check_coord(x.text(rec)?, y.text(rec)?, (&x.name, &y.name), l.crs)?,
            None => None,
        };
        let postcode = l
            .postcode
            .as_ref()
            .map(|c| c.text(rec).map(|text| (text, c.name.as_str())))
            .transpose()?;
        let located = locate(point, postcode, lookup)?;
        let point = located.point.ok_or_else(|| Problem {
            column: Some(l.location_columns()),
            value: String::new(),
            reason: RejectReason::NoCoordinates,
        })?;
        let name = l.name.text(rec)?;
        if name.is_empty() {
            return Err(Problem::at(&l.name.name, "", RejectReason::MissingValue));
        }
        let id = match &l.id {
            Some(col) => match col.text(rec)? {
                "" => return Err(Problem::at(&col.name, "", RejectReason::MissingValue)),
                id => id.to_string(),
            },
            None => line.to_string(),
        };
        let kind = match &l.kind {
            Given::Fixed(k) => k.clone(),
            Given::Column(col) => kind(col.text(rec)?, &col.name)?,
        };
        let tier = non_empty(rec, l.tier.as_ref())?
            .map(|(t, col)| {
                t.parse::<PreventionTier>().map_err(|e| {
                    let expected = e.expected;
                    Problem::at(&col.name, t, RejectReason::UnknownValue { expected })
                })
            })
            .transpose()?;
        let capacity = non_empty(rec, l.capacity.as_ref())?
            .map(|(t, col)| capacity(t, &col.name))
            .transpose()?;
        let opening_hours = non_empty(rec, l.opening_hours.as_ref())?.map(|(t, _)| t.to_string());
        let marked = match &l.confidential {
            Given::Fixed(v) => *v,
            Given::Column(col) => yes_no(col.text(rec)?, &col.name)?,
        };
        if !ids.insert(id.clone()) {
            let column = l.id.as_ref().map_or("", |c| c.name.as_str());
            return Err(Problem::at(column, &id, RejectReason::DuplicateId));
        }
        placed_by_postcode += u64::from(located.by_postcode);
        services.push(Service {
            id,
            name: name.to_string(),
            confidential: marked || kind.is_confidential_by_nature(),
            kind,
            tier,
            point,
            capacity,
            opening_hours,
        });
        Ok(())
    };
    let read = match rows {
        Rows::Csv(input) => input.for_each_row(&mut rejects, take)?,
        #[cfg(feature = "gdal")]
        Rows::Gdal(table) => table.for_each_row(path, &mut rejects, take),
    };
    debug_assert_eq!(read, (services.len() + rejects.len()) as u64);
    Ok(ServicesRead {
        path: path.to_path_buf(),
        services,
        rejects,
        read,
        crs: l.crs,
        placed_by_postcode,
    })
}

/// Extensions of vector formats a register may come in through GDAL (the `gdal` feature);
/// any other file is read as CSV.
const VECTOR_FORMATS: &[&str] = &[
    "gpkg", "shp", "fgb", "kml", "kmz", "gml", "geojson", "json", "sqlite", "gdb", "tab", "mif",
    "gpx",
];

/// A register's rows: a CSV's, or a GDAL layer's.
enum Rows<'p> {
    Csv(Box<CsvInput<'p>>),
    #[cfg(feature = "gdal")]
    Gdal(GdalTable),
}

impl<'p> Rows<'p> {
    /// Opens `path`: through GDAL when its extension is a vector format's
    /// ([`VECTOR_FORMATS`]), else as a CSV in `register.dialect`.
    fn open(
        path: &'p Path,
        register: &ServiceRegister,
        limits: InputLimits,
    ) -> Result<Self, IngestError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext {
            #[cfg(feature = "gdal")]
            Some(e) if VECTOR_FORMATS.contains(&e.as_str()) => {
                let undeclared = register.columns.crs.unwrap_or(Crs::BritishNationalGrid);
                let layer = register.layer.as_deref();
                GdalTable::read(path, layer, "[services]", undeclared).map(Rows::Gdal)
            }
            #[cfg(not(feature = "gdal"))]
            Some(e) if VECTOR_FORMATS.contains(&e.as_str()) => {
                Err(IngestError::GdalFeatureNeeded {
                    path: path.to_path_buf(),
                })
            }
            _ => CsvInput::open_with(path, MAX_RECORD_LINES, limits, register.dialect)
                .map(|input| Rows::Csv(Box::new(input))),
        }
    }
}

/// `register` for a GDAL layer: located by the point geometry, in the layer's CRS, unless
/// the register names coordinate columns.
#[cfg(feature = "gdal")]
fn table_register(register: &ServiceRegister, table: &GdalTable) -> ServiceRegister {
    let c = &register.columns;
    if [&c.x, &c.y, &c.latitude, &c.longitude]
        .iter()
        .any(|n| n.is_some())
    {
        return register.clone();
    }
    let mut register = register.clone();
    register.columns.x = Some(GEOMETRY_X.to_string());
    register.columns.y = Some(GEOMETRY_Y.to_string());
    register.columns.crs = Some(table.crs);
    register
}

/// A register's kind value: empty is `MissingValue`, not a slug `InvalidValue`.
fn kind(text: &str, column: &str) -> Result<ServiceKind, Problem> {
    if text.is_empty() {
        return Err(Problem::at(column, text, RejectReason::MissingValue));
    }
    text.parse().map_err(|_| {
        let expected = format!("{SLUG_RULE}; spaces and hyphens are read as _");
        Problem::at(column, text, RejectReason::InvalidValue { expected })
    })
}

/// A capacity (not empty): negative is `InvalidValue`.
fn capacity(text: &str, column: &str) -> Result<f64, Problem> {
    let value = number(text, column)?;
    if value < 0.0 {
        let expected = "a number >= 0, or empty".to_string();
        return Err(Problem::at(
            column,
            text,
            RejectReason::InvalidValue { expected },
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
