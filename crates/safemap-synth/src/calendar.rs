//! The study period, seasonality, and when in the week events happen.

use crate::random::{index, weighted};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use rand_chacha::ChaCha8Rng;

/// True if `t` is in the night-time-economy window: a Friday or Saturday night,
/// 21:00-02:59. The small hours belong to the night before: Friday 21:00 to
/// Saturday 02:59, and Saturday 21:00 to Sunday 02:59.
///
/// ```
/// use chrono::NaiveDate;
/// use safemap_synth::in_nte_window;
/// let sat_1am = NaiveDate::from_ymd_opt(2025, 3, 8).unwrap().and_hms_opt(1, 30, 0).unwrap();
/// let sat_noon = NaiveDate::from_ymd_opt(2025, 3, 8).unwrap().and_hms_opt(12, 0, 0).unwrap();
/// assert!(in_nte_window(sat_1am));
/// assert!(!in_nte_window(sat_noon));
/// ```
pub fn in_nte_window(t: NaiveDateTime) -> bool {
    let (h, d) = (t.hour(), t.weekday());
    (h >= 21 && matches!(d, Weekday::Fri | Weekday::Sat))
        || (h < 3 && matches!(d, Weekday::Sat | Weekday::Sun))
}

/// Relative event volume by calendar month (January first): a mild summer peak.
pub(crate) const SEASON: [f64; 12] = [
    0.92, 0.88, 0.95, 0.98, 1.03, 1.07, 1.10, 1.08, 1.02, 1.00, 0.97, 1.00,
];

/// The months of the study.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Period {
    /// `year * 12 + month - 1` of the first month.
    first: i32,
    /// Number of months.
    pub months: u32,
}

impl Period {
    /// The period starting at `(year, month)`.
    pub fn new(start: (i32, u32), months: u32) -> Self {
        Self {
            first: start.0 * 12 + start.1 as i32 - 1,
            months,
        }
    }

    /// The `(year, month)` of month `k` (0-based).
    pub fn month(self, k: u32) -> (i32, u32) {
        let i = self.first + k as i32;
        (i.div_euclid(12), i.rem_euclid(12) as u32 + 1)
    }

    /// `YYYY-MM` of month `k`.
    pub fn label(self, k: u32) -> String {
        let (y, m) = self.month(k);
        format!("{y:04}-{m:02}")
    }

    /// Seasonal weight of month `k`.
    pub fn season(self, k: u32) -> f64 {
        SEASON[(self.month(k).1 - 1) as usize]
    }

    /// The calendar years the period touches, ascending.
    pub fn years(self) -> Vec<i32> {
        let (a, b) = (self.month(0).0, self.month(self.months - 1).0);
        (a..=b).collect()
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(28, |d| d.day())
}

/// When in the week events of a kind happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeProfile {
    /// Property crime and anti-social behaviour: daytime and early evening.
    General,
    /// Violence: evenings and weekends, peaking around midnight.
    Violence,
    /// Night-time-economy violence: 85% inside the Fri/Sat 21:00-02:59 window, the rest
    /// in the early evening Thursday to Sunday.
    NightTimeEconomy,
}

const GENERAL_HOURS: [f64; 24] = [
    0.4, 0.3, 0.25, 0.2, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4, 1.5, 1.7, 1.9, 2.0, 2.0,
    1.9, 1.7, 1.4, 1.0, 0.7,
];
const VIOLENCE_HOURS: [f64; 24] = [
    3.0, 2.6, 2.0, 1.3, 0.8, 0.6, 0.6, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4, 1.5, 1.7, 1.9, 2.0, 2.1,
    2.2, 2.3, 2.5, 2.8, 3.0,
];
/// Monday first.
const GENERAL_DAYS: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 1.0];
const VIOLENCE_DAYS: [f64; 7] = [0.9, 0.85, 0.9, 0.95, 1.15, 1.3, 1.15];
/// Weights of the window's hours 21, 22, 23, 0, 1, 2.
const NTE_HOURS: [(u32, f64); 6] = [
    (21, 0.6),
    (22, 1.0),
    (23, 1.4),
    (0, 1.6),
    (1, 1.4),
    (2, 0.9),
];
/// Share of night-time-economy events inside the window.
pub(crate) const NTE_WINDOW_SHARE: f64 = 0.85;

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .expect("day, hour and minute are drawn from valid ranges")
}

/// A time in month `(year, month)` drawn from `profile`.
pub(crate) fn sample_time(
    rng: &mut ChaCha8Rng,
    (year, month): (i32, u32),
    profile: TimeProfile,
) -> NaiveDateTime {
    let n_days = days_in_month(year, month);
    let weekday = |day: u32| at(year, month, day, 12, 0).weekday().num_days_from_monday() as usize;
    let minute = |rng: &mut ChaCha8Rng| index(rng, 60) as u32;
    match profile {
        TimeProfile::General | TimeProfile::Violence => {
            let (hours, days) = if profile == TimeProfile::General {
                (&GENERAL_HOURS, &GENERAL_DAYS)
            } else {
                (&VIOLENCE_HOURS, &VIOLENCE_DAYS)
            };
            let day_w: Vec<f64> = (1..=n_days).map(|d| days[weekday(d)]).collect();
            let day = weighted(rng, &day_w) as u32 + 1;
            let hour = weighted(rng, hours) as u32;
            at(year, month, day, hour, minute(rng))
        }
        TimeProfile::NightTimeEconomy => {
            if crate::random::chance(rng, NTE_WINDOW_SHARE) {
                let mut slots = Vec::new();
                let mut w = Vec::new();
                for day in 1..=n_days {
                    for (hour, weight) in NTE_HOURS {
                        if in_nte_window(at(year, month, day, hour, 0)) {
                            slots.push((day, hour));
                            w.push(weight);
                        }
                    }
                }
                let (day, hour) = slots[weighted(rng, &w)];
                at(year, month, day, hour, minute(rng))
            } else {
                // Thursday to Sunday, 18:00-20:59: outside the window.
                let day_w: Vec<f64> = (1..=n_days)
                    .map(|d| if weekday(d) >= 3 { 1.0 } else { 0.0 })
                    .collect();
                let day = weighted(rng, &day_w) as u32 + 1;
                at(year, month, day, 18 + index(rng, 3) as u32, minute(rng))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{stream_rng, Stream};

    #[test]
    fn period_labels_and_years() {
        let p = Period::new((2023, 11), 14);
        assert_eq!(p.label(0), "2023-11");
        assert_eq!(p.label(2), "2024-01");
        assert_eq!(p.years(), vec![2023, 2024]);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 12), 31);
    }

    #[test]
    fn nte_profile_is_mostly_in_the_window() {
        let mut rng = stream_rng(1, Stream::Police);
        let n = 2000;
        let inside = (0..n)
            .filter(|_| {
                in_nte_window(sample_time(
                    &mut rng,
                    (2024, 6),
                    TimeProfile::NightTimeEconomy,
                ))
            })
            .count();
        let share = inside as f64 / f64::from(n);
        assert!((share - NTE_WINDOW_SHARE).abs() < 0.03, "{share}");
        let bg = (0..n)
            .filter(|_| in_nte_window(sample_time(&mut rng, (2024, 6), TimeProfile::Violence)))
            .count();
        assert!((bg as f64 / f64::from(n)) < 0.2);
    }
}
