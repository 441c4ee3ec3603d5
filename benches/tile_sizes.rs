//! Answer sizes over the national study (34,753 England and Wales LSOA11 areas): for every
//! public tile layer, the largest tile per zoom 4-8 over the areas' bounds (gzipped as
//! served and raw MVT) and the number of tiles, then `/api/areas.json` plain and gzipped.
//! Not a timing: it prints one table to stderr (`cargo run -p safemap-benches --example
//! tile_sizes`), the figures `benches/README.md` records before and after.
//!
//! The results are read from `SAFEMAP_BENCH_NATIONAL_RESULTS` or made by a fresh run of
//! `tests/studies/national.toml`. Requests go through the real router in process, public
//! role, `Accept-Encoding: gzip`, so the sizes are the bytes a browser receives.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use safemap_server::{AppState, ServerConfig};
use safemap_tiles::tiles_covering;
use std::io::Read;
use tower::ServiceExt as _;

mod national_results;
use national_results::national_results;

/// Status, `Content-Encoding: gzip` or not, and the body of one public GET.
async fn get(app: &axum::Router, uri: &str, gzip: bool) -> (StatusCode, bool, Vec<u8>) {
    let mut r = Request::builder().uri(uri);
    if gzip {
        r = r.header(header::ACCEPT_ENCODING, "gzip");
    }
    let response = app
        .clone()
        .oneshot(r.body(Body::empty()).expect("a request"))
        .await
        .expect("the router answers");
    let status = response.status();
    let gzipped = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "gzip");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body");
    (status, gzipped, body.to_vec())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip body");
    out
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

fn main() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = national_results(tmp.path());
    let app = safemap_server::router(AppState::load(ServerConfig::new(&dir)).expect("loads"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        let (_, _, layers) = get(&app, "/api/layers", false).await;
        let layers: serde_json::Value = serde_json::from_slice(&layers).expect("JSON");
        let b: Vec<f64> = layers["bounds"]
            .as_array()
            .expect("bounds")
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .collect();
        let bounds = [b[0], b[1], b[2], b[3]];
        eprintln!("| layer | zoom | tiles | largest tile | gzipped | raw |");
        eprintln!("|---|---|---|---|---|---|");
        for layer in layers["tile_layers"].as_array().expect("tile_layers") {
            let id = layer["id"].as_str().expect("id");
            for z in 4..=8 {
                let mut largest = (0, 0, String::new());
                let mut n = 0;
                for t in tiles_covering(bounds, z) {
                    let uri = format!("/tiles/{id}/{}/{}/{}.mvt", t.z, t.x, t.y);
                    let (status, gzipped, body) = get(&app, &uri, true).await;
                    if status == StatusCode::NO_CONTENT {
                        continue;
                    }
                    assert_eq!(status, StatusCode::OK, "{uri}");
                    n += 1;
                    let raw = if gzipped {
                        gunzip(&body).len()
                    } else {
                        body.len()
                    };
                    if body.len() > largest.0 {
                        largest = (body.len(), raw, format!("{}/{}/{}", t.z, t.x, t.y));
                    }
                }
                eprintln!(
                    "| {id} | {z} | {n} | {} | {} | {} |",
                    largest.2,
                    kb(largest.0),
                    kb(largest.1)
                );
            }
        }
        for uri in ["/api/areas.json", "/api/areas.geojson", "/api/layers"] {
            let (_, _, plain) = get(&app, uri, false).await;
            let (_, gzipped, body) = get(&app, uri, true).await;
            let sent = if gzipped {
                assert_eq!(
                    gunzip(&body),
                    plain,
                    "{uri}: gzip decompresses to the plain answer"
                );
                kb(body.len())
            } else {
                "not compressed".to_string()
            };
            eprintln!("| {uri} | plain {} | gzip {sent} |", kb(plain.len()));
        }
    });
}
