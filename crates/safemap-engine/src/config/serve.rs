//! `[serve]`: analyst authentication and CORS of `safemap serve`.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[serve]`: how `safemap serve` authenticates analysts and which browsers may call it.
/// Only where the token is kept is recorded, never the token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSection {
    /// A file holding the analyst bearer token (relative to the study file).
    pub token_file: Option<PathBuf>,
    /// Or an environment variable holding it.
    pub token_env: Option<String>,
    /// Origins allowed by CORS (none by default: same-origin only; `*` for any).
    #[serde(default)]
    pub cors_origins: Vec<String>,
}

impl ServeSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        if self.token_file.is_some() && self.token_env.is_some() {
            return Err(study.invalid(
                "serve.token_env",
                format!("{:?}", self.token_env),
                "give either serve.token_file or serve.token_env, not both",
            ));
        }
        Ok(())
    }
}
