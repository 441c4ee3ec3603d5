//! `services.geojson`: the service register as WGS84 points, **without** the confidential
//! services (refuges): their locations, ids and names are secret, so they never reach any
//! output file and the server can never show them. The manifest counts how many were
//! withheld. Each feature carries the register's `service_id`, the kind's slug and its label
//! (`kind_label`), tier and opening hours (`null` when the register has none), capacity and
//! the study area it lies in (`null` outside every area: the register keeps those).

use crate::areas::AreaTable;
use crate::error::EngineError;
use crate::outputs::write_features;
use crate::services::LocatedServices;
use safemap_types::{CheckedCoord, Crs, PreventionTier};
use std::path::Path;

/// Decimal places of service coordinates (about 1 m).
const DECIMALS: i32 = 5;

/// The WGS84 location of a service point; `None` when it cannot be reprojected.
fn wgs84(p: CheckedCoord) -> Option<(f64, f64)> {
    match p.crs() {
        Crs::Wgs84 => Some((p.x(), p.y())),
        Crs::BritishNationalGrid => safemap_geo::reproject::to_bng(p)
            .and_then(safemap_geo::reproject::bng_to_wgs84)
            .ok()
            .map(|c| (c.x, c.y)),
        _ => None,
    }
}

/// Writes the non-confidential services; returns how many confidential ones were left out.
/// Services without a WGS84 location (planar studies) get a null geometry.
pub fn write(
    services: &LocatedServices,
    areas: &AreaTable,
    path: &Path,
) -> Result<u64, EngineError> {
    let k = 10_f64.powi(DECIMALS);
    let round = |v: f64| (v * k).round() / k;
    let withheld = services
        .services
        .iter()
        .filter(|(s, _)| s.confidential)
        .count() as u64;
    write_features(
        path,
        services
            .services
            .iter()
            .filter(|(s, _)| !s.confidential)
            .enumerate()
            .map(|(i, (s, area))| {
                serde_json::json!({
                    "type": "Feature",
                    "id": i,
                    "properties": {
                        "service_id": s.id,
                        "name": s.name,
                        "kind": s.kind.as_str(),
                        "kind_label": s.kind.label(),
                        "tier": s.tier.map(PreventionTier::as_str),
                        "capacity": s.capacity,
                        "opening_hours": s.opening_hours,
                        "area": area.map(|a| areas.areas[a.0 as usize].code.as_str()),
                    },
                    "geometry": wgs84(s.point).map(|(x, y)| serde_json::json!({"type": "Point", "coordinates": [round(x), round(y)]})),
                })
            }),
    )?;
    Ok(withheld)
}
