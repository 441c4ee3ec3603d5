//! Date/time formats from the study file (chrono strftime), checked once and then used on
//! every row.

use crate::IngestError;
use chrono::format::{parse, Fixed, Item, Numeric, Parsed, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use safemap_types::EventTime;

/// A checked strftime format.
#[derive(Debug, Clone)]
pub(crate) struct TimeFormat {
    items: Vec<Item<'static>>,
    /// The format as written (for reject messages).
    pub(crate) text: String,
    /// True if the format reads a time of day (hours), so it gives timestamps.
    pub(crate) has_time_of_day: bool,
}

impl TimeFormat {
    /// Checks `format`: it must be valid strftime and name at least a year and a month
    /// (`%s`, seconds since the epoch, also qualifies); a format with a time of day must
    /// also name the day.
    pub(crate) fn new(format: &str) -> Result<Self, IngestError> {
        let bad = |problem| IngestError::BadTimeFormat {
            format: format.to_string(),
            problem,
        };
        let items = StrftimeItems::new(format)
            .parse_to_owned()
            .map_err(|_| bad("it is not a valid strftime format"))?;
        let has = |wanted: &[Numeric]| {
            items
                .iter()
                .any(|i| matches!(i, Item::Numeric(n, _) if wanted.contains(n)))
        };
        let timestamp = has(&[Numeric::Timestamp]);
        let year = has(&[Numeric::Year, Numeric::YearMod100]);
        let month = has(&[Numeric::Month])
            || items
                .iter()
                .any(|i| matches!(i, Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName)));
        let day = has(&[Numeric::Day, Numeric::Ordinal]);
        let time = has(&[Numeric::Hour, Numeric::Hour12]);
        if !(timestamp || year && month) {
            return Err(bad("it has no year and month (use %Y and %m)"));
        }
        if !timestamp && time && !day {
            return Err(bad("it has a time of day but no day of the month (use %d)"));
        }
        Ok(Self {
            items,
            text: format.to_string(),
            has_time_of_day: time || timestamp,
        })
    }

    /// `t` written in this format: what a CSV of the same data would hold, so that a typed
    /// timestamp is read with the same precision as text.
    pub(crate) fn format(&self, t: NaiveDateTime) -> String {
        t.format_with_items(self.items.iter()).to_string()
    }

    /// Parses `text` (trimmed); `None` if it does not match.
    pub(crate) fn parse(&self, text: &str) -> Option<EventTime> {
        let mut parsed = Parsed::new();
        parse(&mut parsed, text.trim(), self.items.iter()).ok()?;
        if self.has_time_of_day {
            Some(EventTime::Timestamp(
                parsed.to_naive_datetime_with_offset(0).ok()?,
            ))
        } else {
            if parsed.day().is_none() && parsed.ordinal().is_none() {
                parsed.set_day(1).ok()?;
            }
            let date = parsed.to_naive_date().ok()?;
            EventTime::month(
                chrono::Datelike::year(&date),
                chrono::Datelike::month(&date),
            )
        }
    }
}

/// A date and a time parsed with separate formats (the ED reader's columns).
pub(crate) fn date_and_time(
    date: &str,
    date_format: &str,
    time: &str,
    time_format: &str,
) -> (Option<NaiveDate>, Option<NaiveTime>) {
    (
        NaiveDate::parse_from_str(date.trim(), date_format).ok(),
        NaiveTime::parse_from_str(time.trim(), time_format).ok(),
    )
}

/// Joins a date and a time.
pub(crate) fn timestamp(date: NaiveDate, time: NaiveTime) -> EventTime {
    EventTime::Timestamp(NaiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_and_month_formats() {
        let f = TimeFormat::new("%Y-%m-%d %H:%M").unwrap();
        assert!(f.has_time_of_day);
        let t = f.parse("2024-03-15 22:41").unwrap();
        assert_eq!(t.to_string(), "2024-03-15T22:41:00");
        assert!(f.parse("2024-03-15").is_none());
        assert!(f.parse("2024-02-30 10:00").is_none());
        let m = TimeFormat::new("%Y-%m").unwrap();
        assert!(!m.has_time_of_day);
        assert_eq!(m.parse("2019-01"), EventTime::month(2019, 1));
        assert!(m.parse("2019-13").is_none());
        let d = TimeFormat::new("%d/%m/%Y").unwrap();
        assert_eq!(d.parse("31/12/2018"), EventTime::month(2018, 12));
    }

    #[test]
    fn unusable_formats() {
        assert!(matches!(
            TimeFormat::new("%Q"),
            Err(IngestError::BadTimeFormat { .. })
        ));
        assert!(TimeFormat::new("%H:%M").is_err());
        assert!(TimeFormat::new("%Y-%m %H:%M").is_err());
        assert!(TimeFormat::new("%s").unwrap().has_time_of_day);
    }
}
