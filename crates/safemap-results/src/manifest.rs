//! `manifest.json`: what went in (with SHA-256), every parameter, the seed, the row
//! accounting, the analyses, the layer registry and what came out, as typed structs.
//!
//! The engine writes it; the server and the CLI read it with [`Manifest::from_slice`],
//! which fails closed: an unknown `format_version`, a missing or malformed key the server
//! relies on, or a registry entry that would publish an unprotected count is an error that
//! names the key; a source whose data is sensitive by nature (ED records, a domestic-abuse
//! flag) reads as sensitive whatever its `sensitive` key says. Parts that only echo the study file (`parameters.boundaries`, an
//! analysis's other settings, ...) stay JSON values.
//!
//! The manifest holds no timings: the same inputs, study file and seed give the same
//! bytes.

use crate::coverage::CoverageSummary;
use crate::disclosure::{DisclosureRule, DisclosureSection};
use crate::registry::{fail_closed, LayerEntry};
use safemap_types::Month;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// The version of the results format this safemap writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The `format` of Emergency Department (ISTV) sources: health records, always sensitive.
pub const ED_FORMAT: &str = "ed_istv";

/// The measure of a source's domestic-abuse flag: a source that carries it is sensitive.
pub const DOMESTIC_ABUSE_MEASURE: &str = "flag_domestic_abuse";

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// Not JSON, or a key missing or of the wrong type.
    #[error("{key}: {message}")]
    Key {
        /// The key's path (`parameters.disclosure.round_to`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// Written by a safemap with another results format.
    #[error("format_version {found} is not {FORMAT_VERSION}, the results format of this safemap ({version}): re-run the study with this version")]
    Version {
        /// The version found (0 when the key is missing).
        found: u64,
        /// This safemap's version.
        version: &'static str,
    },
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// The safemap version that wrote it.
    pub safemap_version: String,
    /// Study title.
    pub study: String,
    /// The study file, as given (tidied).
    pub study_file: PathBuf,
    /// The study seed; every analysis derives its own stream from it.
    pub seed: u64,
    /// Parameters that shape the numbers.
    pub parameters: Parameters,
    /// Input files with checksums.
    pub inputs: Vec<InputFile>,
    /// Area counts, CRS, invalid polygons, denominator tables.
    pub areas: Value,
    /// One entry per `[[source]]`, in study order.
    pub sources: Vec<SourceEntry>,
    /// Service register accounting (`null` without one).
    pub services: Value,
    /// Confidential services withheld from `services.geojson` (`null` without a register).
    pub services_confidential_withheld: Option<u64>,
    /// The spatial weights' summary (`null` without analyses).
    pub weights: Value,
    /// One entry per `[[analysis]]`.
    pub analyses: Vec<AnalysisEntry>,
    /// `[grid]` settings and results (`null` without a grid).
    pub grid: Value,
    /// `[density]` settings and results (`null` without one).
    pub density: Value,
    /// The layer registry.
    pub layers: Vec<LayerEntry>,
    /// What `[access]` computed and its area columns (absent without `[access]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<crate::AccessEntry>,
    /// `[ed_vs_police]`: the sources and police category compared, the months, the
    /// study-wide ED share, the test, the FDR cut-off and the (analyst-only) area columns;
    /// absent when the run made no comparison.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub ed_vs_police: Value,
    /// What `[time]`, `[[emerging]]` and `[[change]]` computed (absent in older manifests).
    #[serde(default)]
    pub time: crate::TimeEntry,
    /// `[comparison]`: the study's partnership against all partnerships and its most
    /// similar ones (absent without the section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<crate::ComparisonEntry>,
    /// Every file written, in writing order.
    pub outputs: Vec<String>,
}

/// `parameters`: the settings that shape the numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// Rates are per this many residents.
    pub rate_per: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// How intervals are computed, in words.
    pub interval_method: String,
    /// How expected counts are computed, in words.
    pub expected_counts: String,
    /// `[period]` as written.
    pub period: Value,
    /// The largest rejected share of a source before the run fails.
    pub max_reject_share: Option<f64>,
    /// `[boundaries]` as written.
    pub boundaries: Value,
    /// `[population]` as written.
    pub population: Value,
    /// `[deprivation]` as written.
    pub deprivation: Value,
    /// `[[source]]` as written.
    pub sources: Value,
    /// `[services]` as written.
    pub services: Value,
    /// `[access]`, `[need]`, `[gap]`, `[sites]` and `[priority]` as written (`null` when
    /// absent), keyed by section.
    #[serde(default)]
    pub access: Value,
    /// The public rule: required, every key present.
    #[serde(deserialize_with = "strict_disclosure")]
    pub disclosure: DisclosureSection,
    /// `[serve]` (missing: no token and no CORS origins, so nobody can sign in).
    #[serde(default)]
    pub serve: ServeSection,
}

/// `[serve]`: how `safemap serve` authenticates analysts and which browsers may call it.
/// Only where the token is kept is recorded, never the token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSection {
    /// A file holding the analyst bearer token (relative to the study file).
    pub token_file: Option<PathBuf>,
    /// Or an environment variable holding it.
    pub token_env: Option<String>,
    /// Origins allowed by CORS (none by default: same-origin only; `*` for any).
    #[serde(default)]
    pub cors_origins: Vec<String>,
}

/// The roles of input files that hold no event and no service: their names, sizes and
/// checksums are public.
pub const PUBLIC_INPUT_ROLES: [&str; 3] = ["boundaries", "population", "deprivation"];

/// The role of a source's input files: `source:{name}`.
pub fn source_input_role(source: &str) -> String {
    format!("source:{source}")
}

/// One input file and its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// What the file is (`boundaries`, `population`, `source:police`, ...).
    pub role: String,
    /// Path as given (tidied).
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Whether a source's events have a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// Month only (data.police.uk).
    Month,
    /// Date and time.
    Timestamp,
}

/// One `[[source]]` as the run found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// Name in the study.
    pub name: String,
    /// Reader format.
    pub format: String,
    /// Month or timestamp.
    pub time_precision: TimePrecision,
    /// Domestic abuse or health records: locations analyst only. Missing or not a boolean
    /// reads as true, and so does a source that is sensitive by nature
    /// ([`SourceEntry::sensitive_by_nature`]).
    #[serde(default = "yes", deserialize_with = "fail_closed")]
    pub sensitive: bool,
    /// Why the source is sensitive, in words (`null` when it is not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_because: Option<String>,
    /// Measure names: categories (as mapped, sorted), then `flag_*`.
    pub measures: Vec<String>,
    /// Column slugs of the measures, same order.
    pub slugs: Vec<String>,
    /// Measures `0..n_categories` are categories; the rest are flags.
    pub n_categories: usize,
    /// The months its counts cover, `[from, to]` (`YYYY-MM` in JSON).
    pub months: Option<[Month; 2]>,
    /// Row accounting.
    pub accounting: Value,
    /// Which (area, month) cells its files cover.
    pub coverage: Option<CoverageSummary>,
    /// What its rates are per (missing in older results: residents per `rate_per`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateEntry>,
}

/// What a source's rates are per.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateEntry {
    /// `residents` (`[population]`) or a `[[denominator]]`'s name.
    pub denominator: String,
    /// The areas' column holding it (`population`, `denominator_{name}`).
    pub column: String,
    /// Rates are per this many.
    pub per: f64,
    /// In words: `per 100,000 residents aged 10-17`.
    pub label: String,
}

fn yes() -> bool {
    true
}

impl SourceEntry {
    /// Why the source's data is sensitive whatever the study says: ED records (format
    /// [`ED_FORMAT`]) or a domestic-abuse flag (measure [`DOMESTIC_ABUSE_MEASURE`]).
    pub fn sensitive_by_nature(&self) -> Option<&'static str> {
        if self.format == ED_FORMAT {
            Some("Emergency Department records")
        } else if self.measures.iter().any(|m| m == DOMESTIC_ABUSE_MEASURE) {
            Some("it carries a domestic-abuse flag")
        } else {
            None
        }
    }
}

/// One `[[analysis]]` with its global results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisEntry {
    /// Name in the study.
    pub name: String,
    /// Its settings as written.
    pub settings: AnalysisSettings,
    /// Areas with a value.
    pub areas_analysed: usize,
    /// Areas left out for want of data.
    pub areas_without_data: usize,
    /// How areas without data are treated, in words.
    pub areas_without_data_rule: String,
    /// The seed of its permutation stream (derived from the study seed and its name).
    pub seed: u64,
    /// Areas whose Empirical Bayes prior variance was negative and clamped.
    pub eb_negative_prior_variance_clamped: Value,
    /// Global Moran's I (`null` when not asked for).
    pub global_moran: Value,
    /// Each local statistic's conventions and cut-offs.
    pub local: Vec<Value>,
}

/// The settings of an analysis the server reads, and the rest as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisSettings {
    /// The source analysed (absent for `[[measure]]` analyses).
    #[serde(default)]
    pub source: Option<String>,
    /// The measure analysed.
    #[serde(default)]
    pub category: Option<String>,
    /// The statistics run (`gi_star`, `local_moran`, `global_moran`, ...).
    #[serde(default)]
    pub statistics: Vec<String>,
    /// The multiple-testing correction of the adjusted classes.
    #[serde(default)]
    pub correction: Option<String>,
    /// Every other setting.
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

impl Manifest {
    /// Reads a manifest, strictly: see the module documentation.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ManifestError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| ManifestError::Key {
            key: "(document)".into(),
            message: e.to_string(),
        })?;
        let found = value.get("format_version").and_then(Value::as_u64);
        if found != Some(u64::from(FORMAT_VERSION)) {
            return Err(ManifestError::Version {
                found: found.unwrap_or(0),
                version: env!("CARGO_PKG_VERSION"),
            });
        }
        let mut manifest: Manifest =
            serde_path_to_error::deserialize(value).map_err(|e| ManifestError::Key {
                key: e.path().to_string(),
                message: e.inner().to_string(),
            })?;
        for source in &mut manifest.sources {
            if let Some(why) = source.sensitive_by_nature() {
                source.sensitive = true;
                source
                    .sensitive_because
                    .get_or_insert_with(|| why.to_string());
            }
        }
        for (i, layer) in manifest.layers.iter().enumerate() {
            layer
                .check(&manifest.sources)
                .map_err(|message| ManifestError::Key {
                    key: format!("layers[{i}]"),
                    message,
                })?;
        }
        Ok(manifest)
    }

    /// The public small-number rule.
    pub fn disclosure_rule(&self) -> DisclosureRule {
        DisclosureRule::from(self.parameters.disclosure)
    }

    /// The registry entry of a layer.
    pub fn layer(&self, name: &str) -> Option<&LayerEntry> {
        self.layers.iter().find(|l| l.name == name)
    }

    /// Whether the public may learn more of an input file than that it exists (its name,
    /// size and checksum): the boundaries and denominator tables, and the files of a known
    /// source that is not sensitive. Not the files of a sensitive source, nor the service
    /// register (it may hold confidential services), nor any other role (fail closed).
    pub fn is_public_input(&self, input: &InputFile) -> bool {
        match self
            .sources
            .iter()
            .find(|s| source_input_role(&s.name) == input.role)
        {
            Some(source) => !source.sensitive,
            None => PUBLIC_INPUT_ROLES.contains(&input.role.as_str()),
        }
    }
}

/// `parameters.disclosure` in a manifest: both keys present, `round_to` at least 1. (The
/// study file may leave them out for the defaults; the engine always writes both.)
fn strict_disclosure<'de, D: Deserializer<'de>>(d: D) -> Result<DisclosureSection, D::Error> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        suppress_max: u64,
        round_to: u64,
    }
    let s = Strict::deserialize(d)?;
    if s.round_to == 0 {
        return Err(serde::de::Error::custom(
            "round_to is 0; expected a whole number of at least 1",
        ));
    }
    Ok(DisclosureSection {
        suppress_max: s.suppress_max,
        round_to: s.round_to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(format: &str, measures: &[&str]) -> SourceEntry {
        serde_json::from_value(serde_json::json!({"name": "incidents", "format": format,
            "time_precision": "timestamp", "sensitive": false, "measures": measures,
            "slugs": measures, "n_categories": 1, "months": null, "accounting": {},
            "coverage": null}))
        .unwrap()
    }

    #[test]
    fn ed_records_and_a_domestic_abuse_flag_are_sensitive_by_nature() {
        assert!(source("events_csv", &["theft", "flag_alcohol"])
            .sensitive_by_nature()
            .is_none());
        let flagged = source("events_csv", &["theft", DOMESTIC_ABUSE_MEASURE]);
        assert!(flagged
            .sensitive_by_nature()
            .unwrap()
            .contains("domestic-abuse"));
        assert!(source(ED_FORMAT, &["assault"])
            .sensitive_by_nature()
            .unwrap()
            .contains("Emergency Department"));
    }
}
