//! The study file: a TOML document naming the inputs, their column mappings, the join
//! mode, the categories, the period and the output directory.
//!
//! Unknown keys are an error that names the key. Relative paths are resolved against the
//! directory of the study file. Analytic defaults (rate base, confidence level, edge rule)
//! are written into the run manifest, never applied silently. Every month and period is
//! checked as it is read ([`safemap_types::Month`], [`MonthRange`]); a bad one names its key
//! (`grid.period.from`).
//!
//! One file per section, each with its type and its checks: `study.rs`, `boundaries.rs`,
//! `keyed.rs` (`[population]`, `[deprivation]`, a measure's table), `vintage.rs`
//! (`[[vintage_lookup]]`), `denominator.rs`, `neighbourhoods.rs`, `source.rs`, `services.rs`, `postcodes.rs`,
//! `measure.rs`, `weights.rs`, `analysis.rs`, `grid.rs`, `density.rs`,
//! `evaluation.rs`, `time.rs` (`[time]`, `[[emerging]]`, `[[change]]`), `access.rs` (`[access]`), `need.rs` (`[need]`, `[gap]`), `sites.rs`
//! (`[sites]`, `[priority]`), `ed_vs_police.rs`, `comparison.rs`, `disclosure.rs`, `serve.rs`, `limits.rs`; `error.rs` holds
//! [`ConfigError`]. This file loads the study
//! and runs the checks in order.

mod access;
mod analysis;
mod boundaries;
mod comparison;
mod denominator;
mod density;
mod disclosure;
mod ed_vs_police;
mod error;
mod evaluation;
mod grid;
mod keyed;
mod limits;
mod measure;
mod need;
mod neighbourhoods;
mod postcodes;
mod serve;
mod services;
mod sites;
mod source;
mod study;
#[cfg(test)]
mod tests;
mod time;
mod vintage;
mod weights;

pub use access::{
    AccessSection, CentroidsSection, CostMatrixSection, DecayName, MethodName, ScoreSection,
};
pub use analysis::{AnalysisSection, CorrectionName, Statistic, ValueKind, WindowName};
pub use boundaries::BoundariesSection;
pub use comparison::{
    CharacteristicKind, CharacteristicSection, ComparisonSection, DensityBoundaries, LookupStep,
    PartnershipTable, RouteSection,
};
pub use denominator::{DenominatorSection, RateBase, RESIDENTS};
pub use density::{DensitySection, KernelName};
pub use disclosure::DisclosureSection;
pub use ed_vs_police::{EdVsPolice, EdVsPoliceSection};
pub use error::ConfigError;
pub use evaluation::{
    getis_ord_statistic, EvaluationSection, HotspotMethod, RollingSection, UnitKind,
};
pub use grid::{GridSection, GridShape};
pub use keyed::KeyedSection;
pub use limits::LimitsSection;
pub use measure::{MeasureKind, MeasureSection};
pub use need::{ComponentSection, GapSection, NeedSection};
pub use neighbourhoods::{MembershipLookup, NeighbourhoodsSection};
pub use postcodes::PostcodesSection;
pub use serve::ServeSection;
pub use services::ServicesSection;
pub use sites::{PrioritySection, SitesSection};
pub use source::{
    CoverageSection, EdgeRuleName, JoinMode, Sensitivity, SourceFormat, SourceSection,
};
pub use study::StudySection;
pub use time::{
    ChangeSection, CubeValue, EmergingSection, SignificanceName, SliceKind, TimeSection,
    WindowSection,
};
pub use vintage::VintageLookupSection;
pub use weights::{WeightsKind, WeightsSection};

use safemap_types::MonthRange;
use serde::{Deserialize, Serialize};
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
    /// The coarser geography the study reports at, built from its small areas.
    pub neighbourhoods: Option<NeighbourhoodsSection>,
    /// Other populations rates can be per (`[[denominator]]` tables).
    #[serde(rename = "denominator", default)]
    pub denominators: Vec<DenominatorSection>,
    /// Lookups between boundary vintages (`[[vintage_lookup]]` tables).
    #[serde(rename = "vintage_lookup", default)]
    pub vintage_lookups: Vec<VintageLookupSection>,
    /// `[period]`: months to keep (`from`, `to` as `YYYY-MM`, inclusive); events outside
    /// count as outside the study.
    pub period: Option<MonthRange>,
    /// Event sources (`[[source]]` tables).
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceSection>,
    /// The service register.
    pub services: Option<ServicesSection>,
    /// The postcode directory placing rows located by postcode.
    pub postcodes: Option<PostcodesSection>,
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
    /// The summary periods and the night-time-economy window.
    #[serde(default)]
    pub time: TimeSection,
    /// Emerging hot spot analyses (`[[emerging]]` tables).
    #[serde(rename = "emerging", default)]
    pub emerging: Vec<EmergingSection>,
    /// Change between two periods per area (`[[change]]` tables).
    #[serde(rename = "change", default)]
    pub changes: Vec<ChangeSection>,
    /// Hotspot evaluations (`[[evaluation]]` tables): one period's hotspots against the
    /// next period's events.
    #[serde(rename = "evaluation", default)]
    pub evaluations: Vec<EvaluationSection>,
    /// Access to services per area and kind.
    pub access: Option<AccessSection>,
    /// A need index of area columns.
    pub need: Option<NeedSection>,
    /// Need against access.
    pub gap: Option<GapSection>,
    /// New sites that would cover the most unmet need.
    pub sites: Option<SitesSection>,
    /// The priority ranking of areas.
    pub priority: Option<PrioritySection>,
    /// ED assaults against police-recorded violence per area.
    pub ed_vs_police: Option<EdVsPoliceSection>,
    /// The study's partnership against all partnerships and its most similar ones.
    pub comparison: Option<ComparisonSection>,
    /// Disclosure control of everything the public role sees.
    #[serde(default)]
    pub disclosure: DisclosureSection,
    /// Settings of `safemap serve` for this study's results.
    #[serde(default)]
    pub serve: ServeSection,
    /// How far one input file may make the run go.
    #[serde(default)]
    pub limits: LimitsSection,
    /// Directory of the study file; relative paths are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// Path of the study file itself.
    #[serde(skip)]
    pub file: PathBuf,
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

    /// True when a grid, a density surface, an emerging analysis on grid cells or an
    /// evaluation over grid cells needs the event
    /// locations of `source`.
    pub fn uses_points(&self, source: &str) -> bool {
        self.grid.as_ref().is_some_and(|g| g.source == source)
            || self.density.as_ref().is_some_and(|d| d.source == source)
            || self.emerging.iter().any(|e| e.grid && e.source == source)
            || self.evaluations.iter().any(|e| {
                e.source_name(self) == source && e.unit_kinds(self).contains(&UnitKind::Grid)
            })
    }

    /// A path from the study file, resolved against the study file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// The error for `key` = `value`, saying what is expected.
    fn invalid(&self, key: &str, value: impl std::fmt::Display, expected: &str) -> ConfigError {
        ConfigError::Invalid {
            path: self.file.clone(),
            key: key.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }

    /// Fails unless `v` is a positive, finite distance.
    fn positive_metres(&self, key: &str, v: f64) -> Result<(), ConfigError> {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(self.invalid(key, v, "expected a positive distance in metres"))
        }
    }

    /// Checks what the types cannot: each section in turn, then the links between them.
    fn check(&self) -> Result<(), ConfigError> {
        self.study.check(self)?;
        if self.sources.is_empty() && self.measures.is_empty() && self.access.is_none() {
            return Err(self.invalid(
                "source",
                "(none)",
                "add at least one [[source]] or [[measure]] table, or an [access] section",
            ));
        }
        disclosure::check(&self.disclosure, self)?;
        serve::check(&self.serve, self)?;
        self.limits.check(self)?;
        measure::check(self)?;
        vintage::check(self)?;
        denominator::check(self)?;
        if let Some(n) = &self.neighbourhoods {
            n.check(self)?;
        }
        weights::check(self)?;
        if let Some(g) = &self.grid {
            g.check(self)?;
        }
        if let Some(d) = &self.density {
            d.check(self)?;
        }
        analysis::check(self)?;
        time::check(self)?;
        evaluation::check(self)?;
        services::check(self)?;
        postcodes::check(self)?;
        if let Some(a) = &self.access {
            a.check(self)?;
        }
        if let Some(n) = &self.need {
            n.check(self)?;
        }
        if let Some(g) = &self.gap {
            g.check(self)?;
        }
        if let Some(s) = &self.sites {
            s.check(self)?;
        }
        if let Some(p) = &self.priority {
            p.check(self)?;
        }
        self.ed_vs_police()?;
        comparison::check(self)?;
        source::check(self)
    }
}

/// True for a non-empty name of lower-case letters, digits and `_` (names prefix output
/// columns).
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The CSV dialect of a study table's `encoding` and `delimiter` keys (default: a detected
/// encoding and `,`).
fn csv_dialect(
    encoding: Option<safemap_ingest::Encoding>,
    delimiter: Option<char>,
) -> Result<safemap_ingest::CsvDialect, safemap_ingest::BadDelimiter> {
    safemap_ingest::CsvDialect::new(encoding.unwrap_or_default(), delimiter.unwrap_or(','))
}
