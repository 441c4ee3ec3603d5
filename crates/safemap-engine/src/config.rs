//! The study file: a TOML document naming the inputs, their column mappings, the join
//! mode, the categories, the period and the output directory.
//!
//! Unknown keys are an error that names the key. Relative paths are resolved against the
//! directory of the study file. Analytic defaults (rate base, confidence level, edge rule)
//! are written into the run manifest, never applied silently.

use safemap_types::{Crs, MonthRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A study file, as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// General settings.
    pub study: StudySection,
    /// The areas events are joined to.
    pub boundaries: BoundariesSection,
    /// Residents per area (the rate denominator).
    pub population: Option<KeyedSection>,
    /// Deprivation decile (or rank) per area.
    pub deprivation: Option<KeyedSection>,
    /// `[period]`: months to keep (`from`, `to` as `YYYY-MM`, inclusive); events outside
    /// count as outside the study.
    pub period: Option<MonthRange>,
    /// Event sources (`[[source]]` tables).
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceSection>,
    /// The service register.
    pub services: Option<ServicesSection>,
    /// Area-level values that arrive already aggregated (`[[measure]]` tables).
    #[serde(rename = "measure", default)]
    pub measures: Vec<MeasureSection>,
    /// Spatial weights for the analyses.
    pub weights: Option<WeightsSection>,
    /// Spatial statistics to run (`[[analysis]]` tables).
    #[serde(rename = "analysis", default)]
    pub analyses: Vec<AnalysisSection>,
    /// Hotspots on a regular grid of cells.
    pub grid: Option<GridSection>,
    /// A kernel density surface.
    pub density: Option<DensitySection>,
    /// Disclosure control of everything the public role sees.
    #[serde(default)]
    pub disclosure: DisclosureSection,
    /// Settings of `safemap serve` for this study's results.
    #[serde(default)]
    pub serve: ServeSection,
    /// Directory of the study file; relative paths are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// Path of the study file itself.
    #[serde(skip)]
    pub file: PathBuf,
}

/// `[study]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudySection {
    /// Title shown in outputs.
    pub name: String,
    /// Seed for every random step (recorded in the manifest).
    #[serde(default)]
    pub seed: u64,
    /// Where outputs go (relative to the study file); `--out` overrides it.
    pub output_dir: PathBuf,
    /// Rates are per this many residents.
    #[serde(default = "default_rate_per")]
    pub rate_per: f64,
    /// Coverage of the exact Poisson intervals.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// If any source rejects more than this share of its rows, `run` and `validate` exit with
    /// code 1 (see [`crate::pipeline::Prepared::over_reject_threshold`]).
    pub max_reject_share: Option<f64>,
}

fn default_rate_per() -> f64 {
    1000.0
}

fn default_confidence() -> f64 {
    0.95
}

/// `[boundaries]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoundariesSection {
    /// GeoJSON (`.json`, `.geojson`, optionally `.gz`) or Shapefile (`.shp`).
    pub path: PathBuf,
    /// Property holding the area code.
    pub id_field: String,
    /// Property holding the area name.
    pub name_field: Option<String>,
    /// CRS of the file when it does not declare one.
    pub crs: Option<Crs>,
}

/// `[population]` or `[deprivation]`: a CSV keyed by area code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column with the area code.
    pub code_column: String,
    /// Column with the value.
    pub value_column: String,
}

/// Formats an event source can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// data.police.uk street CSVs (month precision).
    PoliceUk,
    /// A force's own extract, mapped by `[source.columns]`.
    EventsCsv,
    /// Emergency Department assault records (ISTV), optionally re-mapped by `[source.columns]`.
    EdIstv,
}

/// How events find their area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// Point in polygon.
    Spatial,
    /// The row's own area code (e.g. police.uk `LSOA code`).
    Code,
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
    /// Domestic abuse or health records: only aggregated, disclosure-controlled output.
    #[serde(default)]
    pub sensitive: bool,
    /// Raw category → analysis category; a raw value not listed is rejected.
    pub categories: Option<BTreeMap<String, String>>,
    /// Column mapping for `events_csv` (required) and `ed_istv` (optional overrides).
    pub columns: Option<toml::Table>,
    /// Where the source's coverage comes from (`police_uk` only); without it, which areas a
    /// force covers is inferred from the rows (see the `coverage` module).
    pub coverage: Option<CoverageSection>,
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

/// `[disclosure]`: small-number control of public outputs (the NHS convention by default:
/// counts of 1 to 7 suppressed, every other count rounded to the nearest 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureSection {
    /// Counts from 1 up to this value are suppressed.
    #[serde(default = "default_suppress_max")]
    pub suppress_max: u64,
    /// Every other count is rounded to the nearest multiple of this (1: not rounded).
    #[serde(default = "default_round_to")]
    pub round_to: u64,
}

impl Default for DisclosureSection {
    fn default() -> Self {
        Self {
            suppress_max: default_suppress_max(),
            round_to: default_round_to(),
        }
    }
}

fn default_suppress_max() -> u64 {
    7
}

fn default_round_to() -> u64 {
    5
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

impl SourceSection {
    /// Sensitive sources (domestic abuse, health records) reach the public only aggregated
    /// and disclosure-controlled; ED (ISTV) sources are sensitive whatever the file says.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive || self.format == SourceFormat::EdIstv
    }
}

/// `[services]`: the service register.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServicesSection {
    /// The CSV file.
    pub path: PathBuf,
    /// Column mapping overrides.
    pub columns: Option<toml::Table>,
}

/// One `[[measure]]` table: a value per area from the boundary file or a CSV keyed by code
/// (e.g. children's social care referrals by neighbourhood, or a shapefile's `CRIME`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSection {
    /// Lower-case name, used by `[[analysis]] measure = ...` and in output columns.
    pub name: String,
    /// A numeric property (GeoJSON) or attribute (Shapefile) of the boundary file.
    pub boundary_field: Option<String>,
    /// Or a CSV keyed by area code.
    pub table: Option<KeyedSection>,
    /// `value` (analysed as given: a rate, a score) or `count` (divided by the population
    /// into a rate per `rate_per`, and smoothable).
    #[serde(default)]
    pub kind: MeasureKind,
}

/// How a measure's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Analysed as given.
    #[default]
    Value,
    /// A count; its population is the study's `[population]`.
    Count,
}

/// `[weights]`: the neighbours every analysis uses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsSection {
    /// `queen`, `rook`, `distance_band`, `knn` or `file` (GAL/GWT whose ids are area codes).
    pub kind: WeightsKind,
    /// Contiguity: polygons closer than this (metres) count as touching.
    #[serde(default)]
    pub tolerance_m: f64,
    /// Distance band: neighbours within this distance (metres) of the area's centroid.
    pub threshold_m: Option<f64>,
    /// k-nearest neighbours: how many.
    pub k: Option<usize>,
    /// File: the `.gal` or `.gwt`.
    pub path: Option<PathBuf>,
}

/// Kinds of spatial weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsKind {
    /// Polygons sharing a boundary point (within `tolerance_m`).
    Queen,
    /// Polygons sharing a boundary segment of positive length.
    Rook,
    /// Centroids within `threshold_m`.
    DistanceBand,
    /// The `k` nearest centroids.
    Knn,
    /// Read from `path`.
    File,
}

/// One `[[analysis]]` table: which values, which statistics.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSection {
    /// Lower-case name; prefixes the output columns.
    pub name: String,
    /// Analyse a `[[measure]]` ...
    pub measure: Option<String>,
    /// ... or the counts of a `[[source]]`:
    pub source: Option<String>,
    /// the source's measure: `all`, a category slug (as in the output columns, e.g.
    /// `violence_and_sexual_offences`) or a flag (`flag_domestic_abuse`);
    pub category: Option<String>,
    /// restricted to these months (default: the study period).
    pub period: Option<MonthRange>,
    /// What is analysed for counts: `rate` (the default), `count`, `eb_rate` (global
    /// Empirical Bayes), `spatial_eb_rate`, or `eb_standardised` (Assunção-Reis, the Moran
    /// input for rates). A measure of kind `value` is analysed as given and takes no `value`.
    pub value: Option<ValueKind>,
    /// Statistics to compute.
    pub statistics: Vec<Statistic>,
    /// Conditional permutations for pseudo p-values (0 = none).
    #[serde(default = "default_permutations")]
    pub permutations: usize,
    /// Multiple-testing correction shown beside the raw classes: `fdr` (Benjamini-Hochberg) or
    /// `bonferroni`.
    #[serde(default)]
    pub correction: CorrectionName,
    /// Clamp a negative Empirical Bayes prior variance at 0 (as GeoDa; esda does not).
    #[serde(default = "default_true")]
    pub clamp_negative_prior: bool,
}

fn default_permutations() -> usize {
    999
}

fn default_true() -> bool {
    true
}

/// `[grid]`: events counted in square or hexagonal cells over the study area, Gi* on the
/// cells with distance-band weights between cell centres.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GridSection {
    /// `square` or `hexagon`.
    pub shape: GridShape,
    /// Square side or hexagon width across flats, metres.
    pub cell_size_m: f64,
    /// The source whose events are counted.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// Months (default: the study period).
    pub period: Option<MonthRange>,
    /// Cells whose centres lie within this distance are neighbours (metres).
    pub threshold_m: f64,
    /// Conditional permutations for pseudo p-values.
    #[serde(default = "default_permutations")]
    pub permutations: usize,
    /// Correction shown beside the raw classes.
    #[serde(default)]
    pub correction: CorrectionName,
}

/// Cell shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GridShape {
    /// Squares.
    Square,
    /// Pointy-top hexagons.
    Hexagon,
}

/// `[density]`: a kernel density surface of events.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DensitySection {
    /// The source whose events are smoothed.
    pub source: String,
    /// `all`, a category slug or a flag (default `all`).
    pub category: Option<String>,
    /// Months (default: the study period).
    pub period: Option<MonthRange>,
    /// Raster cell size, metres.
    pub cell_size_m: f64,
    /// `quartic` (default) or `gaussian`.
    #[serde(default)]
    pub kernel: KernelName,
    /// Bandwidth in metres (quartic radius, Gaussian standard deviation); when absent the
    /// ArcGIS Pro default rule (spatial Silverman) is used and recorded in the manifest.
    pub bandwidth_m: Option<f64>,
}

/// Kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KernelName {
    /// Quartic (biweight), as ArcGIS and CrimeStat.
    #[default]
    Quartic,
    /// Gaussian.
    Gaussian,
}

/// What an analysis computes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Count per `rate_per` residents.
    Rate,
    /// The count itself.
    Count,
    /// Global Empirical Bayes (Marshall) smoothed rate.
    EbRate,
    /// Spatial Empirical Bayes smoothed rate (prior from each area's neighbourhood).
    SpatialEbRate,
    /// Assunção-Reis EB-standardised rate.
    EbStandardised,
}

/// Statistics an analysis can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Global Moran's I, row-standardised weights.
    GlobalMoran,
    /// Local Moran's I (LISA), row-standardised weights.
    LocalMoran,
    /// Getis-Ord Gi*, binary weights.
    GiStar,
    /// Getis-Ord Gi*, row-standardised weights.
    GiStarRowstd,
    /// Getis-Ord Gi (no self), binary weights.
    Gi,
    /// Getis-Ord Gi (no self), row-standardised weights.
    GiRowstd,
}

/// Multiple-testing corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionName {
    /// Benjamini-Hochberg false discovery rate.
    #[default]
    Fdr,
    /// Bonferroni.
    Bonferroni,
}

/// Why a study file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read study file {path}: {source}")]
    Read {
        /// The study file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, a wrong type or an unknown key.
    #[error("study file {path}: {message}")]
    Parse {
        /// The study file.
        path: PathBuf,
        /// What the TOML parser said, with line and column (names the unknown key).
        message: String,
    },
    /// A key whose value has the wrong form (a month that is not `YYYY-MM`, a period whose
    /// `from` is after its `to`, a wrong type, an unknown key within a table).
    #[error("study file {path}, line {line}: `{key}`: {message}")]
    Key {
        /// The study file.
        path: PathBuf,
        /// Dotted key, e.g. `grid.period.from` or `analysis[1].period`.
        key: String,
        /// Line of the value in the file.
        line: usize,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A value that parses but is not allowed.
    #[error("study file {path}: `{key}` = {value}: {expected}")]
    Invalid {
        /// The study file.
        path: PathBuf,
        /// Dotted key, e.g. `source[1].name`.
        key: String,
        /// The value found.
        value: String,
        /// What is expected instead.
        expected: String,
    },
}

impl Study {
    /// Reads, parses and checks a study file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let parse_error = |e: toml::de::Error| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        };
        let document = toml::Deserializer::parse(&text).map_err(parse_error)?;
        let mut study: Study = serde_path_to_error::deserialize(document).map_err(|e| {
            let key = e.path().to_string();
            let e = e.into_inner();
            match e.span() {
                Some(span) if key != "." => ConfigError::Key {
                    path: path.to_path_buf(),
                    key,
                    line: text[..span.start].matches('\n').count() + 1,
                    message: e.message().to_string(),
                },
                _ => parse_error(e),
            }
        })?;
        study.file = path.to_path_buf();
        study.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        study.check()?;
        Ok(study)
    }

    /// True when a grid or density surface needs the event locations of `source`.
    pub fn uses_points(&self, source: &str) -> bool {
        self.grid.as_ref().is_some_and(|g| g.source == source)
            || self.density.as_ref().is_some_and(|d| d.source == source)
    }

    /// A path from the study file, resolved against the study file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    fn invalid(&self, key: &str, value: impl std::fmt::Display, expected: &str) -> ConfigError {
        ConfigError::Invalid {
            path: self.file.clone(),
            key: key.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }

    fn check(&self) -> Result<(), ConfigError> {
        let s = &self.study;
        if !(s.rate_per.is_finite() && s.rate_per > 0.0) {
            return Err(self.invalid(
                "study.rate_per",
                s.rate_per,
                "expected a positive number such as 1000",
            ));
        }
        if !(s.confidence > 0.0 && s.confidence < 1.0) {
            return Err(self.invalid(
                "study.confidence",
                s.confidence,
                "expected a level between 0 and 1 such as 0.95",
            ));
        }
        if let Some(m) = s.max_reject_share {
            if !(0.0..=1.0).contains(&m) {
                return Err(self.invalid(
                    "study.max_reject_share",
                    m,
                    "expected a share between 0 and 1",
                ));
            }
        }
        if self.sources.is_empty() && self.measures.is_empty() {
            return Err(self.invalid(
                "source",
                "(none)",
                "add at least one [[source]] or [[measure]] table",
            ));
        }
        if self.disclosure.round_to == 0 {
            return Err(self.invalid(
                "disclosure.round_to",
                0,
                "expected a positive whole number such as 5 (1 leaves counts unrounded)",
            ));
        }
        if self.serve.token_file.is_some() && self.serve.token_env.is_some() {
            return Err(self.invalid(
                "serve.token_env",
                format!("{:?}", self.serve.token_env),
                "give either serve.token_file or serve.token_env, not both",
            ));
        }
        self.check_analyses()?;
        let mut seen = std::collections::BTreeSet::new();
        for (i, src) in self.sources.iter().enumerate() {
            let key = format!("source[{i}].name");
            let ok = !src.name.is_empty()
                && src
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                return Err(self.invalid(
                    &key,
                    format!("{:?}", src.name),
                    "expected lower-case letters, digits and _ (it prefixes output columns)",
                ));
            }
            if !seen.insert(src.name.as_str()) {
                return Err(self.invalid(
                    &key,
                    format!("{:?}", src.name),
                    "source names must be unique",
                ));
            }
            if src.paths.is_empty() {
                return Err(self.invalid(
                    &format!("source[{i}].paths"),
                    "[]",
                    "list at least one file or glob pattern",
                ));
            }
            if src.format == SourceFormat::EventsCsv && src.columns.is_none() {
                return Err(self.invalid(&format!("source[{i}].columns"), "(missing)", "an events_csv source needs a [source.columns] table mapping x, y, crs, time, time_format and category"));
            }
            if src.format != SourceFormat::PoliceUk && src.coverage.is_some() {
                return Err(self.invalid(
                    &format!("source[{i}].coverage"),
                    "(table)",
                    "force-area coverage is for police_uk sources, whose file names name the force; other sources cover every area for the months they span",
                ));
            }
            if src.format == SourceFormat::PoliceUk && src.columns.is_some() {
                return Err(self.invalid(
                    &format!("source[{i}].columns"),
                    "(table)",
                    "police_uk files have fixed columns; remove [source.columns]",
                ));
            }
        }
        Ok(())
    }
}

impl Study {
    fn check_analyses(&self) -> Result<(), ConfigError> {
        let name_ok = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        for (i, m) in self.measures.iter().enumerate() {
            if !name_ok(&m.name) {
                return Err(self.invalid(
                    &format!("measure[{i}].name"),
                    format!("{:?}", m.name),
                    "expected lower-case letters, digits and _",
                ));
            }
            if m.boundary_field.is_some() == m.table.is_some() {
                return Err(self.invalid(
                    &format!("measure[{i}]"),
                    &m.name,
                    "give exactly one of boundary_field or [measure.table]",
                ));
            }
        }
        if !self.analyses.is_empty() && self.weights.is_none() {
            return Err(self.invalid("weights", "(missing)", "analyses need a [weights] table (kind = \"queen\", \"rook\", \"distance_band\", \"knn\" or \"file\")"));
        }
        if let Some(w) = &self.weights {
            let missing = match w.kind {
                WeightsKind::DistanceBand
                    if w.threshold_m.is_none_or(|t| t.is_nan() || t <= 0.0) =>
                {
                    Some("threshold_m (a positive distance in metres)")
                }
                WeightsKind::Knn if w.k.is_none_or(|k| k == 0) => {
                    Some("k (a positive number of neighbours)")
                }
                WeightsKind::File if w.path.is_none() => Some("path (a .gal or .gwt file)"),
                _ => None,
            };
            if let Some(what) = missing {
                return Err(self.invalid(
                    "weights",
                    format!("{:?}", w.kind),
                    &format!("this kind needs {what}"),
                ));
            }
            if !(w.tolerance_m >= 0.0 && w.tolerance_m.is_finite()) {
                return Err(self.invalid(
                    "weights.tolerance_m",
                    w.tolerance_m,
                    "expected a distance of 0 or more metres",
                ));
            }
        }
        let positive = |key: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(self.invalid(key, v, "expected a positive distance in metres"))
            }
        };
        if let Some(g) = &self.grid {
            positive("grid.cell_size_m", g.cell_size_m)?;
            positive("grid.threshold_m", g.threshold_m)?;
        }
        if let Some(d) = &self.density {
            positive("density.cell_size_m", d.cell_size_m)?;
            if let Some(b) = d.bandwidth_m {
                positive("density.bandwidth_m", b)?;
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, a) in self.analyses.iter().enumerate() {
            let key = |k: &str| format!("analysis[{i}].{k}");
            if !name_ok(&a.name) || !names.insert(a.name.as_str()) {
                return Err(self.invalid(
                    &key("name"),
                    format!("{:?}", a.name),
                    "expected a unique name of lower-case letters, digits and _",
                ));
            }
            match (&a.measure, &a.source) {
                (Some(m), None) => {
                    if !self.measures.iter().any(|x| &x.name == m) {
                        return Err(self.invalid(
                            &key("measure"),
                            format!("{m:?}"),
                            "no [[measure]] has this name",
                        ));
                    }
                }
                (None, Some(s)) => {
                    if !self.sources.iter().any(|x| &x.name == s) {
                        return Err(self.invalid(
                            &key("source"),
                            format!("{s:?}"),
                            "no [[source]] has this name",
                        ));
                    }
                }
                _ => {
                    return Err(self.invalid(
                        &key("measure"),
                        &a.name,
                        "give exactly one of measure or source",
                    ))
                }
            }
            if a.statistics.is_empty() {
                return Err(self.invalid(
                    &key("statistics"),
                    "[]",
                    "list global_moran, local_moran, gi_star, gi_star_rowstd, gi or gi_rowstd",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[study]
name = "t"
output_dir = "out"
[boundaries]
path = "b.geojson"
id_field = "code"
[[source]]
name = "police"
format = "police_uk"
paths = ["p/*.csv"]
join = "spatial"
"#;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn loads_minimal_study_with_defaults() {
        let (dir, path) = write(MINIMAL);
        let s = Study::load(&path).unwrap();
        assert_eq!(s.study.rate_per, 1000.0);
        assert_eq!(s.sources[0].edge_rule, EdgeRuleName::LowestAreaId);
        assert_eq!(
            s.resolve(Path::new("b.geojson")),
            dir.path().join("b.geojson")
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let (_dir, path) = write(&MINIMAL.replace("id_field", "colour = \"red\"\nid_field"));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(err.contains("unknown field `colour`"), "{err}");
        assert!(err.contains("study.toml"), "{err}");
    }

    #[test]
    fn bad_values_are_named() {
        let (_dir, path) = write(&MINIMAL.replace("name = \"police\"", "name = \"Police UK\""));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(err.contains("source[0].name"), "{err}");
    }

    #[test]
    fn every_period_is_checked_and_named() {
        let grid = "[grid]\nshape = \"square\"\ncell_size_m = 250\nsource = \"police\"\nthreshold_m = 500\n";
        let density = "[density]\nsource = \"police\"\ncell_size_m = 100\n";
        let analysis = "[weights]\nkind = \"queen\"\n[[analysis]]\nname = \"a\"\nsource = \"police\"\nstatistics = [\"gi_star\"]\n";
        let cases = [
            (
                "[period]\nfrom = \"2019-02\"\nto = \"2018-13\"\n",
                "period.to",
                "\"2018-13\"",
            ),
            (
                "[period]\nfrom = \"2019-2\"\nto = \"2019-12\"\n",
                "period.from",
                "\"2019-2\"",
            ),
            (
                "[period]\nfrom = \"2019-02\"\nto = \"2019-01\"\n",
                "period",
                "from (2019-02) is after to (2019-01)",
            ),
            (
                &format!("{grid}period = {{ from = \"2023-13\", to = \"2024-01\" }}\n"),
                "grid.period.from",
                "\"2023-13\"",
            ),
            (
                &format!("{density}period = {{ from = \"2024-01\", to = \"2023-12\" }}\n"),
                "density.period",
                "from (2024-01) is after to (2023-12)",
            ),
            (
                &format!("{analysis}period = {{ from = \"2024-01\", to = \"2024-00\" }}\n"),
                "analysis[0].period.to",
                "\"2024-00\"",
            ),
            (
                &format!("{analysis}period = {{ from = \"2024-02\", to = \"2024-01\" }}\n"),
                "analysis[0].period",
                "from (2024-02) is after to (2024-01)",
            ),
        ];
        for (extra, key, value) in cases {
            let (_dir, path) = write(&format!("{MINIMAL}{extra}"));
            let err = Study::load(&path).unwrap_err();
            assert!(
                matches!(&err, ConfigError::Key { key: k, .. } if k == key),
                "{key}: {err:?}"
            );
            let err = err.to_string();
            assert!(
                err.contains(&format!("`{key}`")) && err.contains(value),
                "{err}"
            );
        }
        let (_dir, path) = write(&format!(
            "{MINIMAL}[period]\nfrom = \"2019-02\"\nto = \"2019-02\"\n{grid}period = {{ from = \"2019-02\", to = \"2019-02\" }}\n"
        ));
        let s = Study::load(&path).unwrap();
        assert_eq!(s.period, s.grid.and_then(|g| g.period));
        assert_eq!(s.period.map(|p| p.len()), Some(1));
    }
}
