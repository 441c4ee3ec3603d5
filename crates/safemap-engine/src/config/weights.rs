//! `[weights]`: the spatial neighbours every analysis uses.

use super::{ConfigError, Study};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[weights]`: the neighbours every analysis uses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsSection {
    /// `queen`, `rook`, `distance_band`, `knn` or `file` (GAL/GWT whose ids are area codes).
    pub kind: WeightsKind,
    /// Contiguity: polygons closer than this (metres) count as touching.
    #[serde(default)]
    pub tolerance_m: f64,
    /// Distance band: neighbours within this distance (metres) of the area's centroid.
    pub threshold_m: Option<f64>,
    /// k-nearest neighbours: how many.
    pub k: Option<usize>,
    /// File: the `.gal` or `.gwt`.
    pub path: Option<PathBuf>,
}

/// Kinds of spatial weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsKind {
    /// Polygons sharing a boundary point (within `tolerance_m`).
    Queen,
    /// Polygons sharing a boundary segment of positive length.
    Rook,
    /// Centroids within `threshold_m`.
    DistanceBand,
    /// The `k` nearest centroids.
    Knn,
    /// Read from `path`.
    File,
}

/// Checks that analyses have weights and that the weights have what their kind needs.
pub(super) fn check(study: &Study) -> Result<(), ConfigError> {
    if !study.analyses.is_empty() && study.weights.is_none() {
        return Err(study.invalid("weights", "(missing)", "analyses need a [weights] table (kind = \"queen\", \"rook\", \"distance_band\", \"knn\" or \"file\")"));
    }
    let Some(w) = &study.weights else {
        return Ok(());
    };
    let missing = match w.kind {
        WeightsKind::DistanceBand if w.threshold_m.is_none_or(|t| t.is_nan() || t <= 0.0) => {
            Some("threshold_m (a positive distance in metres)")
        }
        WeightsKind::Knn if w.k.is_none_or(|k| k == 0) => {
            Some("k (a positive number of neighbours)")
        }
        WeightsKind::File if w.path.is_none() => Some("path (a .gal or .gwt file)"),
        _ => None,
    };
    if let Some(what) = missing {
        return Err(study.invalid(
            "weights",
            format!("{:?}", w.kind),
            &format!("this kind needs {what}"),
        ));
    }
    if !(w.tolerance_m >= 0.0 && w.tolerance_m.is_finite()) {
        return Err(study.invalid(
            "weights.tolerance_m",
            w.tolerance_m,
            "expected a distance of 0 or more metres",
        ));
    }
    Ok(())
}
