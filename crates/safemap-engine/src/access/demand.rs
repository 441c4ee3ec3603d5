//! Demand points: each area's centroid in British National Grid (or the study's planar
//! metres), or the study's table of population-weighted centroids.

use crate::areas::AreaTable;
use crate::config::Study;
use crate::error::EngineError;
use geo_types::Coord;
use safemap_geo::reproject::to_bng;
use safemap_geo::weights::{representative_points, RepresentativePoint};
use safemap_ingest::centroids::{read_centroids, CentroidColumns};

/// Where each area's residents are taken to be.
#[derive(Debug, Clone)]
pub struct DemandPoints {
    /// One point per area, in area order.
    pub points: Vec<Coord<f64>>,
    /// `centroid` or the table's path.
    pub source: String,
    /// Areas the table has no usable row for, which keep their polygon centroid.
    pub centroid_fallbacks: Vec<String>,
}

/// The demand points of `[access]`.
pub fn demand_points(study: &Study, areas: &AreaTable) -> Result<DemandPoints, EngineError> {
    let polygons: Vec<_> = areas.areas.iter().map(|a| a.geometry.clone()).collect();
    let mut points =
        representative_points(&polygons, RepresentativePoint::Centroid).map_err(|e| {
            EngineError::Mapping {
                path: study.file.clone(),
                key: "access".into(),
                message: e.to_string(),
            }
        })?;
    let Some(section) = study.access.as_ref().and_then(|a| a.centroids.as_ref()) else {
        return Ok(DemandPoints {
            points,
            source: "centroid".into(),
            centroid_fallbacks: Vec::new(),
        });
    };
    let path = study.resolve(&section.path);
    let table = read_centroids(
        &path,
        &CentroidColumns {
            code_column: section.code_column.clone(),
            x_column: section.x_column.clone(),
            y_column: section.y_column.clone(),
            crs: section.crs,
        },
        study.limits.input_limits(),
    )
    .map_err(|source| EngineError::ingest("access.centroids", source))?;
    let mut centroid_fallbacks = Vec::new();
    for (i, a) in areas.areas.iter().enumerate() {
        match table.values.get(&a.code).map(|p| to_bng(*p)) {
            Some(Ok(p)) => points[i] = p,
            _ => centroid_fallbacks.push(a.code.clone()),
        }
    }
    Ok(DemandPoints {
        points,
        source: path.display().to_string(),
        centroid_fallbacks,
    })
}
