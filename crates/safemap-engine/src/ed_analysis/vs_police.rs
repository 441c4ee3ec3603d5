//! ED assaults against police-recorded violence per area: violence that does not reach the
//! police.
//!
//! For each area with data in both sources over the months both cover: `ed` ED assaults
//! (every location type) and `police` police events of one measure (violence with injury,
//! or violence and sexual offences where that is all the data has), the ratio `ed / police`
//! and the ED share `ed / (ed + police)`. The study-wide share `p` is the sum of `ed` over
//! the sum of `ed + police` over those areas. An area's share is tested against `p` with the
//! exact one-sided binomial test ([`safemap_stats::share_above`]: P(X ≥ ed) for
//! X ~ Binomial(ed + police, p)); areas with no events of either kind are not tested.
//! The p-values of the tested areas are adjusted together with Benjamini-Hochberg at
//! `alpha`: an area is `high` when its p is at most the cut-off, else `not_significant`.

use crate::config::{EdVsPolice, Study};
use crate::error::EngineError;
use crate::results::{ColumnValue, SourceResult, StudyResults};
use safemap_results::columns::{ed_vs_police_column, ED_VS_POLICE_FIELDS};
use safemap_stats::{fdr_cutoff, share_above};
use safemap_types::MonthRange;
use serde_json::{json, Value};

/// The police measures tried, in order, when `category` is not given.
const DEFAULT_CATEGORIES: [&str; 2] = ["violence_with_injury", "violence_and_sexual_offences"];

/// The class of an area whose ED share is significantly above the study's.
pub const HIGH: &str = "high";
/// The class of a tested area whose ED share is not.
pub const NOT_SIGNIFICANT: &str = "not_significant";

/// The comparison's results, per area in area order.
#[derive(Debug, Clone)]
pub struct VsPolice {
    /// The sources and level compared.
    pub config: EdVsPolice,
    /// The police measure compared (its name as in the data).
    pub category: String,
    /// The months compared: those both sources cover.
    pub months: Option<MonthRange>,
    /// ED assaults (`None`: no data in one of the sources).
    pub ed: Vec<Option<u64>>,
    /// Police events of the measure.
    pub police: Vec<Option<u64>>,
    /// One-sided p-value (`None`: not tested).
    pub p: Vec<Option<f64>>,
    /// The study-wide ED share.
    pub study_share: Option<f64>,
    /// The Benjamini-Hochberg cut-off.
    pub cutoff: f64,
}

impl VsPolice {
    /// Compares the two sources of `config` in `results`.
    ///
    /// # Errors
    ///
    /// [`EngineError::Mapping`] naming `ed_vs_police.category` when the police source has
    /// no such category (or, by default, neither violence category).
    pub fn run(
        study: &Study,
        results: &StudyResults,
        config: EdVsPolice,
    ) -> Result<Self, EngineError> {
        let source = |key: &str, name: &str| {
            results
                .sources
                .iter()
                .find(|s| s.section.name == name)
                .ok_or_else(|| EngineError::Mapping {
                    path: study.file.clone(),
                    key: format!("ed_vs_police.{key}"),
                    message: format!("no source {name:?} in the results"),
                })
        };
        let (ed_src, police_src) = (source("ed", &config.ed)?, source("police", &config.police)?);
        let measure = police_measure(study, police_src, config.category.as_deref())?;
        let months = match (ed_src.months(study), police_src.months(study)) {
            (Some(a), Some(b)) => a.intersect(b),
            _ => None,
        };
        let n = results.areas.areas.len();
        let (mut ed, mut police) = (vec![None; n], vec![None; n]);
        if let Some(range) = months {
            let ed_counts = ed_src.counts.totals(None, Some(range));
            let police_counts = police_src.counts.totals(Some(measure as u16), Some(range));
            for i in 0..n {
                if ed_src.coverage.covers(i, Some(range))
                    && police_src.coverage.covers(i, Some(range))
                {
                    ed[i] = Some(ed_counts[i]);
                    police[i] = Some(police_counts[i]);
                }
            }
        }
        let (sum_ed, sum_all) = ed
            .iter()
            .zip(&police)
            .filter_map(|(e, p)| Some((e.as_ref()?, *e.as_ref()? + p.as_ref()?)))
            .fold((0_u64, 0_u64), |(a, b), (e, t)| (a + e, b + t));
        let study_share = (sum_all > 0).then(|| sum_ed as f64 / sum_all as f64);
        let p: Vec<Option<f64>> = ed
            .iter()
            .zip(&police)
            .map(|(e, q)| match (e, q, study_share) {
                (Some(e), Some(q), Some(s)) if e + q > 0 => share_above(*e, e + q, s),
                _ => None,
            })
            .collect();
        let tested: Vec<f64> = p.iter().flatten().copied().collect();
        let cutoff = fdr_cutoff(&tested, config.alpha).map_err(|e| EngineError::Mapping {
            path: study.file.clone(),
            key: "ed_vs_police.alpha".into(),
            message: e.to_string(),
        })?;
        Ok(VsPolice {
            category: police_src.measures[measure].clone(),
            config,
            months,
            ed,
            police,
            p,
            study_share,
            cutoff,
        })
    }

    /// The ED share of an area, `None` where it has no data or no events.
    pub fn share(&self, i: usize) -> Option<f64> {
        let (e, q) = (self.ed[i]?, self.police[i]?);
        (e + q > 0).then(|| e as f64 / (e + q) as f64)
    }

    /// The class of an area: [`HIGH`], [`NOT_SIGNIFICANT`], or `None` when not tested.
    pub fn class(&self, i: usize) -> Option<&'static str> {
        self.p[i].map(|p| {
            if p <= self.cutoff {
                HIGH
            } else {
                NOT_SIGNIFICANT
            }
        })
    }

    /// The area columns, named by [`ed_vs_police_column`] in [`ED_VS_POLICE_FIELDS`]
    /// order. Analyst only: they hold exact ED counts, and a share beside the public police
    /// count gives the ED count back.
    pub fn area_columns(&self) -> Vec<(String, Vec<ColumnValue>)> {
        let n = self.ed.len();
        let count = |v: Option<u64>| v.map_or(ColumnValue::Number(None), ColumnValue::Count);
        let values = |field: &str| -> Vec<ColumnValue> {
            (0..n)
                .map(|i| match field {
                    "ed_assaults" => count(self.ed[i]),
                    "police_violence" => count(self.police[i]),
                    "ratio" => ColumnValue::Number(match (self.ed[i], self.police[i]) {
                        (Some(e), Some(q)) if q > 0 => Some(e as f64 / q as f64),
                        _ => None,
                    }),
                    "ed_share" => ColumnValue::Number(self.share(i)),
                    "ed_share_p" => ColumnValue::Number(self.p[i]),
                    _ => self.class(i).map_or(ColumnValue::Number(None), |c| {
                        ColumnValue::Text(c.to_string())
                    }),
                })
                .collect()
        };
        ED_VS_POLICE_FIELDS
            .iter()
            .map(|f| (ed_vs_police_column(f), values(f)))
            .collect()
    }

    /// `manifest.ed_vs_police`: what was compared, the study-wide share and the cut-off.
    pub fn manifest(&self) -> Value {
        json!({
            "ed": self.config.ed,
            "police": self.config.police,
            "police_category": self.category,
            "months": self.months.map(|m| [m.from().to_string(), m.to().to_string()]),
            "study_share": self.study_share,
            "test": "exact one-sided binomial: P(X >= ed), X ~ Binomial(ed + police, study_share)",
            "correction": "fdr",
            "alpha": self.config.alpha,
            "fdr_cutoff": self.cutoff,
            "areas_tested": self.p.iter().flatten().count(),
            "areas_high": (0..self.p.len()).filter(|&i| self.class(i) == Some(HIGH)).count(),
            "columns": ED_VS_POLICE_FIELDS.map(ed_vs_police_column),
            "public": false,
        })
    }
}

/// The index of the police measure compared: `category` by slug or name, else the first of
/// [`DEFAULT_CATEGORIES`] the source has. Only categories (not flags) qualify.
fn police_measure(
    study: &Study,
    police: &SourceResult,
    category: Option<&str>,
) -> Result<usize, EngineError> {
    let n = police.counts.n_categories;
    let find = |want: &str| (0..n).find(|&i| police.slugs[i] == want || police.measures[i] == want);
    let found = match category {
        Some(c) => find(c),
        None => DEFAULT_CATEGORIES.iter().find_map(|c| find(c)),
    };
    found.ok_or_else(|| EngineError::Mapping {
        path: study.file.clone(),
        key: "ed_vs_police.category".into(),
        message: format!(
            "{} is not a category of source {:?}; expected one of: {}",
            category.map_or_else(
                || format!(
                    "neither of {} (the defaults)",
                    DEFAULT_CATEGORIES.join(", ")
                ),
                |c| format!("{c:?}")
            ),
            police.section.name,
            police.slugs[..n].join(", ")
        ),
    })
}
