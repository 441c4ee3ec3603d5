//! [`AppError`]: every failure of a request, mapped to a status code and a JSON body that
//! says what was wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A request that cannot be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// A malformed parameter or tile coordinate (400).
    #[error("{0}")]
    BadRequest(String),
    /// A bearer token that is not the analyst token (401).
    #[error("the bearer token is not valid for this server; sign in again or use the public view")]
    Unauthorized,
    /// Not allowed for the caller's role (403).
    #[error("{0}")]
    Forbidden(String),
    /// An unknown layer, area or route (404).
    #[error("{0}")]
    NotFound(String),
    /// A well-formed filter the data cannot answer (422).
    #[error("{0}")]
    Unprocessable(String),
    /// A bug or an I/O failure (500); the message is logged, not shown in full.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The JSON body of an error response with `status`.
pub fn error_body(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"error": {"status": status.as_u16(), "message": message}});
    let mut resp = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"safemap\""),
        );
    }
    resp
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        error_body(status, &self.to_string())
    }
}
