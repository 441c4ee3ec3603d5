//! Spatial statistics on area values: what `[[analysis]]` tables ask for.
//!
//! Conventions (also written into the manifest):
//! - Global and Local Moran use row-standardised weights; Gi/Gi* use the weights the
//!   statistic names (binary or row-standardised).
//! - Gi/Gi* classes come from the two-sided analytic p-value; Local Moran classes from the
//!   conditional-permutation pseudo p-value (there is no analytic local p).
//! - Pseudo p-values use the folded tail, as esda's default: p = (M + 1) / (R + 1) with M
//!   the number of permuted statistics at least as extreme in the observed direction.
//! - Each area carries its raw class (hot/cold at 99/95/90%) and its class after the
//!   multiple-testing correction (Benjamini-Hochberg by default) side by side.
//! - Areas without data for the analysed period (no input file covers one of its months,
//!   see [`crate::coverage`]) are left out, as PySAL does with `w_subset`: the statistics
//!   run on the other areas with the weights restricted to them, so a neighbour without
//!   data is dropped (an area whose neighbours all lack data becomes an island). When fewer
//!   than half the areas have data the analysis is refused with a message naming the gaps.

use crate::areas::AreaTable;
use crate::config::{AnalysisSection, CorrectionName, MeasureKind, Statistic, Study, ValueKind};
use crate::coverage::Coverage;
use crate::error::EngineError;
use crate::results::SourceResult;
use crate::selection::Selection;
use safemap_stats::{
    cluster_classes, eb_standardised_rates, empirical_bayes, getis_ord, global_moran,
    hotspot_classes, local_moran, Classes, ClusterClass, Correction, EbParams, GetisOrd,
    GetisOrdParams, GiVariant, GlobalMoran, HotspotClass, LocalMoran, LocalMoranParams,
    MoranParams, Prior, Tail,
};
use safemap_types::weights::Transform;
use safemap_types::{MonthRange, Weights};

/// The local statistics of one analysis.
#[derive(Debug, Clone)]
pub enum LocalResult {
    /// Local Moran's I with its cluster classes.
    Moran(LocalMoran, Classes<ClusterClass>),
    /// Gi or Gi* with its hotspot classes.
    GetisOrd(Statistic, GetisOrd, Classes<HotspotClass>),
}

impl LocalResult {
    /// The statistic's name in column names and the manifest (`local_moran`, `gi_star`, ...).
    pub fn statistic(&self) -> &'static str {
        match self {
            Self::Moran(..) => statistic_name(Statistic::LocalMoran),
            Self::GetisOrd(s, ..) => statistic_name(*s),
        }
    }
}

/// Everything one `[[analysis]]` produced.
#[derive(Debug, Clone)]
pub struct AnalysisResult {
    /// The analysis as written in the study.
    pub section: AnalysisSection,
    /// The values analysed, one per analysed area.
    pub values: Vec<f64>,
    /// Per study area, its position in `values` and the statistics' site lists; `None` for
    /// an area without data for the analysed period, which is left out.
    pub analysed: Vec<Option<usize>>,
    /// Whether a negative EB prior variance was clamped at 0 (EB value kinds only).
    pub eb_clamped: Option<bool>,
    /// Global Moran's I, if asked for.
    pub global_moran: Option<GlobalMoran>,
    /// Local statistics, in the order asked for.
    pub local: Vec<LocalResult>,
}

/// A statistic's column prefix, e.g. `gi_star_rowstd`.
pub fn statistic_name(s: Statistic) -> &'static str {
    match s {
        Statistic::GlobalMoran => "global_moran",
        Statistic::LocalMoran => "local_moran",
        Statistic::GiStar => "gi_star",
        Statistic::GiStarRowstd => "gi_star_rowstd",
        Statistic::Gi => "gi",
        Statistic::GiRowstd => "gi_rowstd",
    }
}

/// The correction a study names.
pub fn correction(c: CorrectionName) -> Correction {
    match c {
        CorrectionName::Fdr => Correction::BenjaminiHochberg,
        CorrectionName::Bonferroni => Correction::Bonferroni,
    }
}

/// The correction's name in output columns, the manifest and the summary (`fdr`,
/// `bonferroni`): [`Correction::as_str`].
pub fn correction_name(c: CorrectionName) -> &'static str {
    correction(c).as_str()
}

/// Runs every `[[analysis]]` of the study.
pub fn run_analyses(
    study: &Study,
    areas: &AreaTable,
    sources: &[SourceResult],
    weights: &Weights,
) -> Result<Vec<AnalysisResult>, EngineError> {
    study
        .analyses
        .iter()
        .map(|a| run_one(study, a, areas, sources, weights))
        .collect()
}

/// Runs one `[[analysis]]` (an evaluation runs its analysis again on each train period).
pub(crate) fn run_one(
    study: &Study,
    section: &AnalysisSection,
    areas: &AreaTable,
    sources: &[SourceResult],
    weights: &Weights,
) -> Result<AnalysisResult, EngineError> {
    let err = |message: String| EngineError::Analysis {
        name: section.name.clone(),
        message,
    };
    let stats = |e: safemap_stats::StatsError| err(e.to_string());
    let (counts, populations, with_data) = inputs(study, section, areas, sources).map_err(err)?;
    let keep: Vec<usize> = (0..areas.areas.len())
        .filter(|&i| with_data.has(i))
        .collect();
    if keep.len() * 2 < areas.areas.len() {
        return Err(err(format!(
            "only {} of {} areas have data for the analysed months, too few to compare neighbours: {}; analyse months the input files cover, or name the force areas (coverage = {{ force_areas = ... }}) if areas are wrongly taken as uncovered",
            keep.len(),
            areas.areas.len(),
            with_data.gaps()
        )));
    }
    let restricted;
    let weights = if keep.len() == areas.areas.len() {
        weights
    } else {
        let mask: Vec<bool> = (0..areas.areas.len()).map(|i| with_data.has(i)).collect();
        restricted = weights.subset(&mask);
        &restricted
    };
    let counts: Vec<f64> = keep.iter().map(|&i| counts[i]).collect();
    let populations: Vec<f64> = keep.iter().map(|&i| populations[i]).collect();
    let mut analysed = vec![None; areas.areas.len()];
    for (row, &i) in keep.iter().enumerate() {
        analysed[i] = Some(row);
    }
    let per = study.analysis_rate_base(section).per;
    let eb_params = EbParams::new().clamp_negative_prior(section.clamp_negative_prior);
    let as_given = section.measure.as_ref().is_some_and(|m| {
        study
            .measures
            .iter()
            .any(|x| &x.name == m && x.kind == MeasureKind::Value)
    });
    let kind = if as_given {
        ValueKind::Count
    } else {
        section.value.unwrap_or(ValueKind::Rate)
    };
    let (values, eb_clamped): (Vec<Option<f64>>, Option<bool>) = match kind {
        ValueKind::Count => (counts.iter().map(|&c| Some(c)).collect(), None),
        ValueKind::Rate => (
            counts
                .iter()
                .zip(&populations)
                .map(|(&c, &p)| (p > 0.0).then(|| c / p * per))
                .collect(),
            None,
        ),
        ValueKind::EbRate | ValueKind::SpatialEbRate => {
            let prior = if kind == ValueKind::EbRate {
                Prior::Global
            } else {
                Prior::Spatial(weights)
            };
            let eb = empirical_bayes(&counts, &populations, prior, eb_params).map_err(stats)?;
            (
                eb.rates.iter().map(|r| r.map(|r| r * per)).collect(),
                Some(eb.clamped),
            )
        }
        ValueKind::EbStandardised => {
            let eb = eb_standardised_rates(&counts, &populations, eb_params).map_err(stats)?;
            (eb.values.clone(), Some(eb.clamped))
        }
    };
    let missing: Vec<&str> = values
        .iter()
        .zip(&keep)
        .filter(|(v, _)| v.is_none())
        .map(|(_, &i)| areas.areas[i].code.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(err(format!(
            "{} areas have no value (no usable population?): {}; give them a population or leave them out of the boundaries",
            missing.len(),
            missing.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        )));
    }
    let values: Vec<f64> = values.into_iter().flatten().collect();
    let correction = correction(section.correction);
    let seed = crate::seeds::stream_seed(study.study.seed, &section.name);
    let r = section.permutations;
    let mut result = AnalysisResult {
        section: section.clone(),
        values,
        analysed,
        eb_clamped,
        global_moran: None,
        local: Vec::new(),
    };
    for &statistic in &section.statistics {
        match statistic {
            Statistic::GlobalMoran => {
                let params = MoranParams::new(seed)
                    .transform(Transform::RowStandardised)
                    .permutations(r)
                    .tail(Tail::Folded);
                result.global_moran =
                    Some(global_moran(&result.values, weights, params).map_err(stats)?);
            }
            Statistic::LocalMoran => {
                let params = LocalMoranParams::new(seed)
                    .transform(Transform::RowStandardised)
                    .permutations(r)
                    .tail(Tail::Folded);
                let lm = local_moran(&result.values, weights, params).map_err(stats)?;
                let quadrants: Vec<_> = lm.sites.iter().map(|s| s.map(|s| s.quadrant)).collect();
                let p: Vec<_> = lm.sites.iter().map(|s| s.and_then(|s| s.p_sim)).collect();
                let classes = cluster_classes(&quadrants, &p, correction).map_err(stats)?;
                result.local.push(LocalResult::Moran(lm, classes));
            }
            Statistic::GiStar | Statistic::GiStarRowstd | Statistic::Gi | Statistic::GiRowstd => {
                let (variant, transform) = match statistic {
                    Statistic::GiStar => (GiVariant::GiStar, Transform::Binary),
                    Statistic::GiStarRowstd => (GiVariant::GiStar, Transform::RowStandardised),
                    Statistic::Gi => (GiVariant::Gi, Transform::Binary),
                    _ => (GiVariant::Gi, Transform::RowStandardised),
                };
                let params = GetisOrdParams::new(variant, seed)
                    .transform(transform)
                    .permutations(r)
                    .tail(Tail::Folded);
                let gi = getis_ord(&result.values, weights, params).map_err(stats)?;
                let z: Vec<_> = gi.sites.iter().map(|s| s.map(|s| s.z)).collect();
                let p: Vec<_> = gi.sites.iter().map(|s| s.map(|s| s.p_norm)).collect();
                let classes = hotspot_classes(&z, &p, correction).map_err(stats)?;
                result
                    .local
                    .push(LocalResult::GetisOrd(statistic, gi, classes));
            }
        }
    }
    Ok(result)
}

/// Which areas have data for an analysis.
enum WithData<'a> {
    /// Every area (a `[[measure]]`).
    All,
    /// The areas a source's coverage covers in every analysed month.
    Covered {
        coverage: &'a Coverage,
        mask: Vec<bool>,
        months: Option<MonthRange>,
    },
}

impl WithData<'_> {
    fn has(&self, i: usize) -> bool {
        match self {
            WithData::All => true,
            WithData::Covered { mask, .. } => mask[i],
        }
    }

    fn gaps(&self) -> String {
        match self {
            WithData::All => String::new(),
            WithData::Covered {
                coverage, months, ..
            } => coverage.describe(*months),
        }
    }
}

/// Counts (or measure values) and populations per area for one analysis, and which areas
/// have data.
fn inputs<'a>(
    study: &Study,
    section: &AnalysisSection,
    areas: &AreaTable,
    sources: &'a [SourceResult],
) -> Result<(Vec<f64>, Vec<f64>, WithData<'a>), String> {
    let populations: Vec<f64> = areas
        .denominator(&study.analysis_rate_base(section))
        .into_iter()
        .map(|p| p.unwrap_or(f64::NAN))
        .collect();
    if let Some(name) = &section.measure {
        let m = study
            .measures
            .iter()
            .position(|m| &m.name == name)
            .unwrap_or_default();
        let values = &areas.measures[m];
        if let Some(i) = values.iter().position(Option::is_none) {
            return Err(format!(
                "measure {name} has no value for area {}",
                areas.areas[i].code
            ));
        }
        let values: Vec<f64> = values.iter().flatten().copied().collect();
        return Ok((values, populations, WithData::All));
    }
    let selection = Selection::resolve(
        study,
        sources,
        section.source.as_deref().unwrap_or_default(),
        section.category.as_deref(),
        section.period,
    )?;
    let selection = match section.window {
        None => selection,
        Some(crate::config::WindowName::Nte) => {
            selection.within(sources, study.time.nte.mask()?, "nte")?
        }
    };
    let counts = selection
        .counts(sources)
        .into_iter()
        .map(|c| c as f64)
        .collect();
    let coverage = &sources[selection.source].coverage;
    let with_data = WithData::Covered {
        coverage,
        mask: coverage.covered_areas(selection.months),
        months: selection.months,
    };
    Ok((counts, populations, with_data))
}
