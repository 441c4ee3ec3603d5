//! The public role, swept: every published filter of every source on the synthetic city.
//! No count of 1 to 7, every count rounded to 5, no pair of nested answers whose exact
//! difference is a suppressed-size count, the same numbers in JSON, GeoJSON, the area panel
//! and the tiles, no layer drawn from a sensitive source's points, no confidential service.
#![allow(clippy::unwrap_used)]

mod serving;

use serde_json::Value;
use serving::{areas_csv, tile_of, Server};
use std::collections::BTreeMap;

/// A published filter: measure, period id and its months, window.
#[derive(Clone)]
struct Filter {
    measure: String,
    period: (String, String, String),
    window: Option<String>,
}

impl Filter {
    fn query(&self, source: &str) -> String {
        let mut q = format!(
            "source={source}&category={}&from={}&to={}",
            self.measure, self.period.1, self.period.2
        );
        if let Some(w) = &self.window {
            q = format!("{q}&window={w}");
        }
        q
    }

    /// True when every event of `other` is also one of `self`'s.
    fn includes(&self, other: &Filter) -> bool {
        (self.measure == other.measure || self.measure == "all")
            && self.period.1 <= other.period.1
            && other.period.2 <= self.period.2
            && (self.window == other.window || self.window.is_none())
    }
}

fn counts(answer: &Value) -> Vec<Option<u64>> {
    answer["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64())
        .collect()
}

#[test]
fn every_public_answer_is_disclosure_controlled_and_none_can_be_subtracted() {
    let s = Server::demo();
    let layers = s.json("/api/layers", false);
    let mut checked_pairs = 0_u64;
    let mut suppressed = 0_u64;
    for source in layers["sources"].as_array().unwrap() {
        let name = source["name"].as_str().unwrap();
        let measures: Vec<String> = source["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect();
        let periods: Vec<(String, String, String)> = source["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_string(),
                    p["from"].as_str().unwrap().to_string(),
                    p["to"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert!(periods.len() >= 40, "study period, 3 years and 36 months");
        let windows: Vec<Option<String>> = std::iter::once(None)
            .chain(
                source["windows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .skip(1)
                    .map(|w| Some(w["id"].as_str().unwrap().to_string())),
            )
            .collect();
        let mut filters = Vec::new();
        for m in &measures {
            for p in &periods {
                for w in &windows {
                    filters.push(Filter {
                        measure: m.clone(),
                        period: p.clone(),
                        window: w.clone(),
                    });
                }
            }
        }
        let mut public: Vec<Vec<Option<u64>>> = Vec::new();
        let mut exact: Vec<Vec<u64>> = Vec::new();
        for f in &filters {
            let q = f.query(name);
            let p = s.json(&format!("/api/areas.json?{q}"), false);
            for a in p["areas"].as_array().unwrap() {
                if let Some(c) = a["count"].as_u64() {
                    assert!(c == 0 || c >= 8, "{q}: public count {c}");
                    assert_eq!(c % 5, 0, "{q}: unrounded public count {c}");
                    assert!(a["rate"].is_number() || a["population"].is_null());
                } else {
                    suppressed += 1;
                    assert!(a["suppressed"].as_bool().unwrap());
                    for k in ["rate", "rate_lo", "rate_hi", "excess_risk", "eb_rate"] {
                        assert!(a[k].is_null(), "{q}: {k} shown for a suppressed count");
                    }
                }
            }
            public.push(counts(&p));
            exact.push(
                counts(&s.json(&format!("/api/areas.json?{q}"), true))
                    .into_iter()
                    .map(Option::unwrap)
                    .collect(),
            );
        }
        // Nested pairs: the exact difference of two shown answers is never 1..7.
        for (i, a) in filters.iter().enumerate() {
            for (j, b) in filters.iter().enumerate() {
                if i == j || !a.includes(b) {
                    continue;
                }
                for area in 0..public[i].len() {
                    if public[i][area].is_some() && public[j][area].is_some() {
                        let d = exact[i][area] - exact[j][area];
                        assert!(
                            !(1..=7).contains(&d),
                            "{name}: {} minus {} exposes {d} events in area {area}",
                            a.query(name),
                            b.query(name)
                        );
                        checked_pairs += 1;
                    }
                }
            }
        }
        // The area panel and the GeoJSON say the same as areas.json.
        let first = &filters[0];
        let all_json = s.json(&format!("/api/areas.json?{}", first.query(name)), false);
        let geo = s.json(&format!("/api/areas.geojson?{}", first.query(name)), false);
        for (k, feature) in geo["features"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                feature["properties"]["count"],
                all_json["areas"][k]["count"]
            );
        }
        for area in [0_usize, 7, 42] {
            let code = all_json["areas"][area]["code"].as_str().unwrap();
            let panel = s.json(&format!("/api/areas/{code}?source={name}"), false);
            assert_eq!(panel["values"]["count"], all_json["areas"][area]["count"]);
            for (k, m) in panel["monthly"].as_array().unwrap().iter().enumerate() {
                let month = periods
                    .iter()
                    .position(|p| p.1 == p.2 && p.1 == m["month"].as_str().unwrap())
                    .unwrap();
                let idx = filters
                    .iter()
                    .position(|f| {
                        f.measure == "all" && f.period == periods[month] && f.window.is_none()
                    })
                    .unwrap();
                assert_eq!(m["count"].as_u64(), public[idx][area], "month {k}");
            }
        }
    }
    assert!(
        suppressed > 1000,
        "the sweep met many suppressed cells ({suppressed})"
    );
    assert!(checked_pairs > 100_000, "{checked_pairs} pairs checked");
}

#[test]
fn public_tiles_carry_the_published_counts_and_no_sensitive_points() {
    let s = Server::demo();
    let published = s.json(
        "/api/areas.json?source=force&category=flag_domestic_abuse",
        false,
    );
    let layers = s.json("/api/layers", false);
    let b = layers["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect::<Vec<_>>();
    for layer in layers["tile_layers"].as_array().unwrap() {
        let id = layer["id"].as_str().unwrap();
        let z = 12;
        let (_, x0, y1) = tile_of(b[0], b[1], z);
        let (_, x1, y0) = tile_of(b[2], b[3], z);
        for x in x0..=x1 {
            for y in y0..=y1 {
                let r = s.get(&format!("/tiles/{id}/{z}/{x}/{y}.mvt"));
                if r.status() == 204 {
                    continue;
                }
                let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
                for f in reader.get_features(0).unwrap() {
                    let props = f.properties.unwrap_or_default();
                    for (k, v) in &props {
                        if k.ends_with("_count") || k == "count" {
                            let mvt_reader::feature::Value::UInt(c) = v else {
                                panic!("{k}: {v:?}")
                            };
                            assert!(*c == 0 || (*c >= 8 && c % 5 == 0), "{id} {k} = {c}");
                        }
                        assert!(
                            !k.ends_with("_z") && !k.ends_with("_p") && !k.ends_with("_value"),
                            "{id}: statistic {k} is public"
                        );
                    }
                    if matches!(
                        f.geometry,
                        geo_types::Geometry::Point(_) | geo_types::Geometry::MultiPoint(_)
                    ) {
                        // Place names are points too; they carry a name and a kind only.
                        if id == "labels" {
                            assert!(
                                props.keys().all(|k| k == "name" || k == "kind"),
                                "{props:?}"
                            );
                            continue;
                        }
                        assert_eq!(id, "services", "only services and place names are points");
                        let kind = props.get("kind").unwrap();
                        assert_ne!(*kind, mvt_reader::feature::Value::String("refuge".into()));
                    }
                    if id == "areas" {
                        let area = f.id.unwrap() as usize;
                        let tile_count = props.get("force_flag_domestic_abuse_count");
                        let json_count = published["areas"][area]["count"].as_u64();
                        match (tile_count, json_count) {
                            (Some(mvt_reader::feature::Value::UInt(t)), Some(j)) => {
                                assert_eq!(*t, j);
                            }
                            (None, None) => {}
                            other => panic!("tile and JSON disagree for area {area}: {other:?}"),
                        }
                    }
                }
            }
        }
    }
    // The register has confidential refuges; no output file and no route has them.
    let register = std::fs::read_to_string(serving::demo_dir().join("services.csv")).unwrap();
    assert!(register.lines().any(|l| l.contains("refuge")));
    let services = std::fs::read_to_string(s.results.join("services.geojson")).unwrap();
    assert!(!services.contains("refuge"));
    let _ = areas_csv(&s.results);
}

#[test]
fn layers_drawn_from_a_sensitive_source_are_analyst_only() {
    let dir = serving::demo_dir();
    let study = std::fs::read_to_string(dir.join("study.toml")).unwrap();
    let sensitive = study
        .replace(
            "output_dir = \"results\"",
            "output_dir = \"results-ed-grid\"",
        )
        .replace(
            "cell_size_m = 300\nsource = \"police\"\ncategory = \"violence_and_sexual_offences\"",
            "cell_size_m = 300\nsource = \"ed\"\ncategory = \"all\"",
        )
        .replace(
            "[density]\nsource = \"police\"\ncategory = \"violence_and_sexual_offences\"",
            "[density]\nsource = \"ed\"\ncategory = \"all\"",
        );
    assert_eq!(
        sensitive
            .matches("source = \"ed\"\ncategory = \"all\"")
            .count(),
        3,
        "the ed_assaults analysis, and now the grid and density"
    );
    let path = dir.join("study-ed-grid.toml");
    std::fs::write(&path, sensitive).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = Server::start(
        &dir.join("results-ed-grid"),
        &dir.join("analyst.token"),
        &[],
    );
    let ids = |v: &Value| -> Vec<String> {
        v["tile_layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&s.json("/api/layers", false)),
        ["areas", "context", "labels", "services"]
    );
    assert_eq!(
        ids(&s.json("/api/layers", true)),
        ["areas", "context", "density", "grid", "labels", "services"]
    );
    let mut counts = BTreeMap::new();
    for layer in ["grid", "density"] {
        let r = s.get(&format!("/tiles/{layer}/12/2033/1341.mvt"));
        counts.insert(layer, serving::error_of(r).0);
        assert_eq!(
            serving::error_of(s.get(&format!("/tiles/{layer}.json"))).0,
            403
        );
        // Nor as GeoJSON tiles, which the analyst gets.
        let geojson = format!("/tiles/{layer}/12/2033/1341.geojson");
        assert_eq!(serving::error_of(s.get(&geojson)).0, 403, "{geojson}");
        assert_eq!(s.get_analyst(&geojson).status(), 200, "{geojson}");
    }
    assert_eq!(counts.values().copied().collect::<Vec<_>>(), [403, 403]);
}
