//! The `[density]` surface: `density.asc` (ESRI ASCII grid in the working CRS, events per
//! km²; with the `gdal` feature also `density.tif`, see `density_tiff`) and `density.geojson`
//! (the cells at or above 10% of the peak as WGS84 polygons, for the map to draw without
//! contouring).

use crate::error::EngineError;
use crate::outputs::{cell_geometry, write_features, write_file};
use geo_types::{coord, Rect};
use safemap_stats::kde::KdeSurface;
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Share of the peak density below which cells are left out of `density.geojson`.
pub const GEOJSON_FLOOR: f64 = 0.10;

/// Writes `density.asc` and `density.geojson` into `dir`.
pub fn write(surface: &KdeSurface, planar: bool, dir: &Path) -> Result<(), EngineError> {
    let r = surface.raster;
    let (ncols, nrows, c) = (r.ncols(), r.nrows(), r.cell_size());
    write_file(&dir.join("density.asc"), |w| {
        writeln!(w, "ncols {ncols}\nnrows {nrows}")?;
        writeln!(w, "xllcorner {}\nyllcorner {}", r.x_min(), r.y_min())?;
        writeln!(w, "cellsize {c}\nNODATA_value -9999")?;
        // ESRI ASCII grids list rows from the north; the surface is stored from the south.
        for row in (0..nrows).rev() {
            let line: Vec<String> = surface.values[row * ncols..(row + 1) * ncols]
                .iter()
                .map(f64::to_string)
                .collect();
            writeln!(w, "{}", line.join(" "))?;
        }
        Ok(())
    })?;
    let peak = surface.values.iter().copied().fold(0.0_f64, f64::max);
    let cells = (0..nrows)
        .flat_map(|row| (0..ncols).map(move |col| (row, col)))
        .filter(|&(row, col)| {
            peak > 0.0 && surface.values[row * ncols + col] >= GEOJSON_FLOOR * peak
        });
    write_features(
        &dir.join("density.geojson"),
        cells.map(|(row, col)| {
            let x = r.x_min() + col as f64 * c;
            let y = r.y_min() + row as f64 * c;
            let square =
                Rect::new(coord! { x: x, y: y }, coord! { x: x + c, y: y + c }).to_polygon();
            json!({
                "type": "Feature",
                "properties": { "density_per_km2": surface.values[row * ncols + col] },
                "geometry": cell_geometry(&square, planar),
            })
        }),
    )
}
