//! `safemap export pmtiles`: the public layers as a PMTiles v3 archive.

use anyhow::Context as _;
use std::path::Path;

/// Writes the archive; returns the number of tiles.
pub fn pmtiles(
    results_dir: &Path,
    out: &Path,
    min_zoom: u8,
    max_zoom: u8,
    bbox: Option<[f64; 4]>,
) -> anyhow::Result<usize> {
    anyhow::ensure!(
        min_zoom <= max_zoom && max_zoom <= safemap_tiles::MAX_ZOOM,
        "zooms must satisfy min-zoom <= max-zoom <= {}",
        safemap_tiles::MAX_ZOOM
    );
    let data = safemap_server::dataset::load(results_dir)
        .with_context(|| format!("loading the results in {}", results_dir.display()))?;
    let tiles = safemap_server::export::public_tiles(&data, min_zoom, max_zoom, bbox)?;
    let n = tiles.len();
    let metadata = safemap_server::export::public_metadata(&data, min_zoom, max_zoom);
    let bounds = bbox.or(data.bounds).unwrap_or([-180.0, -85.0, 180.0, 85.0]);
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    safemap_tiles::write_pmtiles(std::io::BufWriter::new(file), tiles, &metadata, bounds)
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(n)
}

/// Parses `west,south,east,north`.
pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            format!("{s:?} is not a bounding box; expected west,south,east,north in degrees")
        })?;
    match v.as_slice() {
        [w, so, e, n] if w < e && so < n => Ok([*w, *so, *e, *n]),
        _ => Err(format!("{s:?} is not a bounding box; expected west,south,east,north with west < east and south < north")),
    }
}
