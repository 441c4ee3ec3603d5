//! What the public role may see of a source: a fixed menu of filters (each measure or all ×
//! the study period, each calendar year and each month × all hours or the night-time
//! economy), with every count of every area disclosure-controlled once, at load, over the
//! whole menu (primary and secondary suppression, rounding). Tiles, GeoJSON and JSON all read
//! this one table, so the public numbers agree everywhere and no two answers can be
//! subtracted to reveal a suppressed count.
//!
//! A cell whose period includes a month no input file covers for the area is absent (no
//! data): never published, so it neither exposes nor protects another cell, and secondary
//! suppression runs over the published cells only.

use super::source::SourceData;
use crate::filter::Query;
use crate::values::Shown;
use rayon::prelude::*;
use safemap_results::disclosure::{DisclosureRule, Published};
use safemap_types::time::{HourMask, Month, MonthRange, NTE};
use std::collections::HashMap;

/// A published period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `all`, `2024` or `2024-06`.
    pub id: String,
    /// Its months.
    pub months: MonthRange,
}

/// A published time window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// `all` or `nte`.
    pub id: &'static str,
    /// `None`: every hour.
    pub mask: Option<HourMask>,
}

/// The published counts of one source.
#[derive(Debug, Clone)]
pub struct PublishedTable {
    /// Periods, broadest first.
    pub periods: Vec<Period>,
    /// Windows: `all`, then `nte` for sources with times of day.
    pub windows: Vec<Window>,
    /// Number of measure slots: `all`, then each measure.
    n_measure_slots: usize,
    n_areas: usize,
    /// `values[cell * n_areas + area]`, `SUPPRESSED` when withheld, `NO_DATA` when absent.
    values: Vec<u32>,
}

const SUPPRESSED: u32 = u32::MAX;
const NO_DATA: u32 = u32::MAX - 1;
const LARGEST: u32 = u32::MAX - 2;

/// A cell of the published table: measure slot (0 = all), period, window.
type TableCell = (usize, usize, usize);

impl PublishedTable {
    /// Builds and protects the table.
    pub fn build(source: &SourceData, n_areas: usize, rule: DisclosureRule) -> Self {
        let periods = periods(source.months);
        let mut windows = vec![Window {
            id: "all",
            mask: None,
        }];
        if source.has_timestamps {
            windows.push(Window {
                id: NTE.id,
                mask: Some(NTE.mask()),
            });
        }
        let n_slots = source.labels.len() + 1;
        let (n_periods, n_windows) = (periods.len(), windows.len());
        let cells: Vec<TableCell> = (0..n_slots)
            .flat_map(|m| (0..n_periods).flat_map(move |p| (0..n_windows).map(move |w| (m, p, w))))
            .collect();
        let ancestors = ancestors(&cells, &periods);
        let dense = Dense::build(source, n_areas, &windows);
        let per_area: Vec<Vec<Option<Published>>> = (0..n_areas)
            .into_par_iter()
            .map(|area| {
                let exact: Vec<u64> = cells
                    .iter()
                    .map(|&(m, p, w)| dense.sum(area, m, periods[p].months, w))
                    .collect();
                let period_absent: Vec<bool> = periods
                    .iter()
                    .map(|p| source.no_data(area as u32, p.months))
                    .collect();
                if !period_absent.contains(&true) {
                    return rule
                        .protect(&exact, &ancestors)
                        .into_iter()
                        .map(Some)
                        .collect();
                }
                let absent: Vec<bool> = cells.iter().map(|c| period_absent[c.1]).collect();
                let present_ancestors: Vec<Vec<usize>> = ancestors
                    .iter()
                    .map(|a| a.iter().copied().filter(|&c| !absent[c]).collect())
                    .collect();
                rule.protect(&exact, &present_ancestors)
                    .into_iter()
                    .zip(&absent)
                    .map(|(v, &gone)| (!gone).then_some(v))
                    .collect()
            })
            .collect();
        let mut values = vec![SUPPRESSED; cells.len() * n_areas];
        for (area, published) in per_area.iter().enumerate() {
            for (cell, v) in published.iter().enumerate() {
                values[cell * n_areas + area] = match v {
                    None => NO_DATA,
                    Some(Published::Suppressed) => SUPPRESSED,
                    Some(Published::Shown(n)) => u32::try_from(*n).unwrap_or(LARGEST).min(LARGEST),
                };
            }
        }
        Self {
            periods,
            windows,
            n_measure_slots: n_slots,
            n_areas,
            values,
        }
    }

    fn cell_index(&self, (m, p, w): TableCell) -> usize {
        (m * self.periods.len() + p) * self.windows.len() + w
    }

    /// The published cell a query asks for, if the public menu has it.
    pub fn cell_of(&self, q: &Query) -> Option<TableCell> {
        let m = q.measure.map_or(0, |m| usize::from(m) + 1);
        let p = self.periods.iter().position(|p| p.months == q.months)?;
        let w = self.windows.iter().position(|w| w.mask == q.window)?;
        (m < self.n_measure_slots).then_some((m, p, w))
    }

    /// The published counts of every area for a cell.
    pub fn counts(&self, cell: TableCell) -> Vec<Shown> {
        let start = self.cell_index(cell) * self.n_areas;
        self.values[start..start + self.n_areas]
            .iter()
            .map(|&v| shown(v))
            .collect()
    }

    /// The published count of one area.
    pub fn count(&self, cell: TableCell, area: usize) -> Shown {
        shown(self.values[self.cell_index(cell) * self.n_areas + area])
    }

    /// The period index of a single month, if published.
    pub fn month_period(&self, month: Month) -> Option<usize> {
        let single = MonthRange::single(month);
        self.periods.iter().position(|p| p.months == single)
    }
}

fn shown(v: u32) -> Shown {
    match v {
        SUPPRESSED => Shown::Suppressed,
        NO_DATA => Shown::NoData,
        n => Shown::Count(u64::from(n)),
    }
}

/// The study period, each calendar year and each month within it; duplicates dropped.
fn periods(span: MonthRange) -> Vec<Period> {
    let mut out = vec![Period {
        id: "all".into(),
        months: span,
    }];
    for months in span.years() {
        out.push(Period {
            id: months.from().year().to_string(),
            months,
        });
    }
    for m in span.iter() {
        out.push(Period {
            id: m.to_string(),
            months: MonthRange::single(m),
        });
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.months));
    out
}

/// Every strict superset of each cell within the menu.
fn ancestors(cells: &[TableCell], periods: &[Period]) -> Vec<Vec<usize>> {
    let index: HashMap<TableCell, usize> = cells.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    cells
        .iter()
        .map(|&(m, p, w)| {
            let ms = if m == 0 { vec![0] } else { vec![m, 0] };
            let ws = if w == 0 { vec![0] } else { vec![w, 0] };
            let ps: Vec<usize> = (0..periods.len())
                .filter(|&q| periods[q].months.includes(periods[p].months))
                .collect();
            let mut out = Vec::new();
            for &m2 in &ms {
                for &p2 in &ps {
                    for &w2 in &ws {
                        if (m2, p2, w2) != (m, p, w) {
                            out.push(index[&(m2, p2, w2)]);
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Exact counts by area × measure slot × month × window, with cumulative sums over months
/// so any period is two lookups.
struct Dense {
    n_slots: usize,
    n_months: usize,
    n_windows: usize,
    months: MonthRange,
    /// Cumulative counts: `cum[((area * n_slots + slot) * n_windows + w) * (n_months + 1) + k]`
    /// = events of months `0..k`.
    cum: Vec<u64>,
}

impl Dense {
    fn build(source: &SourceData, n_areas: usize, windows: &[Window]) -> Self {
        let months = source.months;
        let n_months = months.len();
        let n_slots = source.labels.len() + 1;
        let n_windows = windows.len();
        let stride = n_months + 1;
        let mut cum = vec![0_u64; n_areas * n_slots * n_windows * stride];
        let at = |area: usize, slot: usize, w: usize, month: Month| {
            ((area * n_slots + slot) * n_windows + w) * stride
                + month.since(months.from()) as usize
                + 1
        };
        let in_range = |m: Month| months.contains(m);
        for (measure, entries) in source.monthly.iter().enumerate() {
            let is_category = measure < source.n_categories;
            for e in entries.iter().filter(|e| in_range(e.month)) {
                let a = e.area as usize;
                cum[at(a, measure + 1, 0, e.month)] += u64::from(e.count);
                if is_category {
                    cum[at(a, 0, 0, e.month)] += u64::from(e.count);
                }
            }
        }
        for (w, window) in windows.iter().enumerate().skip(1) {
            let Some(mask) = window.mask else { continue };
            for (measure, entries) in source.hourly.iter().enumerate() {
                let is_category = measure < source.n_categories;
                for e in entries
                    .iter()
                    .filter(|e| in_range(e.month) && mask.contains(e.hour))
                {
                    let a = e.area as usize;
                    cum[at(a, measure + 1, w, e.month)] += u64::from(e.count);
                    if is_category {
                        cum[at(a, 0, w, e.month)] += u64::from(e.count);
                    }
                }
            }
        }
        for run in cum.chunks_mut(stride) {
            for k in 1..stride {
                run[k] += run[k - 1];
            }
        }
        Self {
            n_slots,
            n_months,
            n_windows,
            months,
            cum,
        }
    }

    fn sum(&self, area: usize, slot: usize, period: MonthRange, w: usize) -> u64 {
        let stride = self.n_months + 1;
        let base = ((area * self.n_slots + slot) * self.n_windows + w) * stride;
        let a = period.from().since(self.months.from()) as usize;
        let b = period.to().since(self.months.from()) as usize + 1;
        self.cum[base + b] - self.cum[base + a]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_the_whole_span_years_and_months_without_duplicates() {
        let m = |s: &str| Month::parse(s).unwrap();
        let r = |a: &str, b: &str| MonthRange::new(m(a), m(b)).unwrap();
        let p = periods(r("2023-11", "2024-02"));
        let ids: Vec<&str> = p.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["all", "2023", "2024", "2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(p[1].months, r("2023-11", "2023-12"), "clipped to the span");
        let one = periods(r("2019-01", "2019-01"));
        assert_eq!(one.len(), 1, "a one-month study publishes one period");
    }

    #[test]
    fn uncovered_periods_are_absent_and_protect_nothing() {
        use crate::dataset::Entry;
        use safemap_results::coverage::{Coverage, CoverageMethod};
        let jan = Month::new(2019, 1).unwrap();
        let r = |a: Month, b: Month| MonthRange::new(a, b).unwrap();
        let entry = |area: u32, month: Month, count: u32| Entry {
            area,
            month,
            hour: u8::MAX,
            count,
        };
        // Area 0: Jan 20, Feb 3, no file for March. Area 1: Jan 20, Feb 3, Mar 0, covered.
        let source = SourceData {
            name: "police".into(),
            sensitive: false,
            has_timestamps: false,
            labels: vec!["Burglary".into()],
            slugs: vec!["burglary".into()],
            n_categories: 1,
            months: r(jan, jan.plus(2)),
            monthly: vec![vec![
                entry(0, jan, 20),
                entry(0, jan.plus(1), 3),
                entry(1, jan, 20),
                entry(1, jan.plus(1), 3),
            ]],
            hourly: vec![Vec::new()],
            coverage: Coverage::with_gaps(
                CoverageMethod::ForceAreas,
                Some(r(jan, jan.plus(2))),
                2,
                &[(
                    0,
                    jan.plus(2),
                    "no police.uk file for Kent Police in 2019-03",
                )],
            ),
        };
        let rule = DisclosureRule {
            suppress_max: 7,
            round_to: 1,
        };
        let t = PublishedTable::build(&source, 2, rule);
        let period = |months| t.periods.iter().position(|p| p.months == months).unwrap();
        let (all, p_jan, p_feb, p_mar) = (
            period(r(jan, jan.plus(2))),
            period(r(jan, jan)),
            period(r(jan.plus(1), jan.plus(1))),
            period(r(jan.plus(2), jan.plus(2))),
        );
        let at = |p, area| t.count((0, p, 0), area);
        assert_eq!(at(all, 0), Shown::NoData);
        assert_eq!(at(p_mar, 0), Shown::NoData, "not zero");
        assert_eq!(at(p_feb, 0), Shown::Suppressed, "small");
        assert_eq!(
            at(p_jan, 0),
            Shown::Count(20),
            "the unpublished whole period exposes nothing"
        );
        // The covered area: the whole period (23) is shown, so January (23 - 3) is not.
        assert_eq!(at(all, 1), Shown::Count(23));
        assert_eq!(at(p_jan, 1), Shown::Suppressed);
        assert_eq!(at(p_mar, 1), Shown::Count(0));
        // Secondary suppression holds over what is published: no two shown nested cells of
        // an area differ by a small count.
        for area in 0..2 {
            for p in 0..t.periods.len() {
                for q in 0..t.periods.len() {
                    let (a, b) = (t.periods[p].months, t.periods[q].months);
                    let nested = b.includes(a) && p != q;
                    if let (true, Shown::Count(x), Shown::Count(y)) =
                        (nested, at(p, area), at(q, area))
                    {
                        assert!(!rule.is_small(y - x), "{area}: {a:?} {x} in {b:?} {y}");
                    }
                }
            }
        }
    }
}
