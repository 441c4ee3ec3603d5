//! `[serve]`: analyst authentication and CORS of `safemap serve`. The section's type is part
//! of the results contract (`safemap_results::manifest`); the study file's checks live here.

use super::{ConfigError, Study};
pub use safemap_results::manifest::ServeSection;

/// Checks `[serve]` beyond its types.
pub(super) fn check(section: &ServeSection, study: &Study) -> Result<(), ConfigError> {
    if section.token_file.is_some() && section.token_env.is_some() {
        return Err(study.invalid(
            "serve.token_env",
            format!("{:?}", section.token_env),
            "give either serve.token_file or serve.token_env, not both",
        ));
    }
    Ok(())
}
