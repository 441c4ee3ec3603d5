//! `small_areas.geojson`: the small areas of a `[neighbourhoods]` study, each with its
//! neighbourhood and the count and rate of every open source, for the map's zoomed-in view.

use crate::neighbourhoods::SmallAreas;
use crate::outputs::{write_features, Rounded};
use crate::EngineError;
use safemap_results::columns::{measure_column, ALL};
use serde_json::{json, Map, Value};
use std::path::Path;

/// The columns of `small_areas.geojson`, in order (all public: sensitive sources are not in
/// the file).
pub fn columns(small: &SmallAreas) -> Vec<String> {
    let mut cols: Vec<String> = [
        "code",
        "name",
        "neighbourhood",
        "neighbourhood_name",
        "population",
        "deprivation",
    ]
    .map(String::from)
    .to_vec();
    for s in &small.sources {
        cols.push(measure_column(&s.name, ALL, "count"));
        cols.push(measure_column(&s.name, ALL, "rate"));
    }
    cols
}

/// Writes the small areas to `path`, in WGS84 (null geometry for planar boundaries).
pub fn write(
    path: &Path,
    small: &SmallAreas,
    neighbourhoods: &crate::areas::AreaTable,
) -> Result<(), EngineError> {
    let features = small.areas.areas.iter().enumerate().map(|(i, a)| {
        let parent = &neighbourhoods.areas[small.parent[i].index()];
        let mut props = Map::new();
        props.insert("code".into(), json!(a.code));
        props.insert("name".into(), json!(a.name));
        props.insert("neighbourhood".into(), json!(parent.code));
        props.insert("neighbourhood_name".into(), json!(parent.name));
        props.insert("population".into(), json!(a.population));
        props.insert("deprivation".into(), json!(a.deprivation));
        for s in &small.sources {
            props.insert(measure_column(&s.name, ALL, "count"), json!(s.counts[i]));
            props.insert(measure_column(&s.name, ALL, "rate"), json!(s.rates[i].rate));
        }
        json!({
            "type": "Feature",
            "properties": Value::Object(props),
            "geometry": a.geometry_wgs84.as_ref().map(Rounded),
        })
    });
    write_features(path, features)
}
