//! Reading one `[[source]]` with the reader its format calls for.

use crate::config::{JoinMode, SourceFormat, SourceSection, Study};
use crate::error::EngineError;
use safemap_ingest::ed_istv::{read_ed, EdMapping};
use safemap_ingest::event_csv::{read_event_csv, EventCsvMapping};
use safemap_ingest::event_parquet::read_event_parquet;
use safemap_ingest::paths::Skipped;
use safemap_ingest::police_uk::read_police_uk;
use safemap_ingest::{
    expand_paths, CategoryMapping, PostcodeDirectory, PostcodeLookup, SourceRead,
};
use safemap_ingest::{read_count_parquet, CountMapping};
use safemap_types::Flags;
use serde::de::DeserializeOwned;

/// A source's rows and the names of the columns its rejects refer to.
pub struct LoadedSource {
    /// What the reader returned.
    pub data: SourceRead,
    /// The location column(s), as named in `rejects.csv` (e.g. `Longitude/Latitude`).
    pub coordinate_columns: String,
    /// The area-code column, if the format has one (the postcode column for
    /// `join = "postcode_lsoa"`).
    pub code_column: Option<String>,
    /// The flags this source's rows can carry, with their output names.
    pub flags: Vec<(Flags, &'static str)>,
    /// Paths the source's patterns matched but that were not read: another path to a file
    /// read, or a way back into a folder already searched (see [`safemap_ingest::paths`]).
    pub skipped: Vec<Skipped>,
}

/// Output name of each flag.
const DOMESTIC_ABUSE: (Flags, &str) = (Flags::DOMESTIC_ABUSE, "domestic_abuse");
const ALCOHOL: (Flags, &str) = (Flags::ALCOHOL, "alcohol");
const WEAPON: (Flags, &str) = (Flags::WEAPON, "weapon");

/// Reads every file of a source; rows located only by postcode are placed through
/// `postcodes` (the `[postcodes]` directory), whose LSOA codes are the rows' area codes
/// for `join = "postcode_lsoa"`.
pub fn read_source(
    study: &Study,
    index: usize,
    src: &SourceSection,
    postcodes: Option<&PostcodeDirectory>,
) -> Result<LoadedSource, EngineError> {
    let by_lsoa = src.join == JoinMode::PostcodeLsoa;
    let lookup = postcodes.map(|directory| PostcodeLookup {
        directory,
        lsoa_as_area_code: by_lsoa,
    });
    let role = format!("source \"{}\"", src.name);
    let ingest = |source| EngineError::ingest(role.clone(), source);
    let expansion = expand_paths(&src.paths, &study.base_dir).map_err(ingest)?;
    let (files, skipped) = (expansion.files, expansion.skipped);
    let categories = CategoryMapping(src.categories.clone());
    let limits = study.limits.input_limits();
    Ok(match src.format {
        SourceFormat::PoliceUk => LoadedSource {
            data: read_police_uk(&files, &categories, limits).map_err(ingest)?,
            coordinate_columns: "Longitude/Latitude".into(),
            code_column: Some("LSOA code".into()),
            flags: Vec::new(),
            skipped,
        },
        SourceFormat::EventsCsv | SourceFormat::EventsParquet => {
            let mut m: EventCsvMapping = mapping(study, index, src)?;
            m.dialect = src.dialect_of(study, index)?;
            let data = if src.format == SourceFormat::EventsCsv {
                read_event_csv(&files, &m, &categories, limits, lookup)
            } else {
                read_event_parquet(&files, &m, &categories, limits, lookup)
            };
            LoadedSource {
                data: data.map_err(ingest)?,
                coordinate_columns: [Some(&m.x), Some(&m.y), m.postcode.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("/"),
                code_column: if by_lsoa {
                    m.postcode.clone()
                } else {
                    m.area_code.clone()
                },
                flags: [
                    (&m.domestic_abuse, DOMESTIC_ABUSE),
                    (&m.alcohol, ALCOHOL),
                    (&m.weapon, WEAPON),
                ]
                .into_iter()
                .filter_map(|(column, flag)| column.as_ref().map(|_| flag))
                .collect(),
                skipped,
            }
        }
        SourceFormat::CountsParquet => {
            let m: CountMapping = mapping(study, index, src)?;
            LoadedSource {
                data: read_count_parquet(&files, &m, &categories, limits).map_err(ingest)?,
                coordinate_columns: String::new(),
                code_column: Some(m.area_code),
                flags: Vec::new(),
                skipped,
            }
        }
        SourceFormat::EdIstv => {
            let mut m: EdMapping = mapping(study, index, src)?;
            m.dialect = src.dialect_of(study, index)?;
            LoadedSource {
                data: read_ed(&files, &m, &categories, limits, lookup).map_err(ingest)?,
                coordinate_columns: format!(
                    "{}/{}/{}/{}",
                    m.grid_ref, m.easting, m.northing, m.postcode
                ),
                code_column: by_lsoa.then(|| m.postcode.clone()),
                flags: vec![ALCOHOL, WEAPON],
                skipped,
            }
        }
    })
}

/// Deserialises `[source.columns]` into the format's mapping; a missing table means the
/// format's defaults.
fn mapping<T: DeserializeOwned>(
    study: &Study,
    index: usize,
    src: &SourceSection,
) -> Result<T, EngineError> {
    parse_table(
        study,
        &format!("source[{index}].columns"),
        src.columns.clone(),
    )
}

/// Deserialises an optional TOML table into `T`, naming the table in errors.
pub fn parse_table<T: DeserializeOwned>(
    study: &Study,
    key: &str,
    table: Option<toml::Table>,
) -> Result<T, EngineError> {
    toml::Value::Table(table.unwrap_or_default())
        .try_into()
        .map_err(|e: toml::de::Error| EngineError::Mapping {
            path: study.file.clone(),
            key: key.to_string(),
            message: e.message().to_string(),
        })
}
