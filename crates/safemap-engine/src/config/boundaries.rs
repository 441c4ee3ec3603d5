//! `[boundaries]`: the areas events are joined to.

use safemap_types::Crs;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[boundaries]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoundariesSection {
    /// GeoJSON (`.json`, `.geojson`, optionally `.gz`) or Shapefile (`.shp`); with the
    /// `gdal` feature, any vector format GDAL reads.
    pub path: PathBuf,
    /// Property holding the area code.
    pub id_field: String,
    /// Property holding the area name.
    pub name_field: Option<String>,
    /// CRS of the file when it does not declare one.
    pub crs: Option<Crs>,
    /// The layer to read from a file of several (a GeoPackage, say; `gdal` feature).
    pub layer: Option<String>,
    /// Which vintage of codes the areas are (e.g. `lsoa21`); tables of another vintage are
    /// converted through a `[[vintage_lookup]]`.
    pub vintage: Option<String>,
}
