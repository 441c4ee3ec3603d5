//! The study summary a needs assessment quotes: per source and measure, the events of the
//! summary period and of the period before, the percentage change and the rank of each
//! category (`summary.csv`); and every area's change in every measure (`change.csv`).

use super::change::{area_changes, AreaChange};
use crate::config::{CorrectionName, Study};
use crate::results::{SourceResult, StudyResults};
use safemap_types::MonthRange;

/// The summary period and the one it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryPeriods {
    /// The period reported.
    pub period: MonthRange,
    /// The period before it.
    pub previous: MonthRange,
}

impl SummaryPeriods {
    /// `[time] period` and `previous`, defaulting to the last 12 months of the study period
    /// (or of the months the sources span) and the 12 before them; `None` when no source has
    /// any month.
    pub fn of(study: &Study, results: &StudyResults) -> Option<Self> {
        let span = study.period.or_else(|| {
            let months = results.sources.iter().filter_map(|s| s.months(study));
            months.reduce(|a, b| {
                MonthRange::new(a.from().min(b.from()), a.to().max(b.to())).unwrap_or(a)
            })
        });
        let period = study.time.period.or_else(|| {
            let span = span?;
            MonthRange::new(span.to().plus(-11).max(span.from()), span.to()).ok()
        })?;
        let previous = study.time.previous.unwrap_or_else(|| period.previous());
        Some(Self { period, previous })
    }
}

/// One source and measure, study-wide.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag.
    pub measure: String,
    /// Events in the period (`None`: some area has no data in it).
    pub count: Option<u64>,
    /// Events in the previous period (`None`: some area has no data in it).
    pub previous: Option<u64>,
    /// Percentage change (per month when the periods differ in length).
    pub change_pct: Option<f64>,
    /// Rank of the category by its count in the period (1 = most events; categories only).
    pub rank: Option<usize>,
}

/// One source and measure per area.
#[derive(Debug, Clone)]
pub struct MeasureChange {
    /// The source.
    pub source: String,
    /// `all`, a category slug or a flag.
    pub measure: String,
    /// Per area, its count in the period (`None` without data then).
    pub counts: Vec<Option<u64>>,
    /// Per area, its change (`None` without data in either period).
    pub areas: Vec<Option<AreaChange>>,
    /// Each area's rank by its count in the period (1 = most), among areas with data.
    pub rank: Vec<Option<usize>>,
}

/// Per area counts of one measure in `months`, `None` where the area has no data.
fn counts_in(source: &SourceResult, measure: Option<u16>, months: MonthRange) -> Vec<Option<u64>> {
    let covered = source.coverage.covered_areas(Some(months));
    source
        .counts
        .totals(measure, Some(months))
        .into_iter()
        .zip(covered)
        .map(|(c, ok)| ok.then_some(c))
        .collect()
}

/// The measures of a source: `all`, then its slugs, with their measure index.
fn measures(source: &SourceResult) -> impl Iterator<Item = (String, Option<u16>)> + '_ {
    std::iter::once(("all".to_string(), None)).chain(
        source
            .slugs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), Some(i as u16))),
    )
}

/// The study-wide rows, per source in study order and measure in column order.
pub fn summary_rows(results: &StudyResults, periods: SummaryPeriods) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for s in &results.sources {
        let total = |counts: Vec<Option<u64>>| counts.into_iter().sum::<Option<u64>>();
        let mut block: Vec<SummaryRow> = measures(s)
            .map(|(name, m)| {
                let count = total(counts_in(s, m, periods.period));
                let previous = total(counts_in(s, m, periods.previous));
                SummaryRow {
                    source: s.section.name.clone(),
                    measure: name,
                    count,
                    previous,
                    change_pct: match (count, previous) {
                        (Some(c), Some(p)) if p > 0 => Some(
                            100.0
                                * ((c as f64 / periods.period.len() as f64)
                                    / (p as f64 / periods.previous.len() as f64)
                                    - 1.0),
                        ),
                        _ => None,
                    },
                    rank: None,
                }
            })
            .collect();
        let mut order: Vec<usize> = (1..=s.counts.n_categories).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(block[i].count.unwrap_or(0)));
        for (rank, i) in order.into_iter().enumerate() {
            block[i].rank = Some(rank + 1);
        }
        rows.extend(block);
    }
    rows
}

/// Every area's change in every measure of every source between the summary periods.
pub fn measure_changes(
    study: &Study,
    results: &StudyResults,
    periods: SummaryPeriods,
) -> Vec<MeasureChange> {
    let mut out = Vec::new();
    for s in &results.sources {
        let base = study.source_rate_base(&s.section.name);
        let populations = results.areas.denominator(&base);
        for (name, m) in measures(s) {
            let after = counts_in(s, m, periods.period);
            let before = counts_in(s, m, periods.previous);
            let areas = area_changes(
                &before,
                &after,
                (periods.previous.len(), periods.period.len()),
                &populations,
                base.per,
                0.05,
                CorrectionName::Fdr,
            );
            out.push(MeasureChange {
                source: s.section.name.clone(),
                measure: name,
                rank: ranks(&after),
                counts: after,
                areas,
            });
        }
    }
    out
}

/// Rank of each value, 1 for the largest; ties share the best rank; `None` stays `None`.
pub fn ranks(values: &[Option<u64>]) -> Vec<Option<usize>> {
    let mut sorted: Vec<u64> = values.iter().flatten().copied().collect();
    sorted.sort_unstable();
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            Some(1 + sorted.len() - sorted.partition_point(|&o| o <= v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties_and_skip_missing() {
        let r = ranks(&[Some(5), None, Some(9), Some(5), Some(0)]);
        assert_eq!(r, vec![Some(2), None, Some(1), Some(2), Some(4)]);
    }
}
