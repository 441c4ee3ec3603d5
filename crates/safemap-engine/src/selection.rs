//! Which events an analysis, grid or density surface uses: a source, one of its measures
//! (`all`, a category slug or a flag), a month range and, for sources with times of day,
//! a window of hours of the week.

use crate::config::Study;
use crate::results::SourceResult;
use geo_types::Coord;
use safemap_geo::reproject::to_bng;
use safemap_types::time::HourMask;
use safemap_types::{CheckedCoord, Crs, Event, Flags, Month, MonthRange};

/// A joined event's location in the working CRS, with what selections filter on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventPoint {
    /// Working-CRS coordinate (British National Grid, or planar as given).
    pub xy: Coord<f64>,
    /// Category index.
    pub category: u16,
    /// Month.
    pub month: Month,
    /// Flags.
    pub flags: Flags,
}

impl EventPoint {
    /// The event's point in the working CRS, if it has one that maps there.
    pub fn of(e: &Event) -> Option<Self> {
        let p: CheckedCoord = e.point?;
        let xy = if p.crs() == Crs::Planar {
            Some(p.to_coord())
        } else {
            to_bng(p).ok()
        }?;
        Some(Self::at(xy, e))
    }

    /// The event at `xy`, its point already in the working CRS.
    pub fn at(xy: Coord<f64>, e: &Event) -> Self {
        Self {
            xy,
            category: e.category,
            month: e.time.calendar_month(),
            flags: e.flags,
        }
    }
}

/// A resolved selection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Selection {
    /// Index of the source in the study.
    pub source: usize,
    /// Measure index (`None`: every category).
    pub measure: Option<u16>,
    /// Inclusive month range (`None`: all months).
    pub months: Option<MonthRange>,
    /// Hours of the week kept (`None`: all hours; set by [`Self::within`]).
    pub window: Option<HourMask>,
}

impl Selection {
    /// Resolves `source`, `category` (default `all`) and `period` (default the study
    /// period) against the study's results; the error says what is expected.
    pub fn resolve(
        study: &Study,
        sources: &[SourceResult],
        source: &str,
        category: Option<&str>,
        period: Option<MonthRange>,
    ) -> Result<Self, String> {
        let index = sources
            .iter()
            .position(|s| s.section.name == source)
            .ok_or_else(|| format!("no [[source]] is named {source:?}"))?;
        let s = &sources[index];
        let category = category.unwrap_or("all");
        let measure = if category == "all" {
            None
        } else {
            let i = s.slugs.iter().position(|x| x == category).ok_or_else(|| {
                format!(
                    "source {source} has no category {category:?}; expected all or one of {}",
                    s.slugs.join(", ")
                )
            })?;
            Some(i as u16)
        };
        let months = period.or(study.period);
        Ok(Self {
            source: index,
            measure,
            months,
            window: None,
        })
    }

    /// The selection restricted to the hours of `window` (named `name` in messages), refused
    /// for a source whose events have no time of day.
    pub fn within(
        self,
        sources: &[SourceResult],
        window: HourMask,
        name: &str,
    ) -> Result<Self, String> {
        let s = &sources[self.source];
        if !s.has_timestamps {
            return Err(format!(
                "the {name} window needs events with a time of day, but source {:?} has month-precision times (police.uk publishes only the month of each crime); use a source with timestamps, such as a force extract or ED records, or drop the window",
                s.section.name
            ));
        }
        Ok(Self {
            window: Some(window),
            ..self
        })
    }

    /// Fails, naming the gaps, unless every area has data in every selected month: a grid or
    /// density surface has no way to leave an uncovered area out, and would draw it as
    /// empty.
    pub fn require_full_coverage(&self, sources: &[SourceResult]) -> Result<(), String> {
        let coverage = &sources[self.source].coverage;
        let without = coverage
            .covered_areas(self.months)
            .iter()
            .filter(|c| !**c)
            .count();
        if without == 0 {
            return Ok(());
        }
        Err(format!(
            "{without} areas have no data in the selected months ({}); cells over them would show no events where nothing is known; choose months the input files cover",
            coverage.describe(self.months)
        ))
    }

    /// Per-area counts of the selected events.
    pub fn counts(&self, sources: &[SourceResult]) -> Vec<u64> {
        let counts = &sources[self.source].counts;
        match self.window {
            None => counts.totals(self.measure, self.months),
            Some(w) => counts.totals_within(self.measure, self.months, w),
        }
    }

    /// Per-area counts of the selected events in each month of `months`:
    /// `out[area * months.len() + position of the month]`.
    pub fn counts_by_month(&self, sources: &[SourceResult], months: MonthRange) -> Vec<u64> {
        let counts = &sources[self.source].counts;
        match self.window {
            None => counts.by_month(self.measure, months),
            Some(w) => counts.by_month_within(self.measure, months, w),
        }
    }

    /// The selected events' points.
    pub fn points(&self, sources: &[SourceResult]) -> Vec<Coord<f64>> {
        self.events(sources).map(|p| p.xy).collect()
    }

    /// The selected events, with their month.
    pub fn events<'a>(
        &self,
        sources: &'a [SourceResult],
    ) -> impl Iterator<Item = &'a EventPoint> + 'a {
        let s = &sources[self.source];
        let n_categories = s.counts.n_categories;
        let Self {
            measure, months, ..
        } = *self;
        s.points
            .iter()
            .filter(move |p| months.is_none_or(|r| r.contains(p.month)))
            .filter(move |p| match measure {
                None => true,
                Some(m) if usize::from(m) < n_categories => p.category == m,
                Some(m) => p.flags.contains(s.flags[usize::from(m) - n_categories]),
            })
    }
}
