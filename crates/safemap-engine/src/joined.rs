//! [`Joined`]: what the analysis keeps of a source's joined events. They are counted by
//! cell as they are read (see [`crate::join_sink`]), so memory follows the results, not the
//! input: a source of any size is a table of (area, category, flags, month, hour of the
//! week) counts, plus the points of the sources whose points an analysis uses.
//!
//! Coverage is not applied here: a cell of an (area, month) no file covers is kept, and
//! every consumer asks the source's [`crate::coverage::Coverage`] before counting it.

use crate::selection::EventPoint;
use rayon::prelude::*;
use safemap_types::time::hour_of_week;
use safemap_types::{AreaId, Event, Flags, Month, MonthRange};

/// The hour-of-week place of a cell of events without a time of day.
pub const NO_HOUR: u8 = u8::MAX;

/// One cell: area index, category, flags, month, hour of the week ([`hour_of_week`], or
/// [`NO_HOUR`]).
pub type Cell = (u32, u16, Flags, Month, u8);

/// The cell of an event joined to `area`.
pub fn cell_of(area: u32, e: &Event) -> Cell {
    let how = e.time.timestamp().map_or(NO_HOUR, hour_of_week);
    (area, e.category, e.flags, e.time.calendar_month(), how)
}

/// What the analysis keeps of one source's joined events.
#[derive(Debug, Clone, Default)]
pub struct Joined {
    /// Joined events per cell, in cell order, zero counts left out.
    pub cells: Vec<(Cell, u64)>,
    /// Joined events per (area, file index), in key order: which files' rows join each area
    /// (police.uk sources only, where a file is one force's month).
    pub by_file: Vec<((u32, u32), u64)>,
    /// The area and working-CRS point of each joined event with one, in input order, for
    /// sources whose points an analysis uses (empty otherwise).
    pub points: Vec<(u32, EventPoint)>,
    /// Each joined event with its area, in input order, when asked for (the GeoParquet
    /// export writes them; empty otherwise).
    pub events: Vec<(u32, Event)>,
}

impl Joined {
    /// First and last month of the joined events.
    pub fn span(&self) -> Option<MonthRange> {
        MonthRange::spanning(self.cells.iter().map(|(c, _)| c.3))
    }

    /// Moves every area `a` to `to[a]` (small areas up to their neighbourhoods).
    pub fn move_areas(&mut self, to: &[AreaId]) {
        let at = |a: u32| to[a as usize].0;
        self.cells = summed(
            self.cells
                .drain(..)
                .map(|(c, n)| ((at(c.0), c.1, c.2, c.3, c.4), n)),
        );
        self.by_file = summed(self.by_file.drain(..).map(|((a, f), n)| ((at(a), f), n)));
        for (a, _) in &mut self.points {
            *a = at(*a);
        }
        for (a, _) in &mut self.events {
            *a = at(*a);
        }
    }
}

/// Counts summed as they come in: a sorted table and the runs added since, sorted and merged
/// into it once they are as long as the table (or [`Runs::PENDING`]), so each count is moved
/// a few times in all, and the pending runs never hold more than the table.
#[derive(Debug)]
pub struct Runs<K> {
    table: Vec<(K, u64)>,
    pending: Vec<(K, u64)>,
}

impl<K> Default for Runs<K> {
    fn default() -> Self {
        Self {
            table: Vec::new(),
            pending: Vec::new(),
        }
    }
}

impl<K: Ord + Copy + Send + Sync> Runs<K> {
    /// Pending counts that are merged whatever the table's length.
    pub const PENDING: usize = 1 << 20;

    /// Adds `keys`, one per event, in any order.
    pub fn add_keys(&mut self, mut keys: Vec<K>) {
        keys.par_sort_unstable();
        self.add_run(sum_sorted(keys.into_iter().map(|k| (k, 1))));
    }

    /// Adds counts, in any order.
    pub fn add_run(&mut self, run: Vec<(K, u64)>) {
        self.pending.extend(run);
        if self.pending.len() >= self.table.len().max(Self::PENDING) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.par_sort_unstable_by_key(|p| p.0);
        self.table = merge(std::mem::take(&mut self.table), sum_sorted(pending));
    }

    /// Every count, in key order, each key once.
    pub fn finish(mut self) -> Vec<(K, u64)> {
        self.flush();
        self.table
    }
}

/// Two sorted runs as one, equal keys summed.
fn merge<K: Ord + Copy>(a: Vec<(K, u64)>, b: Vec<(K, u64)>) -> Vec<(K, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(x), Some(y)) if x.0 == y.0 => {
                let n = y.1;
                b.next();
                out.extend(a.next().map(|(k, m)| (k, m + n)));
                continue;
            }
            (Some(x), Some(y)) => x.0 < y.0,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// `pairs` with equal keys summed, in key order, zero counts left out.
pub fn summed<K: Ord + Copy + Send>(pairs: impl IntoIterator<Item = (K, u64)>) -> Vec<(K, u64)> {
    let mut pairs: Vec<(K, u64)> = pairs.into_iter().filter(|p| p.1 > 0).collect();
    pairs.par_sort_unstable_by_key(|p| p.0);
    sum_sorted(pairs)
}

/// Pairs sorted by key with each run of equal keys summed into one pair.
fn sum_sorted<K: Eq>(sorted: impl IntoIterator<Item = (K, u64)>) -> Vec<(K, u64)> {
    let mut out: Vec<(K, u64)> = Vec::new();
    for (k, n) in sorted {
        match out.last_mut() {
            Some((last, m)) if *last == k => *m += n,
            _ => out.push((k, n)),
        }
    }
    out
}

/// The cells of the joined ones of `events`, as the sink counts them (for tests).
#[cfg(test)]
pub(crate) fn cells_of(events: &[Event], fates: &[crate::assign::Fate]) -> Vec<(Cell, u64)> {
    summed(events.iter().zip(fates).filter_map(|(e, f)| match f {
        crate::assign::Fate::Joined(id) => Some((cell_of(id.0, e), 1)),
        _ => None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merged_as_they_come_equal_one_sum() {
        let mut state = 3_u64;
        let mut want = std::collections::BTreeMap::new();
        let mut runs = Runs::default();
        let mut flushed = 0;
        for chunk in 0..8 {
            let part: Vec<u32> = (0..(400_000 + chunk * 37))
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    (state >> 40) as u32 % 3_000_000
                })
                .collect();
            for &k in &part {
                *want.entry(k).or_insert(0_u64) += 1;
            }
            let before = runs.table.len();
            runs.add_keys(part);
            flushed += usize::from(runs.table.len() != before);
            assert!(runs.pending.len() <= runs.table.len().max(Runs::<u32>::PENDING));
        }
        assert!(
            flushed >= 2,
            "merged into the table on the way, {flushed} times"
        );
        assert_eq!(runs.finish(), want.into_iter().collect::<Vec<_>>());
    }
}
