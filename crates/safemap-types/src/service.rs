//! Services: places where support is offered.

use crate::CheckedCoord;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of service the register may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ServiceKind {
    /// Independent Domestic Violence Advisor service.
    IdvaService,
    /// Refuge (addresses are secret).
    Refuge,
    /// Family hub.
    FamilyHub,
    /// Youth service.
    YouthService,
    /// Domestic abuse perpetrator programme.
    PerpetratorProgramme,
    /// Sexual violence service.
    SexualViolenceService,
}

impl ServiceKind {
    /// Every kind, in declaration order.
    pub const ALL: [ServiceKind; 6] = [
        ServiceKind::IdvaService,
        ServiceKind::Refuge,
        ServiceKind::FamilyHub,
        ServiceKind::YouthService,
        ServiceKind::PerpetratorProgramme,
        ServiceKind::SexualViolenceService,
    ];

    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::IdvaService => "idva_service",
            ServiceKind::Refuge => "refuge",
            ServiceKind::FamilyHub => "family_hub",
            ServiceKind::YouthService => "youth_service",
            ServiceKind::PerpetratorProgramme => "perpetrator_programme",
            ServiceKind::SexualViolenceService => "sexual_violence_service",
        }
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service kind or tier name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}: expected one of {expected}")]
pub struct UnknownName {
    /// What was being parsed ("service kind", "prevention tier").
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

impl FromStr for ServiceKind {
    type Err = UnknownName;

    /// Accepts the snake_case name, case-insensitively, with spaces or hyphens for
    /// underscores, and `idva` for `idva_service`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = normalise(s);
        if n == "idva" {
            return Ok(ServiceKind::IdvaService);
        }
        ServiceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == n)
            .ok_or_else(|| UnknownName {
                what: "service kind",
                value: s.to_string(),
                expected: ServiceKind::ALL.map(ServiceKind::as_str).join(", "),
            })
    }
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
    /// Display name.
    pub name: String,
    /// What kind of service it is.
    pub kind: ServiceKind,
    /// Prevention tier.
    pub tier: PreventionTier,
    /// Location in the CRS the register declares.
    pub point: CheckedCoord,
    /// Capacity (places, caseload, sessions); `None` when not given.
    pub capacity: Option<f64>,
    /// True for secret locations (refuges): never shown as points.
    pub confidential: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kinds_and_tiers() {
        assert_eq!("IDVA".parse::<ServiceKind>(), Ok(ServiceKind::IdvaService));
        assert_eq!(
            "Family hub".parse::<ServiceKind>(),
            Ok(ServiceKind::FamilyHub)
        );
        assert_eq!(
            "youth-service".parse::<ServiceKind>(),
            Ok(ServiceKind::YouthService)
        );
        let err = "pub".parse::<ServiceKind>().unwrap_err();
        assert!(err.to_string().contains("refuge"));
        assert_eq!(
            "Tertiary".parse::<PreventionTier>(),
            Ok(PreventionTier::Tertiary)
        );
        assert!("quaternary".parse::<PreventionTier>().is_err());
    }
}
