//! [`Records`]: physical lines in, CSV records out, so that one stray quote costs one line
//! and not the rest of the file.
//!
//! # The rule
//!
//! A file is a sequence of physical lines, each ended by `\n`, `\r\n` or a lone `\r` (the
//! last one may have no ending); line 1 is the first. Lines are fed one at a time to the CSV
//! parser (RFC 4180 quoting: a field that starts with `"` runs to the next lone `"`, and `""`
//! inside it is one quote). A record that starts on line *L* is one of:
//!
//! - **a row** when it ends on line *L*; or when a quoted field holds line breaks and the
//!   record ends on a later line, provided that it spans at most `max_lines` lines, has the
//!   header's number of fields, and quotes strictly (every quote that closes a field is
//!   followed by a comma or a line end, so a stray quote meeting another one further down
//!   does not pass). Such a record is *one* row at line *L*. Line breaks inside a quoted
//!   field reach the field as `\n`.
//! - **an unbalanced quote** on line *L* otherwise: a quoted field opened on line *L* is
//!   still open after `max_lines` lines or at the end of the file, or closes on a later line
//!   into a record that fails the checks above. Line *L* alone is reported
//!   ([`Item::Unclosed`], with the field where the open quote starts) and reading starts
//!   again at line *L + 1*: the lines the runaway field swallowed are read as rows under this
//!   same rule.
//!
//! A single-line record with the wrong number of fields is a row; the caller rejects it.
//! Blank lines outside a quoted field are skipped and are not rows. So every non-blank
//! physical line outside a legitimate multi-line record is exactly one row or one
//! unbalanced-quote item. Each line is parsed at most `max_lines` times, so the cost stays
//! linear in the file size.
//!
//! data.police.uk never writes a line break inside a field, so its reader uses
//! `max_lines = 1`; the other readers allow [`MAX_RECORD_LINES`].
//!
//! Lines are split on the file's raw bytes, then decoded to UTF-8 with the file's
//! [`CsvDialect`] before parsing; its delimiter takes the place of the comma above (see
//! [`crate::dialect`]).

use crate::dialect::{CsvDialect, Encoding};
use crate::limits::LimitExceeded;
use csv::ByteRecord;
use csv_core::ReadRecordResult;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead};

/// The most physical lines one record may span in files that may hold line breaks in
/// quoted fields (free-text notes exported from a spreadsheet): a field of up to 19 line
/// breaks. A quote still open after this many lines is taken to be a stray quote.
pub(crate) const MAX_RECORD_LINES: usize = 20;

/// What [`Records::next`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A record, now in the caller's `ByteRecord`, starting on `line`.
    Row {
        /// 1-based line of the record's first byte.
        line: u64,
    },
    /// Line `line` opens a quoted field that does not close as a row can: see the module
    /// docs.
    Unclosed {
        /// 1-based line with the opening quote.
        line: u64,
        /// 0-based index of the field the quote opens.
        field: usize,
        /// The field's text from its opening quote to the end of the line.
        value: String,
    },
}

/// One physical line without its line ending.
struct Line {
    number: u64,
    bytes: Vec<u8>,
}

/// Splits a byte stream into records under the rule in the module docs.
pub(crate) struct Records<R> {
    input: R,
    /// Lines given back after an unbalanced quote, read before `input`.
    pending: VecDeque<Line>,
    /// The number the next line read from `input` gets.
    next_number: u64,
    /// The last line read from `input` ended with `\r`, so a `\n` first is part of it.
    after_cr: bool,
    max_lines: usize,
    fields: Option<usize>,
    /// The longest a line may be, in bytes (as read, before decoding).
    max_line_bytes: u64,
    /// Encoding and delimiter; an [`Encoding::Detect`] is replaced by what the first line
    /// that is not plain ASCII shows.
    dialect: CsvDialect,
    /// What [`Encoding::Detect`] settled on and the line that showed it, until taken.
    detected: Option<(Encoding, u64)>,
    parser: Parser,
    /// Lines of the record being parsed.
    taken: Vec<Line>,
    /// Line buffers to reuse.
    spare: Vec<Vec<u8>>,
}

impl<R: BufRead> Records<R> {
    /// Records of `input` in `dialect`, one line each with any number of fields (what a
    /// header needs) until [`Records::limit`] says otherwise. A line longer than
    /// `max_line_bytes` is an error.
    pub(crate) fn new(input: R, max_line_bytes: u64, dialect: CsvDialect) -> Self {
        Self {
            input,
            pending: VecDeque::new(),
            next_number: 1,
            after_cr: false,
            max_lines: 1,
            fields: None,
            max_line_bytes,
            dialect,
            detected: None,
            parser: Parser::new(dialect.split_byte()),
            taken: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// From now on a record may span up to `max_lines` lines (at least 1) if it has
    /// `fields` fields.
    pub(crate) fn limit(&mut self, max_lines: usize, fields: usize) {
        self.max_lines = max_lines.max(1);
        self.fields = Some(fields);
    }

    /// The next row (written into `record`) or unbalanced quote; `None` at the end.
    ///
    /// # Errors
    ///
    /// Read (or decompression) errors of the input; a line longer than the limit
    /// ([`LimitExceeded::Line`]).
    pub(crate) fn next(&mut self, record: &mut ByteRecord) -> io::Result<Option<Item>> {
        loop {
            let Some(first) = self.next_line()? else {
                return Ok(None);
            };
            if first.bytes.is_empty() {
                self.spare.push(first.bytes);
                continue;
            }
            self.parser.start();
            let mut complete = self.parser.feed_line(&first.bytes);
            self.taken.push(first);
            while !complete && self.taken.len() < self.max_lines {
                let Some(line) = self.next_line()? else {
                    break;
                };
                complete = self.parser.feed_line(&line.bytes);
                self.taken.push(line);
            }
            let line = self.taken[0].number;
            if complete
                && (self.taken.len() == 1
                    || (self.fields == Some(self.parser.nend)
                        && strict_quotes(&self.taken, self.dialect.split_byte())))
            {
                self.parser.record_into(record, self.dialect);
                self.spare.extend(self.taken.drain(..).map(|l| l.bytes));
                return Ok(Some(Item::Row { line }));
            }
            // A stray quote on the first line: report it and read the lines after it again.
            let first = self.taken.remove(0);
            for later in self.taken.drain(..).rev() {
                self.pending.push_front(later);
            }
            let (field, value) = self.parser.open_field(&first.bytes, self.dialect);
            self.spare.push(first.bytes);
            return Ok(Some(Item::Unclosed { line, field, value }));
        }
    }

    /// The encoding [`Encoding::Detect`] settled on and the line that showed it, once: `None`
    /// before (and after) that.
    pub(crate) fn take_detected(&mut self) -> Option<(Encoding, u64)> {
        self.detected.take()
    }

    /// The next physical line, prepared for the parser: a given-back one, else one from the
    /// input.
    fn next_line(&mut self) -> io::Result<Option<Line>> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        let mut bytes = self.spare.pop().unwrap_or_default();
        bytes.clear();
        if self.read_line(&mut bytes)? {
            if self.dialect.encoding() == Encoding::Detect && !bytes.is_ascii() {
                let found = Encoding::detect(&bytes);
                self.dialect = self.dialect.with_encoding(found);
                self.detected = Some((found, self.next_number));
            }
            if let Cow::Owned(prepared) = self.dialect.prepare(&bytes) {
                bytes = prepared;
            }
            let number = self.next_number;
            self.next_number += 1;
            Ok(Some(Line { number, bytes }))
        } else {
            self.spare.push(bytes);
            Ok(None)
        }
    }

    /// Reads one line (without its ending) into `buf`; false at the end of the input. Fails
    /// as soon as the line is longer than the limit, so `buf` stays within it (give or take
    /// one buffer of input).
    fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            let avail = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(!buf.is_empty());
            }
            if std::mem::take(&mut self.after_cr) && avail[0] == b'\n' {
                self.input.consume(1);
                continue;
            }
            let end = avail.iter().position(|&b| b == b'\n' || b == b'\r');
            let taken = end.unwrap_or(avail.len());
            buf.extend_from_slice(&avail[..taken]);
            if buf.len() as u64 > self.max_line_bytes {
                return Err(LimitExceeded::Line {
                    line: self.next_number,
                    max: self.max_line_bytes,
                }
                .into());
            }
            if let Some(i) = end {
                self.after_cr = avail[i] == b'\r';
                self.input.consume(i + 1);
                return Ok(true);
            }
            self.input.consume(taken);
        }
    }
}

/// The CSV parser with the fields of the record being parsed.
struct Parser {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
}

impl Parser {
    /// A parser splitting fields on `delimiter`.
    fn new(delimiter: u8) -> Self {
        Self {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1 << 12],
            ends: vec![0; 32],
            nout: 0,
            nend: 0,
        }
    }

    /// Forgets any record in progress.
    fn start(&mut self) {
        self.core.reset();
        self.nout = 0;
        self.nend = 0;
    }

    /// Feeds one line and a line ending; true if that ended the record.
    fn feed_line(&mut self, line: &[u8]) -> bool {
        // Empty input would mean the end of the file.
        (!line.is_empty() && self.feed(line)) || self.feed(b"\n")
    }

    /// Feeds `input` (empty input means the end of the file); true if a record ended.
    fn feed(&mut self, mut input: &[u8]) -> bool {
        loop {
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            input = &input[nin..];
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::Record => return true,
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return false,
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
            }
        }
    }

    /// Field `i` of the last record.
    fn field(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.out[start..self.ends[i]]
    }

    /// Copies the ended record into `record`, each field with its quoted delimiters restored
    /// ([`CsvDialect::restore`]).
    fn record_into(&self, record: &mut ByteRecord, dialect: CsvDialect) {
        record.clear();
        for i in 0..self.nend {
            record.push_field(&dialect.restore(self.field(i)));
        }
    }

    /// The index and text of the field whose quote `line` leaves open: the line is parsed
    /// alone, so the open field is its last one, ended by the end of the input.
    fn open_field(&mut self, line: &[u8], dialect: CsvDialect) -> (usize, String) {
        self.start();
        if !self.feed(line) {
            self.feed(&[]);
        }
        let Some(last) = self.nend.checked_sub(1) else {
            return (
                0,
                String::from_utf8_lossy(&dialect.restore(line)).into_owned(),
            );
        };
        let field = dialect.restore(self.field(last));
        let text = String::from_utf8_lossy(&field);
        (last, format!("\"{text}"))
    }
}

/// True if, in the record made of `lines`, every quote that closes a quoted field is
/// followed by the `delimiter` or a line end (quotes inside an unquoted field are plain
/// text, as the parser takes them).
fn strict_quotes(lines: &[Line], delimiter: u8) -> bool {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for &b in lines.iter().flat_map(|l| l.bytes.iter().chain(b"\n")) {
        state = match (state, b) {
            (State::FieldStart | State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b)
                if b == delimiter || b == b'\n' =>
            {
                State::FieldStart
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, _) => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of `text` after its header, read with `max_lines`, each with its fields.
    fn items(text: &str, max_lines: usize) -> Vec<(Item, Vec<String>)> {
        let mut records = Records::new(text.as_bytes(), u64::MAX, CsvDialect::default());
        let mut record = ByteRecord::new();
        let header = records.next(&mut record).unwrap();
        assert_eq!(header, Some(Item::Row { line: 1 }));
        records.limit(max_lines, record.len());
        let mut out = Vec::new();
        while let Some(item) = records.next(&mut record).unwrap() {
            let fields = match item {
                Item::Row { .. } => record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
                Item::Unclosed { .. } => Vec::new(),
            };
            out.push((item, fields));
        }
        out
    }

    fn row(line: u64, fields: &[&str]) -> (Item, Vec<String>) {
        (
            Item::Row { line },
            fields.iter().map(ToString::to_string).collect(),
        )
    }

    fn unclosed(line: u64, field: usize, value: &str) -> (Item, Vec<String>) {
        let value = value.to_string();
        (Item::Unclosed { line, field, value }, Vec::new())
    }

    #[test]
    fn line_endings_and_blank_lines() {
        let got = items("a,b\r\n1,2\r\n\r\n3,4\r5,6\n\n7,8", 1);
        let want = [
            row(2, &["1", "2"]),
            row(4, &["3", "4"]),
            row(5, &["5", "6"]),
            row(7, &["7", "8"]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_stray_quote_costs_its_line_only() {
        let text = "a,b,c\n1,2,3\n4,\"x,6\n7,8,9\n10,11,12\n";
        let want = vec![
            row(2, &["1", "2", "3"]),
            unclosed(3, 1, "\"x,6"),
            row(4, &["7", "8", "9"]),
            row(5, &["10", "11", "12"]),
        ];
        // Still open at the end of its line (one-line records) or of the file.
        assert_eq!(items(text, 1), want);
        assert_eq!(items(text, 20), want);
    }

    #[test]
    fn a_legitimate_multi_line_field_is_one_row() {
        let text = "a,b,c\n1,\"two\n\nlines, \"\"quoted\"\"\",3\n4,5,6\n";
        let want = vec![
            row(2, &["1", "two\n\nlines, \"quoted\"", "3"]),
            row(5, &["4", "5", "6"]),
        ];
        assert_eq!(items(text, 3), want);
        // Longer than allowed: the opening line is a stray quote, the rest are rows.
        let got = items(text, 2);
        assert_eq!(got[0], unclosed(2, 1, "\"two"));
        assert_eq!(
            got[1..].iter().map(|(i, _)| i).collect::<Vec<_>>(),
            [&Item::Row { line: 4 }, &Item::Row { line: 5 }]
        );
    }

    #[test]
    fn an_undeclared_encoding_is_settled_by_the_first_non_ascii_line() {
        let fields = |bytes: &[u8]| {
            let mut records = Records::new(bytes, u64::MAX, CsvDialect::default());
            let mut record = ByteRecord::new();
            let mut rows = Vec::new();
            let mut detected = Vec::new();
            while let Some(item) = records.next(&mut record).unwrap() {
                assert!(matches!(item, Item::Row { .. }));
                rows.push(String::from_utf8(record[0].to_vec()));
                detected.extend(records.take_detected());
            }
            (rows, detected)
        };
        // cp1252 first shows on line 3; lines 1-2 are ASCII and read the same either way.
        let (rows, detected) = fields(b"name\nplain\nCaf\xe9\n\x93quoted\x94\n");
        let rows: Vec<String> = rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows, ["name", "plain", "Café", "\u{201c}quoted\u{201d}"]);
        assert_eq!(detected, [(Encoding::Cp1252, 3)]);
        // UTF-8 first: a later cp1252 byte stays invalid UTF-8 (its row is rejected).
        let (rows, detected) = fields(b"name\nCaf\xc3\xa9\nCaf\xe9\n");
        assert_eq!(rows[1].as_deref(), Ok("Café"));
        assert!(rows[2].is_err());
        assert_eq!(detected, [(Encoding::Utf8, 2)]);
    }

    #[test]
    fn two_stray_quotes_do_not_pair_up() {
        // The quote on line 2 closes on line 4 with the right field count, but the closing
        // quote is followed by text: both lines are stray quotes, line 3 and 5 are rows.
        let text = "a,b,c\n1,\"x,3\n4,5,6\n7,\"y,9\n10,11,12\n";
        let want = vec![
            unclosed(2, 1, "\"x,3"),
            row(3, &["4", "5", "6"]),
            unclosed(4, 1, "\"y,9"),
            row(5, &["10", "11", "12"]),
        ];
        assert_eq!(items(text, 20), want);
        // A record that closes into the wrong field count.
        let text = "a,b,c\n1,\"x\n4,5,6\n7,\"multi\nline\",9\n";
        let want = vec![
            unclosed(2, 1, "\"x"),
            row(3, &["4", "5", "6"]),
            row(4, &["7", "multi\nline", "9"]),
        ];
        assert_eq!(items(text, 20), want);
    }

    #[test]
    fn the_dialect_s_delimiter_takes_the_comma_s_place() {
        // A multi-line record whose quote closes into `¬` passes the strict-quote check; a
        // comma is text.
        let text = "a¬b¬c\n1¬\"x,\ny\"¬3\n4¬\"z¬6\n7¬8¬9\n";
        let dialect = CsvDialect::new(Encoding::Utf8, '¬').unwrap();
        let mut records = Records::new(text.as_bytes(), u64::MAX, dialect);
        records.limit(20, 3);
        let mut record = ByteRecord::new();
        let mut got = Vec::new();
        while let Some(item) = records.next(&mut record).unwrap() {
            let fields: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            got.push((item, fields));
        }
        assert_eq!(got[0], row(1, &["a", "b", "c"]));
        assert_eq!(got[1], row(2, &["1", "x,\ny", "3"]));
        let value = "\"z¬6".to_string();
        assert_eq!(
            got[2].0,
            Item::Unclosed {
                line: 4,
                field: 1,
                value
            }
        );
        assert_eq!(got[3], row(5, &["7", "8", "9"]));
    }

    #[test]
    fn a_line_longer_than_the_limit_is_an_error_naming_it() {
        let text = format!("a,b\n{},2\n{},4\n", "x".repeat(48), "y".repeat(49));
        // Line 2 is exactly 50 bytes long, line 3 is 51.
        let mut records = Records::new(text.as_bytes(), 50, CsvDialect::default());
        let mut record = ByteRecord::new();
        assert_eq!(
            records.next(&mut record).unwrap(),
            Some(Item::Row { line: 1 })
        );
        assert_eq!(
            records.next(&mut record).unwrap(),
            Some(Item::Row { line: 2 })
        );
        let err = records.next(&mut record).unwrap_err();
        assert_eq!(
            LimitExceeded::within(&err),
            Some(LimitExceeded::Line { line: 3, max: 50 })
        );
    }

    #[test]
    fn the_last_line_may_lack_its_ending_or_hold_an_open_quote() {
        assert_eq!(
            items("a\n1\n\"2", 5),
            [row(2, &["1"]), unclosed(3, 0, "\"2")]
        );
        assert_eq!(items("a\n1\n2", 5), [row(2, &["1"]), row(3, &["2"])]);
    }
}
