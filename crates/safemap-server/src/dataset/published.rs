//! What the public role may see of a source, built once at load so that tiles, GeoJSON and
//! JSON all read one table and agree everywhere.
//!
//! - A **sensitive** source (domestic abuse, ED assaults) is published over a small menu: the
//!   whole study period, all hours and (when times of day are known) the night-time economy,
//!   for all events, each category and each flag. Each area's cells are protected by
//!   `DisclosureRule::protect_sensitive` (zero hidden like a small count, rounding, pairwise
//!   and audit-driven secondary suppression), so no hidden count can be narrowed below the
//!   protection width by combining public answers. Months, years and custom ranges are for
//!   the analyst role.
//! - A **non-sensitive** source (police.uk open data, which the police already publish
//!   crime by crime) is published exactly over the full menu: the study period, each
//!   calendar year and each month, all hours or the night-time economy.
//!
//! A cell whose period includes a month no input file covers for the area is absent (no
//! data): never published, so it neither exposes nor protects another cell.

use super::source::SourceData;
use crate::filter::Query;
use crate::values::Shown;
use rayon::prelude::*;
use safemap_results::disclosure::{DisclosureRule, Published};
use safemap_results::sensitive_table::AreaTable;
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
    /// Builds and protects the table; `nte` is the study's night-time-economy window.
    pub fn build(source: &SourceData, n_areas: usize, rule: DisclosureRule, nte: HourMask) -> Self {
        let periods = if source.sensitive {
            vec![Period {
                id: "all".into(),
                months: source.months,
            }]
        } else {
            periods(source.months)
        };
        let mut windows = vec![Window {
            id: "all",
            mask: None,
        }];
        if source.has_timestamps {
            windows.push(Window {
                id: NTE.id,
                mask: Some(nte),
            });
        }
        let n_slots = source.labels.len() + 1;
        let (n_periods, n_windows) = (periods.len(), windows.len());
        let cells: Vec<TableCell> = (0..n_slots)
            .flat_map(|m| (0..n_periods).flat_map(move |p| (0..n_windows).map(move |w| (m, p, w))))
            .collect();
        let ancestors = ancestors(&cells, &periods);
        let dense = Dense::build(source, n_areas, &windows);
        let atoms = source
            .sensitive
            .then(|| Atoms::new(source, &cells, &ancestors));
        let per_area: Vec<Vec<Option<Published>>> = (0..n_areas)
            .into_par_iter()
            .map(|area| {
                let absent: Vec<bool> = cells
                    .iter()
                    .map(|c| source.no_data(area as u32, periods[c.1].months))
                    .collect();
                let published: Vec<Published> = match &atoms {
                    Some(atoms) if !absent.contains(&true) => {
                        let table = atoms.table(&dense, area, source.months);
                        // The facts are the data's own, so the audit always has a solution;
                        // were it ever to fail, nothing of the area is shown.
                        rule.protect_sensitive(&table)
                            .unwrap_or_else(|_| vec![Published::Suppressed; cells.len()])
                    }
                    Some(_) => vec![Published::Suppressed; cells.len()],
                    None => cells
                        .iter()
                        .map(|&(m, p, w)| {
                            Published::Shown(dense.sum(area, m, periods[p].months, w))
                        })
                        .collect(),
                };
                published
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

/// How a sensitive source's published cells (whole period only) add up from atoms: each
/// category (or, with no categories, all events) and each flag, split into the
/// night-time-economy hours and the rest when the source has times of day.
struct Atoms {
    /// The measure slot of each group: categories (or slot 0), then flags.
    slots: Vec<usize>,
    /// Parts of the day: 1 (all hours) or 2 (night-time economy, the rest).
    parts: usize,
    cells: Vec<Vec<usize>>,
    nested: Vec<(Vec<usize>, Vec<usize>)>,
    ancestors: Vec<Vec<usize>>,
}

impl Atoms {
    fn new(source: &SourceData, cells: &[TableCell], ancestors: &[Vec<usize>]) -> Self {
        let k = source.n_categories;
        let n_flags = source.labels.len() - k;
        let category_slots: Vec<usize> = if k == 0 { vec![0] } else { (1..=k).collect() };
        let n_cat_groups = category_slots.len();
        let slots: Vec<usize> = category_slots
            .into_iter()
            .chain((0..n_flags).map(|j| k + 1 + j))
            .collect();
        let parts = if source.has_timestamps { 2 } else { 1 };
        let atom = |g: usize, part: usize| g * parts + part;
        let cells = cells
            .iter()
            .map(|&(m, _, w)| {
                let groups: Vec<usize> = if m == 0 {
                    (0..n_cat_groups).collect()
                } else {
                    vec![slots.iter().position(|&s| s == m).unwrap_or(0)]
                };
                let day: Vec<usize> = if w == 0 {
                    (0..parts).collect()
                } else {
                    vec![0]
                };
                groups
                    .iter()
                    .flat_map(|&g| day.iter().map(move |&p| atom(g, p)))
                    .collect()
            })
            .collect();
        let nested = (n_cat_groups..slots.len())
            .flat_map(|g| {
                (0..parts).map(move |p| {
                    (
                        vec![atom(g, p)],
                        (0..n_cat_groups).map(|c| atom(c, p)).collect(),
                    )
                })
            })
            .collect();
        Self {
            slots,
            parts,
            cells,
            nested,
            ancestors: ancestors.to_vec(),
        }
    }

    /// The table of one area with its exact atoms.
    fn table(&self, dense: &Dense, area: usize, span: MonthRange) -> AreaTable {
        let atoms = self
            .slots
            .iter()
            .flat_map(|&slot| {
                let whole = dense.sum(area, slot, span, 0);
                if self.parts == 1 {
                    vec![whole]
                } else {
                    let night = dense.sum(area, slot, span, 1);
                    vec![night, whole - night]
                }
            })
            .collect();
        AreaTable {
            atoms,
            cells: self.cells.clone(),
            nested: self.nested.clone(),
            ancestors: self.ancestors.clone(),
        }
    }
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
    fn uncovered_periods_are_absent_open_sources_exact_sensitive_ones_protected() {
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
        let t = PublishedTable::build(&source, 2, rule, NTE.mask());
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
        // A non-sensitive source is published exactly.
        assert_eq!(at(p_feb, 0), Shown::Count(3));
        assert_eq!(at(p_jan, 0), Shown::Count(20));
        assert_eq!(at(all, 1), Shown::Count(23));
        assert_eq!(
            at(p_mar, 1),
            Shown::Count(0),
            "a covered month with no events"
        );
        // The same counts from a sensitive source: the whole period only, the uncovered
        // area absent, the covered one protected (23 shows as 25).
        let sensitive = SourceData {
            sensitive: true,
            ..source
        };
        let t = PublishedTable::build(
            &sensitive,
            2,
            DisclosureRule {
                suppress_max: 7,
                round_to: 5,
            },
            NTE.mask(),
        );
        assert_eq!(t.periods.len(), 1);
        assert_eq!(t.count((0, 0, 0), 0), Shown::NoData);
        assert_eq!(t.count((0, 0, 0), 1), Shown::Count(25));
    }
}
