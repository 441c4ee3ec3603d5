//! The tile layers of a dataset: prepared geometry plus the attribute table each role sees.

use super::AnalysisInfo;
use safemap_results::columns::class_columns;
use safemap_tiles::{AttributeTable, LayerGeometry, LayerInput};
use std::collections::HashSet;

/// Below this zoom an `areas` tile carries only the attributes the map paints from tiles
/// ([`painted_from_tiles`]); from it on, the whole row (of what the role may see).
pub const FULL_ATTRIBUTES_ZOOM: u8 = 10;

/// The `areas` attributes every zoom carries, by exact name: `code` and the raw and adjusted
/// hotspot classes of every analysis's local statistics, which the web map styles from tile
/// attributes. Values, rates and the rest reach the map through `/api/areas.json` and
/// feature-state.
pub fn painted_from_tiles(analyses: &[AnalysisInfo]) -> HashSet<String> {
    std::iter::once("code".to_string())
        .chain(analyses.iter().flat_map(|a| {
            a.statistics
                .iter()
                .flat_map(|s| class_columns(&a.name, s, &a.correction))
        }))
        .collect()
}

/// The minimum zoom of each `areas` key: 0 for the `painted` keys, else
/// [`FULL_ATTRIBUTES_ZOOM`].
pub fn areas_key_min_zoom(table: &AttributeTable, painted: &HashSet<String>) -> Vec<u8> {
    table
        .keys
        .iter()
        .map(|k| {
            if painted.contains(k) {
                0
            } else {
                FULL_ATTRIBUTES_ZOOM
            }
        })
        .collect()
}

/// One tile layer.
pub struct TileLayer {
    /// `polygon`, `line` or `point`.
    pub geometry_type: &'static str,
    /// Prepared geometry.
    pub geometry: LayerGeometry,
    /// What the analyst sees.
    pub analyst: AttributeTable,
    /// What the public sees; `None`: analyst only (a layer drawn from a sensitive source's
    /// event locations).
    pub public: Option<AttributeTable>,
    /// The lowest zoom of each analyst key (empty: every key at every zoom).
    pub analyst_key_min_zoom: Vec<u8>,
    /// The lowest zoom of each public key (empty: every key at every zoom).
    pub public_key_min_zoom: Vec<u8>,
    /// The lowest zoom of each feature (empty: every feature at every zoom).
    pub feature_min_zoom: Vec<u8>,
}

impl TileLayer {
    /// The attributes for a role, `None` when the role may not see the layer.
    pub fn attributes(&self, analyst: bool) -> Option<&AttributeTable> {
        if analyst {
            Some(&self.analyst)
        } else {
            self.public.as_ref()
        }
    }

    /// A layer with the same geometry and attributes at every zoom.
    pub fn plain(
        geometry_type: &'static str,
        geometry: LayerGeometry,
        analyst: AttributeTable,
        public: Option<AttributeTable>,
    ) -> Self {
        TileLayer {
            geometry_type,
            geometry,
            analyst,
            public,
            analyst_key_min_zoom: Vec::new(),
            public_key_min_zoom: Vec::new(),
            feature_min_zoom: Vec::new(),
        }
    }

    /// The encoder's input for a role, `None` when the role may not see the layer.
    pub fn input<'a>(&'a self, name: &'a str, analyst: bool) -> Option<LayerInput<'a>> {
        let keys = if analyst {
            &self.analyst_key_min_zoom
        } else {
            &self.public_key_min_zoom
        };
        Some(
            LayerInput::new(name, &self.geometry, self.attributes(analyst)?)
                .key_min_zoom(keys)
                .feature_min_zoom(&self.feature_min_zoom),
        )
    }

    /// `fields_minzoom` of TileJSON: the keys that start above zoom 0, with their zoom.
    pub fn fields_min_zoom(&self, analyst: bool) -> serde_json::Map<String, serde_json::Value> {
        let keys = if analyst {
            &self.analyst_key_min_zoom
        } else {
            &self.public_key_min_zoom
        };
        self.attributes(analyst)
            .map(|t| {
                t.keys
                    .iter()
                    .zip(keys)
                    .filter(|(_, z)| **z > 0)
                    .map(|(k, z)| (k.clone(), (*z).into()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Converts a JSON property to a tile value.
pub fn prop_value(v: &serde_json::Value) -> safemap_tiles::PropValue {
    use safemap_tiles::PropValue;
    match v {
        serde_json::Value::Null | serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            PropValue::Null
        }
        serde_json::Value::Bool(b) => PropValue::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_u64()
            .map(PropValue::UInt)
            .or_else(|| n.as_i64().map(PropValue::Int))
            .or_else(|| n.as_f64().map(PropValue::Float))
            .unwrap_or(PropValue::Null),
        serde_json::Value::String(s) => PropValue::String(s.clone()),
    }
}

/// An attribute table from JSON property maps, keeping `keep`-selected keys in order.
pub fn table_of(
    rows: &[serde_json::Map<String, serde_json::Value>],
    keys: &[String],
) -> AttributeTable {
    AttributeTable {
        keys: keys.to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                keys.iter()
                    .map(|k| r.get(k).map_or(safemap_tiles::PropValue::Null, prop_value))
                    .collect()
            })
            .collect(),
    }
}
