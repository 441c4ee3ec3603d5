//! The boundaries as GeoJSON in British National Grid.

use crate::City;
use std::fmt::Write;

impl City {
    /// The boundaries as a GeoJSON FeatureCollection in British National Grid metres:
    /// one `Polygon` feature per area with properties `code` and `name`, coordinates
    /// with one decimal (the 0.1 m grid the vertices live on, so neighbours' shared
    /// vertices print identically), exterior rings counter-clockwise, and the legacy
    /// member `"crs": {"type": "name", "properties": {"name":
    /// "urn:ogc:def:crs:EPSG::27700"}}` so GDAL and QGIS read it as EPSG:27700. One
    /// feature per line; ends with a newline.
    pub fn boundaries_geojson(&self) -> String {
        let mut s = String::with_capacity(self.areas.len() * 2048);
        s.push_str("{\"type\":\"FeatureCollection\",\"name\":\"synthetic-city\",");
        s.push_str("\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::27700\"}},\n\"features\":[\n");
        for (i, a) in self.areas.iter().enumerate() {
            let props = serde_json::json!({ "code": a.area.code, "name": a.area.name });
            let _ = write!(
                s,
                "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":"
            );
            let polys = &a.area.geometry.0;
            let single = polys.len() == 1;
            s.push_str(if single {
                "{\"type\":\"Polygon\",\"coordinates\":"
            } else {
                "{\"type\":\"MultiPolygon\",\"coordinates\":["
            });
            for (pi, p) in polys.iter().enumerate() {
                if pi > 0 {
                    s.push(',');
                }
                s.push('[');
                for (ri, ring) in std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .enumerate()
                {
                    if ri > 0 {
                        s.push(',');
                    }
                    s.push('[');
                    for (ci, c) in ring.0.iter().enumerate() {
                        if ci > 0 {
                            s.push(',');
                        }
                        let _ = write!(s, "[{:.1},{:.1}]", c.x, c.y);
                    }
                    s.push(']');
                }
                s.push(']');
            }
            if !single {
                s.push(']');
            }
            s.push_str("}}");
            s.push_str(if i + 1 < self.areas.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        s.push_str("]}\n");
        s
    }
}
