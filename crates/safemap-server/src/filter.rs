//! Filters of the JSON APIs: source, category, months and time window, parsed and checked
//! against the loaded results.

use crate::dataset::{Dataset, SourceData};
use crate::error::AppError;
use safemap_types::time::format_month_index;
use serde::Deserialize;

/// The query string as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterParams {
    /// Source name.
    pub source: Option<String>,
    /// Measure id (`all`, a category slug or a flag).
    pub category: Option<String>,
    /// First month, `YYYY-MM`.
    pub from: Option<String>,
    /// Last month, `YYYY-MM`.
    pub to: Option<String>,
    /// A named window: `all` or `nte`.
    pub window: Option<String>,
    /// Custom window days: `fri,sat`.
    pub days: Option<String>,
    /// Custom window hours: `21-2`.
    pub hours: Option<String>,
}

/// The 168 hours of the week a window keeps, as bits (`weekday * 24 + hour`, Monday = 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HourMask([u64; 3]);

/// Day names as accepted in `days=` (Monday first).
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The night-time economy window: nights starting Friday or Saturday, 21:00-02:59.
pub const NTE: (&str, &str) = ("fri,sat", "21-2");

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

    /// Parses `days` and `hours`: the days a night starts on and an inclusive range of
    /// hours that may wrap past midnight (`21-2`); hours after midnight of a wrapping range
    /// belong to the night of the previous day.
    pub fn parse(days: Option<&str>, hours: Option<&str>) -> Result<HourMask, AppError> {
        let day_list: Vec<usize> = match days {
            None => (0..7).collect(),
            Some(d) => d
                .split(',')
                .map(|name| {
                    let n = name.trim().to_ascii_lowercase();
                    DAYS.iter().position(|d| n.starts_with(d)).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "days: {name:?} is not a day; expected a comma-separated list of mon, tue, wed, thu, fri, sat, sun"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let (start, end) = match hours {
            None => (0, 23),
            Some(h) => parse_hours(h)?,
        };
        let mut mask = HourMask([0; 3]);
        for d in day_list {
            let mut h = start;
            let mut day = d;
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
        Ok(mask)
    }
}

fn parse_hours(h: &str) -> Result<(usize, usize), AppError> {
    let bad = || {
        AppError::BadRequest(format!(
            "hours: {h:?} is not an hour range; expected FROM-TO in whole hours 0-23, e.g. 21-2 for 21:00 to 02:59"
        ))
    };
    let (a, b) = h.split_once('-').ok_or_else(bad)?;
    let a: usize = a.trim().parse().map_err(|_| bad())?;
    let b: usize = b.trim().parse().map_err(|_| bad())?;
    if a > 23 || b > 23 {
        return Err(bad());
    }
    Ok((a, b))
}

/// A checked filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Source index.
    pub source: usize,
    /// Measure (`None`: all categories).
    pub measure: Option<u16>,
    /// Inclusive month indexes.
    pub months: (i32, i32),
    /// Time window (`None`: no window, all hours).
    pub window: Option<HourMask>,
    /// The window's name (`all`, `nte` or `custom`).
    pub window_name: String,
}

impl Query {
    /// True when an entry of this month and hour of the week is counted.
    pub fn keeps(&self, month: i32, hour: u8) -> bool {
        (self.months.0..=self.months.1).contains(&month)
            && self.window.is_none_or(|w| w.contains(hour))
    }

    /// The filter as echoed in answers.
    pub fn describe(&self, data: &Dataset) -> serde_json::Value {
        let s = &data.sources[self.source];
        serde_json::json!({
            "source": s.name,
            "category": self.measure.map_or("all", |m| s.slugs[usize::from(m)].as_str()),
            "from": format_month_index(self.months.0),
            "to": format_month_index(self.months.1),
            "window": self.window_name,
        })
    }
}

/// Parses `YYYY-MM` into a month index.
pub fn parse_month(key: &str, v: &str) -> Result<i32, AppError> {
    let bad = || {
        AppError::BadRequest(format!(
            "{key}: {v:?} is not a month; expected YYYY-MM such as 2024-06"
        ))
    };
    let (y, m) = v.split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || y.to_string().len() != 4 {
        return Err(bad());
    }
    Ok(y * 12 + m - 1)
}

impl FilterParams {
    /// Parses a query string; an unknown or repeated parameter is a 400 naming it.
    pub fn from_query(query: Option<&str>) -> Result<Self, AppError> {
        serde_urlencoded::from_str(query.unwrap_or_default()).map_err(|e| {
            AppError::BadRequest(format!(
                "bad query string: {e}; the filters are source, category, from, to, window, days and hours"
            ))
        })
    }

    /// Checks the filter against the loaded results.
    pub fn resolve(&self, data: &Dataset) -> Result<Query, AppError> {
        let (index, source) = match &self.source {
            None => data
                .sources
                .iter()
                .enumerate()
                .next()
                .ok_or_else(|| AppError::NotFound("this study has no event sources".into()))?,
            Some(name) => data
                .sources
                .iter()
                .enumerate()
                .find(|(_, s)| &s.name == name)
                .ok_or_else(|| {
                    AppError::NotFound(format!(
                        "source: no source {name:?}; the study has {}",
                        names(data.sources.iter().map(|s| s.name.as_str()))
                    ))
                })?,
        };
        let category = self.category.as_deref().unwrap_or("all");
        let measure = source.measure(category).ok_or_else(|| {
            AppError::NotFound(format!(
                "category: source {:?} has no measure {category:?}; it has all, {}",
                source.name,
                names(source.slugs.iter().map(String::as_str))
            ))
        })?;
        let from = self
            .from
            .as_deref()
            .map(|v| parse_month("from", v))
            .transpose()?
            .unwrap_or(source.months.0);
        let to = self
            .to
            .as_deref()
            .map(|v| parse_month("to", v))
            .transpose()?
            .unwrap_or(source.months.1);
        if from > to {
            return Err(AppError::BadRequest(format!(
                "from ({}) is after to ({})",
                format_month_index(from),
                format_month_index(to)
            )));
        }
        if from < source.months.0 || to > source.months.1 {
            return Err(AppError::Unprocessable(format!(
                "source {:?} covers {} to {}; from/to must lie within it",
                source.name,
                format_month_index(source.months.0),
                format_month_index(source.months.1)
            )));
        }
        let (window, window_name) = self.window(source)?;
        Ok(Query {
            source: index,
            measure,
            months: (from, to),
            window,
            window_name,
        })
    }

    fn window(&self, source: &SourceData) -> Result<(Option<HourMask>, String), AppError> {
        let named = self.window.as_deref();
        let custom = self.days.is_some() || self.hours.is_some();
        if named.is_some() && custom {
            return Err(AppError::BadRequest(
                "give either window= or days=/hours=, not both".into(),
            ));
        }
        let (mask, name) = match named {
            None | Some("all") if !custom => return Ok((None, "all".into())),
            None | Some("all") => (
                HourMask::parse(self.days.as_deref(), self.hours.as_deref())?,
                "custom",
            ),
            Some("nte") => (HourMask::parse(Some(NTE.0), Some(NTE.1))?, "nte"),
            Some(other) => {
                return Err(AppError::BadRequest(format!(
                    "window: {other:?} is not a window; expected all or nte, or days= and hours="
                )))
            }
        };
        if !source.has_timestamps {
            return Err(AppError::Unprocessable(format!(
                "source {:?} has month-precision times (like data.police.uk): a time window needs times of day; choose all hours or a source with timestamps",
                source.name
            )));
        }
        let name = if mask == HourMask::parse(Some(NTE.0), Some(NTE.1))? {
            "nte"
        } else {
            name
        };
        Ok((Some(mask), name.into()))
    }
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nte_window_wraps_past_midnight_into_the_next_day() {
        let m = HourMask::parse(Some("fri,sat"), Some("21-2")).unwrap();
        let fri = 4 * 24;
        let sat = 5 * 24;
        let sun = 6 * 24;
        for h in [fri + 21, fri + 23, sat, sat + 2, sat + 21, sun + 2] {
            assert!(m.contains(h as u8), "{h}");
        }
        for h in [fri + 20, fri + 2, sat + 3, sat + 20, sun + 3, 0] {
            assert!(!m.contains(h as u8), "{h}");
        }
        assert_eq!((0..168).filter(|&h| m.contains(h)).count(), 12);
        assert!(HourMask::ALL.includes(m));
        assert!(!m.includes(HourMask::ALL));
    }

    #[test]
    fn sunday_night_wraps_to_monday() {
        let m = HourMask::parse(Some("sun"), Some("23-0")).unwrap();
        assert!(m.contains(6 * 24 + 23) && m.contains(0));
        assert_eq!((0..168).filter(|&h| m.contains(h)).count(), 2);
    }

    #[test]
    fn bad_days_hours_and_months_are_named() {
        let e = HourMask::parse(Some("fri,caturday"), None).unwrap_err();
        assert!(e.to_string().contains("caturday"), "{e}");
        let e = HourMask::parse(None, Some("25-2")).unwrap_err();
        assert!(e.to_string().contains("25-2"), "{e}");
        assert!(parse_month("from", "2024-13").is_err());
        assert_eq!(parse_month("from", "2024-01").unwrap(), 2024 * 12);
    }
}
