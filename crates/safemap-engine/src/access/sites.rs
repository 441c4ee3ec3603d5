//! `[sites]`: new services of one kind placed at area centroids so as to cover the most
//! unmet need (maximal covering location). An area's unmet need is its residents times how
//! far its need index is above the high-need cut, when no service of the kind reaches it
//! within the coverage cost (straight-line metres): the neediest of the unserved weigh most.

use super::access_error;
use crate::config::SitesSection;
use crate::error::EngineError;
use crate::services::LocatedServices;
use geo_types::Coord;
use safemap_access::{covered, maximal_covering, CostMatrix, Mclp, MclpParams};
use safemap_geo::reproject::to_bng;

/// The chosen sites.
#[derive(Debug, Clone)]
pub struct SitesResult {
    /// The kind of the new services.
    pub kind: String,
    /// The coverage cost, metres.
    pub coverage_cost: f64,
    /// Per area its need weight: residents × (need − high-need cut) in a high-need area,
    /// else 0 (whether or not a service already reaches it).
    pub need_weight: Vec<f64>,
    /// The solution; candidate `k` is area `k`'s demand point.
    pub mclp: Mclp,
}

/// Chooses the sites of `section`.
pub fn run(
    section: &SitesSection,
    demand: &[Coord<f64>],
    population: &[f64],
    above_cut: &[Option<f64>],
    services: &LocatedServices,
) -> Result<SitesResult, EngineError> {
    let existing: Vec<Coord<f64>> = services
        .services
        .iter()
        .filter(|(s, _)| s.kind.as_str() == section.kind)
        .filter_map(|(s, _)| to_bng(s.point).ok())
        .collect();
    let reached = CostMatrix::straight_line(demand, &existing, section.coverage_cost)
        .and_then(|c| covered(&c, section.coverage_cost))
        .map_err(access_error("sites"))?;
    let need_weight: Vec<f64> = population
        .iter()
        .zip(above_cut)
        .map(|(&p, above)| above.map_or(0.0, |a| p * a))
        .collect();
    let candidates = CostMatrix::straight_line(demand, demand, section.coverage_cost)
        .map_err(access_error("sites"))?;
    let mclp = maximal_covering(
        &candidates,
        &need_weight,
        Some(&reached),
        &MclpParams::new(section.count, section.coverage_cost),
    )
    .map_err(access_error("sites"))?;
    Ok(SitesResult {
        kind: section.kind.clone(),
        coverage_cost: section.coverage_cost,
        need_weight,
        mclp,
    })
}
