//! `[density]`: a kernel density surface of the selected events over the study area's
//! bounding box.

use crate::config::{DensitySection, KernelName, Study};
use crate::error::EngineError;
use crate::results::StudyResults;
use crate::selection::Selection;
use geo::BoundingRect;
use safemap_stats::kde::{
    kernel_density, Bandwidth, BandwidthRule, KdeParams, KdePoints, KdeSurface, Kernel, Metres,
    Raster,
};

/// Computes the surface named by `[density]`.
pub fn run(
    study: &Study,
    section: &DensitySection,
    results: &StudyResults,
) -> Result<KdeSurface, EngineError> {
    let err = |message: String| EngineError::Analysis {
        name: "density".into(),
        message,
    };
    let selection = Selection::resolve(
        study,
        &results.sources,
        &section.source,
        section.category.as_deref(),
        section.period,
    )
    .map_err(err)?;
    selection
        .require_full_coverage(&results.sources)
        .map_err(err)?;
    let points = selection.points(&results.sources);
    let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().map(|p| (p.x, p.y)).unzip();
    let rect = results
        .areas
        .areas
        .iter()
        .filter_map(|a| a.geometry.bounding_rect())
        .reduce(|a, b| {
            geo_types::Rect::new(
                geo_types::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo_types::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
        .ok_or_else(|| err("the study has no area with a usable polygon".into()))?;
    let raster = Raster::covering(
        rect.min().x,
        rect.min().y,
        rect.max().x,
        rect.max().y,
        section.cell_size_m,
    )
    .map_err(|e| err(e.to_string()))?;
    let kernel = match section.kernel {
        KernelName::Quartic => Kernel::Quartic,
        KernelName::Gaussian => Kernel::Gaussian,
    };
    let bandwidth = match section.bandwidth_m {
        Some(m) => Bandwidth::Fixed(Metres::new(m).map_err(|e| err(format!("bandwidth_m: {e}")))?),
        None => Bandwidth::Rule(BandwidthRule::SpatialSilverman),
    };
    let points = KdePoints::new(&xs, &ys).map_err(|e| err(e.to_string()))?;
    kernel_density(&points, &raster, &KdeParams::new(kernel, bandwidth))
        .map_err(|e| err(e.to_string()))
}
