//! Areas: the neighbourhood polygons events are joined to.

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

/// Index of an area in its boundary set (0-based, in input order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AreaId(pub u32);

impl AreaId {
    /// The index as `usize`, for slicing per-area arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One neighbourhood: its code (e.g. an LSOA code), name and polygon.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Position in the boundary set.
    pub id: AreaId,
    /// The area code, unique within the set (e.g. `E01015056`).
    pub code: String,
    /// Human-readable name (may be empty).
    pub name: String,
    /// The polygon, in the CRS of the set it belongs to.
    pub geometry: MultiPolygon<f64>,
}
