//! Counts of joined events by area × measure × month. A source's measures are its
//! categories, in order, followed by the flags it carries (an event counts once under its
//! category and once under each of its flags).

use crate::assign::Fate;
use rayon::prelude::*;
use safemap_types::{Event, Flags};
use std::collections::BTreeMap;

/// Key of one monthly count: area index, measure index, month index (`year*12 + month-1`).
pub type MonthKey = (u32, u16, i32);

/// Counts of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCounts {
    /// Number of areas.
    pub n_areas: usize,
    /// Measures `0..n_categories` are categories; the rest are flags.
    pub n_categories: usize,
    /// Non-zero monthly counts.
    pub monthly: BTreeMap<MonthKey, u64>,
}

impl SourceCounts {
    /// Events per area of measure `measure` (`None`: every category together) in the
    /// inclusive month range `months` (`None`: all months).
    pub fn totals(&self, measure: Option<u16>, months: Option<(i32, i32)>) -> Vec<u64> {
        let mut out = vec![0_u64; self.n_areas];
        for (&(area, m, month), &n) in &self.monthly {
            let wanted = match measure {
                Some(want) => m == want,
                None => usize::from(m) < self.n_categories,
            };
            if wanted && months.is_none_or(|(from, to)| (from..=to).contains(&month)) {
                out[area as usize] += n;
            }
        }
        out
    }
}

/// Counts the joined events by category and, for each of `flags`, by flag. Integer counts,
/// merged in a fixed order: the result does not depend on the thread count.
pub fn count(
    events: &[Event],
    fates: &[Fate],
    n_areas: usize,
    n_categories: usize,
    flags: &[Flags],
) -> SourceCounts {
    let monthly = events
        .par_iter()
        .zip(fates)
        .fold(
            BTreeMap::new,
            |mut m: BTreeMap<MonthKey, u64>, (e, fate)| {
                if let Fate::Joined(id) = fate {
                    let month = e.time.month_index();
                    *m.entry((id.0, e.category, month)).or_default() += 1;
                    for (i, f) in flags.iter().enumerate() {
                        if e.flags.contains(*f) {
                            *m.entry((id.0, (n_categories + i) as u16, month))
                                .or_default() += 1;
                        }
                    }
                }
                m
            },
        )
        .reduce(BTreeMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    SourceCounts {
        n_areas,
        n_categories,
        monthly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safemap_types::{AreaId, EventTime, RowRef};

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
        let c = count(&events, &fates, 2, 2, &[da, Flags::ALCOHOL]);
        assert_eq!(c.totals(None, None), vec![1, 3]);
        assert_eq!(c.totals(Some(0), None), vec![1, 1]);
        assert_eq!(c.totals(Some(1), None), vec![0, 2]);
        assert_eq!(
            c.totals(Some(2), None),
            vec![0, 1],
            "flagged, and the outside one not counted"
        );
        assert_eq!(c.totals(Some(3), None), vec![0, 0]);
        let feb = 2019 * 12 + 1;
        assert_eq!(c.totals(None, Some((feb, feb + 1))), vec![0, 2]);
        assert_eq!(c.monthly.get(&(1, 1, feb)), Some(&1));
    }
}
