//! Events: one incident as read from one input row.

use crate::{AssaultMethod, CheckedCoord, EventTime};
use serde::{Deserialize, Serialize};

/// Where a row came from: the index of the file within its source's file list, and the
/// 1-based line number in that file (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowRef {
    /// Index into the source's list of files.
    pub file: u32,
    /// 1-based line number of the row's first line.
    pub line: u64,
}

/// Yes/no markers carried by an event, and the ED assault method as a 3-bit code
/// ([`Flags::method`]; bits 16-64, beside the yes/no flags, so `contains` of a flag constant
/// is unaffected by it).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Flags(u8);

impl Flags {
    /// Flagged as domestic abuse.
    pub const DOMESTIC_ABUSE: Flags = Flags(1);
    /// Alcohol involved.
    pub const ALCOHOL: Flags = Flags(2);
    /// A weapon was used (knife, firearm, blunt object, ...).
    pub const WEAPON: Flags = Flags(4);
    /// The alcohol field was filled in (yes or no), so [`Flags::ALCOHOL`] is a recorded
    /// answer rather than a blank read as no. Set by the ED reader only.
    pub const ALCOHOL_RECORDED: Flags = Flags(8);

    /// Where the method code sits.
    const METHOD_SHIFT: u8 = 4;
    const METHOD_MASK: u8 = 0b111 << Self::METHOD_SHIFT;

    /// No flags.
    pub const fn empty() -> Self {
        Flags(0)
    }

    /// True if every flag in `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Sets the flags in `other` when `on` is true.
    pub fn set(&mut self, other: Flags, on: bool) {
        if on {
            self.0 |= other.0;
        } else {
            self.0 &= !other.0;
        }
    }

    /// The assault method (ED records; [`AssaultMethod::NotRecorded`] for other sources).
    pub const fn method(self) -> AssaultMethod {
        AssaultMethod::from_code((self.0 & Self::METHOD_MASK) >> Self::METHOD_SHIFT)
    }

    /// Sets the assault method, replacing any set before.
    pub fn set_method(&mut self, method: AssaultMethod) {
        self.0 = (self.0 & !Self::METHOD_MASK) | (method.code() << Self::METHOD_SHIFT);
    }

    /// The raw bits (for compact storage and hashing).
    pub const fn bits(self) -> u8 {
        self.0
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

/// One incident, as read and checked from one input row.
///
/// The point is in the CRS its source declares; the engine reprojects it to British
/// National Grid before the join.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Which file and line the event came from.
    pub origin: RowRef,
    /// Location, if the row has one.
    pub point: Option<CheckedCoord>,
    /// Area code given by the source (e.g. police.uk `LSOA code`), if any.
    pub area_code: Option<Box<str>>,
    /// When it happened.
    pub time: EventTime,
    /// Index into the source's category list.
    pub category: u16,
    /// Domestic abuse, alcohol and weapon markers.
    pub flags: Flags,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_set_and_contain() {
        let mut f = Flags::empty();
        f.set(Flags::ALCOHOL, true);
        assert!(f.contains(Flags::ALCOHOL));
        assert!(!f.contains(Flags::WEAPON));
        assert!((f | Flags::WEAPON).contains(Flags::ALCOHOL | Flags::WEAPON));
        f.set(Flags::ALCOHOL, false);
        assert_eq!(f, Flags::empty());
    }

    #[test]
    fn the_method_code_leaves_the_flags_alone() {
        let mut f = Flags::ALCOHOL | Flags::ALCOHOL_RECORDED;
        assert_eq!(f.method(), AssaultMethod::NotRecorded);
        for m in AssaultMethod::ALL {
            f.set_method(m);
            assert_eq!(f.method(), m);
            assert!(f.contains(Flags::ALCOHOL | Flags::ALCOHOL_RECORDED));
            assert!(!f.contains(Flags::WEAPON) && !f.contains(Flags::DOMESTIC_ABUSE));
        }
        f.set_method(AssaultMethod::NotRecorded);
        assert_eq!(f, Flags::ALCOHOL | Flags::ALCOHOL_RECORDED);
    }
}
