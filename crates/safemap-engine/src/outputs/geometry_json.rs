//! [`Rounded`]: a WGS84 multipolygon serialised as a GeoJSON geometry with its coordinates
//! rounded to [`DECIMALS`] places.
//!
//! Serialised straight from the `geo` coordinates rather than through `geojson::Geometry`,
//! which holds every position as its own `Vec<f64>`: for the 34,753 national LSOAs that
//! made millions of allocations per output file. The text is the same.

use geo_types::MultiPolygon;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Borrow;

/// Decimal places kept for longitude/latitude: 7 is about 1 cm.
const DECIMALS: i32 = 7;

/// A multipolygon (owned or borrowed) that serialises as
/// `{"type":"MultiPolygon","coordinates":[...]}`, coordinates rounded to [`DECIMALS`].
pub(crate) struct Rounded<G>(pub(crate) G);

impl<G: Borrow<MultiPolygon<f64>>> Serialize for Rounded<G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("type", "MultiPolygon")?;
        map.serialize_entry("coordinates", &Polygons(self.0.borrow()))?;
        map.end()
    }
}

/// The polygons: each a list of rings, exterior first.
struct Polygons<'a>(&'a MultiPolygon<f64>);

impl Serialize for Polygons<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0 .0.len()))?;
        for polygon in &self.0 .0 {
            let rings: Vec<Ring<'_>> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(Ring)
                .collect();
            seq.serialize_element(&rings)?;
        }
        seq.end()
    }
}

/// One ring's positions, `[x, y]` each.
struct Ring<'a>(&'a geo_types::LineString<f64>);

impl Serialize for Ring<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let k = 10_f64.powi(DECIMALS);
        let round = |v: f64| (v * k).round() / k;
        let mut seq = s.serialize_seq(Some(self.0 .0.len()))?;
        for c in &self.0 .0 {
            seq.serialize_element(&[round(c.x), round(c.y)])?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{line_string, polygon, Polygon};

    #[test]
    fn the_text_geojson_writes_rounded() {
        let holed = Polygon::new(
            line_string![(x: -1.123_456_789, y: 50.0), (x: 1.0, y: 50.000_000_04), (x: 0.5, y: 51.5), (x: -1.123_456_789, y: 50.0)],
            vec![
                line_string![(x: 0.0, y: 50.5), (x: 0.1, y: 50.5), (x: 0.0, y: 50.6), (x: 0.0, y: 50.5)],
            ],
        );
        let mp = MultiPolygon(vec![
            holed,
            polygon![(x: 2.0, y: 2.0), (x: 3.0, y: 2.0), (x: 2.0, y: 3.0)],
        ]);
        let text = serde_json::to_string(&Rounded(&mp)).unwrap();
        let k = 1e7;
        let rounded: MultiPolygon<f64> = geo::MapCoords::map_coords(&mp, |c| geo_types::Coord {
            x: (c.x * k).round() / k,
            y: (c.y * k).round() / k,
        });
        assert_eq!(
            text,
            serde_json::to_string(&geojson::Geometry::from(&rounded)).unwrap()
        );
        assert!(
            text.starts_with(
                r#"{"type":"MultiPolygon","coordinates":[[[[-1.1234568,50.0],[1.0,50.0],"#
            ),
            "{text}"
        );
    }
}
