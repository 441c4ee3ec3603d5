//! [`MonthRange`]: an inclusive range of months whose start is not after its end.

use super::month::Month;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The months `from` to `to`, both included; `from <= to` always holds. Serde writes it as
/// `{ from = "YYYY-MM", to = "YYYY-MM" }` and reads that or a period name (`"2023/24"`,
/// see [`MonthRange::parse_period`]), refusing `from` after `to`.
///
/// ```
/// use safemap_types::time::{Month, MonthRange};
/// let m = |s: &str| s.parse::<Month>().unwrap();
/// let r = MonthRange::new(m("2023-11"), m("2024-02")).unwrap();
/// assert_eq!(r.len(), 4);
/// assert!(r.contains(m("2024-01")) && !r.contains(m("2024-03")));
/// assert!(MonthRange::new(m("2024-02"), m("2024-01")).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawRange")]
pub struct MonthRange {
    from: Month,
    to: Month,
}

/// A range whose first month is after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("from ({from}) is after to ({to})")]
pub struct MonthRangeError {
    /// The first month given.
    pub from: Month,
    /// The last month given.
    pub to: Month,
}

/// The range as written, before `from <= to` is checked: a table, or a period name
/// ([`MonthRange::parse_period`]).
enum RawRange {
    Table(Bounds),
    Named(String),
}

/// `{ from, to }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bounds {
    from: Month,
    to: Month,
}

impl<'de> Deserialize<'de> for RawRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `#[serde(untagged)]`, so that a bad month keeps its own
        // message and key (`period.to`).
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawRange;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{ from = \"YYYY-MM\", to = \"YYYY-MM\" } or a period such as \"2024\", \"2024-Q3\", \"2023/24\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawRange, E> {
                Ok(RawRange::Named(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawRange, A::Error> {
                Bounds::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawRange::Table)
            }
        }
        d.deserialize_any(Visit)
    }
}

impl TryFrom<RawRange> for MonthRange {
    type Error = String;

    fn try_from(raw: RawRange) -> Result<Self, Self::Error> {
        match raw {
            RawRange::Table(b) => Self::new(b.from, b.to).map_err(|e| e.to_string()),
            RawRange::Named(s) => Self::parse_period(&s).map_err(|e| e.to_string()),
        }
    }
}

impl MonthRange {
    /// The months `from` to `to`, inclusive.
    ///
    /// # Errors
    ///
    /// [`MonthRangeError`] when `from` is after `to`.
    pub fn new(from: Month, to: Month) -> Result<Self, MonthRangeError> {
        if from <= to {
            Ok(Self { from, to })
        } else {
            Err(MonthRangeError { from, to })
        }
    }

    /// The one month `m`.
    pub fn single(m: Month) -> Self {
        Self { from: m, to: m }
    }

    /// The smallest range holding every month of `months`; `None` when there are none.
    pub fn spanning(months: impl IntoIterator<Item = Month>) -> Option<Self> {
        months.into_iter().fold(None, |span, m| {
            Some(span.map_or(Self::single(m), |r: Self| Self {
                from: r.from.min(m),
                to: r.to.max(m),
            }))
        })
    }

    /// First month.
    pub fn from(self) -> Month {
        self.from
    }

    /// Last month.
    pub fn to(self) -> Month {
        self.to
    }

    /// Number of months (at least one).
    pub fn len(self) -> usize {
        self.to.since(self.from) as usize + 1
    }

    /// Always false: a range holds at least one month (present for the `len` convention).
    pub fn is_empty(self) -> bool {
        false
    }

    /// True when `m` is one of the months.
    pub fn contains(self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }

    /// True when every month of `inner` is one of these months.
    pub fn includes(self, inner: MonthRange) -> bool {
        self.from <= inner.from && inner.to <= self.to
    }

    /// The months of both ranges; `None` when they do not overlap.
    pub fn intersect(self, other: MonthRange) -> Option<MonthRange> {
        Self::new(self.from.max(other.from), self.to.min(other.to)).ok()
    }

    /// Position of `m` counted from the first month (0 for `from`); `None` outside.
    pub fn position(self, m: Month) -> Option<usize> {
        self.contains(m).then(|| m.since(self.from) as usize)
    }

    /// Every month, in order.
    pub fn iter(self) -> impl DoubleEndedIterator<Item = Month> {
        (self.from.index()..=self.to.index()).map(Month::from_index)
    }

    /// The part of the range in each calendar year it touches, in order.
    pub fn years(self) -> impl Iterator<Item = MonthRange> {
        (self.from.year()..=self.to.year()).filter_map(move |y| {
            let year = Self::new(Month::new(y, 1)?, Month::new(y, 12)?).ok()?;
            self.intersect(year)
        })
    }
}

/// `2023-11 to 2024-02`.
impl fmt::Display for MonthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn from_after_to_is_refused() {
        let e = MonthRange::new(m("2024-02"), m("2024-01")).unwrap_err();
        assert_eq!(e.to_string(), "from (2024-02) is after to (2024-01)");
        assert!(MonthRange::new(m("2024-02"), m("2024-02")).is_ok());
    }

    #[test]
    fn iterates_contains_and_splits_by_year() {
        let r = MonthRange::new(m("2023-11"), m("2025-02")).unwrap();
        let all: Vec<String> = r.iter().map(|x| x.to_string()).collect();
        assert_eq!(all.len(), r.len());
        assert_eq!(all.first().map(String::as_str), Some("2023-11"));
        assert_eq!(all.last().map(String::as_str), Some("2025-02"));
        assert_eq!(r.position(m("2024-01")), Some(2));
        assert_eq!(r.position(m("2023-10")), None);
        let years: Vec<String> = r.years().map(|y| y.to_string()).collect();
        assert_eq!(
            years,
            [
                "2023-11 to 2023-12",
                "2024-01 to 2024-12",
                "2025-01 to 2025-02"
            ]
        );
        assert!(r.includes(MonthRange::single(m("2024-05"))));
        assert!(!MonthRange::single(m("2024-05")).includes(r));
        assert_eq!(
            MonthRange::spanning([m("2024-03"), m("2023-01"), m("2023-07")]),
            MonthRange::new(m("2023-01"), m("2024-03")).ok()
        );
        assert_eq!(MonthRange::spanning([]), None);
    }

    #[test]
    fn serde_checks_both_months_and_their_order() {
        let r: MonthRange = serde_json::from_str(r#"{"from":"2023-01","to":"2023-12"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"from":"2023-01","to":"2023-12"}"#
        );
        let e =
            serde_json::from_str::<MonthRange>(r#"{"from":"2023-13","to":"2023-12"}"#).unwrap_err();
        assert!(e.to_string().contains("\"2023-13\" is not a month"), "{e}");
        let e =
            serde_json::from_str::<MonthRange>(r#"{"from":"2024-01","to":"2023-12"}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("from (2024-01) is after to (2023-12)"),
            "{e}"
        );
    }
}
