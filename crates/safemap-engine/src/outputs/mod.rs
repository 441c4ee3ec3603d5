//! Writers for the files a run leaves in its output directory.
//!
//! | file | writer |
//! |---|---|
//! | `areas.csv` | [`areas_csv`] |
//! | `areas.geojson` | [`areas_geojson`] |
//! | `counts.csv` | [`counts_csv`] (area × source × category × month) |
//! | `rejects.csv` | [`rejects_csv`] |
//! | `manifest.json` | [`manifest`] |

pub mod areas_csv;
pub mod areas_geojson;
pub mod counts_csv;
pub mod manifest;
pub mod rejects_csv;

use crate::error::EngineError;
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
    let mut w = BufWriter::new(File::create(path).map_err(io)?);
    body(&mut w).and_then(|()| w.flush()).map_err(io)
}

/// A CSV writer over `w`; csv errors turned into I/O errors.
pub(crate) fn csv_error(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}
