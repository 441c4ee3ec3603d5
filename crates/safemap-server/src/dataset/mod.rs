//! [`Dataset`]: one results directory in memory, immutable once loaded; a reload builds a
//! new one and swaps it in.

mod context;
mod layers;
mod load;
mod published;
mod source;

pub use context::{district_of, LABEL_MIN_PIXELS};
pub use layers::{painted_from_tiles, TileLayer, FULL_ATTRIBUTES_ZOOM};
pub use load::{load, parse, LoadError, ResultFiles};
pub use published::{Period, PublishedTable, Window};
pub use source::{Entry, SourceData};

use safemap_results::disclosure::DisclosureRule;
use safemap_stats::RateParams;
use std::collections::{BTreeMap, HashMap};

/// One area's identity and denominators.
#[derive(Debug, Clone)]
pub struct AreaInfo {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Residents.
    pub population: Option<f64>,
    /// Deprivation value.
    pub deprivation: Option<f64>,
}

/// The population a source's rates are per.
#[derive(Debug, Clone)]
pub struct RateBase {
    /// Per area, in id order (residents, or a `[[denominator]]` such as residents aged
    /// 10-17).
    pub denominators: Vec<Option<f64>>,
    /// Per how many, and the interval coverage.
    pub params: RateParams,
    /// In words (`per 100,000 residents aged 10-17`); `None` for results without one.
    pub label: Option<String>,
}

/// An `[[analysis]]` as the catalogue lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnalysisInfo {
    /// Name in the study.
    pub name: String,
    /// The name for people ("ED assaults" for `ed_assaults`).
    pub label: String,
    /// Source analysed (absent for `[[measure]]` analyses).
    pub source: Option<String>,
    /// Measure analysed.
    pub category: Option<String>,
    /// Local statistics run (`gi_star`, `local_moran`, ...).
    pub statistics: Vec<String>,
    /// Multiple-testing correction of the adjusted classes.
    pub correction: String,
}

/// A loaded results directory.
pub struct Dataset {
    /// SHA-256 over the files read: equal fingerprints mean equal answers.
    pub fingerprint: std::sync::Arc<str>,
    /// The run manifest, typed.
    pub manifest: safemap_results::Manifest,
    /// Study title.
    pub study: String,
    /// The public rule.
    pub disclosure: DisclosureRule,
    /// What each source's rates are per, aligned with `sources`.
    pub rate_bases: Vec<RateBase>,
    /// Areas, in id order (= MVT feature id).
    pub areas: Vec<AreaInfo>,
    /// Area code → id.
    pub by_code: HashMap<String, usize>,
    /// Every area's attribute row as in `areas.csv` (column names and values).
    pub columns: Vec<String>,
    /// Rows aligned with `areas`.
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Each area's geometry as GeoJSON text, for `/api/areas.geojson` (shared, never copied).
    pub geometry_json: Vec<axum::body::Bytes>,
    /// Event sources.
    pub sources: Vec<SourceData>,
    /// The public table of each source, aligned with `sources`.
    pub published: Vec<PublishedTable>,
    /// Analyses.
    pub analyses: Vec<AnalysisInfo>,
    /// Tile layers by id.
    pub layers: BTreeMap<String, TileLayer>,
    /// West, south, east, north of the areas.
    pub bounds: Option<[f64; 4]>,
}

impl Dataset {
    /// Whether the public role may see column `key` of the areas' attribute table: the areas
    /// layer is public and its registry entry lists `key`, exactly, in `public_columns`.
    pub fn is_public_area_column(&self, key: &str) -> bool {
        self.manifest
            .layers
            .iter()
            .find(|l| l.kind == safemap_results::LayerKind::Areas)
            .is_some_and(|l| l.is_public(&self.manifest.sources) && l.is_public_column(key))
    }
}
