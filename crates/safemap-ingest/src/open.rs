//! Opening input files: transparent gzip, UTF-8 byte-order mark, CSV header handling and
//! the row loop shared by every CSV reader.
//!
//! CSV files are read with the `csv` crate rather than polars: every row needs its own
//! line number and its own reject record, and a bad row must not stop the file.
//!
//! Line numbers come from [`LineTracker`], not from `csv::Position::line()`: csv 1.4 counts
//! a CRLF file's records one line short (the IoD2019 files are CRLF) and does not count
//! skipped blank lines. The record's byte offset from csv is exact, and the tracker maps it
//! to a line.

use crate::source::Problem;
use crate::IngestError;
use csv::ByteRecord;
use flate2::read::MultiGzDecoder;
use safemap_types::{Reject, RejectReason};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// A boxed byte stream from an input file.
pub(crate) type Input = Box<dyn Read + Send>;

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Opens `path` for reading: gzip is detected by its magic bytes (so `.csv.gz` and
/// `.geojson.gz` need nothing special) and a leading UTF-8 byte-order mark is dropped.
pub(crate) fn open_input(path: &Path) -> Result<Input, IngestError> {
    let err = |e| IngestError::io(path, e);
    let file = File::open(path).map_err(err)?;
    let mut buf = BufReader::with_capacity(1 << 17, file);
    let gz = buf.fill_buf().map_err(err)?.starts_with(&[0x1F, 0x8B]);
    let inner: Input = if gz {
        Box::new(BufReader::with_capacity(1 << 17, MultiGzDecoder::new(buf)))
    } else {
        Box::new(buf)
    };
    skip_bom(inner).map_err(err)
}

/// Reads the whole (decompressed, BOM-less) file into memory.
pub(crate) fn read_all(path: &Path) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    open_input(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::io(path, e))?;
    Ok(bytes)
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

/// Watches the bytes going into the CSV parser and remembers where each physical line's
/// content starts, so a record's byte offset can be turned into its 1-based line number.
///
/// A line break is `\n`, `\r\n` or a lone `\r` (what csv accepts). Csv reports a record's
/// offset at or before its first byte, with only line-break bytes (the rest of a CRLF, blank
/// lines) in between, so the record's line is the line of the first content byte at or after
/// the offset. Entries before the current record are dropped, so memory stays bounded by
/// csv's read-ahead.
pub(crate) struct LineTracker<R> {
    inner: R,
    offset: u64,
    line: u64,
    at_line_start: bool,
    prev_cr: bool,
    starts: VecDeque<(u64, u64)>,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
            prev_cr: false,
            starts: VecDeque::new(),
        }
    }

    /// The line of the first content byte at or after `byte`.
    fn line_at(&mut self, byte: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|&(off, _)| off < byte) {
            self.starts.pop_front();
        }
        self.starts.front().map(|&(_, line)| line)
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            match b {
                b'\n' => {
                    if !self.prev_cr {
                        self.line += 1;
                    }
                    self.prev_cr = false;
                    self.at_line_start = true;
                }
                b'\r' => {
                    self.line += 1;
                    self.prev_cr = true;
                    self.at_line_start = true;
                }
                _ => {
                    self.prev_cr = false;
                    if self.at_line_start {
                        self.starts.push_back((self.offset + i as u64, self.line));
                        self.at_line_start = false;
                    }
                }
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// An open CSV file with its header read.
pub(crate) struct CsvInput<'p> {
    path: &'p Path,
    reader: csv::Reader<LineTracker<Input>>,
    /// Column names (trimmed, BOM removed).
    pub(crate) header: Vec<String>,
}

impl<'p> CsvInput<'p> {
    /// Opens `path` and reads its header line.
    pub(crate) fn open(path: &'p Path) -> Result<Self, IngestError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(LineTracker::new(open_input(path)?));
        let header: Vec<String> = reader
            .byte_headers()
            .map_err(|source| IngestError::Csv {
                path: path.to_path_buf(),
                line: 0,
                source,
            })?
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(IngestError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        Ok(Self {
            path,
            reader,
            header,
        })
    }

    /// The index of column `name`, or [`IngestError::MissingColumn`].
    pub(crate) fn column(&self, name: &str) -> Result<usize, IngestError> {
        self.header
            .iter()
            .position(|h| h == name.trim())
            .ok_or_else(|| IngestError::MissingColumn {
                path: self.path.to_path_buf(),
                column: name.to_string(),
                available: self.header.join(", "),
            })
    }

    /// The index of column `name` if the mapping names one.
    pub(crate) fn optional_column(&self, name: Option<&str>) -> Result<Option<usize>, IngestError> {
        name.map(|n| self.column(n)).transpose()
    }

    /// Calls `row` for every data row with the record and its 1-based line number.
    ///
    /// Rows whose field count differs from the header's are rejected with
    /// [`RejectReason::WrongFieldCount`] without calling `row`; a [`Problem`] returned by
    /// `row` becomes a reject. Returns the number of data rows read.
    pub(crate) fn for_each_row(
        mut self,
        rejects: &mut Vec<Reject>,
        mut row: impl FnMut(&ByteRecord, u64) -> Result<(), Problem>,
    ) -> Result<u64, IngestError> {
        let expected = self.header.len();
        let mut record = ByteRecord::new();
        let mut read = 0u64;
        let mut last_line = 1;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(source) => {
                    return Err(IngestError::Csv {
                        path: self.path.to_path_buf(),
                        line: last_line,
                        source,
                    })
                }
            }
            let line = record
                .position()
                .and_then(|p| self.reader.get_mut().line_at(p.byte()))
                .unwrap_or(last_line + 1);
            last_line = line;
            read += 1;
            let outcome = if record.len() == expected {
                row(&record, line)
            } else {
                Err(Problem {
                    column: None,
                    value: whole_record(&record),
                    reason: RejectReason::WrongFieldCount {
                        expected,
                        found: record.len(),
                    },
                })
            };
            if let Err(p) = outcome {
                rejects.push(p.into_reject(self.path, line));
            }
        }
        Ok(read)
    }
}

/// The record's fields joined by commas (lossy UTF-8), cut to 200 characters, as the
/// `value` of a reject that concerns the whole row.
fn whole_record(record: &ByteRecord) -> String {
    let mut out = String::new();
    for (i, f) in record.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&String::from_utf8_lossy(f));
        if out.chars().count() > 200 {
            out = out.chars().take(200).collect();
            out.push('…');
            break;
        }
    }
    out
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
    use std::io::Write;

    #[test]
    fn gzip_and_bom_are_transparent() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, b"\xEF\xBB\xBFa,b\n1,2\n").unwrap();
        assert_eq!(read_all(&plain).unwrap(), b"a,b\n1,2\n");
        let gz = dir.path().join("a.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"\xEF\xBB\xBFa,b\n1,2\n").unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(read_all(&gz).unwrap(), b"a,b\n1,2\n");
        // Short files without a BOM are kept whole.
        let short = dir.path().join("s.csv");
        std::fs::write(&short, b"a").unwrap();
        assert_eq!(read_all(&short).unwrap(), b"a");
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
        let input = CsvInput::open(&path).unwrap();
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
            CsvInput::open(&path),
            Err(IngestError::EmptyFile { .. })
        ));
    }
}
