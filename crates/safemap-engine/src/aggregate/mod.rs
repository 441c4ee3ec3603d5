//! Counts of joined events by area × measure × month. A source's measures are its
//! categories, in order, followed by the flags it carries (an event counts once under its
//! category and once under each of its flags). Sources with times of day are also counted
//! by hour of the week, which is what time-window filters (night-time economy) answer from.

use crate::coverage::Coverage;
use crate::joined::{Cell, NO_HOUR};
use rayon::prelude::*;
use safemap_types::time::HourMask;
use safemap_types::{Flags, Month, MonthRange};

mod count_table;
pub use count_table::CountTable;

/// Key of one monthly count: area index, measure index, month.
pub type MonthKey = (u32, u16, Month);

/// Key of one hour-of-week count: area index, measure index, month, hour of the week
/// (see [`hour_of_week`]).
pub type HourKey = (u32, u16, Month, u8);

/// Counts of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCounts {
    /// Number of areas.
    pub n_areas: usize,
    /// Measures `0..n_categories` are categories; the rest are flags.
    pub n_categories: usize,
    /// Non-zero monthly counts.
    pub monthly: CountTable<MonthKey>,
    /// Non-zero counts by hour of the week, for events with a time of day (empty for
    /// month-precision sources).
    pub hourly: CountTable<HourKey>,
    /// Joined events in an (area, month) that no input file covers, not counted (a
    /// neighbouring force's rows in the area of a force whose file is missing).
    pub without_coverage: u64,
}

impl SourceCounts {
    /// Events per area of measure `measure` (`None`: every category together) in the
    /// inclusive month range `months` (`None`: all months).
    pub fn totals(&self, measure: Option<u16>, months: Option<MonthRange>) -> Vec<u64> {
        let mut out = vec![0_u64; self.n_areas];
        for (&(area, m, month), &n) in &self.monthly {
            if self.is_measure(m, measure) && months.is_none_or(|r| r.contains(month)) {
                out[area as usize] += n;
            }
        }
        out
    }

    /// Events of measure `measure` (`None`: every category together) per area and month of
    /// `months`: `out[area * months.len() + position of the month]`.
    pub fn by_month(&self, measure: Option<u16>, months: MonthRange) -> Vec<u64> {
        let mut out = vec![0_u64; self.n_areas * months.len()];
        for (&(area, m, month), &n) in &self.monthly {
            if let (true, Some(at)) = (self.is_measure(m, measure), months.position(month)) {
                out[area as usize * months.len() + at] += n;
            }
        }
        out
    }

    /// Like [`Self::totals`], counting only events in the hours of `window`.
    pub fn totals_within(
        &self,
        measure: Option<u16>,
        months: Option<MonthRange>,
        window: HourMask,
    ) -> Vec<u64> {
        let mut out = vec![0_u64; self.n_areas];
        for (&(area, m, month, hour), &n) in &self.hourly {
            if self.is_measure(m, measure)
                && months.is_none_or(|r| r.contains(month))
                && window.contains(hour)
            {
                out[area as usize] += n;
            }
        }
        out
    }

    /// Like [`Self::by_month`], counting only events in the hours of `window`.
    pub fn by_month_within(
        &self,
        measure: Option<u16>,
        months: MonthRange,
        window: HourMask,
    ) -> Vec<u64> {
        let mut out = vec![0_u64; self.n_areas * months.len()];
        for (&(area, m, month, hour), &n) in &self.hourly {
            if let (true, true, Some(at)) = (
                self.is_measure(m, measure),
                window.contains(hour),
                months.position(month),
            ) {
                out[area as usize * months.len() + at] += n;
            }
        }
        out
    }

    /// True when counts under measure index `m` belong to `measure`.
    fn is_measure(&self, m: u16, measure: Option<u16>) -> bool {
        match measure {
            Some(want) => m == want,
            None => usize::from(m) < self.n_categories,
        }
    }
}

/// Counts the joined events of `cells` (see [`crate::joined`]) by category and, for each of
/// `flags`, by flag, in the (area, month) cells `coverage` covers. Integer counts in key
/// order: the result does not depend on the thread count.
pub fn count(
    cells: &[(Cell, u64)],
    n_areas: usize,
    n_categories: usize,
    flags: &[Flags],
    coverage: &Coverage,
) -> SourceCounts {
    let mut without_coverage = 0;
    // One key per cell and measure, the hour of the week `NO_HOUR` for events without a
    // time of day; sorted once, they give both tables.
    let mut keys: Vec<(HourKey, u64)> = Vec::new();
    for &((area, category, cell_flags, month, how), n) in cells {
        if !coverage.is_covered(area, month) {
            without_coverage += n;
            continue;
        }
        let flagged = flags
            .iter()
            .enumerate()
            .filter(|(_, f)| cell_flags.contains(**f))
            .map(|(i, _)| (n_categories + i) as u16);
        keys.extend(
            std::iter::once(category)
                .chain(flagged)
                .map(|m| ((area, m, month, how), n)),
        );
    }
    keys.par_sort_unstable_by_key(|k| k.0);
    let monthly =
        CountTable::from_sorted(keys.iter().map(|&((a, m, month, _), n)| ((a, m, month), n)));
    let hourly = CountTable::from_sorted(keys.iter().filter(|k| k.0 .3 != NO_HOUR).copied());
    SourceCounts {
        n_areas,
        n_categories,
        monthly,
        hourly,
        without_coverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::Fate;
    use crate::coverage::CoverageMethod;
    use crate::joined::cells_of as cells;
    use safemap_types::time::hour_of_week;
    use safemap_types::{AreaId, Event, EventTime, RowRef};

    fn ev(cat: u16, month: u32, flags: Flags) -> Event {
        Event {
            origin: RowRef { file: 0, line: 2 },
            point: None,
            area_code: None,
            time: EventTime::month(2019, month).unwrap(),
            category: cat,
            flags,
        }
    }

    #[test]
    fn counts_joined_events_by_measure_and_month() {
        let (no, da) = (Flags::empty(), Flags::DOMESTIC_ABUSE);
        let events = [
            ev(0, 1, no),
            ev(1, 1, da),
            ev(1, 2, no),
            ev(1, 2, da),
            ev(0, 3, no),
        ];
        let fates = [
            Fate::Joined(AreaId(0)),
            Fate::Joined(AreaId(1)),
            Fate::Joined(AreaId(1)),
            Fate::OutsideArea,
            Fate::Joined(AreaId(1)),
        ];
        let everything = Coverage::complete(CoverageMethod::WholeSpan, None, 2);
        let c = count(
            &cells(&events, &fates),
            2,
            2,
            &[da, Flags::ALCOHOL],
            &everything,
        );
        assert_eq!(c.totals(None, None), vec![1, 3]);
        assert_eq!(c.totals(Some(0), None), vec![1, 1]);
        assert_eq!(c.totals(Some(1), None), vec![0, 2]);
        assert_eq!(
            c.totals(Some(2), None),
            vec![0, 1],
            "flagged, and the outside one not counted"
        );
        assert_eq!(c.totals(Some(3), None), vec![0, 0]);
        let feb = Month::new(2019, 2).unwrap();
        assert_eq!(
            c.totals(None, MonthRange::new(feb, feb.plus(1)).ok()),
            vec![0, 2]
        );
        assert_eq!(c.monthly.get(&(1, 1, feb)), Some(&1));
        let jan_to_mar = MonthRange::new(feb.plus(-1), feb.plus(1)).unwrap();
        assert_eq!(
            c.by_month(None, jan_to_mar),
            vec![1, 0, 0, 1, 1, 1],
            "area 0: one in January; area 1: one a month (the outside event not counted)"
        );
        assert_eq!(c.by_month(Some(2), jan_to_mar), vec![0, 0, 0, 1, 0, 0]);
        assert!(c.hourly.is_empty(), "month-precision events have no hour");
        assert_eq!(c.without_coverage, 0);
    }

    #[test]
    fn events_in_uncovered_cells_are_not_counted_but_tallied() {
        let no = Flags::empty();
        let events = [ev(0, 1, no), ev(0, 2, no), ev(1, 2, no)];
        let fates = [Fate::Joined(AreaId(0)); 3];
        let feb = Month::new(2019, 2).unwrap();
        let coverage = Coverage::with_gaps(
            CoverageMethod::ForceAreas,
            MonthRange::new(feb.plus(-1), feb).ok(),
            1,
            &[(0, feb, "no police.uk file for Kent Police in 2019-02")],
        );
        let c = count(&cells(&events, &fates), 1, 2, &[], &coverage);
        assert_eq!(c.totals(None, None), vec![1]);
        assert_eq!(c.without_coverage, 2);
        assert!(c.monthly.keys().all(|k| k.2 != feb));
    }

    #[test]
    fn counts_timestamped_events_by_hour_of_week() {
        let at = |d: u32, h: u32| {
            let t = chrono::NaiveDate::from_ymd_opt(2024, 3, d)
                .unwrap()
                .and_hms_opt(h, 30, 0)
                .unwrap();
            Event {
                time: EventTime::Timestamp(t),
                ..ev(0, 3, Flags::ALCOHOL)
            }
        };
        // 2024-03-01 was a Friday, 2024-03-03 a Sunday.
        let events = [at(1, 22), at(1, 22), at(3, 1)];
        let fates = [Fate::Joined(AreaId(0)); 3];
        let everything = Coverage::complete(CoverageMethod::WholeSpan, None, 1);
        let c = count(
            &cells(&events, &fates),
            1,
            1,
            &[Flags::ALCOHOL],
            &everything,
        );
        let march = Month::new(2024, 3).unwrap();
        assert_eq!(c.hourly.get(&(0, 0, march, 4 * 24 + 22)), Some(&2));
        assert_eq!(
            c.hourly.get(&(0, 1, march, 4 * 24 + 22)),
            Some(&2),
            "flag too"
        );
        assert_eq!(c.hourly.get(&(0, 0, march, 6 * 24 + 1)), Some(&1));
        assert_eq!(c.hourly.values().sum::<u64>(), 6);
        assert_eq!(
            hour_of_week(at(4, 0).time.timestamp().unwrap()),
            0,
            "Monday 00:30"
        );
    }
}
