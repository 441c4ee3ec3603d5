//! The public role, attacked: every published filter of every source on the synthetic city.
//! Open sources are published exactly. For a sensitive source, every hidden count's range of
//! values consistent with **all** public answers (the audit statistical offices run, here an
//! integer programme per area) is at least the protection width, rates are derived from the
//! published counts only, and the same numbers appear in JSON, GeoJSON, the area panel and
//! the tiles; no layer is drawn from a sensitive source's points, no confidential service.
#![allow(clippy::unwrap_used)]

mod serving;

use safemap_results::audit::Knowledge;
use safemap_results::disclosure::DisclosureRule;
use safemap_server::values::{derive, Shown};
use safemap_stats::RateParams;
use serde_json::Value;
use serving::{areas_csv, error_of, tiles_over, Server};
use std::collections::BTreeMap;

fn counts(answer: &Value) -> Vec<Option<u64>> {
    answer["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64())
        .collect()
}

/// One public filter of a sensitive source: a measure and a window, whole period.
struct Cell {
    /// `all`, a category or a flag.
    measure: usize,
    /// True for the night-time-economy window.
    night: bool,
}

#[test]
fn the_audit_finds_no_hidden_public_count_narrower_than_the_protection_width() {
    let s = Server::demo();
    let layers = s.json("/api/layers", false);
    let d = &layers["disclosure"];
    let rule = DisclosureRule {
        suppress_max: d["suppress_max"].as_u64().unwrap(),
        round_to: d["round_to"].as_u64().unwrap(),
    };
    let width = rule.protection_width();
    let parameters = &s.json("/api/manifest", false)["parameters"];
    let base = parameters["rate_per"].as_f64().unwrap();
    let confidence = parameters["confidence"].as_f64().unwrap();
    let (mut audited, mut narrowest) = (0_u64, u64::MAX);
    let mut sensitive_sources = 0;
    for source in layers["sources"].as_array().unwrap() {
        let name = source["name"].as_str().unwrap();
        let measures: Vec<(String, String)> = source["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let id = m["id"].as_str().unwrap().to_string();
                (id, m["kind"].as_str().unwrap().to_string())
            })
            .collect();
        let period = &source["periods"][0];
        let (from, to) = (
            period["from"].as_str().unwrap(),
            period["to"].as_str().unwrap(),
        );
        let windows: Vec<String> = source["windows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_str().unwrap().to_string())
            .collect();
        let night = windows.iter().any(|w| w == "nte");
        let query = |m: &str, w: bool| {
            let window = if w { "&window=nte" } else { "" };
            format!("source={name}&category={m}&from={from}&to={to}{window}")
        };
        if !source["sensitive"].as_bool().unwrap() {
            // Open data: the public sees the analyst's numbers over the full menu.
            assert!(source["periods"].as_array().unwrap().len() >= 40);
            for (m, _) in &measures {
                let q = query(m, false);
                assert_eq!(
                    counts(&s.json(&format!("/api/areas.json?{q}"), false)),
                    counts(&s.json(&format!("/api/areas.json?{q}"), true)),
                    "{q}"
                );
            }
            continue;
        }
        sensitive_sources += 1;
        // The small menu: the whole period only; a month or a year is for the analyst.
        assert_eq!(source["periods"].as_array().unwrap().len(), 1, "{name}");
        let month = format!("/api/areas.json?source={name}&from={from}&to={from}");
        let (status, message) = error_of(s.get(&month));
        assert_eq!(status, 403, "{month}");
        assert!(message.contains("sensitive"), "{message}");
        // Atoms per area: each category (or all events) and each flag, split into the
        // night-time economy and the rest when the window is published.
        let categories: Vec<usize> = (1..measures.len())
            .filter(|&i| measures[i].1 == "category")
            .collect();
        let groups: Vec<usize> = if categories.is_empty() {
            vec![0]
        } else {
            categories.clone()
        };
        let flags: Vec<usize> = (1..measures.len())
            .filter(|&i| measures[i].1 == "flag")
            .collect();
        let parts = if night { 2 } else { 1 };
        let slot_atoms: Vec<Vec<usize>> = groups
            .iter()
            .chain(&flags)
            .enumerate()
            .map(|(g, _)| (0..parts).map(|p| g * parts + p).collect())
            .collect();
        let n_atoms = (groups.len() + flags.len()) * parts;
        let cells: Vec<Cell> = (0..measures.len())
            .flat_map(|m| {
                [false, night]
                    .into_iter()
                    .enumerate()
                    .filter(|(i, w)| *i == 0 || *w)
                    .map(move |(_, w)| Cell {
                        measure: m,
                        night: w,
                    })
            })
            .collect();
        let atoms_of = |c: &Cell| -> Vec<usize> {
            let slots: Vec<usize> = if c.measure == 0 {
                (0..groups.len()).collect()
            } else if let Some(g) = groups.iter().position(|&m| m == c.measure) {
                vec![g]
            } else {
                vec![groups.len() + flags.iter().position(|&m| m == c.measure).unwrap()]
            };
            slots
                .iter()
                .flat_map(|&g| {
                    slot_atoms[g]
                        .iter()
                        .copied()
                        .filter(|&a| !c.night || a % parts == 0)
                })
                .collect()
        };
        let mut public = Vec::new();
        let mut exact = Vec::new();
        for c in &cells {
            let q = query(&measures[c.measure].0, c.night);
            let p = s.json(&format!("/api/areas.json?{q}"), false);
            let mut shown = Vec::new();
            let mut pops = Vec::new();
            for a in p["areas"].as_array().unwrap() {
                pops.push(a["population"].as_f64());
                let Some(n) = a["count"].as_u64() else {
                    assert!(a["suppressed"].as_bool().unwrap() || a["no_data"].as_bool().unwrap());
                    for k in ["rate", "rate_lo", "rate_hi", "excess_risk", "eb_rate"] {
                        assert!(a[k].is_null(), "{q}: {k} shown for a hidden count");
                    }
                    shown.push(if a["no_data"].as_bool().unwrap() {
                        Shown::NoData
                    } else {
                        Shown::Suppressed
                    });
                    continue;
                };
                shown.push(Shown::Count(n));
                assert!(n >= 8 && n % rule.round_to == 0, "{q}: public count {n}");
                // A public rate is the published count over the population.
                if let (Some(rate), Some(pop)) = (a["rate"].as_f64(), a["population"].as_f64()) {
                    let from_count = n as f64 * base / pop;
                    assert!(
                        (rate - from_count).abs() <= 1e-9 * from_count.max(1.0),
                        "{q}: rate {rate} is not {n} per {pop}"
                    );
                }
            }
            // Every public value (rates, intervals, expected counts, Empirical Bayes) is a
            // function of the published counts alone: recomputed from them, it is the same.
            let params = RateParams::new(base, confidence).unwrap();
            for (a, d) in p["areas"]
                .as_array()
                .unwrap()
                .iter()
                .zip(derive(&shown, &pops, params))
            {
                for (k, v) in [
                    ("rate_lo", d.rate_lo),
                    ("rate_hi", d.rate_hi),
                    ("expected", d.expected),
                    ("eb_rate", d.eb_rate),
                ] {
                    match (a[k].as_f64(), v) {
                        (Some(x), Some(y)) => {
                            assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{q}: {k}");
                        }
                        (x, y) => assert_eq!(x, y, "{q}: {k}"),
                    }
                }
            }
            public.push(counts(&p));
            exact.push(counts(&s.json(&format!("/api/areas.json?{q}"), true)));
            // GeoJSON says the same.
            let geo = s.json(&format!("/api/areas.geojson?{q}"), false);
            let geo_counts: Vec<Option<u64>> = geo["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["count"].as_u64())
                .collect();
            assert_eq!(&geo_counts, public.last().unwrap(), "{q}");
        }
        let n_areas = public[0].len();
        for area in 0..n_areas {
            // Everything the public knows of this area, plus which hidden counts are small.
            let mut k = Knowledge::new(n_atoms);
            let mut hidden = Vec::new();
            for (i, c) in cells.iter().enumerate() {
                let atoms = atoms_of(c);
                match (public[i][area], exact[i][area]) {
                    (Some(v), _) => {
                        let (lo, hi) = rule.shown_range(v);
                        k.bound(&atoms, lo, Some(hi));
                    }
                    (None, Some(n)) => {
                        if n <= rule.suppress_max {
                            k.bound(&atoms, 0, Some(rule.suppress_max));
                        }
                        hidden.push((i, atoms, n));
                    }
                    (None, None) => {}
                }
            }
            for g in groups.len()..groups.len() + flags.len() {
                for p in 0..parts {
                    let whole: Vec<usize> = (0..groups.len()).map(|c| c * parts + p).collect();
                    k.at_most(&[g * parts + p], &whole);
                }
            }
            for (i, atoms, n) in hidden {
                let r = k.range(&atoms).unwrap();
                assert!(
                    r.min <= n && r.max.is_none_or(|m| n <= m),
                    "the audit's facts are true"
                );
                let w = r.width().unwrap_or(u64::MAX);
                assert!(
                    w >= width,
                    "{name}: area {area}, {} ({}): hidden count {n} narrowed to {r:?}",
                    measures[cells[i].measure].0,
                    if cells[i].night { "nte" } else { "all hours" }
                );
                audited += 1;
                narrowest = narrowest.min(w);
            }
        }
        // The area panel says the same, with no monthly counts.
        let all = &public[0];
        let areas = s.json(&format!("/api/areas.json?{}", query("all", false)), false);
        for area in [0_usize, 7, 42] {
            let code = areas["areas"][area]["code"].as_str().unwrap();
            let panel = s.json(&format!("/api/areas/{code}?source={name}"), false);
            assert_eq!(panel["values"]["count"].as_u64(), all[area]);
            assert!(panel["monthly"].as_array().unwrap().is_empty());
        }
    }
    assert_eq!(sensitive_sources, 2, "the demo's force and ED sources");
    assert!(
        audited > 500,
        "the audit met many hidden counts ({audited})"
    );
    eprintln!("audited {audited} hidden public counts; the narrowest range is {narrowest} wide (protection width {width})");
}

#[test]
fn public_tiles_carry_the_published_counts_and_no_sensitive_points() {
    let s = Server::demo();
    let published = s.json(
        "/api/areas.json?source=force&category=flag_domestic_abuse",
        false,
    );
    let layers = s.json("/api/layers", false);
    let b = s.bounds();
    for layer in layers["tile_layers"].as_array().unwrap() {
        let id = layer["id"].as_str().unwrap();
        let z = 12;
        for (_, x, y) in tiles_over(b, z) {
            let r = s.get(&format!("/tiles/{id}/{z}/{x}/{y}.mvt"));
            if r.status() == 204 {
                continue;
            }
            let reader = mvt_reader::Reader::new(r.bytes().unwrap().to_vec()).unwrap();
            for f in reader.get_features(0).unwrap() {
                let props = f.properties.unwrap_or_default();
                for (k, v) in &props {
                    let sensitive = k.starts_with("force_") || k.starts_with("ed_");
                    if sensitive && k.ends_with("_count") {
                        let mvt_reader::feature::Value::UInt(c) = v else {
                            panic!("{k}: {v:?}")
                        };
                        assert!(*c >= 8 && c % 5 == 0, "{id} {k} = {c}: zero is hidden too");
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
        )
        .replace(
            "name = \"violence_trend\"\nsource = \"police\"\ncategory = \"violence_and_sexual_offences\"",
            "name = \"violence_trend\"\nsource = \"ed\"\ncategory = \"all\"",
        );
    assert_eq!(
        sensitive
            .matches("source = \"ed\"\ncategory = \"all\"")
            .count(),
        4,
        "the ed_assaults analysis, and now the grid, density and emerging hot spots (on grid cells too)"
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
        [
            "areas",
            "candidate_sites",
            "context",
            "density",
            "emerging",
            "grid",
            "labels",
            "services"
        ]
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
