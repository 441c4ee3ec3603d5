//! [`Joined`]: what the analysis keeps of a source's joined events. They are counted by
//! cell as they are read (see [`crate::join_sink`]), so memory follows the results, not the
//! input: a source of any size is a table of (area, category, flags, month, hour of the
//! week) counts, plus the points of the sources whose points an analysis uses.
//!
//! Coverage is not applied here: a cell of an (area, month) no file covers is kept, and
//! every consumer asks the source's [`crate::coverage::Coverage`] before counting it.

use crate::selection::EventPoint;
use safemap_types::time::hour_of_week;
use safemap_types::{AreaId, Event, Flags, Month, MonthRange};
use std::collections::HashMap;

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

/// `pairs` with equal keys summed, in key order, zero counts left out.
pub fn summed<K: Ord + std::hash::Hash + Copy>(
    pairs: impl IntoIterator<Item = (K, u64)>,
) -> Vec<(K, u64)> {
    let mut sums: HashMap<K, u64> = HashMap::new();
    for (k, n) in pairs {
        *sums.entry(k).or_default() += n;
    }
    let mut out: Vec<(K, u64)> = sums.into_iter().filter(|p| p.1 > 0).collect();
    out.sort_unstable_by_key(|p| p.0);
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
