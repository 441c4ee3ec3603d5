//! [`Month`]: one calendar month, parsed strictly from `YYYY-MM`.

use super::fiscal::{FinancialYear, Quarter};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar month. Ordered in time; written and read as `YYYY-MM` (also by serde).
///
/// Held as the month index `year * 12 + month - 1`, so months compare, hash and step as
/// integers.
///
/// ```
/// use safemap_types::time::Month;
/// let m: Month = "2024-06".parse().unwrap();
/// assert_eq!((m.year(), m.month()), (2024, 6));
/// assert_eq!(m.plus(7).to_string(), "2025-01");
/// assert!("2024-13".parse::<Month>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

/// A text that is not a month written `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a month; expected {}", Month::EXPECTED)]
pub struct MonthError {
    /// The text found.
    pub value: String,
}

impl Month {
    /// What a month looks like, for messages.
    pub const EXPECTED: &'static str = "YYYY-MM such as 2024-06";

    /// The month `month` (1-12) of `year`; `None` for any other month number.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(Self(year * 12 + month as i32 - 1))
    }

    /// The month of index `year * 12 + month - 1` (see [`Month::index`]).
    pub fn from_index(index: i32) -> Self {
        Self(index)
    }

    /// The month index `year * 12 + month - 1`: consecutive months differ by one.
    pub fn index(self) -> i32 {
        self.0
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Month of the year, 1-12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The month `n` months later (earlier when `n` is negative).
    #[must_use]
    pub fn plus(self, n: i32) -> Self {
        Self(self.0 + n)
    }

    /// Months from `earlier` to `self` (negative when `earlier` is later).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }

    /// January of the month's year.
    #[must_use]
    pub fn january(self) -> Self {
        Self(self.year() * 12)
    }

    /// December of the month's year.
    #[must_use]
    pub fn december(self) -> Self {
        Self(self.year() * 12 + 11)
    }

    /// The calendar quarter the month falls in.
    pub fn quarter(self) -> Quarter {
        Quarter::of(self)
    }

    /// The UK financial year (April to March) the month falls in.
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear::of(self)
    }

    /// Parses exactly `YYYY-MM`: four digits, a hyphen, two digits 01-12.
    ///
    /// # Errors
    ///
    /// [`MonthError`] for anything else (`2024-6`, `2024-13`, `24-06`, ` 2024-06`).
    pub fn parse(text: &str) -> Result<Self, MonthError> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let well_formed = b.len() == 7 && b[4] == b'-' && digits(0..4) && digits(5..7);
        well_formed
            .then(|| Self::new(text[..4].parse().ok()?, text[5..].parse().ok()?))
            .flatten()
            .ok_or_else(|| MonthError {
                value: text.to_string(),
            })
    }
}

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Month;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a month as {}", Month::EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Month, E> {
                Month::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_yyyy_mm() {
        let m = Month::parse("2019-01").unwrap();
        assert_eq!((m.year(), m.month(), m.index()), (2019, 1, 2019 * 12));
        for bad in [
            "2019-13",
            "2019-00",
            "2019-1",
            "2019/01",
            "19-01",
            "2019-01-01",
            "",
            " 2019-01",
            "２019-01",
            "+201-01",
        ] {
            let e = Month::parse(bad).unwrap_err();
            assert_eq!(e.value, bad);
            assert!(e.to_string().contains("YYYY-MM"), "{e}");
        }
    }

    #[test]
    fn displays_orders_and_steps() {
        for text in ["0999-12", "2019-01", "2024-12"] {
            assert_eq!(Month::parse(text).unwrap().to_string(), text);
        }
        let dec = Month::new(2023, 12).unwrap();
        let jan = dec.plus(1);
        assert_eq!(jan, Month::new(2024, 1).unwrap());
        assert!(dec < jan);
        assert_eq!(jan.since(dec), 1);
        assert_eq!(jan.plus(-1), dec);
        assert_eq!(dec.january(), Month::new(2023, 1).unwrap());
        assert_eq!(jan.december(), Month::new(2024, 12).unwrap());
        assert_eq!(Month::new(2024, 0), None);
        assert_eq!(Month::new(2024, 13), None);
    }

    #[test]
    fn serde_is_the_text_form() {
        let m = Month::new(2024, 6).unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2024-06\"");
        assert_eq!(serde_json::from_str::<Month>("\"2024-06\"").unwrap(), m);
        let e = serde_json::from_str::<Month>("\"2024-13\"").unwrap_err();
        assert!(e.to_string().contains("\"2024-13\" is not a month"), "{e}");
    }
}
