//! Service gaps on the demo city (`safemap demo`): the planted under-served district
//! (`ground_truth.json`) tops the gap index for the kinds it lacks, the first new IDVA site
//! lies by it, and no output file holds a refuge's location in any rounding.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;
mod serving;

use common::read_csv;
use geo::{BooleanOps, Centroid, MultiPolygon};
use serde_json::Value;

fn json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The service-gap pattern of the demo city: its area codes and kinds.
fn planted_gap() -> (Vec<String>, Vec<String>) {
    let truth = json(&serving::demo_dir().join("ground_truth.json"));
    let gap = truth["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p.get("service_gap").is_some())
        .unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    (
        strings(&gap["areas"]),
        strings(&gap["service_gap"]["kinds"]),
    )
}

#[test]
fn the_planted_gap_tops_the_gap_index_and_gets_the_first_new_site() {
    let dir = serving::demo_dir();
    let (district, kinds) = planted_gap();
    let rows = read_csv(&dir.join("results/access.csv"));
    for kind in &kinds {
        let mut ranked: Vec<(f64, &str)> = rows
            .iter()
            .filter(|r| &r["kind"] == kind && !r["gap"].is_empty())
            .map(|r| (r["gap"].parse().unwrap(), r["code"].as_str()))
            .collect();
        assert!(ranked.len() > 100, "{kind}");
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        assert!(
            ranked[..3]
                .iter()
                .any(|(_, code)| district.iter().any(|d| d == code)),
            "{kind}: top 3 {:?}, district {district:?}",
            &ranked[..3]
        );
        // Its areas are classed as gaps (high need, low access).
        for r in rows
            .iter()
            .filter(|r| &r["kind"] == kind && district.contains(&r["code"]))
        {
            assert_eq!(r["gap_class"], "gap", "{kind} {}", r["code"]);
        }
    }
    // The district's centre, from the city's boundaries (British National Grid).
    let boundaries = json(&dir.join("boundaries.geojson"));
    let mut union = MultiPolygon::<f64>::new(vec![]);
    for f in boundaries["features"].as_array().unwrap() {
        if district
            .iter()
            .any(|d| f["properties"]["code"] == d.as_str())
        {
            let g: geo_types::Geometry<f64> =
                serde_json::from_value::<geojson::Geometry>(f["geometry"].clone())
                    .unwrap()
                    .try_into()
                    .unwrap();
            let mp = match g {
                geo_types::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                geo_types::Geometry::MultiPolygon(mp) => mp,
                other => panic!("{other:?}"),
            };
            union = union.union(&mp);
        }
    }
    let centre = union.centroid().unwrap();
    let sites = json(&dir.join("results/candidate_sites.geojson"));
    let first = &sites["features"][0];
    assert_eq!(first["properties"]["kind"], "idva_service");
    assert_eq!(first["properties"]["order"], 1);
    let c = &first["geometry"]["coordinates"];
    let bng = safemap_geo::reproject::to_bng(
        safemap_types::CheckedCoord::new(
            c[0].as_f64().unwrap(),
            c[1].as_f64().unwrap(),
            safemap_types::Crs::Wgs84,
        )
        .unwrap(),
    )
    .unwrap();
    let d = ((bng.x - centre.x()).powi(2) + (bng.y - centre.y()).powi(2)).sqrt();
    assert!(
        d <= 1000.0,
        "the first site is {d:.0} m from the district's centre"
    );
    // Each site adds need, in decreasing order.
    let added: Vec<f64> = sites["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["need_added"].as_f64().unwrap())
        .collect();
    assert!(
        added.windows(2).all(|w| w[0] >= w[1]) && added[0] > 0.0,
        "{added:?}"
    );
    // The priority list explains itself: every ranked area names its drivers.
    let priority = read_csv(&dir.join("results/priority.csv"));
    assert_eq!(priority[0]["rank"], "1");
    assert!(priority[..10].iter().all(|r| !r["drivers"].is_empty()));
}

/// A refuge's location, in every form an output could write it: WGS84 rounded to 3 to 6
/// decimals and British National Grid to the metre or decimetre.
fn refuge_location_strings() -> Vec<String> {
    let register = read_csv(&serving::demo_dir().join("services.csv"));
    let mut forms = Vec::new();
    for r in register.iter().filter(|r| r["kind"] == "refuge") {
        let (x, y): (f64, f64) = (r["x"].parse().unwrap(), r["y"].parse().unwrap());
        forms.push(format!("{x:.1}"));
        forms.push(format!("{y:.1}"));
        forms.push(format!("{x:.0},{y:.0}"));
        let w = safemap_geo::reproject::bng_to_wgs84(geo_types::Coord { x, y }).unwrap();
        for decimals in 3..=6 {
            forms.push(format!("{:.*},{:.*}", decimals, w.x, decimals, w.y));
            forms.push(format!("{:.*}, {:.*}", decimals, w.x, decimals, w.y));
        }
    }
    assert!(forms.len() >= 30, "the demo register has refuges");
    forms
}

#[test]
fn no_output_file_holds_a_refuge_location() {
    let forms = refuge_location_strings();
    let results = serving::demo_dir().join("results");
    let mut searched = 0;
    for entry in std::fs::read_dir(&results).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for form in &forms {
            assert!(
                !text.contains(form.as_str()),
                "{} holds {form}",
                path.display()
            );
        }
        searched += 1;
    }
    assert!(searched >= 15, "{searched} files");
}

#[test]
fn no_answer_of_the_server_holds_a_refuge_location_for_either_role() {
    let forms = refuge_location_strings();
    let s = serving::Server::demo();
    let mut paths: Vec<String> = [
        "/api/layers",
        "/api/manifest",
        "/api/areas.json",
        "/api/areas.geojson",
        "/tiles/services.json",
    ]
    .map(String::from)
    .to_vec();
    // Every services tile over the city at the zooms people read points at, as GeoJSON
    // (coordinates in degrees, the form a search could find).
    for z in [12_u8, 14] {
        for (z, x, y) in serving::tiles_over(s.bounds(), z) {
            paths.push(format!("/tiles/services/{z}/{x}/{y}.geojson"));
        }
    }
    let mut searched = 0;
    for path in &paths {
        for analyst in [false, true] {
            let r = if analyst {
                s.get_analyst(path)
            } else {
                s.get(path)
            };
            assert!(r.status().is_success(), "{path}: {}", r.status());
            let text = r.text().unwrap();
            for form in &forms {
                assert!(
                    !text.contains(form.as_str()),
                    "{path} (analyst {analyst}) holds {form}"
                );
            }
            searched += 1;
        }
    }
    assert!(searched > 20, "{searched} answers");
}
