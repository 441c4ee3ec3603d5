//! Writing a [`NationalWorkload`]'s events as Parquet (`events.parquet`), with polars: the
//! same events as `events.csv`, typed, for a study with `format = "events_parquet"` and the
//! same column mapping.

use crate::error::SynthError;
use crate::national::{NationalEvent, NationalWorkload};
use polars::prelude::{
    BooleanChunked, DataFrame, Float64Chunked, Int64Chunked, IntoColumn, NewChunkedArray,
    ParquetCompression, ParquetWriter, StringChunked, TimeUnit,
};
use rayon::prelude::*;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Chunks converted in parallel and written as one row group.
const CHUNKS_PER_GROUP: usize = 16;

impl NationalWorkload {
    /// Writes every event to `path` as Parquet (zstd), one row group per
    /// [`CHUNKS_PER_GROUP`] chunks, with the columns of [`crate::write::FORCE_HEADER`]:
    /// `incident_id` and `offence` as strings, `occurred_at` as a timestamp (milliseconds,
    /// no time zone), `easting` and `northing` as doubles rounded to 0.1 m as in the CSV,
    /// `domestic_abuse` as a boolean. Read through the CSV's mapping, the file gives the
    /// same events as [`Self::write_events_csv`]'s. Returns the number of events written.
    ///
    /// # Errors
    ///
    /// The file cannot be created or written.
    pub fn write_events_parquet(&self, path: &Path) -> Result<u64, SynthError> {
        let write_err = |e: polars::error::PolarsError| SynthError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        };
        let file = File::create(path).map_err(|source| SynthError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        let chunks: Vec<usize> = (0..self.chunks()).collect();
        // An empty workload still writes a file with the columns: one empty group.
        let groups: Vec<&[usize]> = match chunks.len() {
            0 => vec![&[]],
            _ => chunks.chunks(CHUNKS_PER_GROUP).collect(),
        };
        let mut sink = Some(BufWriter::new(file));
        let mut writer = None;
        for group in groups {
            let events: Vec<NationalEvent> =
                group.par_iter().flat_map_iter(|&c| self.chunk(c)).collect();
            let frame = frame(&events).map_err(write_err)?;
            if let Some(out) = sink.take() {
                let batched = ParquetWriter::new(out)
                    .with_compression(ParquetCompression::Zstd(None))
                    .batched(frame.schema())
                    .map_err(write_err)?;
                writer = Some(batched);
            }
            if let Some(w) = writer.as_mut() {
                w.write_batch(&frame).map_err(write_err)?;
            }
        }
        if let Some(w) = writer {
            w.finish().map_err(write_err)?;
        }
        Ok(self.params().events as u64)
    }
}

/// The events as a frame of the force extract's columns.
fn frame(events: &[NationalEvent]) -> polars::error::PolarsResult<DataFrame> {
    let tenth = |v: f64| (v * 10.0).round() / 10.0;
    let millis = |e: &NationalEvent| {
        let (y, mo, d, h, mi) = e.time;
        chrono::NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|day| day.and_hms_opt(h, mi, 0))
            .map(|t| t.and_utc().timestamp_millis())
    };
    DataFrame::new_infer_height(vec![
        StringChunked::from_iter_values(
            "incident_id".into(),
            events.iter().map(|e| format!("N{}", e.number)),
        )
        .into_column(),
        Int64Chunked::from_iter_options("occurred_at".into(), events.iter().map(millis))
            .into_datetime(TimeUnit::Milliseconds, None)
            .into_column(),
        Float64Chunked::from_iter_values("easting".into(), events.iter().map(|e| tenth(e.point.x)))
            .into_column(),
        Float64Chunked::from_iter_values(
            "northing".into(),
            events.iter().map(|e| tenth(e.point.y)),
        )
        .into_column(),
        StringChunked::from_iter_values(
            "offence".into(),
            events.iter().map(|e| e.offence.police_uk_category()),
        )
        .into_column(),
        BooleanChunked::from_iter_values(
            "domestic_abuse".into(),
            events.iter().map(|e| e.domestic_abuse),
        )
        .into_column(),
    ])
}
