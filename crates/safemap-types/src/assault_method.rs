//! [`AssaultMethod`]: how an emergency-department patient was assaulted, in the categories
//! needs assessments report ("glass and bottles 13.7%, knives 6.3%").
//!
//! An event carries its method in three bits of its [`crate::Flags`] (see
//! [`crate::Flags::method`]): the method is one of six mutually exclusive values, so a
//! 3-bit code beside the yes/no flags is the smallest exact representation, and `Event`
//! keeps its size and every constructor its shape. Sources without a method (police data)
//! leave the code at 0, [`AssaultMethod::NotRecorded`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// How the patient was assaulted (the ISTV "assault method", reduced to the categories
/// reported). Written in outputs and accepted in study files as the snake-case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssaultMethod {
    /// Not recorded, unknown or left empty.
    NotRecorded,
    /// A knife or another sharp object (blade, scissors, screwdriver).
    KnifeOrSharpObject,
    /// A glass or a bottle.
    GlassOrBottle,
    /// A blunt object (bat, club, stick, brick).
    BluntObject,
    /// The body: hands, fists, feet, head; unarmed.
    Body,
    /// Anything else (firearm, other weapon, a value the study's table does not list).
    Other,
}

impl AssaultMethod {
    /// Every method, in code order (the order of `ed_summary.csv`).
    pub const ALL: [AssaultMethod; 6] = [
        AssaultMethod::KnifeOrSharpObject,
        AssaultMethod::GlassOrBottle,
        AssaultMethod::BluntObject,
        AssaultMethod::Body,
        AssaultMethod::Other,
        AssaultMethod::NotRecorded,
    ];

    /// The stable name, as in outputs and study files (`knife_or_sharp_object`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AssaultMethod::NotRecorded => "not_recorded",
            AssaultMethod::KnifeOrSharpObject => "knife_or_sharp_object",
            AssaultMethod::GlassOrBottle => "glass_or_bottle",
            AssaultMethod::BluntObject => "blunt_object",
            AssaultMethod::Body => "body",
            AssaultMethod::Other => "other",
        }
    }

    /// The 3-bit code stored in [`crate::Flags`] (0 = not recorded).
    pub(crate) const fn code(self) -> u8 {
        match self {
            AssaultMethod::NotRecorded => 0,
            AssaultMethod::KnifeOrSharpObject => 1,
            AssaultMethod::GlassOrBottle => 2,
            AssaultMethod::BluntObject => 3,
            AssaultMethod::Body => 4,
            AssaultMethod::Other => 5,
        }
    }

    /// The method of a 3-bit code; codes no method has read as not recorded.
    pub(crate) const fn from_code(code: u8) -> AssaultMethod {
        match code {
            1 => AssaultMethod::KnifeOrSharpObject,
            2 => AssaultMethod::GlassOrBottle,
            3 => AssaultMethod::BluntObject,
            4 => AssaultMethod::Body,
            5 => AssaultMethod::Other,
            _ => AssaultMethod::NotRecorded,
        }
    }
}

impl fmt::Display for AssaultMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_names_are_serde_names() {
        for m in AssaultMethod::ALL {
            assert_eq!(AssaultMethod::from_code(m.code()), m);
            assert!(m.code() < 8);
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{}\"", m.as_str())
            );
        }
        assert_eq!(AssaultMethod::from_code(7), AssaultMethod::NotRecorded);
    }
}
