//! `[services]`: the service register.

use super::{csv_dialect, ConfigError, Study};
use safemap_ingest::{BadDelimiter, CsvDialect, Encoding};
use safemap_types::ServiceKind;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[services]`: the service register, a CSV of any service kinds.
///
/// ```toml
/// [services]                     # the NHS GP practice extract as it is
/// path = "GP.csv"
/// encoding = "cp1252"            # auto (default: detected), utf-8, cp1252 / windows-1252, latin1
/// delimiter = "¬"                # one character (default ","); may be non-ASCII
/// kind = "gp_practice"           # every row's kind, for a file with no kind column
/// confidential = false           # every row's flag, for a file with no confidential column
/// [services.columns]
/// id = "OrganisationCode"
/// name = "OrganisationName"
/// latitude = "Latitude"
/// longitude = "Longitude"
/// ```
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServicesSection {
    /// The register: a CSV, or (the `gdal` feature) any vector format GDAL reads
    /// (GeoPackage, Shapefile, FlatGeobuf, KML, GeoJSON, ...), located by its point geometry.
    pub path: PathBuf,
    /// The layer to read from a GDAL file of several.
    pub layer: Option<String>,
    /// Column mapping (`safemap_ingest::ServiceColumns`: id, name, kind, tier, capacity,
    /// opening_hours, confidential, x/y/crs or latitude/longitude).
    pub columns: Option<toml::Table>,
    /// The kind of every row, when the file has no kind column (a slug).
    pub kind: Option<ServiceKind>,
    /// Whether every row is confidential, when the file has no confidential column.
    pub confidential: Option<bool>,
    /// The field delimiter (default `,`).
    pub delimiter: Option<char>,
    /// The file's text encoding (detected when not given).
    pub encoding: Option<Encoding>,
}

impl ServicesSection {
    /// The file's encoding and delimiter.
    ///
    /// # Errors
    ///
    /// [`BadDelimiter`] for a delimiter that cannot separate fields.
    pub fn dialect(&self) -> Result<CsvDialect, BadDelimiter> {
        csv_dialect(self.encoding, self.delimiter)
    }
}

/// Checks `[services]`: a delimiter that can separate fields.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let Some(section) = &study.services else {
        return Ok(());
    };
    section.dialect().map(|_| ()).map_err(|e| {
        study.invalid(
            "services.delimiter",
            format!("{:?}", e.delimiter),
            &e.to_string(),
        )
    })
}
