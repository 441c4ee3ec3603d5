//! [`EventTime`]: when an event happened, with its precision.

use super::month::Month;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// When an event happened, at the precision the source gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventTime {
    /// Month only (data.police.uk).
    Month {
        /// Calendar year.
        year: i32,
        /// Month 1-12.
        month: u32,
    },
    /// Date and time of day (force extracts, ED records).
    Timestamp(NaiveDateTime),
}

impl EventTime {
    /// A month-precision time; `None` if `month` is not 1-12.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(EventTime::Month { year, month })
    }

    /// The calendar month the event falls in, as `(year, month)`.
    pub fn year_month(self) -> (i32, u32) {
        match self {
            EventTime::Month { year, month } => (year, month),
            EventTime::Timestamp(t) => (t.year(), t.month()),
        }
    }

    /// The calendar month the event falls in.
    pub fn calendar_month(self) -> Month {
        let (y, m) = self.year_month();
        Month::from_index(y * 12 + m as i32 - 1)
    }

    /// The full timestamp, if the source has one.
    pub fn timestamp(self) -> Option<NaiveDateTime> {
        match self {
            EventTime::Month { .. } => None,
            EventTime::Timestamp(t) => Some(t),
        }
    }

    /// The first day of the event's month.
    pub fn month_start(self) -> Option<NaiveDate> {
        let (y, m) = self.year_month();
        NaiveDate::from_ymd_opt(y, m, 1)
    }
}

/// The month-precision time of a month.
impl From<Month> for EventTime {
    fn from(m: Month) -> Self {
        EventTime::Month {
            year: m.year(),
            month: m.month(),
        }
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventTime::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            EventTime::Timestamp(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_month_of_either_precision() {
        let t = EventTime::month(2019, 2).unwrap();
        assert_eq!(t.calendar_month().to_string(), "2019-02");
        assert_eq!(EventTime::from(t.calendar_month()), t);
        assert!(EventTime::month(2019, 13).is_none());
        let ts = NaiveDate::from_ymd_opt(2018, 12, 31)
            .unwrap()
            .and_hms_opt(23, 5, 0)
            .unwrap();
        assert_eq!(EventTime::Timestamp(ts).year_month(), (2018, 12));
        assert_eq!(
            EventTime::Timestamp(ts).calendar_month().to_string(),
            "2018-12"
        );
    }
}
