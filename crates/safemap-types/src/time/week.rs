//! The hours of the week: [`hour_of_week`], the weekday names ([`WEEKDAYS`]), sets of hours
//! ([`HourMask`], parsed from `days=fri,sat` and `hours=21-2`) and the named windows such
//! as the night-time economy ([`NTE`]).
//!
//! An hour of the week is `weekday * 24 + hour`, Monday 00:00-00:59 = 0, Sunday
//! 23:00-23:59 = 167.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// Weekday names, Monday first, as written in `counts_by_hour.csv` and accepted in `days=`.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The hour of the week of a timestamp: `weekday * 24 + hour`, Monday = 0.
pub fn hour_of_week(t: NaiveDateTime) -> u8 {
    (t.weekday().num_days_from_monday() * 24 + t.hour()) as u8
}

/// The 168 hours of the week a time window keeps, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HourMask([u64; 3]);

/// Days or hours that do not describe a window.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// A name in `days` that is no weekday.
    #[error("days: {0:?} is not a day; expected a comma-separated list of mon, tue, wed, thu, fri, sat, sun")]
    Day(String),
    /// `hours` that are not `FROM-TO` in whole hours 0-23.
    #[error("hours: {0:?} is not an hour range; expected FROM-TO in whole hours 0-23, e.g. 21-2 for 21:00 to 02:59")]
    Hours(String),
}

impl HourMask {
    /// Every hour.
    pub const ALL: HourMask = HourMask([u64::MAX, u64::MAX, (1 << 40) - 1]);

    /// True if the hour of the week is kept.
    pub fn contains(self, hour: u8) -> bool {
        let h = usize::from(hour);
        h < 168 && self.0[h / 64] & (1 << (h % 64)) != 0
    }

    fn insert(&mut self, hour: usize) {
        self.0[hour / 64] |= 1 << (hour % 64);
    }

    /// True when every hour of `other` is also in `self`.
    pub fn includes(self, other: HourMask) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| b & !a == 0)
    }

    /// The nights starting on `days` (weekday indexes, Monday = 0), each from hour `start`
    /// to hour `end` inclusive; when `end < start` the range wraps past midnight and its
    /// hours after midnight belong to the next day.
    fn nights(days: &[usize], start: usize, end: usize) -> HourMask {
        let mut mask = HourMask([0; 3]);
        for &d in days {
            let (mut day, mut h) = (d % 7, start % 24);
            loop {
                mask.insert(day * 24 + h);
                if h == end {
                    break;
                }
                h += 1;
                if h == 24 {
                    h = 0;
                    day = (day + 1) % 7;
                }
            }
        }
        mask
    }

    /// Parses `days` and `hours`: the days a night starts on (`fri,sat`; default every
    /// day) and an inclusive range of hours that may wrap past midnight (`21-2`; default
    /// `0-23`); hours after midnight of a wrapping range belong to the night of the
    /// previous day.
    ///
    /// # Errors
    ///
    /// [`WindowError`] naming the parameter and the value that is not a day or an hour
    /// range.
    pub fn parse(days: Option<&str>, hours: Option<&str>) -> Result<HourMask, WindowError> {
        let day_list: Vec<usize> = match days {
            None => (0..7).collect(),
            Some(d) => d
                .split(',')
                .map(|name| {
                    let n = name.trim().to_ascii_lowercase();
                    WEEKDAYS
                        .iter()
                        .position(|d| n.starts_with(d))
                        .ok_or_else(|| WindowError::Day(name.to_string()))
                })
                .collect::<Result<_, _>>()?,
        };
        let (start, end) = match hours {
            None => (0, 23),
            Some(h) => parse_hours(h).ok_or_else(|| WindowError::Hours(h.to_string()))?,
        };
        Ok(Self::nights(&day_list, start, end))
    }
}

fn parse_hours(h: &str) -> Option<(usize, usize)> {
    let (a, b) = h.split_once('-')?;
    let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= 23 && b <= 23).then_some((a, b))
}

/// A time window with a name, offered as a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedWindow {
    /// Identifier in URLs (`window=nte`).
    pub id: &'static str,
    /// Human label.
    pub label: &'static str,
    /// The days its nights start on, as in `days=`.
    pub days: &'static str,
    /// Its hours, as in `hours=`.
    pub hours: &'static str,
}

/// The night-time economy window: nights starting Friday or Saturday, 21:00-02:59.
pub const NTE: NamedWindow = NamedWindow {
    id: "nte",
    label: "Night-time economy (Fri/Sat 21:00-02:59)",
    days: "fri,sat",
    hours: "21-2",
};

impl NamedWindow {
    /// The hours the window keeps.
    pub fn mask(self) -> HourMask {
        // The presets are written in the form `parse` accepts (checked by the tests).
        HourMask::parse(Some(self.days), Some(self.hours)).unwrap_or(HourMask::ALL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nte_window_wraps_past_midnight_into_the_next_day() {
        let m = NTE.mask();
        assert_eq!(HourMask::parse(Some(NTE.days), Some(NTE.hours)), Ok(m));
        let fri = 4 * 24;
        let sat = 5 * 24;
        let sun = 6 * 24;
        for h in [fri + 21, fri + 23, sat, sat + 2, sat + 21, sun + 2] {
            assert!(m.contains(h), "{h}");
        }
        for h in [fri + 20, fri + 2, sat + 3, sat + 20, sun + 3, 0] {
            assert!(!m.contains(h), "{h}");
        }
        assert_eq!((0..168).filter(|&h| m.contains(h)).count(), 12);
        assert!(HourMask::ALL.includes(m));
        assert!(!m.includes(HourMask::ALL));
        assert_eq!(HourMask::parse(None, None), Ok(HourMask::ALL));
    }

    #[test]
    fn sunday_night_wraps_to_monday() {
        let m = HourMask::parse(Some("sun"), Some("23-0")).unwrap();
        assert!(m.contains(6 * 24 + 23) && m.contains(0));
        assert_eq!((0..168).filter(|&h| m.contains(h)).count(), 2);
    }

    #[test]
    fn bad_days_and_hours_are_named() {
        let e = HourMask::parse(Some("fri,caturday"), None).unwrap_err();
        assert_eq!(e, WindowError::Day("caturday".into()));
        assert!(e.to_string().starts_with("days: \"caturday\""), "{e}");
        for bad in ["25-2", "21", "a-b", "-1-2"] {
            let e = HourMask::parse(None, Some(bad)).unwrap_err();
            assert_eq!(e, WindowError::Hours(bad.into()));
        }
    }

    #[test]
    fn hour_of_week_counts_from_monday_midnight() {
        let t = |d: u32, h: u32| {
            chrono::NaiveDate::from_ymd_opt(2024, 6, d)
                .unwrap()
                .and_hms_opt(h, 30, 0)
                .unwrap()
        };
        // 3 June 2024 was a Monday.
        assert_eq!(hour_of_week(t(3, 0)), 0);
        assert_eq!(hour_of_week(t(7, 22)), 4 * 24 + 22);
        assert_eq!(hour_of_week(t(9, 23)), 167);
    }
}
