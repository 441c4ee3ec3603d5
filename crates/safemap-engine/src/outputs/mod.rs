//! Writers for the files a run leaves in its output directory.
//!
//! | file | writer |
//! |---|---|
//! | `areas.csv` | [`areas_csv`] |
//! | `areas.geojson` | [`areas_geojson`] |
//! | `counts.csv` | [`counts_csv`] (area × source × category × month) |
//! | `counts_by_hour.csv` | [`counts_by_hour_csv`] (… × weekday × hour, sources with times of day) |
//! | `coverage.csv` | [`coverage_csv`] (area × source × month cells no input file covers: no data) |
//! | `services.geojson` | [`services_geojson`] (the register without confidential services) |
//! | `rejects.csv` | [`rejects_csv`] |
//! | `manifest.json` | [`manifest`] |
//! | `grid.geojson` | [`grid_geojson`] (`[grid]` hotspot cells) |
//! | `density.asc`, `density.geojson` | [`density_files`] (`[density]` surface) |
//! | `density.tif` | `density_tiff` (`[density]` surface as a GeoTIFF; `gdal` feature) |
//! | `results.gpkg` | `geopackage` (every GeoJSON layer in one GeoPackage; `gdal` feature) |
//! | `evaluation.json` | [`evaluation_json`] (`[[evaluation]]` figures, analyst only) |
//! | `access.csv` | [`access_csv`] (`[access]`, `[need]`, `[gap]` per area and kind, analyst only) |
//! | `priority.csv` | [`priority_csv`] (`[priority]` ranking with its drivers, analyst only) |
//! | `candidate_sites.geojson` | [`candidate_sites_geojson`] (`[sites]`, analyst only) |
//! | `ed_summary.csv` | [`ed_summary_csv`] (ED figures per source, study-wide and per area, analyst only) |
//! | `comparison.csv` | [`comparison_csv`] (`[comparison]`: every partnership × category, ranks and the similar group) |
//! | `summary.csv`, `change.csv`, `hour_of_week.csv`, `emerging.geojson` | [`time_files`] (study summary and change, analyst only; hour-of-week profiles, analyst only; `[[emerging]]` classes) |

pub mod access_csv;
pub mod areas_csv;
pub mod areas_geojson;
pub mod candidate_sites_geojson;
pub mod comparison_csv;
pub mod counts_by_hour_csv;
pub mod counts_csv;
pub mod coverage_csv;
pub mod density_files;
#[cfg(feature = "gdal")]
pub mod density_tiff;
pub mod ed_summary_csv;
pub mod evaluation_json;
mod geometry_json;
#[cfg(feature = "gdal")]
pub mod geopackage;
pub mod grid_geojson;
pub mod manifest;
pub mod priority_csv;
pub mod rejects_csv;
pub mod services_geojson;
pub mod small_areas_geojson;
pub mod time_files;

use crate::error::EngineError;
pub(crate) use geometry_json::Rounded;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Creates `path` and hands a buffered writer to `body`, mapping I/O errors to the path.
pub(crate) fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), EngineError> {
    let io = |source| EngineError::Write {
        path: path.to_path_buf(),
        source,
    };
    let start = std::time::Instant::now();
    let mut w = BufWriter::new(File::create(path).map_err(io)?);
    body(&mut w).and_then(|()| w.flush()).map_err(io)?;
    tracing::debug!(
        file = %path.display(),
        ms = start.elapsed().as_millis(),
        "file written"
    );
    Ok(())
}

/// A working-CRS polygon as WGS84 GeoJSON: `None` for planar studies (no known relation to
/// WGS84) or a vertex outside the OSTN15 grid.
pub(crate) fn cell_geometry(
    polygon: &geo_types::Polygon<f64>,
    planar: bool,
) -> Option<Rounded<geo_types::MultiPolygon<f64>>> {
    if planar {
        return None;
    }
    let mp = geo_types::MultiPolygon(vec![polygon.clone()]);
    let wgs =
        safemap_geo::reproject::multipolygon_to_wgs84(&mp, safemap_types::Crs::BritishNationalGrid)
            .ok()?;
    Some(Rounded(wgs))
}

/// The text of a FeatureCollection before its first feature, between two, and after the last.
const COLLECTION: [&[u8]; 3] = [
    b"{\"type\":\"FeatureCollection\",\"features\":[\n",
    b",\n",
    b"\n]}\n",
];

/// Writes a FeatureCollection, one feature per item, streaming.
pub(crate) fn write_features(
    path: &Path,
    features: impl Iterator<Item = serde_json::Value>,
) -> Result<(), EngineError> {
    write_file(path, |w| {
        w.write_all(COLLECTION[0])?;
        for (i, f) in features.enumerate() {
            if i > 0 {
                w.write_all(COLLECTION[1])?;
            }
            serde_json::to_writer(&mut *w, &f)?;
        }
        w.write_all(COLLECTION[2])
    })
}

/// Writes a FeatureCollection of `n` features, feature `i` made by `feature(i)`: features
/// are made and serialised in parallel, a batch at a time, and written in order (the file
/// is the same for any thread count). For the big layers, such as 34,753 LSOAs.
pub(crate) fn write_features_indexed<T: serde::Serialize>(
    path: &Path,
    n: usize,
    feature: impl Fn(usize) -> T + Sync,
) -> Result<(), EngineError> {
    use rayon::prelude::*;
    /// Features per batch.
    const BATCH: usize = 1 << 12;
    write_file(path, |w| {
        w.write_all(COLLECTION[0])?;
        for start in (0..n).step_by(BATCH) {
            let texts = (start..(start + BATCH).min(n))
                .into_par_iter()
                .map(|i| serde_json::to_vec(&feature(i)))
                .collect::<Result<Vec<_>, _>>()?;
            for (k, text) in texts.iter().enumerate() {
                if start + k > 0 {
                    w.write_all(COLLECTION[1])?;
                }
                w.write_all(text)?;
            }
        }
        w.write_all(COLLECTION[2])
    })
}

/// Writes a CSV file of `header` and one record per item of `rows`, made by `record`.
/// Records are formatted in parallel, a batch at a time, and written in order: the file is
/// the same for any thread count, and memory holds one batch of text, not the file.
pub(crate) fn write_csv_rows<T: Sync>(
    path: &Path,
    header: &[&str],
    rows: impl Iterator<Item = T>,
    record: impl Fn(&T, &mut csv::Writer<Vec<u8>>) -> csv::Result<()> + Sync,
) -> Result<(), EngineError> {
    use rayon::prelude::*;
    /// Rows per formatting task, and tasks per batch.
    const CHUNK: usize = 1 << 15;
    const BATCH: usize = 32 * CHUNK;
    let mut rows = rows.peekable();
    write_file(path, |w| {
        let mut head = csv::Writer::from_writer(&mut *w);
        head.write_record(header).map_err(csv_error)?;
        head.flush()?;
        drop(head);
        while rows.peek().is_some() {
            let batch: Vec<T> = rows.by_ref().take(BATCH).collect();
            let texts: Vec<Vec<u8>> = batch
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut out = csv::WriterBuilder::new()
                        .has_headers(false)
                        .from_writer(Vec::new());
                    for row in chunk {
                        record(row, &mut out)?;
                    }
                    out.into_inner()
                        .map_err(|e| csv::Error::from(e.into_error()))
                })
                .collect::<csv::Result<_>>()
                .map_err(csv_error)?;
            for text in texts {
                w.write_all(&text)?;
            }
        }
        Ok(())
    })
}

/// A CSV writer over `w`; csv errors turned into I/O errors.
pub(crate) fn csv_error(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}
