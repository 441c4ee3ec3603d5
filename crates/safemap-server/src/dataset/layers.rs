//! The tile layers of a dataset: prepared geometry plus the attribute table each role sees.

use safemap_tiles::{AttributeTable, LayerGeometry};

/// One tile layer.
pub struct TileLayer {
    /// `polygon` or `point`.
    pub geometry_type: &'static str,
    /// Prepared geometry.
    pub geometry: LayerGeometry,
    /// What the analyst sees.
    pub analyst: AttributeTable,
    /// What the public sees; `None`: analyst only (a layer drawn from a sensitive source's
    /// event locations).
    pub public: Option<AttributeTable>,
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
