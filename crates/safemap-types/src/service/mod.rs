//! Services: places where support is offered.
//!
//! | module | offers |
//! |---|---|
//! | [`kind`] | [`ServiceKind`] (an open set of slugs, the known ones with labels), [`is_slug`] |

pub mod kind;

pub use kind::{is_slug, BadServiceKind, ServiceKind};

use crate::CheckedCoord;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A prevention tier name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}: expected one of {expected}")]
pub struct UnknownName {
    /// What was being parsed ("prevention tier").
    pub what: &'static str,
    /// The value found.
    pub value: String,
    /// The accepted values, comma-separated.
    pub expected: String,
}

/// Lower-cases and turns spaces, hyphens and slashes into underscores.
fn normalise(s: &str) -> String {
    s.trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' || c == '/' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Public-health prevention tier of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreventionTier {
    /// Stops violence before it starts (universal).
    Primary,
    /// Early response to those at risk.
    Secondary,
    /// Reduces harm after violence has occurred.
    Tertiary,
}

impl PreventionTier {
    /// The lower-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            PreventionTier::Primary => "primary",
            PreventionTier::Secondary => "secondary",
            PreventionTier::Tertiary => "tertiary",
        }
    }
}

impl FromStr for PreventionTier {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match normalise(s).as_str() {
            "primary" | "1" => Ok(PreventionTier::Primary),
            "secondary" | "2" => Ok(PreventionTier::Secondary),
            "tertiary" | "3" => Ok(PreventionTier::Tertiary),
            _ => Err(UnknownName {
                what: "prevention tier",
                value: s.to_string(),
                expected: "primary, secondary, tertiary".to_string(),
            }),
        }
    }
}

/// One service location from the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Stable id, unique in its register: the register's id column, or the service's line
    /// number in the file when it has none. A travel-cost matrix names services by it.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What kind of service it is.
    pub kind: ServiceKind,
    /// Prevention tier, when the register gives one.
    pub tier: Option<PreventionTier>,
    /// Location in the CRS the register declares.
    pub point: CheckedCoord,
    /// Capacity (places, caseload, sessions); `None` when not given.
    pub capacity: Option<f64>,
    /// Opening hours as the register writes them (free text); `None` when not given.
    pub opening_hours: Option<String>,
    /// True for secret locations (every refuge, and any service the register marks): never
    /// shown as points, and neither their ids nor their per-service figures reach an output.
    pub confidential: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tiers() {
        assert_eq!(
            "Tertiary".parse::<PreventionTier>(),
            Ok(PreventionTier::Tertiary)
        );
        assert_eq!("2".parse::<PreventionTier>(), Ok(PreventionTier::Secondary));
        let err = "quaternary".parse::<PreventionTier>().unwrap_err();
        assert!(err.to_string().contains("primary, secondary, tertiary"));
    }
}
