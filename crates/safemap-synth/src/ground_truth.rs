//! `ground_truth.json`: what was planted where, so tests can check the analyses.

use crate::patterns::PatternKind;
use crate::CityParams;
use safemap_types::ServiceKind;
use serde::{Deserialize, Serialize};

/// Everything planted in a synthetic city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    /// `safemap-synth <version>`.
    pub generator: String,
    /// The seed (also inside `params`).
    pub seed: u64,
    /// The parameters the city was generated with.
    pub params: CityParams,
    /// CRS of every coordinate except the police.uk longitude/latitude: `EPSG:27700`.
    pub crs: String,
    /// First and last month.
    pub period: PeriodTruth,
    /// The night-time-economy window used by the patterns.
    pub nte_window: NteWindow,
    /// Codes of the city-centre areas (the night-time-economy group and those around it).
    pub city_centre: Vec<String>,
    /// How the background is generated.
    pub background: String,
    /// One entry per planted pattern.
    pub patterns: Vec<PlantedPattern>,
}

/// The study period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTruth {
    /// First month, `YYYY-MM`.
    pub first_month: String,
    /// Last month, `YYYY-MM`.
    pub last_month: String,
    /// Number of months.
    pub months: u32,
}

/// The night-time-economy window (see [`crate::in_nte_window`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NteWindow {
    /// Nights it covers, by the day the evening falls on: `["Fri", "Sat"]`.
    pub nights: Vec<String>,
    /// Start time, `21:00`.
    pub start: String,
    /// End time (inclusive, on the next day), `02:59`.
    pub end: String,
}

/// One planted pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedPattern {
    /// What kind of pattern.
    pub kind: PatternKind,
    /// A sentence saying what was planted.
    pub description: String,
    /// Codes of the group's areas (contiguous, ascending).
    pub areas: Vec<String>,
    /// Codes of the areas sharing an edge with the group but not in it. They carry no
    /// extra events, but Gi* (whose neighbourhoods include them) may flag them; count
    /// them neither as hits nor as false positives.
    pub halo: Vec<String>,
    /// The rows the pattern adds to.
    pub effects: Vec<Effect>,
    /// For the service-gap pattern: the services it is far from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_gap: Option<ServiceGap>,
}

/// Which input source a pattern shows in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// `police/YYYY-MM-synth-street.csv` (month precision).
    PoliceUk,
    /// `force.csv` (timestamps, domestic-abuse flag).
    Force,
    /// `ed.csv` (emergency-department assault attendances).
    Ed,
}

/// The extra rows a pattern adds to one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// The source file(s).
    pub source: Source,
    /// The column that selects the affected rows (`Crime type`, `offence`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The affected values of `column` (empty: all rows).
    pub values: Vec<String>,
    /// A further row filter, e.g. `domestic_abuse = yes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// First month with extra rows, `YYYY-MM`.
    pub first_month: String,
    /// Last month with extra rows, `YYYY-MM`.
    pub last_month: String,
    /// Share of the extra rows inside the night-time-economy window (timestamped
    /// sources only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nte_window_share: Option<f64>,
    /// Expected rows in the group's areas relative to the background, per calendar year.
    pub relative_risk: Vec<YearRisk>,
}

/// An expected relative risk for one calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearRisk {
    /// Calendar year.
    pub year: i32,
    /// (background + extra) / background, rounded to 2 decimals.
    pub relative_risk: f64,
}

/// The planted service gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceGap {
    /// The kinds of service the district is far from.
    pub kinds: Vec<ServiceKind>,
    /// Every service of those kinds is farther than this from every point of the district.
    pub min_distance_m: f64,
    /// The actual distance from the district to the nearest such service (m, 1 decimal).
    pub nearest_service_m: f64,
    /// IMD deciles of the district's areas.
    pub imd_deciles: Vec<u8>,
}

impl GroundTruth {
    /// The pattern of `kind`, if planted.
    pub fn pattern(&self, kind: PatternKind) -> Option<&PlantedPattern> {
        self.patterns.iter().find(|p| p.kind == kind)
    }
}
