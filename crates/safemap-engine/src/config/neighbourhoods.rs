//! `[neighbourhoods]`: the coarser geography a study reports at (wards, MSOAs, local
//! authorities, partnerships or a council's own named neighbourhoods), built from the
//! small areas of `[boundaries]`.

use super::{ConfigError, Study, WeightsKind};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[neighbourhoods]`. Events are joined to the small areas of `[boundaries]`; every
/// output, analysis and the map's first view are at this level, each neighbourhood's counts,
/// population and deprivation being those of its small areas; the small areas themselves
/// are the `small_areas` layer the map shows when zoomed in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeighbourhoodsSection {
    /// What one is called, for people (`ward`, `neighbourhood`).
    pub label: String,
    /// Polygons of the neighbourhoods (GeoJSON or Shapefile). Without them each
    /// neighbourhood's polygon is the union of its small areas (a `lookup` is then needed).
    pub path: Option<PathBuf>,
    /// Property of `path` holding the neighbourhood's code.
    pub id_field: Option<String>,
    /// Property of `path` holding its name.
    pub name_field: Option<String>,
    /// Which neighbourhood each small area belongs to. Without it, best fit: the
    /// neighbourhood polygon that holds the small area's point on surface.
    pub lookup: Option<MembershipLookup>,
    /// Zoom level from which the map shows the small areas instead.
    #[serde(default = "default_switch_zoom")]
    pub switch_zoom: f64,
}

/// A lookup from small-area code to neighbourhood code and name (ONS's LSOA-to-ward file, or
/// the council's own list of its neighbourhoods).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipLookup {
    /// The CSV.
    pub path: PathBuf,
    /// Column of the small-area code.
    pub area_column: String,
    /// Column of the neighbourhood code.
    pub code_column: String,
    /// Column of the neighbourhood name.
    pub name_column: Option<String>,
}

fn default_switch_zoom() -> f64 {
    13.0
}

impl NeighbourhoodsSection {
    pub(super) fn check(&self, study: &Study) -> Result<(), ConfigError> {
        let key = |k: &str| format!("neighbourhoods.{k}");
        if self.path.is_none() && self.lookup.is_none() {
            return Err(study.invalid(
                &key("path"),
                "(none)",
                "give the neighbourhoods' polygons (path, id_field), a lookup from small areas to neighbourhoods, or both",
            ));
        }
        if self.path.is_some() && self.id_field.is_none() {
            return Err(study.invalid(
                &key("id_field"),
                "(none)",
                "name the property of the neighbourhood file that holds each neighbourhood's code",
            ));
        }
        if !(0.0..=22.0).contains(&self.switch_zoom) {
            return Err(study.invalid(
                &key("switch_zoom"),
                self.switch_zoom,
                "expected a map zoom level between 0 and 22",
            ));
        }
        if study
            .weights
            .as_ref()
            .is_some_and(|w| w.kind == WeightsKind::File)
        {
            return Err(study.invalid(
                "weights.kind",
                "\"file\"",
                "the analyses run on the neighbourhoods, whose neighbours a file of small-area neighbours does not give: use queen, rook, distance_band or knn",
            ));
        }
        Ok(())
    }
}
