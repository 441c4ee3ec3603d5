//! Counts of joined events by area × category × month.

use crate::assign::Fate;
use rayon::prelude::*;
use safemap_types::{Event, Flags};
use std::collections::BTreeMap;

/// Key of one monthly count: area index, category index, month index (`year*12 + month-1`).
pub type MonthKey = (u32, u16, i32);

/// Counts of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCounts {
    /// `by_category[c][a]`: events of category `c` in area `a`.
    pub by_category: Vec<Vec<u64>>,
    /// `all[a]`: events of every category in area `a`.
    pub all: Vec<u64>,
    /// `by_flag[f][a]`: events in area `a` carrying the `f`-th of the requested flags.
    pub by_flag: Vec<Vec<u64>>,
    /// Non-zero monthly counts.
    pub monthly: BTreeMap<MonthKey, u64>,
}

/// Counts the joined events, by category and month and for each of `flags`. Integer counts,
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
                    *m.entry((id.0, e.category, e.time.month_index()))
                        .or_default() += 1;
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
    let mut by_flag = vec![vec![0_u64; n_areas]; flags.len()];
    for (e, fate) in events.iter().zip(fates) {
        if let Fate::Joined(id) = fate {
            for (f, counts) in flags.iter().zip(&mut by_flag) {
                counts[id.index()] += u64::from(e.flags.contains(*f));
            }
        }
    }
    let mut by_category = vec![vec![0_u64; n_areas]; n_categories];
    let mut all = vec![0_u64; n_areas];
    for (&(area, cat, _), &n) in &monthly {
        by_category[cat as usize][area as usize] += n;
        all[area as usize] += n;
    }
    SourceCounts {
        by_category,
        all,
        by_flag,
        monthly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safemap_types::{AreaId, EventTime, RowRef};

    fn ev(cat: u16, month: u32) -> Event {
        ev_flagged(cat, month, Flags::empty())
    }

    fn ev_flagged(cat: u16, month: u32, flags: Flags) -> Event {
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
    fn counts_only_joined_events() {
        let da = Flags::DOMESTIC_ABUSE;
        let events = [
            ev(0, 1),
            ev_flagged(1, 1, da),
            ev(1, 2),
            ev_flagged(1, 2, da),
            ev(0, 3),
        ];
        let fates = [
            Fate::Joined(AreaId(0)),
            Fate::Joined(AreaId(1)),
            Fate::Joined(AreaId(1)),
            Fate::OutsideArea,
            Fate::Joined(AreaId(1)),
        ];
        let c = count(&events, &fates, 2, 2, &[da, Flags::ALCOHOL]);
        assert_eq!(
            c.by_flag,
            vec![vec![0, 1], vec![0, 0]],
            "the outside flagged event is not counted"
        );
        assert_eq!(c.all, vec![1, 3]);
        assert_eq!(c.by_category, vec![vec![1, 1], vec![0, 2]]);
        assert_eq!(c.monthly.get(&(1, 1, 2019 * 12 + 1)), Some(&1));
        assert_eq!(c.monthly.len(), 4);
    }
}
