//! The offences the synthetic police force records, with their data.police.uk crime
//! type, force-extract name and background rates.

use serde::{Deserialize, Serialize};

/// An offence as the force records it. Each maps to one data.police.uk `Crime type`;
/// the violence-related ones also appear in the force extract (`force.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Offence {
    /// Anti-social behaviour (not a crime: no Crime ID).
    AntiSocialBehaviour,
    /// Violence with injury.
    ViolenceWithInjury,
    /// Violence without injury.
    ViolenceWithoutInjury,
    /// Stalking and harassment.
    StalkingAndHarassment,
    /// Sexual offences.
    SexualOffences,
    /// Robbery.
    Robbery,
    /// Public order offences.
    PublicOrder,
    /// Criminal damage.
    CriminalDamage,
    /// Arson.
    Arson,
    /// Possession of weapons offences.
    PossessionOfWeapons,
    /// Burglary.
    Burglary,
    /// Vehicle crime.
    VehicleCrime,
    /// Shoplifting.
    Shoplifting,
    /// Other theft.
    OtherTheft,
    /// Theft from the person.
    TheftFromThePerson,
    /// Bicycle theft.
    BicycleTheft,
    /// Drugs.
    Drugs,
    /// Other crime.
    OtherCrime,
}

/// The data.police.uk crime type of violence and sexual offences.
pub const VIOLENCE_AND_SEXUAL_OFFENCES: &str = "Violence and sexual offences";

impl Offence {
    /// Every offence, in declaration order.
    pub const ALL: [Offence; 18] = [
        Offence::AntiSocialBehaviour,
        Offence::ViolenceWithInjury,
        Offence::ViolenceWithoutInjury,
        Offence::StalkingAndHarassment,
        Offence::SexualOffences,
        Offence::Robbery,
        Offence::PublicOrder,
        Offence::CriminalDamage,
        Offence::Arson,
        Offence::PossessionOfWeapons,
        Offence::Burglary,
        Offence::VehicleCrime,
        Offence::Shoplifting,
        Offence::OtherTheft,
        Offence::TheftFromThePerson,
        Offence::BicycleTheft,
        Offence::Drugs,
        Offence::OtherCrime,
    ];

    /// The data.police.uk `Crime type`.
    pub fn police_uk_category(self) -> &'static str {
        match self {
            Offence::AntiSocialBehaviour => "Anti-social behaviour",
            Offence::ViolenceWithInjury
            | Offence::ViolenceWithoutInjury
            | Offence::StalkingAndHarassment
            | Offence::SexualOffences => VIOLENCE_AND_SEXUAL_OFFENCES,
            Offence::Robbery => "Robbery",
            Offence::PublicOrder => "Public order",
            Offence::CriminalDamage | Offence::Arson => "Criminal damage and arson",
            Offence::PossessionOfWeapons => "Possession of weapons",
            Offence::Burglary => "Burglary",
            Offence::VehicleCrime => "Vehicle crime",
            Offence::Shoplifting => "Shoplifting",
            Offence::OtherTheft => "Other theft",
            Offence::TheftFromThePerson => "Theft from the person",
            Offence::BicycleTheft => "Bicycle theft",
            Offence::Drugs => "Drugs",
            Offence::OtherCrime => "Other crime",
        }
    }

    /// The `offence` value in the force extract, or `None` if the extract (which covers
    /// violence-related offences only) leaves it out.
    pub fn force_name(self) -> Option<&'static str> {
        Some(match self {
            Offence::ViolenceWithInjury => "Violence with injury",
            Offence::ViolenceWithoutInjury => "Violence without injury",
            Offence::StalkingAndHarassment => "Stalking and harassment",
            Offence::SexualOffences => "Sexual offences",
            Offence::Robbery => "Robbery",
            Offence::PublicOrder => "Public order offences",
            Offence::CriminalDamage => "Criminal damage",
            Offence::Arson => "Arson",
            Offence::PossessionOfWeapons => "Possession of weapons offences",
            _ => return None,
        })
    }

    /// True for the four offences data.police.uk reports as violence and sexual offences.
    pub fn is_violence(self) -> bool {
        self.police_uk_category() == VIOLENCE_AND_SEXUAL_OFFENCES
    }

    /// Background rate per 1,000 residents per year (at volume scale 1).
    pub(crate) fn base_rate(self) -> f64 {
        match self {
            Offence::AntiSocialBehaviour => 12.0,
            Offence::ViolenceWithInjury => 4.5,
            Offence::ViolenceWithoutInjury => 5.0,
            Offence::StalkingAndHarassment | Offence::Burglary => 2.5,
            Offence::SexualOffences | Offence::OtherCrime => 1.0,
            Offence::Robbery => 0.6,
            Offence::CriminalDamage => 3.7,
            Offence::Arson => 0.3,
            Offence::PossessionOfWeapons => 0.4,
            Offence::PublicOrder
            | Offence::VehicleCrime
            | Offence::Shoplifting
            | Offence::OtherTheft => 3.0,
            Offence::TheftFromThePerson => 0.5,
            Offence::BicycleTheft => 0.8,
            Offence::Drugs => 1.5,
        }
    }

    /// Share of background offences flagged as domestic abuse.
    pub(crate) fn domestic_share(self) -> f64 {
        match self {
            Offence::ViolenceWithInjury => 0.20,
            Offence::ViolenceWithoutInjury => 0.30,
            Offence::StalkingAndHarassment => 0.35,
            Offence::SexualOffences => 0.15,
            Offence::CriminalDamage => 0.05,
            _ => 0.0,
        }
    }

    /// Share of rows published on data.police.uk without a location.
    pub(crate) fn no_location_share(self) -> f64 {
        if self == Offence::AntiSocialBehaviour {
            0.02
        } else {
            0.033
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_force_names() {
        assert_eq!(
            Offence::Arson.police_uk_category(),
            "Criminal damage and arson"
        );
        assert!(Offence::StalkingAndHarassment.is_violence());
        assert!(Offence::Burglary.force_name().is_none());
        let force_rate: f64 = Offence::ALL
            .iter()
            .filter(|o| o.force_name().is_some())
            .map(|o| o.base_rate())
            .sum();
        assert!((force_rate - 21.0).abs() < 1e-9);
    }
}
