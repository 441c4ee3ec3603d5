//! `areas.geojson`: RFC 7946 FeatureCollection in WGS84, one feature per area with the
//! attribute table as properties.

use crate::error::EngineError;
use crate::outputs::write_file;
use crate::results::{Cell, StudyResults};
use geo_types::{Coord, MultiPolygon};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;

/// Decimal places kept for longitude/latitude: 7 is about 1 cm.
const DECIMALS: i32 = 7;

fn round(c: Coord<f64>) -> Coord<f64> {
    let k = 10_f64.powi(DECIMALS);
    Coord {
        x: (c.x * k).round() / k,
        y: (c.y * k).round() / k,
    }
}

fn cell_json(c: &Cell) -> Value {
    match c {
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Count(n) => Value::from(*n),
        Cell::Number(x) => x.map_or(Value::Null, Value::from),
    }
}

/// Writes `areas.geojson`.
pub fn write(results: &StudyResults, path: &Path) -> Result<(), EngineError> {
    let columns = results.columns();
    write_file(path, |w| {
        w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
        for (i, area) in results.areas.areas.iter().enumerate() {
            let props: Map<String, Value> = columns
                .iter()
                .cloned()
                .zip(results.row(i).iter().map(cell_json))
                .collect();
            // Planar boundaries have no WGS84 geometry: RFC 7946 allows a null geometry.
            let geometry = area.geometry_wgs84.as_ref().map(|g| {
                let rounded: MultiPolygon<f64> = geo::MapCoords::map_coords(g, round);
                geojson::Geometry::from(&rounded)
            });
            let feature = serde_json::json!({
                "type": "Feature",
                "id": i,
                "properties": props,
                "geometry": geometry,
            });
            if i > 0 {
                w.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *w, &feature)?;
        }
        w.write_all(b"\n]}\n")
    })
}
