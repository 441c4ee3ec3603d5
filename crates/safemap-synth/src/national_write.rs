//! Writing a [`NationalWorkload`] as the files a study reads: `events.csv` in the force
//! extract's columns and `services.csv` in the register's.

use crate::error::SynthError;
use crate::national::{NationalEvent, NationalWorkload};
use crate::write::{FORCE_HEADER, SERVICES_HEADER};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Chunks formatted in parallel before they are written in order: bounds the memory to
/// about this many chunks of text (some 4 MB each).
const CHUNKS_IN_FLIGHT: usize = 16;

impl NationalWorkload {
    /// Writes every event to `path` as CSV with [`FORCE_HEADER`]: `N` plus the event number
    /// as the id, `occurred_at` as `%Y-%m-%d %H:%M`, easting and northing to 0.1 m, the
    /// data.police.uk crime type, and `yes`/`no`. Chunks are formatted in parallel and
    /// written in order, so the file is the same for any thread count. Returns the number
    /// of events written.
    ///
    /// # Errors
    ///
    /// The file cannot be created or written.
    pub fn write_events_csv(&self, path: &Path) -> Result<u64, SynthError> {
        let write_err = |source| SynthError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut out = BufWriter::new(File::create(path).map_err(write_err)?);
        writeln!(out, "{}", FORCE_HEADER.join(",")).map_err(write_err)?;
        let chunks: Vec<usize> = (0..self.chunks()).collect();
        for group in chunks.chunks(CHUNKS_IN_FLIGHT) {
            let texts: Vec<String> = group
                .par_iter()
                .map(|&c| format_events(&self.chunk(c)))
                .collect();
            for text in texts {
                out.write_all(text.as_bytes()).map_err(write_err)?;
            }
        }
        out.flush().map_err(write_err)?;
        Ok(self.params().events as u64)
    }

    /// Writes the services to `path` as CSV with [`SERVICES_HEADER`] (no tier, capacity 1,
    /// none confidential). Returns the number written.
    ///
    /// # Errors
    ///
    /// The file cannot be created or written.
    pub fn write_services_csv(&self, path: &Path) -> Result<u64, SynthError> {
        let mut text = SERVICES_HEADER.join(",");
        text.push('\n');
        let services = self.services();
        for s in &services {
            let _ = writeln!(
                text,
                "{},{},,{:.1},{:.1},1,no",
                s.name, s.kind, s.point.x, s.point.y
            );
        }
        std::fs::write(path, text).map_err(|source| SynthError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(services.len() as u64)
    }
}

/// The CSV lines of `events`.
fn format_events(events: &[NationalEvent]) -> String {
    let mut text = String::with_capacity(events.len() * 72);
    for e in events {
        let (y, mo, d, h, mi) = e.time;
        // Writing to a String cannot fail.
        let _ = writeln!(
            text,
            "N{},{y:04}-{mo:02}-{d:02} {h:02}:{mi:02},{:.1},{:.1},{},{}",
            e.number,
            e.point.x,
            e.point.y,
            e.offence.police_uk_category(),
            if e.domestic_abuse { "yes" } else { "no" },
        );
    }
    text
}
