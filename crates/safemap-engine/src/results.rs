//! The results model: per-area attributes of a finished run, in one table that every
//! writer (CSV, GeoJSON) and later the server read.

use crate::aggregate::SourceCounts;
use crate::analysis::{correction_name, AnalysisResult, LocalResult};
use crate::areas::AreaTable;
use crate::assign::Accounting;
use crate::config::{SourceSection, Study};
use crate::coverage::Coverage;
use crate::weights::WeightsSummary;
use safemap_results::columns::{analysis_column, class_columns, measure_columns};
pub use safemap_results::columns::{slugs, MEASURES};
use safemap_stats::AreaRate;
use safemap_stats::{ClusterClass, HotspotClass};
use safemap_types::MonthRange;

/// One value of the attribute table.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValue {
    /// Text (codes, names).
    Text(String),
    /// A count.
    Count(u64),
    /// A measurement; `None` when it cannot be computed (e.g. no population).
    Number(Option<f64>),
}

/// Everything computed for one source.
#[derive(Debug, Clone)]
pub struct SourceResult {
    /// The source's settings.
    pub section: SourceSection,
    /// The files read, in order (each real file once).
    pub files: Vec<std::path::PathBuf>,
    /// Measure names: the categories (as mapped, sorted), then `flag_domestic_abuse`,
    /// `flag_alcohol`, `flag_weapon` for the flags the source carries.
    pub measures: Vec<String>,
    /// Column-name slugs of the measures, same order.
    pub slugs: Vec<String>,
    /// Whether event times have a time of day.
    pub has_timestamps: bool,
    /// Counts.
    pub counts: SourceCounts,
    /// `rates[0]` for all categories together, then one per entry of `slugs`; per area.
    pub rates: Vec<Vec<AreaRate>>,
    /// Row accounting.
    pub accounting: Accounting,
    /// The flags counted as measures, in measure order after the categories.
    pub flags: Vec<safemap_types::Flags>,
    /// Locations of the joined events in covered cells, kept only when a grid or density
    /// surface uses this source.
    pub points: Vec<crate::selection::EventPoint>,
    /// Which (area, month) cells the source's files cover; counts and rates exist only for
    /// areas covered in every month of the span.
    pub coverage: Coverage,
}

impl SourceResult {
    /// The months the source's counts cover: the study period when it has one, else the
    /// months its coverage expects (for police.uk, the months its files are named for), else
    /// the first and last month with a joined event.
    pub fn months(&self, study: &Study) -> Option<MonthRange> {
        study
            .period
            .or(self.coverage.months)
            .or_else(|| MonthRange::spanning(self.counts.monthly.keys().map(|k| k.2)))
    }
}

/// The finished study.
pub struct StudyResults {
    /// Areas with geometry and denominators.
    pub areas: AreaTable,
    /// One result per `[[source]]`, in study order.
    pub sources: Vec<SourceResult>,
    /// The spatial weights, when the study has analyses.
    pub weights: Option<WeightsSummary>,
    /// One result per `[[analysis]]`, in study order.
    pub analyses: Vec<AnalysisResult>,
}

/// The area column of a `[[denominator]]`: `denominator_{name}`.
pub fn denominator_column(name: &str) -> String {
    format!("denominator_{name}")
}

impl StudyResults {
    /// Column names of the attribute table: `code, name, population, deprivation`, each
    /// `[[denominator]]` (`denominator_{name}`), then
    /// for each source and each of `all`, its categories and its flags,
    /// `{source}_{category}_{measure}`, and `{source}_coverage`, the share of the source's
    /// months in which some input file covers the area (below 1: the area has no data, and
    /// its measures are empty).
    pub fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = ["code", "name", "population", "deprivation"]
            .map(String::from)
            .to_vec();
        cols.extend(
            self.areas
                .denominators
                .iter()
                .map(|d| denominator_column(&d.name)),
        );
        for s in &self.sources {
            cols.extend(measure_columns(&s.section.name, &s.slugs));
            cols.push(format!("{}_coverage", s.section.name));
        }
        for a in &self.analyses {
            cols.extend(a.columns());
        }
        cols
    }

    /// The attribute row of area `i`, aligned with [`Self::columns`].
    pub fn row(&self, i: usize) -> Vec<ColumnValue> {
        let a = &self.areas.areas[i];
        let mut row = vec![
            ColumnValue::Text(a.code.clone()),
            ColumnValue::Text(a.name.clone()),
            ColumnValue::Number(a.population),
            ColumnValue::Number(a.deprivation),
        ];
        row.extend(
            self.areas
                .denominators
                .iter()
                .map(|d| ColumnValue::Number(d.values[i])),
        );
        for s in &self.sources {
            let has_data = s.coverage.covers(i, None);
            for r in s.rates.iter().map(|per_area| &per_area[i]) {
                if has_data {
                    row.extend([
                        ColumnValue::Count(r.count),
                        ColumnValue::Number(r.rate),
                        ColumnValue::Number(r.lower),
                        ColumnValue::Number(r.upper),
                        ColumnValue::Number(r.expected),
                        ColumnValue::Number(r.excess_risk),
                    ]);
                } else {
                    row.extend(MEASURES.map(|_| ColumnValue::Number(None)));
                }
            }
            row.push(ColumnValue::Number(Some(s.coverage.share(i))));
        }
        for a in &self.analyses {
            let Some(i) = a.analysed[i] else {
                // The value, then each statistic's fields and its two classes.
                let n_cells: usize = 1 + a
                    .local
                    .iter()
                    .map(|l| local_fields(l).len() + 2)
                    .sum::<usize>();
                row.extend((0..n_cells).map(|_| ColumnValue::Number(None)));
                continue;
            };
            row.push(ColumnValue::Number(Some(a.values[i])));
            for local in &a.local {
                let (raw, adjusted) = match local {
                    LocalResult::Moran(lm, classes) => {
                        let site = lm.sites[i];
                        row.extend([
                            ColumnValue::Number(site.map(|s| s.i)),
                            site.map_or(ColumnValue::Number(None), |s| {
                                ColumnValue::Count(u64::from(s.quadrant.code()))
                            }),
                            ColumnValue::Number(site.and_then(|s| s.p_sim)),
                        ]);
                        (
                            classes.raw[i].map(ClusterClass::as_str),
                            classes.adjusted[i].map(ClusterClass::as_str),
                        )
                    }
                    LocalResult::GetisOrd(_, gi, classes) => {
                        let site = gi.sites[i];
                        row.extend([
                            ColumnValue::Number(site.map(|s| s.g)),
                            ColumnValue::Number(site.map(|s| s.z)),
                            ColumnValue::Number(site.map(|s| s.p_norm)),
                            ColumnValue::Number(site.and_then(|s| s.p_sim)),
                        ]);
                        (
                            classes.raw[i].map(HotspotClass::as_str),
                            classes.adjusted[i].map(HotspotClass::as_str),
                        )
                    }
                };
                for class in [raw, adjusted] {
                    row.push(class.map_or(ColumnValue::Number(None), |c| {
                        ColumnValue::Text(c.to_string())
                    }));
                }
            }
        }
        row
    }
}

impl AnalysisResult {
    /// The analysis's columns of the attribute table: `{name}_value`, then per local
    /// statistic its fields and its two classes.
    pub fn columns(&self) -> Vec<String> {
        let name = &self.section.name;
        let mut cols = vec![format!("{name}_value")];
        let corr = correction_name(self.section.correction);
        for local in &self.local {
            let stat = local.statistic();
            cols.extend(
                local_fields(local)
                    .iter()
                    .map(|f| analysis_column(name, stat, f)),
            );
            cols.extend(class_columns(name, stat, corr));
        }
        cols
    }
}

/// A local statistic's per-area fields (its classes follow them).
fn local_fields(local: &LocalResult) -> &'static [&'static str] {
    match local {
        LocalResult::Moran(..) => &["i", "quadrant", "p_sim"],
        LocalResult::GetisOrd(..) => &["g", "z", "p", "p_sim"],
    }
}
