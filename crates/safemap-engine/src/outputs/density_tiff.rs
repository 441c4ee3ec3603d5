//! `density.tif` (the `gdal` feature): the `[density]` surface as a GeoTIFF of 64-bit floats,
//! events per km², in the working CRS (British National Grid, declared as EPSG:27700; a
//! planar study's has no CRS). The same cells as `density.asc`, north row first.

use crate::error::EngineError;
use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::DriverManager;
use safemap_stats::kde::KdeSurface;
use std::path::Path;

/// Writes `surface` to `path`.
pub fn write(surface: &KdeSurface, planar: bool, path: &Path) -> Result<(), EngineError> {
    let fail = |e: gdal::errors::GdalError| EngineError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let r = surface.raster;
    let (ncols, nrows, c) = (r.ncols(), r.nrows(), r.cell_size());
    let mut dataset = DriverManager::get_driver_by_name("GTiff")
        .and_then(|d| d.create_with_band_type::<f64, _>(path, ncols, nrows, 1))
        .map_err(fail)?;
    let y_max = r.y_min() + nrows as f64 * c;
    dataset
        .set_geo_transform(&[r.x_min(), c, 0.0, y_max, 0.0, -c])
        .map_err(fail)?;
    if !planar {
        let bng = SpatialRef::from_epsg(27700).map_err(fail)?;
        dataset.set_spatial_ref(&bng).map_err(fail)?;
    }
    // The surface is stored from the south; a GeoTIFF's rows run from the north.
    let north_first: Vec<f64> = (0..nrows)
        .rev()
        .flat_map(|row| {
            surface.values[row * ncols..(row + 1) * ncols]
                .iter()
                .copied()
        })
        .collect();
    dataset
        .rasterband(1)
        .and_then(|mut band| {
            band.write(
                (0, 0),
                (ncols, nrows),
                &mut Buffer::new((ncols, nrows), north_first),
            )
        })
        .map_err(fail)?;
    dataset.close().map_err(fail)
}
