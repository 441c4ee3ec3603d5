//! `candidate_sites.geojson`: the new sites `[sites]` chose, in the order of what each adds,
//! as WGS84 points at area centroids, with the unmet need covered before and after each.

use crate::access::{DemandPoints, SitesResult};
use crate::error::EngineError;
use crate::outputs::write_features;
use crate::results::StudyResults;
use safemap_access::MclpMethod;
use std::path::Path;

/// Decimal places of the coordinates (about 1 m).
const DECIMALS: i32 = 5;

/// Writes the sites; planar studies (no WGS84) get null geometries.
pub fn write(
    results: &StudyResults,
    demand: &DemandPoints,
    sites: &SitesResult,
    planar: bool,
    path: &Path,
) -> Result<(), EngineError> {
    let k = 10_f64.powi(DECIMALS);
    let round = |v: f64| (v * k).round() / k;
    let (method, bound) = match sites.mclp.method {
        MclpMethod::Exact => ("exact", None),
        MclpMethod::Greedy { optimum_at_most } => ("greedy", Some(optimum_at_most)),
    };
    let mut before = sites.mclp.covered_before;
    write_features(
        path,
        sites.mclp.steps.iter().enumerate().map(|(order, step)| {
            let area = &results.areas.areas[step.site];
            let p = demand.points[step.site];
            let geometry = (!planar)
                .then(|| safemap_geo::reproject::bng_to_wgs84(p).ok())
                .flatten()
                .map(|c| serde_json::json!({"type": "Point", "coordinates": [round(c.x), round(c.y)]}));
            let feature = serde_json::json!({
                "type": "Feature",
                "id": order,
                "properties": {
                    "order": order + 1,
                    "kind": sites.kind,
                    "area": area.code,
                    "area_name": area.name,
                    "coverage_cost_m": sites.coverage_cost,
                    "need_covered_before": before,
                    "need_added": step.gain,
                    "need_covered_after": step.covered_after,
                    "need_total": sites.mclp.total_weight,
                    "method": method,
                    "optimum_at_most": bound,
                },
                "geometry": geometry,
            });
            before = step.covered_after;
            feature
        }),
    )
}
