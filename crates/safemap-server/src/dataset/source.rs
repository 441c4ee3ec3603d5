//! One source's counts in memory, and the exact answer to any filter.

use crate::filter::Query;
use safemap_results::coverage::Coverage;
use safemap_types::time::{HourMask, Month, MonthRange};

/// One non-zero count: area, month, hour of the week (`NO_HOUR` for monthly counts),
/// count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Area id.
    pub area: u32,
    /// Month.
    pub month: Month,
    /// Hour of the week (`weekday * 24 + hour`, Monday = 0).
    pub hour: u8,
    /// Events.
    pub count: u32,
}

/// A source as loaded from `counts.csv`, `counts_by_hour.csv` and the manifest.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// Name in the study.
    pub name: String,
    /// Domestic abuse or health records.
    pub sensitive: bool,
    /// Whether events have times of day.
    pub has_timestamps: bool,
    /// Measure labels (categories as mapped, then `flag_*`).
    pub labels: Vec<String>,
    /// Measure ids (column slugs), aligned with `labels`.
    pub slugs: Vec<String>,
    /// Measures `0..n_categories` are categories (their sum is `all`); the rest are flags.
    pub n_categories: usize,
    /// The months of the period.
    pub months: MonthRange,
    /// Monthly counts per measure, sorted by area then month.
    pub monthly: Vec<Vec<Entry>>,
    /// Hour-of-week counts per measure, sorted by area, month, hour (empty without times).
    pub hourly: Vec<Vec<Entry>>,
    /// The (area, month) cells the source's input files cover (the gaps from
    /// `coverage.csv`): an area has no data for any filter that includes an uncovered month.
    pub coverage: Coverage,
}

impl SourceData {
    /// The measure index of an id: `Ok(None)` for `all`.
    pub fn measure(&self, id: &str) -> Option<Option<u16>> {
        if id == "all" {
            return Some(None);
        }
        self.slugs
            .iter()
            .position(|s| s == id)
            .map(|i| Some(i as u16))
    }

    /// The measure indexes a measure filter covers (`None`: every category).
    pub fn measures_of(&self, measure: Option<u16>) -> std::ops::Range<usize> {
        match measure {
            None => 0..self.n_categories,
            Some(m) => usize::from(m)..usize::from(m) + 1,
        }
    }

    /// True when no input file covers `area` in some month of `months`.
    pub fn no_data(&self, area: u32, months: MonthRange) -> bool {
        !self.coverage.covers(area as usize, Some(months))
    }

    /// Per area, whether it has no data for `months`.
    pub fn no_data_areas(&self, months: MonthRange) -> Vec<bool> {
        self.coverage
            .covered_areas(Some(months))
            .into_iter()
            .map(|covered| !covered)
            .collect()
    }

    /// Why `area` has no data for `months`, or `None` when it has data.
    pub fn no_data_reason(&self, area: u32, months: MonthRange) -> Option<String> {
        self.coverage.reason(area as usize, Some(months))
    }

    /// The entries a query reads: hourly ones when it has a time window.
    fn entries(&self, q: &Query) -> impl Iterator<Item = &Entry> {
        let table = if q.window.is_some() {
            &self.hourly
        } else {
            &self.monthly
        };
        self.measures_of(q.measure)
            .flat_map(move |m| table.get(m).into_iter().flatten())
    }

    /// Exact events per area matching `q`.
    pub fn counts(&self, q: &Query, n_areas: usize) -> Vec<u64> {
        let mut out = vec![0_u64; n_areas];
        for e in self.entries(q).filter(|e| q.keeps(e.month, e.hour)) {
            out[e.area as usize] += u64::from(e.count);
        }
        out
    }

    /// Exact monthly series of one area over the query's months, honouring its window.
    pub fn monthly_series(&self, q: &Query, area: u32) -> Vec<(Month, u64)> {
        let mut series: Vec<(Month, u64)> = q.months.iter().map(|m| (m, 0)).collect();
        for e in self
            .entries(q)
            .filter(|e| e.area == area && q.keeps(e.month, e.hour))
        {
            if let Some(i) = q.months.position(e.month) {
                series[i].1 += u64::from(e.count);
            }
        }
        series
    }

    /// Exact 7×24 hour-of-week counts of one area (`None`: the whole study) over the query's
    /// months and measure, all hours whatever the window (the profile the window is chosen
    /// from); `None` without times.
    pub fn hour_of_week(&self, q: &Query, area: Option<u32>) -> Option<Vec<[u64; 24]>> {
        if !self.has_timestamps {
            return None;
        }
        let mut grid = vec![[0_u64; 24]; 7];
        let all_hours = Query {
            window: Some(HourMask::ALL),
            ..q.clone()
        };
        for e in self
            .entries(&all_hours)
            .filter(|e| area.is_none_or(|a| e.area == a) && all_hours.keeps(e.month, e.hour))
        {
            grid[usize::from(e.hour / 24)][usize::from(e.hour % 24)] += u64::from(e.count);
        }
        Some(grid)
    }
}
