//! Request bodies are read in full, up to the limit, before any handler runs.
//!
//! tower-http's `RequestBodyLimitLayer` (outside this layer) refuses a too-long
//! `Content-Length` before reading anything, and limits what a handler reads; but a handler
//! that never reads its body (every route today, `POST /admin/reload` included) never meets
//! that limit, so a chunked body of any size went through. Reading the body here makes the
//! limit hold on every route whatever the handler does: `413` once the limit is passed,
//! without reading the rest. Until the whole request has arrived the connection counts as
//! waiting for its client (see `connections`); then it is marked working while the handler
//! runs.

use crate::connections::Connection;
use crate::error::error_body;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::LengthLimitError;
use std::error::Error;
use std::sync::Arc;

/// Reads the body of `request`, at most `limit` bytes, then runs the handler on it.
pub async fn read_whole_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) if too_long(&e) => {
            return error_body(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the request body is larger than the {limit} bytes this server accepts"),
            )
        }
        Err(e) => {
            return error_body(
                StatusCode::BAD_REQUEST,
                &format!("the request body could not be read: {e}"),
            )
        }
    };
    let _working = parts
        .extensions
        .get::<Arc<Connection>>()
        .map(Connection::start_work);
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Whether reading failed because the body passed a length limit (this layer's or
/// tower-http's, which is nested inside the body).
fn too_long(e: &axum::Error) -> bool {
    let mut cause: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}
