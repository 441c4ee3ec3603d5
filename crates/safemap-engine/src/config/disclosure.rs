//! `[disclosure]`: small-number control of what the public role sees. The section's type
//! is part of the results contract (`safemap_results::disclosure`), so the server reads the
//! manifest's copy with the same rules; the study file's checks live here.

use super::{ConfigError, Study};
pub use safemap_results::disclosure::DisclosureSection;

/// Checks `[disclosure]` beyond its types.
pub(super) fn check(section: &DisclosureSection, study: &Study) -> Result<(), ConfigError> {
    if section.round_to == 0 {
        return Err(study.invalid(
            "disclosure.round_to",
            0,
            "expected a positive whole number such as 5 (1 leaves counts unrounded)",
        ));
    }
    Ok(())
}
