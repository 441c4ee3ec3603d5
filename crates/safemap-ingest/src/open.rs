//! Opening input files: transparent gzip (held to the [`InputLimits`]), UTF-8 byte-order
//! mark, CSV header handling and the row loop shared by every CSV reader.
//!
//! CSV files are read line by line with `csv-core` rather than polars: every row needs its
//! own line number and its own reject record, and a bad row (even one with a stray quote)
//! must not stop the file. [`Records`] splits the lines into records; see its module for
//! the rule.

use crate::csv_records::{Item, Records};
use crate::dialect::{CsvDialect, Encoding};
use crate::limits::Gunzip;
use crate::source::Problem;
use crate::{IngestError, InputLimits};
use csv::ByteRecord;
use rayon::prelude::*;
use safemap_types::{Reject, RejectReason};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// Rows read before a batch goes to [`CsvInput::for_each_row_parallel`]'s threads.
const BATCH_ROWS: usize = 1 << 16;

/// Rows of one task of [`CsvInput::for_each_row_parallel`].
const TASK_ROWS: usize = 1 << 12;

/// A boxed, buffered byte stream from an input file.
pub(crate) type Input = Box<dyn BufRead + Send>;

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Opens `path` for reading: gzip is detected by its magic bytes (so `.csv.gz` and
/// `.geojson.gz` need nothing special) and decompressed under `limits`, and a leading UTF-8
/// byte-order mark is dropped.
pub(crate) fn open_input(path: &Path, limits: InputLimits) -> Result<Input, IngestError> {
    let err = |e| read_error(path, None, e);
    let file = File::open(path).map_err(err)?;
    let mut buf = BufReader::with_capacity(1 << 17, file);
    let gz = buf.fill_buf().map_err(err)?.starts_with(&[0x1F, 0x8B]);
    let inner: Input = if gz {
        Box::new(BufReader::with_capacity(1 << 17, Gunzip::new(buf, limits)))
    } else {
        Box::new(buf)
    };
    skip_bom(inner).map_err(err)
}

/// Reads the whole (decompressed, BOM-less) file into memory, held to the decompressed-size
/// and expansion limits.
pub(crate) fn read_all(path: &Path, limits: InputLimits) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::with_capacity(expected_size(path, limits));
    open_input(path, limits)?
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, None, e))?;
    Ok(bytes)
}

/// The size `path` should read as, so [`read_all`] allocates once instead of doubling
/// (86 MB of national boundaries copied and faulted in again at each step): a gzip file's
/// trailer (its size modulo 4 GiB), else the file's length. Only a hint, and one a hostile
/// trailer cannot inflate: never more than the file may expand to under `limits`.
fn expected_size(path: &Path, limits: InputLimits) -> usize {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = File::open(path) else {
        return 0;
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut head = [0u8; 2];
    let gz = file.read_exact(&mut head).is_ok() && head == [0x1F, 0x8B];
    let mut tail = [0u8; 4];
    let size = if !gz {
        len
    } else if file.seek(SeekFrom::End(-4)).is_ok() && file.read_exact(&mut tail).is_ok() {
        u64::from(u32::from_le_bytes(tail))
            .min(len.saturating_mul(limits.max_expansion_ratio))
            .min(limits.max_decompressed_bytes)
    } else {
        0
    };
    usize::try_from(size).unwrap_or(0)
}

/// The error for `e`, met reading `path` (after `line`, for a CSV file): a passed limit as
/// such, anything else as [`IngestError::Io`].
fn read_error(path: &Path, line: Option<u64>, e: io::Error) -> IngestError {
    IngestError::limit(path, line, &e).unwrap_or_else(|| IngestError::io(path, e))
}

/// Drops a UTF-8 byte-order mark at the start of `r`, if there is one.
fn skip_bom(mut r: Input) -> io::Result<Input> {
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if head == UTF8_BOM {
        Ok(r)
    } else {
        Ok(Box::new(Cursor::new(head[..n].to_vec()).chain(r)))
    }
}

/// An open CSV file with its header read.
pub(crate) struct CsvInput<'p> {
    path: &'p Path,
    records: Records<Input>,
    /// Column names (trimmed, BOM removed).
    pub(crate) header: Vec<String>,
    /// The line of the last row read (of the header at first), for a read error's message.
    last_line: u64,
}

impl<'p> CsvInput<'p> {
    /// Opens a comma-separated `path` of detected encoding: [`CsvInput::open_with`] the
    /// default [`CsvDialect`].
    pub(crate) fn open(
        path: &'p Path,
        max_record_lines: usize,
        limits: InputLimits,
    ) -> Result<Self, IngestError> {
        Self::open_with(path, max_record_lines, limits, CsvDialect::default())
    }

    /// Opens `path`, written in `dialect`, and reads its header line (the first non-blank
    /// line, which may not span lines). A data record may span up to `max_record_lines`
    /// physical lines (see [`crate::csv_records`]); no line may be longer than
    /// `limits.max_line_bytes`.
    pub(crate) fn open_with(
        path: &'p Path,
        max_record_lines: usize,
        limits: InputLimits,
        dialect: CsvDialect,
    ) -> Result<Self, IngestError> {
        let mut records = Records::new(open_input(path, limits)?, limits.max_line_bytes, dialect);
        let mut record = ByteRecord::new();
        let header: Vec<String> = match records
            .next(&mut record)
            .map_err(|e| csv_error(path, 0, e))?
        {
            None => Vec::new(),
            Some(Item::Row { .. }) => record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect(),
            Some(Item::Unclosed { line, field, .. }) => {
                return Err(IngestError::HeaderQuote {
                    path: path.to_path_buf(),
                    line,
                    column: field + 1,
                })
            }
        };
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(IngestError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        records.limit(max_record_lines, header.len());
        Ok(Self {
            path,
            records,
            header,
            last_line: 1,
        })
    }

    /// The index of column `name`, or [`IngestError::MissingColumn`].
    pub(crate) fn column(&self, name: &str) -> Result<usize, IngestError> {
        self.has_column(name)
            .ok_or_else(|| IngestError::MissingColumn {
                path: self.path.to_path_buf(),
                column: name.to_string(),
                available: self.header.join(", "),
            })
    }

    /// The index of column `name` if the header has it.
    pub(crate) fn has_column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name.trim())
    }

    /// Calls `row` for every data row with the record and its 1-based line number.
    ///
    /// Rows that cannot be given to `row` are rejected, each naming its line, a column and
    /// a value:
    ///
    /// - a line whose quoted field does not close ([`crate::csv_records`] gives the rule):
    ///   [`RejectReason::UnbalancedQuote`], the column where the quote opens (its header
    ///   name, or `field N` past the header) and the text from the quote to the line end;
    /// - a row with another field count than the header's: [`RejectReason::WrongFieldCount`],
    ///   the first header column the row lacks (or `field N`, the first field past the
    ///   header) and the whole row.
    ///
    /// A [`Problem`] returned by `row` becomes a reject. Returns the number of data rows
    /// read: every non-blank physical line after the header is one row, except the later
    /// lines of a legitimate multi-line record.
    pub(crate) fn for_each_row(
        mut self,
        rejects: &mut Vec<Reject>,
        mut row: impl FnMut(&ByteRecord, u64) -> Result<(), Problem>,
    ) -> Result<u64, IngestError> {
        let mut record = ByteRecord::new();
        let mut read = 0u64;
        while let Some((line, problem)) = self.next_row(&mut record)? {
            read += 1;
            let outcome = match problem {
                None => row(&record, line),
                Some(p) => Err(p),
            };
            if let Err(p) = outcome {
                rejects.push(p.into_reject(self.path, line));
            }
        }
        Ok(read)
    }

    /// [`Self::for_each_row`] for a `row` that needs no order: the file is split into
    /// records on this thread while the records before are handed, a task of
    /// [`TASK_ROWS`] at a time, to `row` on the other threads. Each task has its own state
    /// (from `new_state`), handed to `done` in file order while the next batch is parsed (so
    /// a file is never held whole); the rejects come in line order, so the result does not
    /// depend on the thread count. Returns the number of data rows read.
    pub(crate) fn for_each_row_parallel<S: Send>(
        mut self,
        rejects: &mut Vec<Reject>,
        new_state: impl Fn() -> S + Sync,
        row: impl Fn(&mut S, &ByteRecord, u64) -> Result<(), Problem> + Sync,
        mut done: impl FnMut(S) + Send,
    ) -> Result<u64, IngestError> {
        let mut read = 0u64;
        let mut problems: Vec<(u64, Problem)> = Vec::new();
        let mut batch = self.next_batch(&mut read, &mut problems)?;
        // The states of the batch before, handed to `done` while this one is parsed.
        let mut pending: Vec<S> = Vec::new();
        while !batch.is_empty() {
            let ((finished, next), ()) = rayon::join(
                || {
                    rayon::join(
                        || {
                            batch
                                .par_chunks(TASK_ROWS)
                                .map(|rows| {
                                    let mut state = new_state();
                                    let mut bad = Vec::new();
                                    for (record, line) in rows {
                                        if let Err(p) = row(&mut state, record, *line) {
                                            bad.push((*line, p));
                                        }
                                    }
                                    (state, bad)
                                })
                                .collect::<Vec<_>>()
                        },
                        || self.next_batch(&mut read, &mut problems),
                    )
                },
                || pending.drain(..).for_each(&mut done),
            );
            for (state, bad) in finished {
                pending.push(state);
                problems.extend(bad);
            }
            batch = next?;
        }
        pending.into_iter().for_each(done);
        problems.sort_by_key(|(line, _)| *line);
        rejects.extend(
            problems
                .into_iter()
                .map(|(line, p)| p.into_reject(self.path, line)),
        );
        Ok(read)
    }

    /// Up to [`BATCH_ROWS`] rows of the header's width with their lines (empty at the end of
    /// the file); the rows that are not (counted in `read`) go to `problems`.
    fn next_batch(
        &mut self,
        read: &mut u64,
        problems: &mut Vec<(u64, Problem)>,
    ) -> Result<Vec<(ByteRecord, u64)>, IngestError> {
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut record = ByteRecord::new();
        while batch.len() < BATCH_ROWS {
            let Some((line, problem)) = self.next_row(&mut record)? else {
                break;
            };
            *read += 1;
            match problem {
                None => batch.push((record.clone(), line)),
                Some(p) => problems.push((line, p)),
            }
        }
        Ok(batch)
    }

    /// The next data row: its line, and the problem that keeps it from the row function
    /// (`None`: `record` holds a row of the header's width); `None` at the end of the file.
    fn next_row(
        &mut self,
        record: &mut ByteRecord,
    ) -> Result<Option<(u64, Option<Problem>)>, IngestError> {
        let expected = self.header.len();
        let item = self
            .records
            .next(record)
            .map_err(|e| csv_error(self.path, self.last_line, e))?;
        let row = item.map(|item| match item {
            Item::Row { line } if record.len() == expected => (line, None),
            Item::Row { line } => (
                line,
                Some(Problem {
                    column: Some(self.column_name(record.len().min(expected))),
                    value: whole_record(record),
                    reason: RejectReason::WrongFieldCount {
                        expected,
                        found: record.len(),
                    },
                }),
            ),
            Item::Unclosed { line, field, value } => (
                line,
                Some(Problem {
                    column: Some(self.column_name(field)),
                    value: clip(value),
                    reason: RejectReason::UnbalancedQuote,
                }),
            ),
        });
        if let Some((line, _)) = row {
            self.last_line = line;
        }
        match self.records.take_detected() {
            // Not UTF-8 is worth a word: the user may not know the file is Windows text.
            Some((Encoding::Cp1252, line)) => tracing::warn!(
                file = %self.path.display(),
                line,
                "no encoding declared and line {line} is not UTF-8: the file is read as cp1252 (windows-1252); declare `encoding` to override"
            ),
            Some((encoding, line)) => tracing::info!(
                file = %self.path.display(),
                line,
                "no encoding declared: read as {encoding:?}, from the first line that is not plain ASCII"
            ),
            None => {}
        }
        Ok(row)
    }

    /// The header name of 0-based column `i`, or `field N` (1-based) past the header.
    fn column_name(&self, i: usize) -> String {
        self.header
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("field {}", i + 1))
    }
}

/// A read error part-way through `path`, after line `line`: a passed limit as such,
/// anything else as [`IngestError::Csv`].
fn csv_error(path: &Path, line: u64, e: io::Error) -> IngestError {
    IngestError::limit(path, Some(line), &e).unwrap_or_else(|| IngestError::Csv {
        path: path.to_path_buf(),
        line,
        source: csv::Error::from(e),
    })
}

/// At most 200 characters of `text`, with `…` when cut: the `value` of a reject.
fn clip(text: String) -> String {
    if text.chars().count() <= 200 {
        return text;
    }
    let mut out: String = text.chars().take(200).collect();
    out.push('…');
    out
}

/// The record's fields joined by commas (lossy UTF-8), clipped, as the `value` of a reject
/// that concerns the whole row.
fn whole_record(record: &ByteRecord) -> String {
    let fields: Vec<_> = record.iter().map(String::from_utf8_lossy).collect();
    clip(fields.join(","))
}

/// Field `index` of `record` as trimmed UTF-8, or an [`RejectReason::InvalidUtf8`] problem
/// naming `column`.
pub(crate) fn field<'r>(
    record: &'r ByteRecord,
    index: usize,
    column: &str,
) -> Result<&'r str, Problem> {
    let bytes = record.get(index).unwrap_or_default();
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|_| Problem {
            column: Some(column.to_string()),
            value: String::from_utf8_lossy(bytes).into_owned(),
            reason: RejectReason::InvalidUtf8,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_records::MAX_RECORD_LINES;
    use std::io::Write;

    #[test]
    fn gzip_and_bom_are_transparent() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, b"\xEF\xBB\xBFa,b\n1,2\n").unwrap();
        assert_eq!(
            read_all(&plain, InputLimits::default()).unwrap(),
            b"a,b\n1,2\n"
        );
        let gz = dir.path().join("a.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"\xEF\xBB\xBFa,b\n1,2\n").unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(
            read_all(&gz, InputLimits::default()).unwrap(),
            b"a,b\n1,2\n"
        );
        // Short files without a BOM are kept whole.
        let short = dir.path().join("s.csv");
        std::fs::write(&short, b"a").unwrap();
        assert_eq!(read_all(&short, InputLimits::default()).unwrap(), b"a");
    }

    #[test]
    fn header_rows_and_field_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(
            &path,
            "\u{feff} a ,b\n1,2\n\n3\n\"x\ny\",4\r\n\r\n5,6\r\n7,8",
        )
        .unwrap();
        let input = CsvInput::open(&path, MAX_RECORD_LINES, InputLimits::default()).unwrap();
        assert_eq!(input.header, ["a", "b"]);
        assert_eq!(input.column("b").unwrap(), 1);
        let err = input.column("c").unwrap_err();
        assert!(err.to_string().contains("its columns are: a, b"), "{err}");
        let mut rejects = Vec::new();
        let mut lines = Vec::new();
        let read = input
            .for_each_row(&mut rejects, |r, line| {
                lines.push((line, field(r, 1, "b")?.to_string()));
                Ok(())
            })
            .unwrap();
        assert_eq!(read, 5);
        let want = [(2, "2"), (5, "4"), (8, "6"), (9, "8")].map(|(l, v)| (l, v.to_string()));
        assert_eq!(lines, want);
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0].line, 4);
        assert_eq!(
            rejects[0].reason,
            RejectReason::WrongFieldCount {
                expected: 2,
                found: 1
            }
        );
    }

    #[test]
    fn empty_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        std::fs::write(&path, "").unwrap();
        assert!(matches!(
            CsvInput::open(&path, 1, InputLimits::default()),
            Err(IngestError::EmptyFile { .. })
        ));
    }
}
