//! [`read_count_parquet`]: a count cube in Parquet files (one row per area, category and
//! month, with its number of events), as a distributed engine (Dask, Apache Sedona)
//! writes it from a `safemap export geoparquet` folder, read back as a source.
//!
//! Each row stands for `count` events of its category in its area and month: month
//! precision and no location, so the source is joined by its area codes (`join = "code"`).
//! The accounting counts those events: `read` is the events the rows stand for plus one
//! per rejected row, and `read == events + rejects` as for every reader. Columns are read
//! as [`crate::parquet_table`] says (a month column may be text or a date; a hive partition
//! such as `month=2019-01` in the path serves as a column).

use crate::datetime::TimeFormat;
use crate::parquet_table::ParquetTable;
use crate::source::{read_in_parallel, Collect, EventSink, FileEvents, FileOut, Problem, SinkFile};
use crate::{CategoryMapping, IngestError, InputLimits, SourceRead};
use safemap_types::{Crs, Event, EventTime, Flags, RejectReason, RowRef};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Which columns of a count cube hold what, as written in the study file.
///
/// ```
/// let m: safemap_ingest::CountMapping = serde_json::from_str(r#"{
///     "area_code": "area_code", "time": "month", "category": "category", "count": "n"
/// }"#).unwrap();
/// assert_eq!(m.time_format, "%Y-%m");
/// ```
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CountMapping {
    /// Column of the area code.
    pub area_code: String,
    /// Column of the month.
    pub time: String,
    /// chrono strftime format of `time`, with no time of day (default `"%Y-%m"`).
    #[serde(default = "month_format")]
    pub time_format: String,
    /// Column of the category.
    pub category: String,
    /// Column of the number of events (a whole number, 0 or more).
    pub count: String,
}

fn month_format() -> String {
    "%Y-%m".into()
}

/// What a count must be, for rejects.
const WHOLE_NUMBER: &str = "a whole number of events, 0 or more";

/// Reads count-cube Parquet files through `mapping` into one event per counted event.
///
/// A row is rejected, naming its column, for an empty area code (`MissingValue`), a month
/// that does not match `time_format` (`BadDate`), a count that is not a number
/// (`UnparsableNumber`) or not a whole number of 0 or more (`InvalidValue`), and a category
/// as [`CategoryMapping`] says, checked in that order.
///
/// # Errors
///
/// [`IngestError::BadTimeFormat`] for a format with a time of day (a cube is by month), and
/// the file errors of [`crate::event_parquet::read_event_parquet`].
pub fn read_count_parquet(
    files: &[PathBuf],
    mapping: &CountMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
) -> Result<SourceRead, IngestError> {
    read_count_parquet_into(files, mapping, categories, limits, &Collect).map(SourceRead::collected)
}

/// [`read_count_parquet`], handing the events to `sink` a chunk at a time.
///
/// # Errors
///
/// Those of [`read_count_parquet`].
pub fn read_count_parquet_into<S: EventSink>(
    files: &[PathBuf],
    mapping: &CountMapping,
    categories: &CategoryMapping,
    limits: InputLimits,
    sink: &S,
) -> Result<SourceRead<Vec<SinkFile<S::File>>>, IngestError> {
    let format = TimeFormat::new(&mapping.time_format)?;
    if format.has_time_of_day {
        return Err(IngestError::BadTimeFormat {
            format: mapping.time_format.clone(),
            problem: "a count cube is by month, so the format must have no time of day",
        });
    }
    // No event has a point: the CRS is never used.
    read_in_parallel(
        files,
        categories,
        (Crs::BritishNationalGrid, false),
        sink,
        |i, path, out| read_file(i, path, (mapping, &format), limits, out),
    )
}

fn read_file<S: EventSink>(
    index: u32,
    path: &Path,
    (m, format): (&CountMapping, &TimeFormat),
    limits: InputLimits,
    mut out: FileOut<'_, S>,
) -> Result<FileEvents<S::File>, IngestError> {
    let names = [&m.area_code, &m.time, &m.category, &m.count].map(String::as_str);
    let table = ParquetTable::read(path, &names, format, limits)?;
    let [code, time, category, count] = names.map(|n| table.index(n));
    let mut rejects = Vec::new();
    let mut read = 0;
    for row in 0..table.height {
        let line = row as u64 + 1;
        let text = |column| table.text(column, row);
        let mut cell = || -> Result<(Event, u64), Problem> {
            let area = text(code);
            if area.is_empty() {
                return Err(Problem::at(&m.area_code, "", RejectReason::MissingValue));
            }
            let month = text(time);
            let when: EventTime = format.parse(&month).ok_or_else(|| {
                let expected = format.text.clone();
                Problem::at(&m.time, &month, RejectReason::BadDate { expected })
            })?;
            let n = whole_number(&text(count), &m.count)?;
            let category = out.cats.resolve(&m.category, &text(category))?;
            let event = Event {
                origin: RowRef { file: index, line },
                point: None,
                area_code: Some(area.as_ref().into()),
                time: when,
                category,
                flags: Flags::empty(),
            };
            Ok((event, n))
        };
        match cell() {
            Ok((event, n)) => {
                read += n;
                for _ in 0..n {
                    out.push(event.clone());
                }
            }
            Err(problem) => {
                read += 1;
                rejects.push(problem.into_reject(path, line));
            }
        }
    }
    out.finish(path, rejects, read)
}

/// A count: a whole number of 0 or more (`3`, or `3.0` from a float column).
fn whole_number(text: &str, column: &str) -> Result<u64, Problem> {
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    match text.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.fract() == 0.0 && x < 2f64.powi(53) => Ok(x as u64),
        Ok(_) => Err(Problem::at(
            column,
            text,
            RejectReason::InvalidValue {
                expected: WHOLE_NUMBER.into(),
            },
        )),
        Err(_) => Err(Problem::at(column, text, RejectReason::UnparsableNumber)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{
        DataFrame, Float64Chunked, IntoColumn, NewChunkedArray, ParquetWriter, StringChunked,
    };

    #[test]
    fn rows_become_their_counts_of_events_and_bad_rows_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("month=2019-02");
        std::fs::create_dir(&part).unwrap();
        let path = part.join("part-0.parquet");
        let text = |name: &str, v: &[&str]| {
            StringChunked::from_iter_values(name.into(), v.iter().copied()).into_column()
        };
        let mut frame = DataFrame::new_infer_height(vec![
            text("area_code", &["E1", "E2", "", "E1", "E2"]),
            text(
                "category",
                &["burglary", "theft", "theft", "theft", "theft"],
            ),
            Float64Chunked::from_iter_values("n".into(), [3.0, 1.0, 2.0, 2.5, 0.0].into_iter())
                .into_column(),
        ])
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut frame)
            .unwrap();
        let m = CountMapping {
            area_code: "area_code".into(),
            time: "month".into(),
            time_format: month_format(),
            category: "category".into(),
            count: "n".into(),
        };
        // The row group declares more uncompressed data than a 16-byte limit: refused
        // before it is read, naming the file and the limit.
        let tight = InputLimits {
            max_decompressed_bytes: 16,
            ..InputLimits::default()
        };
        let err = read_count_parquet(
            std::slice::from_ref(&path),
            &m,
            &CategoryMapping::default(),
            tight,
        )
        .unwrap_err();
        assert!(
            matches!(&err, IngestError::TooLargeDecompressed { path: p, line: None, max: 16 } if *p == path),
            "{err}"
        );
        let got = read_count_parquet(
            &[path],
            &m,
            &CategoryMapping::default(),
            InputLimits::default(),
        )
        .unwrap();
        assert_eq!(got.events.len(), 4, "3 + 1 + 0 events");
        assert_eq!(got.read, 4 + 2, "the events and one per rejected row");
        assert!(!got.has_timestamps);
        assert_eq!(got.categories, ["burglary", "theft"]);
        assert!(got
            .events
            .iter()
            .all(|e| e.time == EventTime::month(2019, 2).unwrap()));
        assert_eq!(got.events[3].area_code.as_deref(), Some("E2"));
        let reasons: Vec<_> = got
            .rejects
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.column.clone().unwrap_or_default(),
                    r.reason.clone(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                (3, "area_code".to_string(), RejectReason::MissingValue),
                (
                    4,
                    "n".to_string(),
                    RejectReason::InvalidValue {
                        expected: WHOLE_NUMBER.into()
                    }
                ),
            ]
        );
    }
}
