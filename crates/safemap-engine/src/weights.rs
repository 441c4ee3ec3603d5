//! The study's spatial weights, built from the `[weights]` table.

use crate::areas::AreaTable;
use crate::config::{Study, WeightsKind};
use crate::error::EngineError;
use geo_types::MultiPolygon;
use safemap_geo::weights::{
    contiguity_weights, distance_band_weights, knn_weights, representative_points, Contiguity,
    ContiguityParams, DistanceBandParams, KnnParams, RepresentativePoint,
};
use safemap_ingest::weights_file::{read_gal, read_gwt};
use safemap_types::Weights;
use serde::Serialize;

/// What the manifest says about the weights.
#[derive(Debug, Clone, Serialize)]
pub struct WeightsSummary {
    /// `queen`, `rook`, `distance_band`, `knn` or `file`.
    pub kind: WeightsKind,
    /// Number of areas.
    pub n: usize,
    /// Mean number of neighbours.
    pub mean_neighbours: f64,
    /// Codes of areas without neighbours.
    pub islands: Vec<String>,
    /// Number of connected components.
    pub components: usize,
    /// Whether `w_ij = w_ji` everywhere.
    pub symmetric: bool,
}

/// Builds the weights named by `[weights]` over the study's areas (in area order).
pub fn build(study: &Study, areas: &AreaTable) -> Result<(Weights, WeightsSummary), EngineError> {
    let section = study
        .weights
        .as_ref()
        .ok_or_else(|| EngineError::Analysis {
            name: "weights".into(),
            message: "no [weights] table".into(),
        })?;
    let err = |message: String| EngineError::Analysis {
        name: "weights".into(),
        message,
    };
    let polygons: Vec<MultiPolygon<f64>> = areas.areas.iter().map(|a| a.geometry.clone()).collect();
    let centroids = || {
        representative_points(&polygons, RepresentativePoint::Centroid)
            .map_err(|e| err(e.to_string()))
    };
    let weights = match section.kind {
        WeightsKind::Queen | WeightsKind::Rook => {
            let kind = if section.kind == WeightsKind::Queen {
                Contiguity::Queen
            } else {
                Contiguity::Rook
            };
            let params = ContiguityParams::new(kind).tolerance(section.tolerance_m);
            contiguity_weights(&polygons, &params).map_err(|e| err(e.to_string()))?
        }
        WeightsKind::DistanceBand => {
            let params = DistanceBandParams::new(section.threshold_m.unwrap_or_default());
            distance_band_weights(&centroids()?, &params).map_err(|e| err(e.to_string()))?
        }
        WeightsKind::Knn => {
            let params = KnnParams::new(section.k.unwrap_or_default());
            knn_weights(&centroids()?, &params).map_err(|e| err(e.to_string()))?
        }
        WeightsKind::File => {
            let path = study.resolve(
                section
                    .path
                    .as_deref()
                    .unwrap_or_else(|| std::path::Path::new("")),
            );
            let ids: Vec<String> = areas.areas.iter().map(|a| a.code.clone()).collect();
            let is_gwt = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("gwt"));
            let read = if is_gwt {
                read_gwt(&path, Some(&ids))
            } else {
                read_gal(&path, Some(&ids))
            };
            read.map_err(|e| err(e.to_string()))?
        }
    };
    let n = weights.n();
    let summary = WeightsSummary {
        kind: section.kind,
        n,
        mean_neighbours: if n == 0 {
            0.0
        } else {
            weights.links() as f64 / n as f64
        },
        islands: weights
            .islands()
            .into_iter()
            .map(|i| areas.areas[i].code.clone())
            .collect(),
        components: weights.components().0,
        symmetric: weights.is_symmetric(),
    };
    Ok((weights, summary))
}
