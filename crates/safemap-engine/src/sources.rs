//! Reading one `[[source]]` with the reader its format calls for.

use crate::assign::{Assignment, Join, RejectColumns};
use crate::config::{JoinMode, SourceFormat, SourceSection, Study};
use crate::error::EngineError;
use crate::join_sink::{finish, JoinSink};
use safemap_ingest::ed_istv::{read_ed_into, EdMapping};
use safemap_ingest::event_csv::EventCsvMapping;
use safemap_ingest::police_uk::read_police_uk_into;
use safemap_ingest::{count_parquet::read_count_parquet_into, CountMapping};
use safemap_ingest::{
    expand_paths, CategoryMapping, PostcodeDirectory, PostcodeLookup, SourceRead,
};
use safemap_ingest::{read_mapped_into, MappedFormat};
use safemap_types::Flags;
use serde::de::DeserializeOwned;

/// A source as read: its files, categories and reader rejects (what is kept of its events is
/// in its [`Assignment`]'s [`crate::joined::Joined`]), and its flags.
pub struct LoadedSource {
    /// What the reader returned, without the events.
    pub data: SourceRead<()>,
    /// The flags this source's rows can carry, with their output names.
    pub flags: Vec<(Flags, &'static str)>,
}

/// Output name of each flag.
const DOMESTIC_ABUSE: (Flags, &str) = (Flags::DOMESTIC_ABUSE, "domestic_abuse");
const ALCOHOL: (Flags, &str) = (Flags::ALCOHOL, "alcohol");
const WEAPON: (Flags, &str) = (Flags::WEAPON, "weapon");

/// What to keep of a source's joined events beside their counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    /// Their points (grid, density, emerging hot spots and grid evaluation use them).
    pub points: bool,
    /// The events (the GeoParquet export writes them).
    pub events: bool,
}

/// Reads every file of a source and joins its events with `join` as they are read, a chunk
/// at a time; rows located only by postcode are placed through `postcodes` (the
/// `[postcodes]` directory), whose LSOA codes are the rows' area codes for
/// `join = "postcode_lsoa"`.
pub fn read_source(
    study: &Study,
    index: usize,
    src: &SourceSection,
    postcodes: Option<&PostcodeDirectory>,
    (join, keep): (&Join<'_>, Keep),
) -> Result<(LoadedSource, Assignment), EngineError> {
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
    let sink = |columns| JoinSink {
        join,
        files: &files,
        columns,
        keep_points: keep.points,
        keep_events: keep.events,
        by_file: src.format == SourceFormat::PoliceUk,
    };
    let (read, flags) = match src.format {
        SourceFormat::PoliceUk => {
            let columns = RejectColumns {
                coordinates: "Longitude/Latitude".into(),
                code: Some("LSOA code".into()),
            };
            let read = read_police_uk_into(&files, &categories, limits, &sink(&columns));
            (read, Vec::new())
        }
        SourceFormat::EventsCsv | SourceFormat::EventsParquet | SourceFormat::EventsGdal => {
            let mut m: EventCsvMapping = mapping(study, index, src)?;
            m.dialect = src.dialect_of(study, index)?;
            m.layer.clone_from(&src.layer);
            let columns = RejectColumns {
                coordinates: [Some(&m.x), Some(&m.y), m.postcode.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("/"),
                code: if by_lsoa {
                    m.postcode.clone()
                } else {
                    m.area_code.clone()
                },
            };
            let format = match src.format {
                SourceFormat::EventsCsv => MappedFormat::Csv,
                #[cfg(feature = "gdal")]
                SourceFormat::EventsGdal => MappedFormat::Gdal,
                // events_parquet (events_gdal without the gdal feature fails the study check)
                _ => MappedFormat::Parquet,
            };
            let mapped = (&m, &categories);
            let read = read_mapped_into(format, &files, mapped, limits, lookup, &sink(&columns));
            let flags = [
                (&m.domestic_abuse, DOMESTIC_ABUSE),
                (&m.alcohol, ALCOHOL),
                (&m.weapon, WEAPON),
            ]
            .into_iter()
            .filter_map(|(column, flag)| column.as_ref().map(|_| flag))
            .collect();
            (read, flags)
        }
        SourceFormat::CountsParquet => {
            let m: CountMapping = mapping(study, index, src)?;
            let columns = RejectColumns {
                coordinates: String::new(),
                code: Some(m.area_code.clone()),
            };
            let read = read_count_parquet_into(&files, &m, &categories, limits, &sink(&columns));
            (read, Vec::new())
        }
        SourceFormat::EdIstv => {
            let mut m: EdMapping = mapping(study, index, src)?;
            m.dialect = src.dialect_of(study, index)?;
            let columns = RejectColumns {
                coordinates: format!("{}/{}/{}/{}", m.grid_ref, m.easting, m.northing, m.postcode),
                code: by_lsoa.then(|| m.postcode.clone()),
            };
            let read = read_ed_into(&files, &m, &categories, limits, lookup, &sink(&columns));
            (read, vec![ALCOHOL, WEAPON])
        }
    };
    let (data, assignment) = finish(read.map_err(ingest)?, join, &skipped);
    Ok((LoadedSource { data, flags }, assignment))
}

/// Deserialises `[source.columns]` into the format's mapping; a missing table means the
/// format's defaults.
fn mapping<T: DeserializeOwned>(
    study: &Study,
    index: usize,
    src: &SourceSection,
) -> Result<T, EngineError> {
    #[cfg_attr(not(feature = "gdal"), allow(unused_mut))]
    let mut columns = src.columns.clone();
    #[cfg(feature = "gdal")]
    if src.format == SourceFormat::EventsGdal {
        // Located by the point geometry unless the columns name x and y.
        let table = columns.get_or_insert_with(toml::Table::new);
        for (key, column) in [
            ("x", safemap_ingest::gdal_table::GEOMETRY_X),
            ("y", safemap_ingest::gdal_table::GEOMETRY_Y),
            ("crs", "EPSG:27700"),
        ] {
            table.entry(key).or_insert_with(|| column.into());
        }
    }
    parse_table(study, &format!("source[{index}].columns"), columns)
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
