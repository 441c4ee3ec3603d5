//! [`ParquetTable`]: named columns of a Parquet file, read with polars, each given row by
//! row as the text a CSV of the same data would hold, so that Parquet readers apply the CSV
//! readers' rules unchanged.
//!
//! | column type | its text |
//! |---|---|
//! | string, categorical | the value, trimmed |
//! | float, integer | the number in shortest round-trip form (the same `f64` parsed back) |
//! | boolean | `true` / `false` (a flag) |
//! | timestamp, date | written with the reader's time format, so that the format decides the precision as for a CSV (a timestamp with a time zone is read in UTC) |
//! | null | empty |
//!
//! Any other column type (binary, lists, structs) is an [`IngestError::ParquetColumnType`].
//! A column that is not in the file but is a hive partition of its path
//! (`.../month=2019-01/part-0.parquet`, as Spark, Dask and `safemap export geoparquet`
//! write) has the partition's value in every row.

use crate::datetime::TimeFormat;
use crate::{IngestError, InputLimits};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use polars::prelude::{
    BooleanChunked, Column, DataType, Float64Chunked, Int32Chunked, Int64Chunked, ParquetReader,
    PolarsError, SerReader, StringChunked, TimeUnit,
};
use std::borrow::Cow;
use std::path::Path;

/// The wanted columns of one Parquet file.
pub(crate) struct ParquetTable<'f> {
    names: Vec<String>,
    columns: Vec<TextColumn<'f>>,
    /// Rows in the file.
    pub(crate) height: usize,
}

impl<'f> ParquetTable<'f> {
    /// Reads the columns `wanted` (each once, whatever the repeats) of `path`; timestamps and
    /// dates are written with `format`. The file's row groups may not declare more
    /// uncompressed data than `limits` allow a compressed file to expand to (checked before
    /// any is read).
    pub(crate) fn read(
        path: &Path,
        wanted: &[&str],
        format: &'f TimeFormat,
        limits: InputLimits,
    ) -> Result<Self, IngestError> {
        let polars = |source| IngestError::Parquet {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
        let compressed = file.metadata().map_err(|e| IngestError::io(path, e))?.len();
        let mut reader = ParquetReader::new(file);
        let declared: u64 = (reader.get_metadata().map_err(polars)?.row_groups.iter())
            .map(|g| g.total_byte_size() as u64)
            .sum();
        limits
            .check_expansion(declared, compressed)
            .map_err(|limit| IngestError::limit_passed(path, None, limit))?;
        let available: Vec<String> = reader
            .schema()
            .map_err(polars)?
            .iter_names()
            .map(ToString::to_string)
            .collect();
        let mut names: Vec<String> = Vec::new();
        for name in wanted {
            if !names.iter().any(|n| n == name) {
                names.push((*name).to_string());
            }
        }
        let mut in_file = Vec::new();
        let mut partitions = Vec::new();
        for name in &names {
            if available.contains(name) {
                in_file.push(name.clone());
            } else if let Some(value) = hive_partition(path, name) {
                partitions.push((name.clone(), value));
            } else {
                return Err(IngestError::MissingParquetColumn {
                    path: path.to_path_buf(),
                    column: name.clone(),
                    available: available.join(", "),
                });
            }
        }
        let frame = reader
            .with_columns(Some(in_file))
            .finish()
            .map_err(polars)?;
        let height = frame.height();
        let columns = names
            .iter()
            .map(|name| {
                if let Some((_, value)) = partitions.iter().find(|(n, _)| n == name) {
                    return Ok(TextColumn::Constant(value.clone()));
                }
                let column = frame.column(name).map_err(polars)?;
                TextColumn::new(column, format).map_err(|source| match source {
                    Some(source) => polars(source),
                    None => IngestError::ParquetColumnType {
                        path: path.to_path_buf(),
                        column: name.clone(),
                        dtype: column.dtype().to_string(),
                    },
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            names,
            columns,
            height,
        })
    }

    /// The position of a column [`ParquetTable::read`] was asked for.
    pub(crate) fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| n == name)
            .unwrap_or_default()
    }

    /// The text of column `column` in row `row`.
    pub(crate) fn text(&self, column: usize, row: usize) -> Cow<'_, str> {
        self.columns[column].text(row)
    }
}

/// The value of the hive partition `name=value` among the folders of `path`, if any.
fn hive_partition(path: &Path, name: &str) -> Option<String> {
    path.parent()?.components().rev().find_map(|c| {
        let (key, value) = c.as_os_str().to_str()?.split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

/// One column, kept in the form its text is made from.
enum TextColumn<'f> {
    Text(StringChunked),
    Float(Float64Chunked),
    Integer(Int64Chunked),
    Boolean(BooleanChunked),
    Timestamp(Int64Chunked, TimeUnit, &'f TimeFormat),
    Date(Int32Chunked, &'f TimeFormat),
    Constant(String),
}
impl<'f> TextColumn<'f> {
    /// `Err(None)` for a column type that has no text.
    fn new(column: &Column, format: &'f TimeFormat) -> Result<Self, Option<PolarsError>> {
        let series = column.as_materialized_series();
        let cast = |to: &DataType| series.cast(to).map_err(Some);
        Ok(match series.dtype() {
            DataType::String => Self::Text(series.str().map_err(Some)?.clone()),
            DataType::Boolean => Self::Boolean(series.bool().map_err(Some)?.clone()),
            DataType::Datetime(unit, _) => Self::Timestamp(
                cast(&DataType::Int64)?.i64().map_err(Some)?.clone(),
                *unit,
                format,
            ),
            DataType::Date => {
                Self::Date(cast(&DataType::Int32)?.i32().map_err(Some)?.clone(), format)
            }
            DataType::Categorical(..) | DataType::Enum(..) => {
                Self::Text(cast(&DataType::String)?.str().map_err(Some)?.clone())
            }
            t if t.is_float() => {
                Self::Float(cast(&DataType::Float64)?.f64().map_err(Some)?.clone())
            }
            t if t.is_integer() => {
                Self::Integer(cast(&DataType::Int64)?.i64().map_err(Some)?.clone())
            }
            _ => return Err(None),
        })
    }

    /// The text of row `row`, as a CSV of the same data would hold it.
    fn text(&self, row: usize) -> Cow<'_, str> {
        let owned = |s: Option<String>| Cow::Owned(s.unwrap_or_default());
        match self {
            Self::Text(c) => Cow::Borrowed(c.get(row).unwrap_or_default().trim()),
            Self::Float(c) => owned(c.get(row).map(|v| v.to_string())),
            Self::Integer(c) => owned(c.get(row).map(|v| v.to_string())),
            Self::Boolean(c) => Cow::Borrowed(match c.get(row) {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            }),
            Self::Timestamp(c, unit, format) => {
                owned(c.get(row).map(|v| {
                    timestamp(v, *unit).map_or_else(|| v.to_string(), |t| format.format(t))
                }))
            }
            Self::Date(c, format) => owned(c.get(row).map(|days| {
                NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map_or_else(|| days.to_string(), |t| format.format(t))
            })),
            Self::Constant(value) => Cow::Borrowed(value),
        }
    }
}

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A Parquet timestamp (UTC) as a date and time.
fn timestamp(value: i64, unit: TimeUnit) -> Option<NaiveDateTime> {
    match unit {
        TimeUnit::Milliseconds => DateTime::from_timestamp_millis(value),
        TimeUnit::Microseconds => DateTime::from_timestamp_micros(value),
        TimeUnit::Nanoseconds => Some(DateTime::from_timestamp_nanos(value)),
    }
    .map(|t| t.naive_utc())
}
