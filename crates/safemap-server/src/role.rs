//! Roles: `public` without credentials, `analyst` with the bearer token. The token is
//! compared in constant time and never logged.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// No credentials: disclosure-controlled numbers only.
    Public,
    /// The analyst token: exact numbers.
    Analyst,
}

impl Role {
    /// `public` or `analyst`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Analyst => "analyst",
        }
    }

    /// True for the analyst.
    pub fn is_analyst(self) -> bool {
        self == Role::Analyst
    }

    /// Fails with 403 unless analyst.
    pub fn require_analyst(self, what: &str) -> Result<(), AppError> {
        if self.is_analyst() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{what} is for the analyst role: send Authorization: Bearer <token>"
            )))
        }
    }
}

impl FromRequestParts<AppState> for Role {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Ok(Role::Public);
        };
        let given = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        match &state.config().token {
            Some(token)
                if constant_time_eq::constant_time_eq(given.as_bytes(), token.as_bytes()) =>
            {
                Ok(Role::Analyst)
            }
            _ => Err(AppError::Unauthorized),
        }
    }
}
