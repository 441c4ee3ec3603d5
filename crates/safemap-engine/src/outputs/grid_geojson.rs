//! `grid.geojson`: the `[grid]` cells in WGS84 with their counts, Gi* and classes.

use crate::error::EngineError;
use crate::grid::GridResult;
use crate::outputs::{cell_geometry, write_features};
use serde_json::{json, Map, Value};
use std::path::Path;

/// Writes `grid.geojson`; `planar` studies get null geometries.
pub fn write(grid: &GridResult, planar: bool, path: &Path) -> Result<(), EngineError> {
    let columns = grid.columns();
    write_features(
        path,
        grid.cells.iter().enumerate().map(|(i, (_, polygon))| {
            let props: Map<String, Value> =
                columns.iter().cloned().zip(grid.properties(i)).collect();
            json!({
                "type": "Feature",
                "id": i,
                "properties": props,
                "geometry": cell_geometry(polygon, planar),
            })
        }),
    )
}
