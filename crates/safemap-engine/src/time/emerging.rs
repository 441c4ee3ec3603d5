//! `[[emerging]]`: emerging hot spot analysis of a source's events on the study areas and,
//! when asked, on the cells of `[grid]`: a cube of counts (or rates) per location and whole
//! time slice, space-time Gi* ([`safemap_stats::space_time_gi_star`]) with `lags` previous
//! slices, significance corrected per slice, and the 17 classes
//! ([`safemap_stats::emerging`]).

use super::slices::whole_slices;
use crate::analysis::correction;
use crate::config::{CubeValue, EmergingSection, SignificanceName, Study};
use crate::grid::Cells;
use crate::results::StudyResults;
use crate::selection::Selection;
use geo_types::Polygon;
use safemap_stats::emerging::{emerging_hot_spots, EmergingLocation, Significance};
use safemap_stats::{space_time_gi_star, PermutationTest, Tail};
use safemap_types::{MonthRange, Weights};

/// The result of one `[[emerging]]` on one set of locations.
#[derive(Debug, Clone)]
pub struct EmergingResult {
    /// The section as written.
    pub section: EmergingSection,
    /// Slice labels, oldest first.
    pub slices: Vec<String>,
    /// Per study area; `None` for an area without data in some analysed month.
    pub areas: Vec<Option<EmergingLocation>>,
    /// Per grid cell (`[grid]` cells in order: id, working-CRS polygon, result), when
    /// `grid = true`.
    pub cells: Option<Vec<(String, Polygon<f64>, EmergingLocation)>>,
}

/// Runs one `[[emerging]]`; the error says what is wrong.
pub fn run(
    study: &Study,
    section: &EmergingSection,
    results: &StudyResults,
    weights: &Weights,
) -> Result<EmergingResult, String> {
    let sources = &results.sources;
    let selection = Selection::resolve(
        study,
        sources,
        &section.source,
        section.category.as_deref(),
        section.period,
    )?;
    let months = selection
        .months
        .or_else(|| sources[selection.source].months(study))
        .ok_or("the source has no events, so there is nothing to slice")?;
    let slices = whole_slices(months, section.slice);
    if slices.len() < 3 {
        return Err(format!(
            "{months} holds {} whole {:?} slices; a trend needs at least 3 (choose a shorter slice or a longer period)",
            slices.len(),
            section.slice
        ));
    }
    let span = MonthRange::new(slices[0].1.from(), slices[slices.len() - 1].1.to())
        .map_err(|e| e.to_string())?;
    let n = results.areas.areas.len();
    let covered = sources[selection.source].coverage.covered_areas(Some(span));
    let keep: Vec<usize> = (0..n).filter(|&i| covered[i]).collect();
    if keep.len() * 2 < n {
        return Err(format!(
            "only {} of {n} areas have data in every month of {span}; analyse months the input files cover",
            keep.len()
        ));
    }
    let by_month = selection.counts_by_month(sources, span);
    let base = study.source_rate_base(&section.source);
    let (per, denominators) = (base.per, results.areas.denominator(&base));
    let mut cube = vec![0.0; keep.len() * slices.len()];
    for (t, (_, range)) in slices.iter().enumerate() {
        for (row, &i) in keep.iter().enumerate() {
            let count: u64 = range
                .iter()
                .filter_map(|m| span.position(m))
                .map(|at| by_month[i * span.len() + at])
                .sum();
            cube[t * keep.len() + row] = match section.value {
                CubeValue::Count => count as f64,
                CubeValue::Rate => {
                    match denominators[i].filter(|p| *p > 0.0) {
                        Some(p) => count as f64 / p * per,
                        None => {
                            return Err(format!(
                                "area {} has no value of the denominator {:?}, so it has no rate; use value = \"count\" or give it one",
                                results.areas.areas[i].code,
                                base.name(),
                            ))
                        }
                    }
                }
            };
        }
    }
    let restricted;
    let w = if keep.len() == n {
        weights
    } else {
        restricted = weights.subset(&covered);
        &restricted
    };
    let located = classify(study, section, &cube, slices.len(), w)?;
    let mut areas = vec![None; n];
    for (&i, loc) in keep.iter().zip(located) {
        areas[i] = Some(loc);
    }
    let cells = if section.grid {
        Some(on_grid(study, section, results, &selection, &slices)?)
    } else {
        None
    };
    Ok(EmergingResult {
        section: section.clone(),
        slices: slices.into_iter().map(|s| s.0).collect(),
        areas,
        cells,
    })
}

/// The classes of every location of a slice-major cube.
fn classify(
    study: &Study,
    section: &EmergingSection,
    cube: &[f64],
    n_slices: usize,
    weights: &Weights,
) -> Result<Vec<EmergingLocation>, String> {
    let seed = crate::seeds::stream_seed(study.study.seed, &format!("emerging/{}", section.name));
    let test = PermutationTest::new(seed)
        .permutations(section.permutations)
        .tail(Tail::Folded);
    let st = space_time_gi_star(cube, n_slices, weights, section.lags, test)
        .map_err(|e| e.to_string())?;
    let significance = match section.significance {
        SignificanceName::Normal => Significance::Normal,
        SignificanceName::Permutation => Significance::Permutation,
    };
    emerging_hot_spots(
        &st,
        significance,
        section.alpha,
        correction(section.correction),
        section.trend_alpha,
    )
    .map_err(|e| e.to_string())
}

/// Counts per `[grid]` cell and slice, classified the same way.
fn on_grid(
    study: &Study,
    section: &EmergingSection,
    results: &StudyResults,
    selection: &Selection,
    slices: &[(String, MonthRange)],
) -> Result<Vec<(String, Polygon<f64>, EmergingLocation)>, String> {
    let grid_section = study.grid.as_ref().ok_or("no [grid] section")?;
    selection.require_full_coverage(&results.sources)?;
    let cells = Cells::build(grid_section, results)?;
    let n_cells = cells.grid.len();
    let mut cube = Vec::with_capacity(n_cells * slices.len());
    for (_, range) in slices {
        let points: Vec<_> = selection
            .events(&results.sources)
            .filter(|p| range.contains(p.month))
            .map(|p| p.xy)
            .collect();
        cube.extend(
            cells
                .grid
                .aggregate(&points)
                .counts
                .iter()
                .map(|&c| c as f64),
        );
    }
    let located = classify(study, section, &cube, slices.len(), &cells.weights)?;
    Ok(cells
        .ids()
        .into_iter()
        .zip(located)
        .enumerate()
        .map(|(i, (id, loc))| (id, cells.grid.polygon(i), loc))
        .collect())
}
