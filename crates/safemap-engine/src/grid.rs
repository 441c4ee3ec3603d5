//! `[grid]`: events counted in square or hexagonal cells over the study area (cells outside
//! every area dropped), Gi* on the cells with binary distance-band weights between cell
//! centres, raw and corrected classes.

use crate::analysis::{correction, correction_name};
use crate::config::{CorrectionName, GridSection, GridShape, Study};
use crate::error::EngineError;
use crate::results::{SourceResult, StudyResults};
use crate::selection::Selection;
use geo_types::Polygon;
use safemap_geo::cells::{CellGrid, CellShape, GridCell, Lattice};
use safemap_geo::weights::{distance_band_weights, DistanceBandParams};
use safemap_stats::{
    getis_ord, hotspot_classes, Classes, GetisOrd, GetisOrdParams, GiVariant, HotspotClass,
    StatsError, Tail,
};
use safemap_types::weights::Transform;
use safemap_types::{Metres, Weights};

/// The grid, its counts and its Gi*.
pub struct GridResult {
    /// The settings.
    pub section: GridSection,
    /// Cell ids (`col_row`, or axial `q_r` for hexagons) and polygons, working CRS.
    pub cells: Vec<(String, Polygon<f64>)>,
    /// Selected events per cell.
    pub counts: Vec<u64>,
    /// Selected events in no kept cell.
    pub outside: u64,
    /// Gi* (binary distance-band weights, self included).
    pub gi_star: GetisOrd,
    /// Hotspot classes from the analytic p.
    pub classes: Classes<HotspotClass>,
}

/// Builds the grid named by `[grid]` and runs Gi* on its counts.
pub fn run(
    study: &Study,
    section: &GridSection,
    results: &StudyResults,
) -> Result<GridResult, EngineError> {
    let err = |message: String| EngineError::Analysis {
        name: "grid".into(),
        message,
    };
    let sources: &[SourceResult] = &results.sources;
    let selection = Selection::resolve(
        study,
        sources,
        &section.source,
        section.category.as_deref(),
        section.period,
    )
    .map_err(err)?;
    selection
        .require_full_coverage(&results.sources)
        .map_err(err)?;
    let Cells { grid, weights } = Cells::build(section, results).map_err(err)?;
    let tally = grid.aggregate(&selection.points(sources));
    let values: Vec<f64> = tally.counts.iter().map(|&c| c as f64).collect();
    let (gi_star, classes) = gi_star_hotspots(
        &values,
        &weights,
        crate::seeds::stream_seed(study.study.seed, crate::seeds::GRID_STREAM),
        section.permutations,
        section.correction,
    )
    .map_err(|e| err(e.to_string()))?;
    let cells = grid
        .cells()
        .iter()
        .enumerate()
        .map(|(i, c)| (cell_id(c), grid.polygon(i)))
        .collect();
    Ok(GridResult {
        section: section.clone(),
        cells,
        counts: tally.counts,
        outside: tally.outside,
        gi_star,
        classes,
    })
}

/// Gi* of `values` (binary weights, self included, folded-tail permutations) with its
/// hotspot classes from the analytic p, raw and after `correction`.
pub fn gi_star_hotspots(
    values: &[f64],
    weights: &Weights,
    seed: u64,
    permutations: usize,
    correction_name: CorrectionName,
) -> Result<(GetisOrd, Classes<HotspotClass>), StatsError> {
    let params = GetisOrdParams::new(GiVariant::GiStar, seed)
        .transform(Transform::Binary)
        .permutations(permutations)
        .tail(Tail::Folded);
    let gi_star = getis_ord(values, weights, params)?;
    let z: Vec<_> = gi_star.sites.iter().map(|s| s.map(|s| s.z)).collect();
    let p: Vec<_> = gi_star.sites.iter().map(|s| s.map(|s| s.p_norm)).collect();
    let classes = hotspot_classes(&z, &p, correction(correction_name))?;
    Ok((gi_star, classes))
}

/// The cells of `[grid]` over the study areas and their binary distance-band weights.
pub struct Cells {
    /// The cells (those over no area dropped).
    pub grid: CellGrid,
    /// Cells whose centres lie within `threshold_m` are neighbours.
    pub weights: Weights,
}

impl Cells {
    /// Lays the lattice of `section` over the study areas; the error says what is wrong.
    pub fn build(section: &GridSection, results: &StudyResults) -> Result<Self, String> {
        let shape = match section.shape {
            GridShape::Square => CellShape::Square,
            GridShape::Hexagon => CellShape::Hexagon,
        };
        let size = Metres::new(section.cell_size_m).map_err(|e| format!("cell_size_m: {e}"))?;
        let polygons: Vec<_> = results
            .areas
            .areas
            .iter()
            .map(|a| a.geometry.clone())
            .collect();
        let grid =
            CellGrid::new(Lattice::new(shape, size), &polygons).map_err(|e| e.to_string())?;
        let weights = distance_band_weights(
            &grid.centres(),
            &DistanceBandParams::new(section.threshold_m),
        )
        .map_err(|e| e.to_string())?;
        Ok(Self { grid, weights })
    }

    /// Each cell's id, in cell order.
    pub fn ids(&self) -> Vec<String> {
        self.grid.cells().iter().map(cell_id).collect()
    }
}

/// A cell's id: `col_row`, or axial `q_r` for hexagons.
fn cell_id(c: &GridCell) -> String {
    format!("{}_{}", c.id.col, c.id.row)
}

impl GridResult {
    /// Property names of `grid.geojson`, aligned with [`Self::properties`].
    pub fn columns(&self) -> Vec<String> {
        let corr = correction_name(self.section.correction);
        ["cell", "count", "gi_star_z", "gi_star_p", "gi_star_p_sim"]
            .map(String::from)
            .into_iter()
            .chain(safemap_results::columns::statistic_class_columns(
                "gi_star", corr,
            ))
            .collect()
    }

    /// Properties of cell `i`.
    pub fn properties(&self, i: usize) -> Vec<serde_json::Value> {
        let site = self.gi_star.sites[i];
        let class =
            |c: Option<HotspotClass>| c.map_or(serde_json::Value::Null, |c| c.as_str().into());
        vec![
            self.cells[i].0.clone().into(),
            self.counts[i].into(),
            site.map(|s| s.z).into(),
            site.map(|s| s.p_norm).into(),
            site.and_then(|s| s.p_sim).into(),
            class(self.classes.raw[i]),
            class(self.classes.adjusted[i]),
        ]
    }
}
