//! The server's filtered answers over the national study (34,753 England and Wales LSOA11
//! areas, police.uk January 2019): `/api/areas.geojson` and `/api/areas.json` with all
//! categories and one period (`from=2019-01&to=2019-01`), for the analyst and the public
//! role.
//!
//! The national study is run into a temporary directory first (about 10-20 s), unless
//! `SAFEMAP_BENCH_NATIONAL_RESULTS` names the results directory of an earlier run of
//! `tests/studies/national.toml`. Two sets of functions are timed:
//!
//! - `geojson_body/{analyst,public}`: `safemap_server::routes::api::geojson_body`, the whole
//!   CPU work of the GeoJSON answer;
//! - `router/{areas_geojson,areas_json}_{analyst,public}`: the request through the axum
//!   router in process (`tower::ServiceExt::oneshot`, no socket), routing, role, filters,
//!   the blocking pool and the body read to its end frame by frame.
//!
//! Each answer is parsed once before timing: a FeatureCollection (or `areas` array) of
//! 34,753 features, the filter echoed as asked, the role as asked, public counts rounded.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use criterion::{criterion_group, criterion_main, Criterion};
use safemap_server::dataset::Dataset;
use safemap_server::filter::FilterParams;
use safemap_server::role::Role;
use safemap_server::routes::api::geojson_body;
use safemap_server::{AppState, ServerConfig};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt as _;

mod national_results;
use national_results::national_results;

const AREAS: usize = 34_753;
const TOKEN: &str = "bench-analyst-token";
const QUERY: &str = "from=2019-01&to=2019-01";

fn one_month() -> FilterParams {
    FilterParams {
        from: Some("2019-01".into()),
        to: Some("2019-01".into()),
        ..FilterParams::default()
    }
}

/// Checks a FeatureCollection or areas.json answer: 34,753 records, the filter as asked and,
/// for the public role, counts that are suppressed or multiples of 5.
fn check_answer(body: &[u8], role: Role, geojson: bool) {
    let v: serde_json::Value = serde_json::from_slice(body).expect("the answer is JSON");
    assert_eq!(v["filter"]["from"], "2019-01", "{}", v["filter"]);
    assert_eq!(v["filter"]["to"], "2019-01", "{}", v["filter"]);
    assert_eq!(v["filter"]["category"], "all", "{}", v["filter"]);
    let (records, props): (&Vec<serde_json::Value>, &str) = if geojson {
        assert_eq!(v["type"], "FeatureCollection");
        (v["features"].as_array().expect("features"), "properties")
    } else {
        assert_eq!(v["role"], role.as_str());
        (v["areas"].as_array().expect("areas"), "")
    };
    assert_eq!(records.len(), AREAS, "one record per LSOA");
    let mut total = 0u64;
    for (i, r) in records.iter().enumerate() {
        let p = if props.is_empty() { r } else { &r[props] };
        if geojson {
            assert_eq!(r["id"], i, "feature id = area index");
            assert!(
                r["geometry"]["type"].is_string(),
                "feature {i} has a geometry"
            );
        }
        assert!(p["code"]
            .as_str()
            .is_some_and(|c| c.starts_with('E') || c.starts_with('W')));
        match p["count"].as_u64() {
            Some(c) => {
                if role == Role::Public {
                    assert_eq!(c % 5, 0, "public counts are rounded to 5");
                }
                total += c;
            }
            None => assert!(role == Role::Public && p["suppressed"] == true),
        }
    }
    // 314,458 crimes were joined in January 2019 (benches/README.md); rounding moves the
    // public total a little.
    match role {
        Role::Analyst => assert_eq!(total, 314_458),
        Role::Public => assert!((250_000..=330_000).contains(&total), "public total {total}"),
    }
}

fn request(uri: &str, role: Role) -> Request<Body> {
    let mut r = Request::builder().uri(uri);
    if role == Role::Analyst {
        r = r.header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    }
    r.body(Body::empty()).expect("a request")
}

async fn fetch(app: &axum::Router, uri: &str, role: Role) -> axum::body::Bytes {
    let response = app
        .clone()
        .oneshot(request(uri, role))
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body")
}

/// The request answered and its body read to the end, frame by frame, as a socket writer
/// would (no concatenation of the shared geometry); returns the body's length.
async fn drain(app: &axum::Router, uri: &str, role: Role) -> usize {
    use futures_util::StreamExt as _;
    let response = app
        .clone()
        .oneshot(request(uri, role))
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let mut body = response.into_body().into_data_stream();
    let mut len = 0;
    while let Some(chunk) = body.next().await {
        len += chunk.expect("a body chunk").len();
    }
    len
}

fn bench_server(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = national_results(tmp.path());
    let data: Arc<Dataset> =
        Arc::new(safemap_server::dataset::load(&dir).expect("the national results load"));
    assert_eq!(data.areas.len(), AREAS);

    let params = one_month();
    let roles = [("analyst", Role::Analyst), ("public", Role::Public)];
    for (_, role) in roles {
        let body = geojson_body(&data, &params, role).expect("the GeoJSON answer");
        check_answer(&body.concat(), role, true);
    }
    let mut g = c.benchmark_group("server_national_lsoa11");
    g.sample_size(30).measurement_time(Duration::from_secs(10));
    for (name, role) in roles {
        g.bench_function(format!("geojson_body/{name}"), |b| {
            b.iter(|| geojson_body(&data, &params, role).expect("the GeoJSON answer"));
        });
    }

    let mut config = ServerConfig::new(&dir);
    config.token = Some(TOKEN.into());
    let app = safemap_server::router(AppState::load(config).expect("the state loads"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    for (route, geojson) in [("areas_geojson", true), ("areas_json", false)] {
        let path = if geojson {
            "/api/areas.geojson"
        } else {
            "/api/areas.json"
        };
        let uri = format!("{path}?{QUERY}");
        for (name, role) in roles {
            let body = rt.block_on(fetch(&app, &uri, role));
            check_answer(&body, role, geojson);
            g.bench_function(format!("router/{route}_{name}"), |b| {
                b.iter(|| rt.block_on(drain(&app, &uri, role)));
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_server);
criterion_main!(benches);
