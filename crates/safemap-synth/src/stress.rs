//! [`many_vertex_area`]: a boundary file of one area with very many vertices, for the tests
//! and benchmarks that show reading boundaries does not grow quadratically with them.

use std::fmt::Write;

/// A GeoJSON FeatureCollection (WGS84, properties `code` and `name`) of one area whose ring
/// has `vertices` distinct vertices: a circle of `radius` degrees around `centre`
/// (longitude, latitude) with 1,000 bumps of 2 % of the radius. The radius is a function
/// of the angle, so the ring is simple (it never crosses itself) and the area is valid;
/// coordinates are printed to 9 decimals, well under the gap between vertices for a
/// radius of 0.01 degrees and a million vertices.
///
/// ```
/// let text = safemap_synth::stress::many_vertex_area(1_000, (-4.15, 50.38), 0.02, "BIG");
/// assert!(text.starts_with(r#"{"type":"FeatureCollection""#));
/// assert_eq!(text.matches("],[").count(), 1_000); // 1,001 positions: the ring is closed
/// ```
pub fn many_vertex_area(vertices: usize, centre: (f64, f64), radius: f64, code: &str) -> String {
    let mut ring = String::with_capacity(vertices * 28);
    for k in 0..=vertices {
        let theta = std::f64::consts::TAU * (k % vertices) as f64 / vertices as f64;
        let r = radius * (1.0 + 0.02 * libm::sin(1000.0 * theta));
        let (x, y) = (
            centre.0 + r * libm::cos(theta),
            centre.1 + r * libm::sin(theta),
        );
        if k > 0 {
            ring.push(',');
        }
        let _ = write!(ring, "[{x:.9},{y:.9}]");
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"{code}","name":"{vertices} vertices"}},"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}]}}"#
    )
}
