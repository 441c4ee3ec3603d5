//! [`ServiceKind`]: an open set of service kinds named by slugs.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The most characters a service kind may have.
pub const MAX_SLUG_CHARS: usize = 64;

/// The slug rule in words, for error messages.
pub const SLUG_RULE: &str =
    "a service kind of 1 to 64 lower-case ASCII letters, digits and _ (e.g. gp_practice)";

/// True for a **slug**: a non-empty name of at most [`MAX_SLUG_CHARS`] lower-case ASCII
/// letters, digits and `_`.
///
/// ```
/// use safemap_types::service::is_slug;
/// assert!(is_slug("gp_practice") && is_slug("hub_2"));
/// assert!(!is_slug("") && !is_slug("GP") && !is_slug("gp practice") && !is_slug("café"));
/// ```
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// What kind of service a register lists: any slug ([`is_slug`]), so a register may hold
/// `gp_practice`, `idva_service`, `youth_service` or a kind safemap has never heard of.
///
/// The known kinds (the constants below) differ from the others in two ways only: they have
/// nicer labels ([`ServiceKind::label`]: `gp_practice` is "GP practice", an unknown
/// `youth_club` is "Youth club"), and [`ServiceKind::REFUGE`] is confidential by nature
/// ([`ServiceKind::is_confidential_by_nature`]).
///
/// Serialised as the slug; deserialising checks the slug rule strictly (a study file says
/// `kind = "gp_practice"`). Register values are read leniently with [`FromStr`].
///
/// ```
/// use safemap_types::ServiceKind;
/// assert_eq!(ServiceKind::new("gp_practice"), Ok(ServiceKind::GP_PRACTICE));
/// assert_eq!(ServiceKind::GP_PRACTICE.label(), "GP practice");
/// assert_eq!(ServiceKind::new("youth_club").unwrap().label(), "Youth club");
/// assert!(ServiceKind::new("Youth club").is_err());
/// assert_eq!("Youth club".parse::<ServiceKind>().unwrap().as_str(), "youth_club");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServiceKind(Cow<'static, str>);

/// A service kind that breaks the slug rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a service kind: expected {SLUG_RULE}")]
pub struct BadServiceKind {
    /// The text given.
    pub value: String,
}

impl ServiceKind {
    /// Independent Domestic Violence Advisor service.
    pub const IDVA_SERVICE: Self = Self::constant("idva_service");
    /// Independent Sexual Violence Advisor service.
    pub const ISVA_SERVICE: Self = Self::constant("isva_service");
    /// Refuge: its address is secret, so every refuge is confidential.
    pub const REFUGE: Self = Self::constant("refuge");
    /// Family hub.
    pub const FAMILY_HUB: Self = Self::constant("family_hub");
    /// Youth service.
    pub const YOUTH_SERVICE: Self = Self::constant("youth_service");
    /// Domestic abuse perpetrator programme.
    pub const PERPETRATOR_PROGRAMME: Self = Self::constant("perpetrator_programme");
    /// Sexual violence service.
    pub const SEXUAL_VIOLENCE_SERVICE: Self = Self::constant("sexual_violence_service");
    /// GP practice (general practice surgery).
    pub const GP_PRACTICE: Self = Self::constant("gp_practice");
    /// Emergency department.
    pub const EMERGENCY_DEPARTMENT: Self = Self::constant("emergency_department");

    const fn constant(slug: &'static str) -> Self {
        Self(Cow::Borrowed(slug))
    }

    /// The kind named by `slug`, which must follow the slug rule ([`is_slug`]) exactly.
    ///
    /// # Errors
    ///
    /// [`BadServiceKind`] for anything else (upper case, spaces, empty, too long).
    pub fn new(slug: &str) -> Result<Self, BadServiceKind> {
        match KNOWN.iter().find(|(k, _)| k.as_str() == slug) {
            Some((k, _)) => Ok(k.clone()),
            None if is_slug(slug) => Ok(Self(Cow::Owned(slug.to_string()))),
            None => Err(BadServiceKind {
                value: slug.to_string(),
            }),
        }
    }

    /// The slug, as written in files.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A label for people: the known kinds' own ("GP practice", "IDVA service"); for any
    /// other kind the slug with spaces for `_` and a capital first letter
    /// (`youth_club` → "Youth club"), or the slug itself if that leaves nothing (`_`).
    pub fn label(&self) -> Cow<'static, str> {
        if let Some((_, label)) = KNOWN.iter().find(|(k, _)| k == self) {
            return Cow::Borrowed(label);
        }
        let words = self.0.replace('_', " ");
        let words = words.trim();
        let mut chars = words.chars();
        Cow::Owned(match chars.next() {
            Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
            None => self.0.to_string(),
        })
    }

    /// True for kinds whose every service is confidential whatever the register says:
    /// refuges, whose addresses are secret.
    pub fn is_confidential_by_nature(&self) -> bool {
        *self == Self::REFUGE
    }
}

/// The known kinds and their labels.
static KNOWN: [(ServiceKind, &str); 9] = [
    (ServiceKind::IDVA_SERVICE, "IDVA service"),
    (ServiceKind::ISVA_SERVICE, "ISVA service"),
    (ServiceKind::REFUGE, "Refuge"),
    (ServiceKind::FAMILY_HUB, "Family hub"),
    (ServiceKind::YOUTH_SERVICE, "Youth service"),
    (ServiceKind::PERPETRATOR_PROGRAMME, "Perpetrator programme"),
    (
        ServiceKind::SEXUAL_VIOLENCE_SERVICE,
        "Sexual violence service",
    ),
    (ServiceKind::GP_PRACTICE, "GP practice"),
    (ServiceKind::EMERGENCY_DEPARTMENT, "Emergency department"),
];

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ServiceKind {
    type Error = BadServiceKind;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(&s)
    }
}

impl From<ServiceKind> for String {
    fn from(k: ServiceKind) -> Self {
        k.0.into_owned()
    }
}

impl FromStr for ServiceKind {
    type Err = BadServiceKind;

    /// Reads a register's value leniently: trimmed, lower-cased, with spaces, hyphens and
    /// slashes read as `_` (`Family hub`, `youth-service`), and `idva` for `idva_service`;
    /// what is left must be a slug.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = super::normalise(s);
        if n == "idva" {
            return Ok(Self::IDVA_SERVICE);
        }
        Self::new(&n).map_err(|_| BadServiceKind {
            value: s.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slug_rule() {
        for good in ["a", "gp_practice", "hub2", "_", &"x".repeat(64)] {
            assert!(ServiceKind::new(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "GP",
            "gp practice",
            "gp-practice",
            "café",
            "a.b",
            &"x".repeat(65),
        ] {
            let err = ServiceKind::new(bad).unwrap_err();
            assert_eq!(err.value, bad);
            assert!(err.to_string().contains("lower-case"), "{err}");
        }
    }

    #[test]
    fn known_kinds_are_the_constants_and_others_are_open() {
        assert_eq!(ServiceKind::new("refuge"), Ok(ServiceKind::REFUGE));
        assert!(ServiceKind::REFUGE.is_confidential_by_nature());
        assert!(!ServiceKind::GP_PRACTICE.is_confidential_by_nature());
        let pub_kind = ServiceKind::new("pub").unwrap();
        assert_eq!(pub_kind.as_str(), "pub");
        assert!(!pub_kind.is_confidential_by_nature());
        assert_eq!(ServiceKind::IDVA_SERVICE.label(), "IDVA service");
        assert_eq!(
            ServiceKind::new("youth_club_2").unwrap().label(),
            "Youth club 2"
        );
        assert_eq!(ServiceKind::new("__").unwrap().label(), "__");
    }

    #[test]
    fn register_values_are_read_leniently() {
        let parse = |s: &str| s.parse::<ServiceKind>().map(|k| k.as_str().to_string());
        assert_eq!(parse("IDVA"), Ok("idva_service".into()));
        assert_eq!(parse(" Family hub "), Ok("family_hub".into()));
        assert_eq!(parse("youth-service"), Ok("youth_service".into()));
        assert_eq!(parse("GP Practice"), Ok("gp_practice".into()));
        assert_eq!(parse("Drop/in"), Ok("drop_in".into()));
        let err = "Café".parse::<ServiceKind>().unwrap_err();
        assert_eq!(err.value, "Café", "the error names the value as written");
        assert!("".parse::<ServiceKind>().is_err());
    }

    #[test]
    fn serde_is_the_slug_and_strict() {
        let k: ServiceKind = serde_json::from_str("\"gp_practice\"").unwrap();
        assert_eq!(k, ServiceKind::GP_PRACTICE);
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"gp_practice\"");
        let err = serde_json::from_str::<ServiceKind>("\"GP practice\"").unwrap_err();
        assert!(err.to_string().contains("lower-case"), "{err}");
    }
}
