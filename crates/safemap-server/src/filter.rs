//! Filters of the JSON APIs: source, category, months and time window, parsed and checked
//! against the loaded results.

use crate::dataset::{Dataset, SourceData};
use crate::error::AppError;
use safemap_types::time::{HourMask, Month, MonthRange, NTE};
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

/// A checked filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Source index.
    pub source: usize,
    /// Measure (`None`: all categories).
    pub measure: Option<u16>,
    /// The months counted.
    pub months: MonthRange,
    /// Time window (`None`: no window, all hours).
    pub window: Option<HourMask>,
    /// The window's name (`all`, `nte` or `custom`).
    pub window_name: String,
}

impl Query {
    /// True when an entry of this month and hour of the week is counted.
    pub fn keeps(&self, month: Month, hour: u8) -> bool {
        self.months.contains(month) && self.window.is_none_or(|w| w.contains(hour))
    }

    /// The filter as echoed in answers.
    pub fn describe(&self, data: &Dataset) -> serde_json::Value {
        let s = &data.sources[self.source];
        serde_json::json!({
            "source": s.name,
            "category": self.measure.map_or("all", |m| s.slugs[usize::from(m)].as_str()),
            "from": self.months.from(),
            "to": self.months.to(),
            "window": self.window_name,
        })
    }
}

/// Parses the month of query parameter `key`.
fn parse_month(key: &str, v: &str) -> Result<Month, AppError> {
    Month::parse(v).map_err(|e| AppError::BadRequest(format!("{key}: {e}")))
}

/// Parses `days=` and `hours=` into the hours they keep.
fn parse_window(days: Option<&str>, hours: Option<&str>) -> Result<HourMask, AppError> {
    HourMask::parse(days, hours).map_err(|e| AppError::BadRequest(e.to_string()))
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
            .unwrap_or(source.months.from());
        let to = self
            .to
            .as_deref()
            .map(|v| parse_month("to", v))
            .transpose()?
            .unwrap_or(source.months.to());
        let months = MonthRange::new(from, to).map_err(|e| AppError::BadRequest(e.to_string()))?;
        if !source.months.includes(months) {
            return Err(AppError::Unprocessable(format!(
                "source {:?} covers {}; from/to must lie within it",
                source.name, source.months
            )));
        }
        let (window, window_name) = self.window(source, data.manifest.time.nte.mask())?;
        Ok(Query {
            source: index,
            measure,
            months,
            window,
            window_name,
        })
    }

    fn window(
        &self,
        source: &SourceData,
        nte: HourMask,
    ) -> Result<(Option<HourMask>, String), AppError> {
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
                parse_window(self.days.as_deref(), self.hours.as_deref())?,
                "custom",
            ),
            Some(id) if id == NTE.id => (nte, NTE.id),
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
        let name = if mask == nte { NTE.id } else { name };
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
    fn bad_days_hours_and_months_are_named() {
        let e = parse_window(Some("fri,caturday"), None).unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest(m) if m.contains("caturday")),
            "{e}"
        );
        let e = parse_window(None, Some("25-2")).unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest(m) if m.starts_with("hours: \"25-2\"")),
            "{e}"
        );
        let e = parse_month("from", "2024-13").unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest(m) if m.starts_with("from: \"2024-13\" is not a month")),
            "{e}"
        );
        assert_eq!(parse_month("from", "2024-01").unwrap().index(), 2024 * 12);
    }
}
