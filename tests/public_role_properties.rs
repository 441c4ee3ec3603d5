//! Property test of the public role over HTTP: random filter combinations (any source,
//! measure, months, named or custom window, well-formed or not) against the demo city's
//! server. Whatever the query, a public answer about a sensitive source carries no count in
//! 1..=suppress_max and no count that is not a multiple of the rounding base, in
//! `/api/areas.json`, `/api/areas.geojson` and the area panel; an open source's public
//! counts are the analyst's; a query the server refuses is a 4xx with a message, never a
//! 5xx.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod serving;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use serving::Server;

/// One random query: each parameter absent or drawn from values that exist and values that
/// do not.
#[derive(Debug, Clone)]
struct Filter {
    source: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    window: Option<String>,
    days: Option<String>,
    hours: Option<String>,
}

impl Filter {
    fn query(&self) -> String {
        [
            ("source", &self.source),
            ("category", &self.category),
            ("from", &self.from),
            ("to", &self.to),
            ("window", &self.window),
            ("days", &self.days),
            ("hours", &self.hours),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Every count of an answer (areas.json rows, GeoJSON features, or a panel's values).
fn counts_in(answer: &Value) -> Vec<Option<u64>> {
    if let Some(areas) = answer["areas"].as_array() {
        areas.iter().map(|a| a["count"].as_u64()).collect()
    } else if let Some(features) = answer["features"].as_array() {
        features
            .iter()
            .map(|f| f["properties"]["count"].as_u64())
            .collect()
    } else {
        vec![answer["values"]["count"].as_u64()]
    }
}

#[test]
fn the_public_role_never_receives_a_small_or_unrounded_sensitive_count() {
    let s = Server::demo();
    let layers = s.json("/api/layers", false);
    let d = &layers["disclosure"];
    let (suppress_max, round_to) = (
        d["suppress_max"].as_u64().unwrap(),
        d["round_to"].as_u64().unwrap(),
    );
    assert!(suppress_max >= 1 && round_to >= 2, "{d}");
    let sources = layers["sources"].as_array().unwrap().clone();
    let sensitive = |name: &str| {
        sources
            .iter()
            .find(|s| s["name"] == name)
            .is_some_and(|s| s["sensitive"].as_bool().unwrap())
    };
    let code = s.json("/api/areas.json", false)["areas"][3]["code"]
        .as_str()
        .unwrap()
        .to_string();
    // Per source: its measures and the months its published periods start and end on.
    let menus: Vec<(String, Vec<String>, Vec<String>)> = sources
        .iter()
        .map(|source| {
            let list = |key: &str, field: &str| -> Vec<String> {
                source[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v[field].as_str().unwrap().to_string())
                    .collect()
            };
            let mut months = list("periods", "from");
            months.extend(list("periods", "to"));
            let mut measures = list("measures", "id");
            measures.push("all".into());
            (
                source["name"].as_str().unwrap().to_string(),
                measures,
                months,
            )
        })
        .collect();
    let n_sources = menus.len();
    let strategy = (
        0..=n_sources,
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        proptest::option::of(proptest::sample::select(vec!["all", "nte", "custom"])),
        proptest::option::of(proptest::sample::select(vec![
            "fri,sat",
            "mon",
            "sun,mon,tue",
            "xyz",
        ])),
        proptest::option::of(proptest::sample::select(vec![
            "21-2", "0-23", "5-5", "25-3",
        ])),
        (0..3_usize, 0..8_usize),
    )
        .prop_map(
            move |(source, m, from, to, window, days, hours, (endpoint, corrupt))| {
                let text = |v: Option<&str>| v.map(str::to_string);
                let mut filter = match menus.get(source) {
                    // The source left out: the server's first.
                    None => Filter {
                        source: None,
                        category: None,
                        from: None,
                        to: None,
                        window: None,
                        days: None,
                        hours: None,
                    },
                    Some((name, measures, months)) => Filter {
                        source: Some(name.clone()),
                        category: Some(m.get(measures).clone()),
                        from: Some(from.get(months).clone()),
                        to: Some(to.get(months).clone()),
                        window: None,
                        days: None,
                        hours: None,
                    },
                };
                // Months in order, custom days and hours with a custom window: the answers
                // the public gets. Then, one time in four, a value the server does not know.
                if let (Some(a), Some(b)) = (&filter.from, &filter.to) {
                    if a > b {
                        std::mem::swap(&mut filter.from, &mut filter.to);
                    }
                }
                filter.window = text(window);
                if filter.window.as_deref() == Some("custom") {
                    filter.days = text(days);
                    filter.hours = text(hours);
                }
                match corrupt {
                    0 => filter.category = Some("no_such_measure".into()),
                    1 => filter.from = Some("2019-13".into()),
                    _ => {}
                }
                (filter, endpoint)
            },
        );
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    let answered_sensitive = std::cell::Cell::new(0_u32);
    let answered = std::cell::Cell::new(0_u32);
    let shown_sensitive = std::cell::Cell::new(0_u64);
    runner
        .run(&strategy, |(filter, endpoint)| {
            let q = filter.query();
            let path = match endpoint {
                0 => format!("/api/areas.json?{q}"),
                1 => format!("/api/areas.geojson?{q}"),
                _ => format!("/api/areas/{code}?{q}"),
            };
            let r = s.get(&path);
            let status = r.status().as_u16();
            prop_assert!(status < 500, "{path}: {status}");
            if status != 200 {
                let body: Value = r.json().unwrap();
                prop_assert!(
                    body["error"]["message"]
                        .as_str()
                        .is_some_and(|m| !m.is_empty()),
                    "{path}: {body}"
                );
                return Ok(());
            }
            answered.set(answered.get() + 1);
            let public: Value = r.json().unwrap();
            let name = public["filter"]["source"]
                .as_str()
                .or(filter.source.as_deref())
                .map_or_else(
                    || sources[0]["name"].as_str().unwrap().to_string(),
                    str::to_string,
                );
            let counts = counts_in(&public);
            if sensitive(&name) {
                answered_sensitive.set(answered_sensitive.get() + 1);
                for c in counts.into_iter().flatten() {
                    shown_sensitive.set(shown_sensitive.get() + u64::from(c > 0));
                    prop_assert!(
                        c == 0 || (c > suppress_max && c % round_to == 0),
                        "{path}: public count {c}"
                    );
                }
            } else {
                let exact = s.json(&path, true);
                prop_assert_eq!(counts, counts_in(&exact), "{}", path);
            }
            Ok::<(), TestCaseError>(())
        })
        .unwrap();
    let (answered, answered_sensitive) = (answered.get(), answered_sensitive.get());
    assert!(
        answered >= 40 && answered_sensitive >= 10 && shown_sensitive.get() >= 100,
        "the random filters reached answers: {answered}, {answered_sensitive} sensitive, {} non-zero sensitive counts shown",
        shown_sensitive.get()
    );
    eprintln!(
        "{answered} of 400 random public queries answered, {answered_sensitive} about sensitive sources, with {} non-zero counts",
        shown_sensitive.get()
    );
}
