//! The results contract fails closed, and new layers plug in through the registry alone.
//!
//! A copy of the demo's results is served with one manifest key removed or corrupted at a
//! time: the public role then sees no more than with the manifest as written (or the
//! server refuses to start and names the key). A layer added to the registry of a copy,
//! with no server change, is served to the roles its entry allows, with only its public
//! columns for the public and its counts disclosure-controlled.
#![allow(clippy::unwrap_used)]

mod serving;

use serde_json::{json, Value};
use serving::{demo_dir, tiles_over, Server};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A change to a manifest.
type Mutation = Box<dyn Fn(&mut Value)>;

/// Copies the demo's results into a fresh directory.
fn copy_results() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(demo_dir().join("results")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn read_manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn write_manifest(dir: &Path, m: &Value) {
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(m).unwrap(),
    )
    .unwrap();
}

/// What the public role can see: each layer it is offered, and each attribute key and
/// feature count of that layer's tiles over the study area at zoom 12.
fn public_view(s: &Server) -> BTreeSet<String> {
    let layers = s.json("/api/layers", false);
    let b = s.bounds();
    let mut seen = BTreeSet::new();
    for layer in layers["tile_layers"].as_array().unwrap() {
        let id = layer["id"].as_str().unwrap();
        seen.insert(format!("layer {id}"));
        let mut features = 0;
        for (z, x, y) in tiles_over(b, 12) {
            let r = s.get(&format!("/tiles/{id}/{z}/{x}/{y}.mvt"));
            if r.status() == 204 {
                continue;
            }
            assert_eq!(r.status(), 200, "{id} {z}/{x}/{y}");
            let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
            for f in reader.get_features(0).unwrap() {
                features += 1;
                for k in f.properties.unwrap_or_default().keys() {
                    seen.insert(format!("key {id}.{k}"));
                }
            }
        }
        seen.insert(format!("features {id} {features}"));
    }
    seen
}

/// Runs `safemap serve` on `dir` and expects it to refuse to start; returns its stderr.
fn refused(dir: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safemap"))
        .arg("serve")
        .arg(dir)
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "the server exited with success");
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return err;
        }
        if start.elapsed() > Duration::from_mins(1) {
            let _ = child.kill();
            panic!("the server started on a manifest it should refuse");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn token_file(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("analyst.token");
    std::fs::write(&f, "contract-test-token-0123456789abcdef").unwrap();
    f
}

#[test]
fn a_missing_or_unreadable_key_never_shows_the_public_more() {
    let base_dir = copy_results();
    let token = token_file(base_dir.path());
    let baseline = public_view(&Server::start(base_dir.path(), &token, &[]));
    assert!(
        baseline.iter().any(|k| k.starts_with("key areas.")),
        "{baseline:?}"
    );
    let original = read_manifest(base_dir.path());

    // Sensitivity: removed, or anything but `false`, reads as sensitive.
    let mut mutations: Vec<(String, Mutation)> = Vec::new();
    for (list, n) in [
        ("sources", original["sources"].as_array().unwrap().len()),
        ("layers", original["layers"].as_array().unwrap().len()),
    ] {
        for i in 0..n {
            mutations.push((
                format!("{list}[{i}].sensitive removed"),
                Box::new(move |m: &mut Value| {
                    m[list][i].as_object_mut().unwrap().remove("sensitive");
                }),
            ));
            for bad in [json!("false"), json!(0), Value::Null] {
                mutations.push((
                    format!("{list}[{i}].sensitive = {bad}"),
                    Box::new(move |m: &mut Value| m[list][i]["sensitive"] = bad.clone()),
                ));
            }
        }
    }
    for i in 0..original["layers"].as_array().unwrap().len() {
        mutations.push((
            format!("layers[{i}].public_columns removed"),
            Box::new(move |m: &mut Value| {
                m["layers"][i]
                    .as_object_mut()
                    .unwrap()
                    .remove("public_columns");
            }),
        ));
        mutations.push((
            format!("layers[{i}].sources = [\"nobody\"]"),
            Box::new(move |m: &mut Value| m["layers"][i]["sources"] = json!(["nobody"])),
        ));
    }
    let mut public_layers_hidden = 0;
    for (what, mutate) in &mutations {
        let dir = copy_results();
        let mut m = original.clone();
        mutate(&mut m);
        write_manifest(dir.path(), &m);
        let view = public_view(&Server::start(dir.path(), &token, &[]));
        let extra: Vec<&String> = view.difference(&baseline).collect();
        assert!(
            extra.is_empty(),
            "{what}: the public now also sees {extra:?}"
        );
        if view.len() < baseline.len() {
            public_layers_hidden += 1;
        }
    }
    // The mutations of public layers' and public sources' sensitivity do hide things.
    assert!(public_layers_hidden > 0);

    // Disclosure: missing or malformed stops the server, naming the key.
    let cases: Vec<(&str, Mutation, &str)> = vec![
        (
            "disclosure removed",
            Box::new(|m: &mut Value| {
                m["parameters"]
                    .as_object_mut()
                    .unwrap()
                    .remove("disclosure");
            }),
            "disclosure",
        ),
        (
            "suppress_max removed",
            Box::new(|m: &mut Value| {
                m["parameters"]["disclosure"]
                    .as_object_mut()
                    .unwrap()
                    .remove("suppress_max");
            }),
            "suppress_max",
        ),
        (
            "suppress_max a string",
            Box::new(|m: &mut Value| m["parameters"]["disclosure"]["suppress_max"] = json!("7")),
            "parameters.disclosure.suppress_max",
        ),
        (
            "round_to zero",
            Box::new(|m: &mut Value| m["parameters"]["disclosure"]["round_to"] = json!(0)),
            "round_to",
        ),
        (
            "round_to negative",
            Box::new(|m: &mut Value| m["parameters"]["disclosure"]["round_to"] = json!(-5)),
            "parameters.disclosure.round_to",
        ),
        (
            "disclosure null",
            Box::new(|m: &mut Value| m["parameters"]["disclosure"] = Value::Null),
            "parameters.disclosure",
        ),
        (
            "format_version missing",
            Box::new(|m: &mut Value| {
                m.as_object_mut().unwrap().remove("format_version");
            }),
            "format_version",
        ),
        (
            "a public count without protection",
            Box::new(|m: &mut Value| {
                let areas = m["layers"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|l| l["kind"] == "areas")
                    .unwrap();
                assert!(areas["public_columns"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("police_all_count")));
                areas["protected_counts"] = json!([]);
            }),
            "protected_counts",
        ),
    ];
    for (what, mutate, key) in cases {
        let dir = copy_results();
        let mut m = original.clone();
        mutate(&mut m);
        write_manifest(dir.path(), &m);
        let err = refused(dir.path());
        assert!(
            err.contains(key),
            "{what}: the refusal does not name {key}:\n{err}"
        );
        assert!(
            err.contains("manifest.json"),
            "{what}: names the file:\n{err}"
        );
    }
}

#[test]
fn a_layer_added_to_the_registry_is_served_with_its_public_columns_only() {
    let dir = copy_results();
    let mut m = read_manifest(dir.path());
    let source = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sensitive"] == false)
        .expect("the demo has a source that is not sensitive")["name"]
        .as_str()
        .unwrap()
        .to_string();
    // A new layer: the areas' polygons with a count, a statistic the public may not see and
    // a name, written as any engine step would write a layer file.
    let areas: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("areas.geojson")).unwrap()).unwrap();
    let features: Vec<Value> = areas["features"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            json!({"type": "Feature", "id": i, "geometry": f["geometry"], "properties": {
                "label": format!("zone {i}"), "count": i % 23, "secret_z": i as f64 / 10.0,
            }})
        })
        .collect();
    std::fs::write(
        dir.path().join("zones.geojson"),
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features})).unwrap(),
    )
    .unwrap();
    m["layers"].as_array_mut().unwrap().push(json!({
        "name": "zones", "file": "zones.geojson", "kind": "features", "geometry": "polygon",
        "sources": [source], "sensitive": false,
        "public_columns": ["label", "count"], "protected_counts": [{"column": "count"}],
    }));
    write_manifest(dir.path(), &m);
    let token = token_file(dir.path());
    let s = Server::start(dir.path(), &token, &[]);
    for analyst in [false, true] {
        let layers = s.json("/api/layers", analyst);
        let zones = layers["tile_layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == "zones")
            .unwrap_or_else(|| panic!("zones not listed (analyst {analyst}): {layers}"));
        assert_eq!(zones["geometry"], "polygon");
        let tilejson = s.json("/tiles/zones.json", analyst);
        let fields: BTreeSet<&str> = tilejson["vector_layers"][0]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let expected: BTreeSet<&str> = if analyst {
            ["label", "count", "secret_z"].into()
        } else {
            ["label", "count"].into()
        };
        assert_eq!(fields, expected, "analyst {analyst}");
    }
    let b = s.bounds();
    let (mut suppressed, mut shown) = (0, 0);
    for (z, x, y) in tiles_over(b, 12) {
        for analyst in [false, true] {
            let path = format!("/tiles/zones/{z}/{x}/{y}.mvt");
            let r = if analyst {
                s.get_analyst(&path)
            } else {
                s.get(&path)
            };
            if r.status() == 204 {
                continue;
            }
            let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
            let mvt = reader.get_features(0).unwrap();
            // The GeoJSON tile of the same address holds the same features and attributes.
            let path = path.replace(".mvt", ".geojson");
            let r = if analyst {
                s.get_analyst(&path)
            } else {
                s.get(&path)
            };
            let geojson: Value = r.json().unwrap();
            let as_geojson: Vec<(u64, BTreeSet<String>)> = geojson["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let keys = f["properties"]
                        .as_object()
                        .unwrap()
                        .keys()
                        .cloned()
                        .collect();
                    (f["id"].as_u64().unwrap(), keys)
                })
                .collect();
            let as_mvt: Vec<(u64, BTreeSet<String>)> = mvt
                .iter()
                .map(|f| {
                    let keys = f
                        .properties
                        .clone()
                        .unwrap_or_default()
                        .into_keys()
                        .collect();
                    (f.id.unwrap(), keys)
                })
                .collect();
            assert_eq!(as_geojson, as_mvt, "{path} (analyst {analyst})");
            for f in mvt {
                let id = f.id.unwrap();
                let props = f.properties.unwrap_or_default();
                let exact = id % 23;
                let count = props.get("count");
                if analyst {
                    assert!(props.contains_key("secret_z"));
                    assert_eq!(count, Some(&mvt_reader::feature::Value::UInt(exact)));
                    continue;
                }
                assert!(
                    !props.contains_key("secret_z"),
                    "a statistic leaked: {props:?}"
                );
                match count {
                    Some(mvt_reader::feature::Value::UInt(c)) => {
                        shown += 1;
                        assert!(*c == 0 || (*c >= 8 && c % 5 == 0), "count {c} of {exact}");
                    }
                    None | Some(mvt_reader::feature::Value::Null) => {
                        suppressed += 1;
                        assert!((1..=7).contains(&exact), "{exact} withheld");
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
    }
    assert!(
        suppressed > 0 && shown > 0,
        "{suppressed} suppressed, {shown} shown"
    );
}
