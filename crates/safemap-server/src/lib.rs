//! The safemap HTTP server: vector tiles and JSON APIs over a run's results, with a public
//! role that only ever sees disclosure-controlled numbers and an analyst role with a bearer
//! token.
//!
//! | module | offers |
//! |---|---|
//! | [`router`] | the axum [`Router`] with every route and the hardening layers |
//! | [`serve`] | runs the router on a listener until Ctrl-C, reloading on SIGHUP |
//! | `connections` | the accept loop: connection cap, header-read and idle timeouts |
//! | `body_limit` | request bodies read up to the limit before any handler, chunked or not |
//! | [`state`] | [`AppState`]: results behind an atomic pointer, reload, the tile cache |
//! | [`dataset`] | a results directory in memory, with the public table of each source |
//! | [`filter`] | `source`, `category`, `from`/`to`, `window`, `days`/`hours` |
//! | [`values`] | rates, intervals, excess risk and EB rates from counts |
//! | [`labels`] | human labels for category, flag, analysis and source identifiers |
//! | [`role`] | `public` and `analyst` |
//! | [`routes`] | the handlers |
//! | [`export`] | the public layers as tiles for `safemap export pmtiles` |
//! | [`error`] | [`AppError`]: status codes with JSON bodies |
//!
//! The routes are listed in `docs/http-api.md`. CPU work (tile encoding, filtered answers,
//! reloads) runs on the blocking pool, never on the async threads. No cargo features.

mod body_limit;
mod connections;
pub mod dataset;
pub mod error;
pub mod export;
pub mod filter;
pub mod labels;
pub mod role;
pub mod routes;
pub mod state;
pub mod tile_cache;
pub mod values;

pub use error::AppError;
pub use state::{
    AppState, ServerConfig, DEFAULT_HEADER_READ_TIMEOUT_SECS, DEFAULT_IDLE_TIMEOUT_SECS,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_SECS,
};

use axum::http::{HeaderValue, Method, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// Every route, with request size and time limits, CORS as configured and request logs.
pub fn router(state: AppState) -> Router {
    let config = state.config().clone();
    let mut app = Router::new()
        .route("/api/session", get(routes::api::session))
        .route("/api/layers", get(routes::api::layers))
        .route("/api/manifest", get(routes::api::manifest))
        .route("/api/areas.json", get(routes::api::areas_json))
        .route("/api/areas.geojson", get(routes::api::areas_geojson))
        .route("/api/areas/{code}", get(routes::api::area))
        .route("/api/priority", get(routes::access::priority))
        .route(
            "/api/small_areas.json",
            get(routes::levels::small_areas_json),
        )
        .route("/tiles/{file}", get(routes::tiles::tilejson))
        .route("/tiles/{layer}/{z}/{x}/{y}", get(routes::tiles::tile))
        .route("/admin/reload", post(routes::admin::reload))
        .method_not_allowed_fallback(method_not_allowed);
    app = match &config.web_dir {
        // ServeDir resolves paths inside the directory only (no `..`, no absolute paths).
        Some(dir) => app
            .nest_service(
                "/vendor/maplibre-gl",
                ServeDir::new(dir.join("node_modules/maplibre-gl/dist")),
            )
            .fallback_service(ServeDir::new(dir).fallback(tower::service_fn(|_| async {
                Ok::<_, std::convert::Infallible>(error::error_body(
                    StatusCode::NOT_FOUND,
                    "no such page or route; the APIs are listed at /api/layers",
                ))
            }))),
        None => app.fallback(api_not_found),
    };
    let app = app
        .with_state(state)
        // Every answer the handler has not compressed itself (tiles come gzipped from the
        // cache), for clients that accept gzip; fastest level, since answers are made per
        // request (the national areas.json: 8.5 MB to about 1 MB).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(axum::middleware::from_fn_with_state(
            config.max_body_bytes,
            body_limit::read_whole_body,
        ))
        // Refuses a too-long Content-Length before reading it; chunked bodies meet the limit
        // in the layer above.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            config.max_body_bytes,
        ))
        // From the request head to the answer, reading the body included.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                // The path only: queries carry no secrets, but the Authorization header does
                // and is never recorded.
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        );
    match cors(&config.cors_origins) {
        Some(layer) => app.layer(layer),
        None => app,
    }
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                axum::http::header::AUTHORIZATION,
                axum::http::header::IF_NONE_MATCH,
            ]),
    )
}

async fn api_not_found(uri: axum::http::Uri) -> AppError {
    AppError::NotFound(format!("no route {}; see /api/layers", uri.path()))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> axum::response::Response {
    error::error_body(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("{method} is not allowed on {}", uri.path()),
    )
}

/// Serves `router(state)` on `listener` until Ctrl-C (or SIGTERM), with the connection
/// limits of the state's configuration; SIGHUP reloads the results.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let reloader = state.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                return;
            };
            while hup.recv().await.is_some() {
                if let Err(e) = reloader.reload().await {
                    tracing::error!(error = %e, "reload on SIGHUP failed; still serving the previous results");
                }
            }
        });
    }
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let limits = connections::Limits::of(state.config());
    connections::serve(listener, router(state), limits, async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
    .await;
    Ok(())
}
