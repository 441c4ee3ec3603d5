//! How an evaluation picks the hotspots of a train period: Gi* hot classes at 95% or 99%
//! after the correction (on the areas, with the study's weights or an analysis's own
//! settings; on the cells, with the grid's distance band), or the top share of units.

use crate::analysis::{correction_name, run_one, statistic_name, LocalResult};
use crate::config::{
    getis_ord_statistic, AnalysisSection, CorrectionName, EvaluationSection, HotspotMethod,
    Statistic, Study, UnitKind, ValueKind,
};
use crate::grid::gi_star_hotspots;
use crate::results::StudyResults;
use safemap_stats::evaluation::TopShare;
use safemap_stats::{Confidence, HotspotClass};
use safemap_types::{MonthRange, Weights};
use serde_json::{json, Value};

/// Picks the hotspots of one kind of unit.
pub enum Selector<'a> {
    /// The top share of units by train-period events.
    TopShare(TopShare),
    /// Gi* (or the analysis's Gi statistic) on the areas, run as an `[[analysis]]` on the
    /// train months: areas without data for them are left out, as in every analysis.
    Areas {
        /// The study.
        study: &'a Study,
        /// The results (areas and source counts).
        results: &'a StudyResults,
        /// The analysis run on each train period (its `period` is replaced).
        analysis: AnalysisSection,
        /// The study's weights.
        weights: &'a Weights,
    },
    /// Gi* on the cells' counts, binary distance-band weights.
    Cells {
        /// The grid's weights.
        weights: &'a Weights,
        /// The correction of the classes.
        correction: CorrectionName,
    },
}

/// Whether a class counts as a hotspot: hot at 95% or 99%.
fn is_hot(class: Option<HotspotClass>) -> bool {
    matches!(
        class,
        Some(HotspotClass::Hot(Confidence::P95 | Confidence::P99))
    )
}

impl<'a> Selector<'a> {
    /// The selector of `section` for `kind`; `weights` are the study's (areas) or the
    /// grid's (cells), needed for Gi*.
    pub fn new(
        study: &'a Study,
        results: &'a StudyResults,
        section: &EvaluationSection,
        kind: UnitKind,
        weights: Option<&'a Weights>,
    ) -> Result<Self, String> {
        if section.hotspots == HotspotMethod::TopShare {
            let share = section.top_share.unwrap_or_default();
            return TopShare::new(share)
                .map(Selector::TopShare)
                .map_err(|e| e.to_string());
        }
        let weights = weights.ok_or_else(|| {
            format!(
                "Gi* on the {} needs spatial weights: add a [weights] table",
                kind.as_str()
            )
        })?;
        Ok(match kind {
            UnitKind::Grid => Selector::Cells {
                weights,
                correction: section.correction,
            },
            UnitKind::Areas => Selector::Areas {
                study,
                results,
                analysis: area_analysis(study, section),
                weights,
            },
        })
    }

    /// One flag per unit for the train months `train` (each unit's total in `counts`;
    /// `None` for a unit left out of the window, never flagged). Nothing is flagged when
    /// every unit has the same count (no train events, or no contrast to test).
    pub fn select(&self, train: MonthRange, counts: &[Option<u64>]) -> Result<Vec<bool>, String> {
        let mut with_data = counts.iter().flatten();
        let first = with_data.next();
        let flat = with_data.all(|c| Some(c) == first);
        match self {
            Selector::TopShare(top) => Ok(top.select(counts)),
            _ if flat => Ok(vec![false; counts.len()]),
            Selector::Cells {
                weights,
                correction,
            } => {
                let values: Vec<f64> = counts.iter().map(|c| c.unwrap_or(0) as f64).collect();
                let (_, classes) = gi_star_hotspots(&values, weights, 0, 0, *correction)
                    .map_err(|e| format!("Gi* on the cells of {train}: {e}"))?;
                Ok(classes.adjusted.iter().map(|c| is_hot(*c)).collect())
            }
            Selector::Areas {
                study,
                results,
                analysis,
                weights,
            } => {
                let section = AnalysisSection {
                    period: Some(train),
                    ..analysis.clone()
                };
                let result = run_one(study, &section, &results.areas, &results.sources, weights)
                    .map_err(|e| format!("hotspots of {train}: {e}"))?;
                let Some(classes) = result.local.iter().find_map(|l| match l {
                    LocalResult::GetisOrd(_, _, classes) => Some(classes),
                    LocalResult::Moran(..) => None,
                }) else {
                    return Err(format!(
                        "hotspots of {train}: the analysis ran no Gi statistic"
                    ));
                };
                Ok(result
                    .analysed
                    .iter()
                    .map(|row| row.is_some_and(|r| is_hot(classes.adjusted[r])))
                    .collect())
            }
        }
    }

    /// What the selector does, for `evaluation.json`.
    pub fn describe(&self, section: &EvaluationSection) -> Value {
        let classes = json!(["hot_95", "hot_99"]);
        match self {
            Selector::TopShare(top) => json!({
                "method": "top_share",
                "share": top.share(),
                "rule": "ceil(share x units with data) units with the most train-period events; ties: the unit that comes first; a unit without events is never flagged",
            }),
            Selector::Cells { correction, .. } => json!({
                "method": "gi_star",
                "statistic": "gi_star",
                "value": "count",
                "weights": "binary distance band between cell centres (grid.threshold_m), self included",
                "classes": classes,
                "class_p_value": "two-sided analytic p of z",
                "correction": correction_name(*correction),
            }),
            Selector::Areas { analysis, .. } => json!({
                "method": "gi_star",
                "analysis": section.analysis,
                "statistic": analysis.statistics.first().map(|s| statistic_name(*s)),
                "value": analysis.value,
                "weights": "the study's [weights]",
                "classes": classes,
                "class_p_value": "two-sided analytic p of z",
                "correction": correction_name(analysis.correction),
                "areas_without_data": "left out, the weights restricted to the areas with data (as every analysis)",
            }),
        }
    }
}

/// The analysis run on each train period: the named analysis with its first Gi/Gi*
/// statistic, or Gi* on the counts of the evaluation's source and measure; analytic p
/// only (no permutations: the classes do not use them).
fn area_analysis(study: &Study, section: &EvaluationSection) -> AnalysisSection {
    match section.analysis_section(study) {
        Some(a) => AnalysisSection {
            statistics: getis_ord_statistic(a).into_iter().collect(),
            value: Some(a.value.unwrap_or(ValueKind::Rate)),
            permutations: 0,
            ..a.clone()
        },
        None => AnalysisSection {
            name: section.name.clone(),
            measure: None,
            source: section.source.clone(),
            category: section.category.clone(),
            period: None,
            window: None,
            value: Some(ValueKind::Count),
            denominator: None,
            rate_per: None,
            statistics: vec![Statistic::GiStar],
            permutations: 0,
            correction: section.correction,
            clamp_negative_prior: true,
        },
    }
}
