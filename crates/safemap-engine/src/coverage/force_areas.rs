//! Study areas assigned to police forces by a boundary file of police force areas: an area
//! belongs to the force area containing its interior point (the first in file order on a
//! shared edge), or, when none does (a generalised coastline, an estuary), to the nearest
//! one.

use crate::areas::AreaTable;
use crate::config::{CoverageSection, Study};
use crate::error::EngineError;
use geo_types::MultiPolygon;
use rayon::prelude::*;
use safemap_geo::best_fit::{best_fit, Fit};
use safemap_geo::reproject::multipolygon_to_bng;
use safemap_geo::AreaIndex;
use safemap_ingest::boundaries::{read_boundaries, BoundaryMapping};
use safemap_ingest::police_forces::force_slug;
use safemap_types::Crs;
use std::path::PathBuf;

/// One force area of the file.
#[derive(Debug, Clone)]
pub(super) struct ForceArea {
    /// Its name slugged as police.uk names forces (`Devon & Cornwall` → `devon-and-cornwall`).
    pub slug: String,
    /// Its name in the file.
    pub name: String,
}

/// Which force area each study area falls in.
#[derive(Debug, Clone)]
pub(super) struct ForceAreaAssignment {
    /// The file read.
    pub path: PathBuf,
    /// The force areas, in file order.
    pub forces: Vec<ForceArea>,
    /// Per study area, its force area (index into `forces`); `None` only for an area with
    /// no interior point (an empty geometry).
    pub area_force: Vec<Option<usize>>,
    /// Study areas whose interior point lies in no force area, given the nearest.
    pub by_nearest: usize,
}

/// Reads the force areas and assigns every study area to one.
pub(super) fn assign(
    study: &Study,
    source: &str,
    section: &CoverageSection,
    areas: &AreaTable,
) -> Result<ForceAreaAssignment, EngineError> {
    let path = study.resolve(&section.force_areas);
    let role = format!("source \"{source}\" coverage.force_areas");
    let mapping = BoundaryMapping {
        layer: None,
        id_field: section.id_field.clone(),
        name_field: Some(section.name_field.clone()),
        crs: None,
        value_fields: Vec::new(),
    };
    let set = read_boundaries(&path, &mapping, study.limits.input_limits())
        .map_err(|e| EngineError::ingest(&role, e))?;
    let planar = areas.boundary_crs == Crs::Planar;
    if planar != (set.crs == Crs::Planar) {
        return Err(EngineError::Coverage {
            name: source.to_string(),
            message: format!(
                "{}: the force areas are in {} but the study boundaries in {}; give both in the same CRS",
                path.display(),
                set.crs,
                areas.boundary_crs
            ),
        });
    }
    let polygons: Vec<MultiPolygon<f64>> = set
        .areas
        .par_iter()
        .map(|a| {
            if planar {
                Ok(a.geometry.clone())
            } else {
                multipolygon_to_bng(&a.geometry, set.crs).map_err(|e| EngineError::Coverage {
                    name: source.to_string(),
                    message: format!(
                        "{}: force area {} cannot be reprojected to British National Grid: {e}",
                        path.display(),
                        a.code
                    ),
                })
            }
        })
        .collect::<Result<_, _>>()?;
    let index = AreaIndex::new(&polygons);
    let small: Vec<MultiPolygon<f64>> = areas.areas.iter().map(|a| a.geometry.clone()).collect();
    let located: Vec<(Option<usize>, bool)> = best_fit(&small, &polygons, &index)
        .into_iter()
        .map(|f| (f.index(), matches!(f, Fit::Nearest(_))))
        .collect();
    Ok(ForceAreaAssignment {
        path,
        forces: set
            .areas
            .iter()
            .map(|a| ForceArea {
                slug: force_slug(&a.name),
                name: a.name.clone(),
            })
            .collect(),
        by_nearest: located.iter().filter(|(_, near)| *near).count(),
        area_force: located.into_iter().map(|(f, _)| f).collect(),
    })
}
