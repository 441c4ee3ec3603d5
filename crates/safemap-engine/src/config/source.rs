//! `[[source]]`: event sources, their format, join mode, categories and coverage.

use super::{csv_dialect, is_identifier, ConfigError, Study};
use safemap_ingest::{BadDelimiter, CsvDialect, Encoding};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Formats an event source can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// data.police.uk street CSVs (month precision).
    PoliceUk,
    /// A force's own extract, mapped by `[source.columns]`.
    EventsCsv,
    /// The same as `events_csv`, in Parquet files (read with polars).
    EventsParquet,
    /// The same as `events_csv`, as point layers in any vector format GDAL reads
    /// (GeoPackage, Shapefile, FlatGeobuf, KML, GeoJSON, ...; the `gdal` feature): located by
    /// the point geometry, in the layer's own CRS (`[source.columns]`'s `crs` for a layer that
    /// declares none; British National Grid by default).
    EventsGdal,
    /// A count cube in Parquet files (area code, category, month, count), as a distributed
    /// engine writes it from `safemap export geoparquet`; joined by code.
    CountsParquet,
    /// Emergency Department assault records (ISTV), optionally re-mapped by `[source.columns]`.
    EdIstv,
}

impl SourceFormat {
    /// `events_csv`, `events_parquet` or `events_gdal`: incident records read through a
    /// `[source.columns]` mapping (`safemap_ingest::EventCsvMapping`).
    pub fn is_mapped_events(self) -> bool {
        matches!(
            self,
            Self::EventsCsv | Self::EventsParquet | Self::EventsGdal
        )
    }

    /// `events_csv` or `ed_istv`: CSV files that may come in any encoding and delimiter
    /// (data.police.uk files are always UTF-8 and comma-separated; Parquet has neither).
    pub fn takes_a_dialect(self) -> bool {
        matches!(self, Self::EventsCsv | Self::EdIstv)
    }
}

/// How events find their area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// Point in polygon.
    Spatial,
    /// The row's own area code (e.g. police.uk `LSOA code`).
    Code,
    /// The LSOA code the `[postcodes]` directory gives the row's postcode, joined as a code.
    PostcodeLsoa,
}

/// Rule for points exactly on a boundary (see `safemap_geo::EdgeRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeRuleName {
    /// The area with the lowest index among those whose closed polygon holds the point.
    #[default]
    LowestAreaId,
    /// Nobody: the point counts as outside (what GeoPandas, DuckDB and PostGIS do).
    Exclude,
}

/// One `[[source]]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSection {
    /// Short name used in output column names (letters, digits, `_`).
    pub name: String,
    /// File format.
    pub format: SourceFormat,
    /// Files or glob patterns.
    pub paths: Vec<String>,
    /// Join mode.
    pub join: JoinMode,
    /// Boundary rule for spatial joins.
    #[serde(default)]
    pub edge_rule: EdgeRuleName,
    /// Domestic abuse or health records: only aggregated, disclosure-controlled output. A
    /// source is sensitive without it when its data says so ([`SourceSection::sensitivity`]).
    #[serde(default)]
    pub sensitive: bool,
    /// Raw category → analysis category; a raw value not listed is rejected.
    pub categories: Option<BTreeMap<String, String>>,
    /// Column mapping for `events_csv` (required) and `ed_istv` (optional overrides).
    pub columns: Option<toml::Table>,
    /// For a code join: which vintage of codes the rows carry (police.uk's 2019 files carry
    /// 2011 LSOA codes), when not the boundaries'; converted through a `[[vintage_lookup]]`.
    pub vintage: Option<String>,
    /// The population its rates are per: `residents` (`[population]`, the default) or a
    /// `[[denominator]]`'s name.
    pub denominator: Option<String>,
    /// Its rates are per this many (default `study.rate_per`).
    pub rate_per: Option<f64>,
    /// Where the source's coverage comes from (`police_uk` only); without it, which areas a
    /// force covers is inferred from the rows (see the `coverage` module).
    pub coverage: Option<CoverageSection>,
    /// The files' text encoding (`events_csv` and `ed_istv`; detected when not given), e.g.
    /// `cp1252` for a spreadsheet saved as CSV on Windows.
    pub encoding: Option<Encoding>,
    /// The files' field delimiter (`events_csv` and `ed_istv`; default `,`), e.g. `;`.
    pub delimiter: Option<char>,
    /// The layer to read from files of several (`events_gdal`).
    pub layer: Option<String>,
}

/// `coverage` of a `police_uk` `[[source]]`: a boundary file of police force areas. Each
/// study area belongs to the force whose area contains the study area's interior point;
/// force-area names are matched to the file names' force slugs (`Devon & Cornwall` is
/// `devon-and-cornwall`, `Metropolitan Police` is `metropolitan`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageSection {
    /// GeoJSON or Shapefile of police force areas (e.g. ONS PFA boundaries).
    pub force_areas: PathBuf,
    /// Property holding the force area's code.
    pub id_field: String,
    /// Property holding the force area's name (matched to the police.uk force slugs).
    pub name_field: String,
}

/// Why a source is sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Its data is Emergency Department records (`format = "ed_istv"`), whatever the study
    /// says.
    EdRecords,
    /// It carries a domestic-abuse flag (`domestic_abuse` in `[source.columns]` of an
    /// `events_csv` or `events_parquet` source), whatever the study says.
    DomesticAbuseFlag,
    /// The study says `sensitive = true`.
    Declared,
}

impl Sensitivity {
    /// The reason in words, for the run summary and the manifest.
    pub fn reason(self) -> &'static str {
        match self {
            Self::EdRecords => "Emergency Department records",
            Self::DomesticAbuseFlag => "it carries a domestic-abuse flag",
            Self::Declared => "the study says sensitive = true",
        }
    }
}

impl SourceSection {
    /// Why the source is sensitive, `None` when it is not. The data decides before the
    /// study's flag: ED records and a domestic-abuse flag make a source sensitive whatever
    /// it is called and whether or not it says `sensitive = true`.
    pub fn sensitivity(&self) -> Option<Sensitivity> {
        let flags_domestic_abuse = self.format.is_mapped_events()
            && self
                .columns
                .as_ref()
                .is_some_and(|c| c.contains_key("domestic_abuse"));
        if self.format == SourceFormat::EdIstv {
            Some(Sensitivity::EdRecords)
        } else if flags_domestic_abuse {
            Some(Sensitivity::DomesticAbuseFlag)
        } else if self.sensitive {
            Some(Sensitivity::Declared)
        } else {
            None
        }
    }

    /// Sensitive sources (domestic abuse, health records) reach the public only aggregated
    /// and disclosure-controlled: every layer drawn from their event locations is analyst
    /// only.
    pub fn is_sensitive(&self) -> bool {
        self.sensitivity().is_some()
    }

    /// The files' encoding and delimiter.
    ///
    /// # Errors
    ///
    /// [`BadDelimiter`] for a delimiter that cannot separate fields.
    pub fn dialect(&self) -> Result<CsvDialect, BadDelimiter> {
        csv_dialect(self.encoding, self.delimiter)
    }

    /// [`Self::dialect`] of `study`'s `index`-th source, a bad delimiter named by its key.
    pub(crate) fn dialect_of(
        &self,
        study: &Study,
        index: usize,
    ) -> Result<CsvDialect, ConfigError> {
        self.dialect().map_err(|e| {
            study.invalid(
                &format!("source[{index}].delimiter"),
                format!("{:?}", e.delimiter),
                &e.to_string(),
            )
        })
    }
}

/// Checks every `[[source]]`: names, paths, and the tables its format needs or refuses.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, src) in study.sources.iter().enumerate() {
        let key = format!("source[{i}].name");
        if !is_identifier(&src.name) {
            return Err(study.invalid(
                &key,
                format!("{:?}", src.name),
                "expected lower-case letters, digits and _ (it prefixes output columns)",
            ));
        }
        if !seen.insert(src.name.as_str()) {
            return Err(study.invalid(
                &key,
                format!("{:?}", src.name),
                "source names must be unique",
            ));
        }
        if src.paths.is_empty() {
            return Err(study.invalid(
                &format!("source[{i}].paths"),
                "[]",
                "list at least one file or glob pattern",
            ));
        }
        if src.format.is_mapped_events() && src.columns.is_none() {
            return Err(study.invalid(&format!("source[{i}].columns"), "(missing)", "an events_csv, events_parquet or events_gdal source needs a [source.columns] table mapping (x, y, crs,) time, time_format and category"));
        }
        #[cfg(not(feature = "gdal"))]
        if src.format == SourceFormat::EventsGdal {
            return Err(study.invalid(
                &format!("source[{i}].format"),
                "\"events_gdal\"",
                "a safemap built with the gdal feature (cargo build --release --features gdal)",
            ));
        }
        if src.layer.is_some() && src.format != SourceFormat::EventsGdal {
            return Err(study.invalid(
                &format!("source[{i}].layer"),
                "(set)",
                "a layer is for events_gdal files",
            ));
        }
        if src.format == SourceFormat::CountsParquet && src.join != JoinMode::Code {
            return Err(study.invalid(
                &format!("source[{i}].join"),
                if src.join == JoinMode::Spatial {
                    "\"spatial\""
                } else {
                    "\"postcode_lsoa\""
                },
                "\"code\": a count cube's rows have area codes and no locations",
            ));
        }
        if src.format == SourceFormat::CountsParquet && src.columns.is_none() {
            return Err(study.invalid(&format!("source[{i}].columns"), "(missing)", "a counts_parquet source needs a [source.columns] table mapping area_code, time, category and count"));
        }
        if src.format != SourceFormat::PoliceUk && src.coverage.is_some() {
            return Err(study.invalid(
                &format!("source[{i}].coverage"),
                "(table)",
                "force-area coverage is for police_uk sources, whose file names name the force; other sources cover every area for the months they span",
            ));
        }
        let dialect_key = match (src.encoding.is_some(), src.delimiter.is_some()) {
            (true, _) => Some("encoding"),
            (false, true) => Some("delimiter"),
            (false, false) => None,
        };
        if let Some(key) = dialect_key.filter(|_| !src.format.takes_a_dialect()) {
            return Err(study.invalid(
                &format!("source[{i}].{key}"),
                "(set)",
                "an encoding and delimiter are for events_csv and ed_istv files: data.police.uk files are UTF-8 and comma-separated, and Parquet has neither",
            ));
        }
        src.dialect_of(study, i)?;
        if src.format == SourceFormat::PoliceUk && src.columns.is_some() {
            return Err(study.invalid(
                &format!("source[{i}].columns"),
                "(table)",
                "police_uk files have fixed columns; remove [source.columns]",
            ));
        }
    }
    Ok(())
}
