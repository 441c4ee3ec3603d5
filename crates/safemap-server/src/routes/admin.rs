//! `POST /admin/reload` (analyst): re-read the results directory and swap it in.

use crate::error::AppError;
use crate::role::Role;
use crate::state::{AppState, ReloadReport};
use axum::extract::State;
use axum::Json;

/// `POST /admin/reload`.
pub async fn reload(
    State(state): State<AppState>,
    role: Role,
) -> Result<Json<ReloadReport>, AppError> {
    role.require_analyst("reloading results")?;
    state.reload().await.map(Json).map_err(|e| {
        AppError::Unprocessable(format!(
            "reload failed, still serving the previous results: {e}"
        ))
    })
}
