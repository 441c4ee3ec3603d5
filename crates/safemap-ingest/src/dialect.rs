//! [`CsvDialect`]: a CSV file's text encoding and field delimiter, for files that are not
//! UTF-8 and comma-separated (the NHS organisation extracts are windows-1252 and separated
//! by `¬`).
//!
//! # How a line is read
//!
//! Every supported encoding writes `\n`, `\r` and `"` as the same single bytes as ASCII, so
//! a file is still split into physical lines on its raw bytes ([`crate::csv_records`]).
//! Each line is then **decoded to UTF-8** before the CSV parser sees it, so fields, header
//! names and reject values are UTF-8 whatever the file's encoding.
//!
//! The CSV parser (`csv-core`) splits on one byte. An ASCII delimiter is that byte. A
//! non-ASCII one (`¬` is `C2 AC` in UTF-8) is **transcoded**: each occurrence of its UTF-8
//! bytes in the decoded line is replaced by `0xFF`, the parser splits on `0xFF`, and the
//! fields come out as the text between delimiters; a delimiter inside a quoted field is text,
//! and its `0xFF` is turned back into the delimiter. `0xFF` never occurs in UTF-8, so it cannot
//! be confused with any character of the text; a raw `0xFF` in a file declared UTF-8 (which
//! makes the line invalid UTF-8 anyway) is first turned into `0xFE`, also never valid, so it
//! still fails the UTF-8 check of its field rather than splitting it. We chose this over a
//! second CSV parser with multi-byte delimiters: the line reader, its stray-quote rule and
//! its line numbers stay the one implementation every reader shares.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The byte a non-ASCII delimiter is transcoded to: it never occurs in UTF-8.
const SPLIT: u8 = 0xFF;
/// What a raw [`SPLIT`] byte in a UTF-8 file becomes: also never valid UTF-8.
const NOT_SPLIT: u8 = 0xFE;

/// The text encoding of a CSV file, as the study file names it (`auto` when it names none).
///
/// ```
/// use safemap_ingest::Encoding;
/// let e: Encoding = serde_json::from_str("\"windows-1252\"").unwrap();
/// assert_eq!(e, Encoding::Cp1252);
/// assert_eq!(Encoding::default(), Encoding::Detect);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Encoding {
    /// Not declared (the default): **detected** from the file's first line that is not plain
    /// ASCII (ASCII reads the same in every encoding here). That line decides for the whole
    /// file: UTF-8 if it is valid UTF-8 or holds any valid multi-byte UTF-8 character (a
    /// UTF-8 file with a corrupt byte stays UTF-8, and its corrupt rows are rejected); else
    /// [`Encoding::Cp1252`], what Excel and most UK council and NHS systems write. A file
    /// whose first non-ASCII text comes late is still read whole: lines before are ASCII.
    /// The reader logs what it detected and where; declare the encoding to override it.
    #[default]
    #[serde(rename = "auto", alias = "detect")]
    Detect,
    /// UTF-8; a field that is not valid UTF-8 rejects its row with `InvalidUtf8`.
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    /// Windows code page 1252 (`cp1252`, `windows-1252`), as decoded by browsers: latin1 plus
    /// curly quotes, dashes, `€` and the like in bytes 0x80-0x9F. Every byte decodes.
    #[serde(rename = "cp1252", alias = "windows-1252")]
    Cp1252,
    /// ISO-8859-1 (`latin1`, `iso-8859-1`): each byte is the code point of the same number,
    /// so 0x80-0x9F are control characters. Many files called latin1 are in fact cp1252: if
    /// names show control characters where quotes or dashes belong, say `cp1252`.
    #[serde(rename = "latin1", alias = "iso-8859-1")]
    Latin1,
}

impl Encoding {
    /// The encoding [`Encoding::Detect`] settles on for a file whose first line that is not
    /// plain ASCII is `line`.
    pub(crate) fn detect(line: &[u8]) -> Encoding {
        let mut multi_byte = false;
        let mut invalid = false;
        for chunk in line.utf8_chunks() {
            multi_byte |= !chunk.valid().is_ascii();
            invalid |= !chunk.invalid().is_empty();
        }
        if invalid && !multi_byte {
            Encoding::Cp1252
        } else {
            Encoding::Utf8
        }
    }

    /// `bytes` as UTF-8: borrowed when they need no change. [`Encoding::Detect`] reads them
    /// as UTF-8 (it is only asked to decode ASCII lines).
    fn decode(self, bytes: &[u8]) -> Cow<'_, [u8]> {
        let text = match self {
            Encoding::Detect | Encoding::Utf8 => return Cow::Borrowed(bytes),
            Encoding::Cp1252 => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
            Encoding::Latin1 => encoding_rs::mem::decode_latin1(bytes),
        };
        match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// A delimiter that cannot separate CSV fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{delimiter:?} cannot be a delimiter: expected one character other than a double quote, a line break or a space")]
pub struct BadDelimiter {
    /// The delimiter given.
    pub delimiter: char,
}

/// How a CSV file's bytes become fields: its [`Encoding`] and its one-character field
/// delimiter (the default: a detected encoding and `,`). See the module docs for how a non-ASCII delimiter
/// is handled.
///
/// ```
/// use safemap_ingest::{CsvDialect, Encoding};
/// let nhs = CsvDialect::new(Encoding::Cp1252, '¬').unwrap();
/// assert_eq!(nhs.delimiter(), '¬');
/// assert!(CsvDialect::new(Encoding::Utf8, '"').is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    encoding: Encoding,
    delimiter: char,
}

impl Default for CsvDialect {
    fn default() -> Self {
        Self {
            encoding: Encoding::Detect,
            delimiter: ',',
        }
    }
}

impl CsvDialect {
    /// A dialect with `encoding` and `delimiter`.
    ///
    /// # Errors
    ///
    /// [`BadDelimiter`] for `"` (it quotes fields), `\n` or `\r` (they end lines) and a space
    /// (fields are trimmed).
    pub fn new(encoding: Encoding, delimiter: char) -> Result<Self, BadDelimiter> {
        if matches!(delimiter, '"' | '\n' | '\r' | ' ') {
            return Err(BadDelimiter { delimiter });
        }
        Ok(Self {
            encoding,
            delimiter,
        })
    }

    /// The encoding.
    pub fn encoding(self) -> Encoding {
        self.encoding
    }

    /// The field delimiter.
    pub fn delimiter(self) -> char {
        self.delimiter
    }

    /// This dialect with `encoding` instead (what [`Encoding::Detect`] settled on).
    pub(crate) fn with_encoding(self, encoding: Encoding) -> Self {
        Self { encoding, ..self }
    }

    /// The byte the CSV parser splits fields on.
    pub(crate) fn split_byte(self) -> u8 {
        u8::try_from(self.delimiter)
            .ok()
            .filter(u8::is_ascii)
            .unwrap_or(SPLIT)
    }

    /// `line` decoded to UTF-8 with a non-ASCII delimiter transcoded to [`SPLIT`] (see the
    /// module docs); borrowed when nothing changes.
    pub(crate) fn prepare(self, line: &[u8]) -> Cow<'_, [u8]> {
        let decoded = self.encoding.decode(line);
        if self.delimiter.is_ascii() {
            return decoded;
        }
        let mut utf8 = [0u8; 4];
        let delimiter = self.delimiter.encode_utf8(&mut utf8).as_bytes();
        let mut out = Vec::with_capacity(decoded.len());
        let mut rest: &[u8] = &decoded;
        while let Some(&b) = rest.first() {
            if rest.starts_with(delimiter) {
                out.push(SPLIT);
                rest = &rest[delimiter.len()..];
            } else {
                out.push(if b == SPLIT { NOT_SPLIT } else { b });
                rest = &rest[1..];
            }
        }
        Cow::Owned(out)
    }

    /// A parsed field with the delimiter back where [`CsvDialect::prepare`] transcoded one
    /// (inside a quoted field); borrowed when nothing changes.
    pub(crate) fn restore(self, field: &[u8]) -> Cow<'_, [u8]> {
        if self.delimiter.is_ascii() || !field.contains(&SPLIT) {
            return Cow::Borrowed(field);
        }
        let mut utf8 = [0u8; 4];
        let delimiter = self.delimiter.encode_utf8(&mut utf8).as_bytes();
        let mut out = Vec::with_capacity(field.len() + delimiter.len());
        for &b in field {
            if b == SPLIT {
                out.extend_from_slice(delimiter);
            } else {
                out.push(b);
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(dialect: CsvDialect, line: &[u8]) -> Vec<Vec<u8>> {
        let prepared = dialect.prepare(line);
        prepared
            .split(|&b| b == dialect.split_byte())
            .map(<[u8]>::to_vec)
            .collect()
    }

    #[test]
    fn cp1252_with_a_not_sign_delimiter() {
        let d = CsvDialect::new(Encoding::Cp1252, '¬').unwrap();
        // "St Martin’s¬Leeds¬€5": the apostrophe is 0x92, ¬ is 0xAC, € is 0x80.
        let got = fields(d, b"St Martin\x92s\xacLeeds\xac\x805");
        let want: Vec<Vec<u8>> = ["St Martin\u{2019}s", "Leeds", "€5"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn detection_reads_the_first_non_ascii_line() {
        // Excel's cp1252: "Café" and a curly apostrophe.
        assert_eq!(
            Encoding::detect(b"Caf\xe9,St Martin\x92s"),
            Encoding::Cp1252
        );
        assert_eq!(Encoding::detect("Café,¬".as_bytes()), Encoding::Utf8);
        // Valid UTF-8 beside a corrupt byte: a UTF-8 file with a bad row, not cp1252.
        assert_eq!(Encoding::detect(b"Caf\xc3\xa9,\xe9"), Encoding::Utf8);
        // Only plain ASCII lines are decoded before detection, and they stay as they are.
        assert!(matches!(
            CsvDialect::default().prepare(b"plain"),
            Cow::Borrowed(b"plain")
        ));
    }

    #[test]
    fn latin1_is_not_cp1252() {
        let d = CsvDialect::new(Encoding::Latin1, ';').unwrap();
        assert_eq!(d.split_byte(), b';');
        let got = fields(d, b"caf\xe9;\x92");
        assert_eq!(got, ["café".as_bytes(), "\u{92}".as_bytes()]);
    }

    #[test]
    fn utf8_with_a_multi_byte_delimiter_keeps_invalid_bytes_invalid() {
        let d = CsvDialect::new(Encoding::Utf8, '¬').unwrap();
        let got = fields(d, "a¬b,c¬¬d".as_bytes());
        assert_eq!(got, [&b"a"[..], b"b,c", b"", b"d"]);
        // A raw 0xFF does not split its field, and the field stays invalid UTF-8.
        assert_eq!(d.restore(b"a\xffb").as_ref(), "a¬b".as_bytes());
        let got = fields(d, b"x\xffy\xc2\xacz");
        assert_eq!(got.len(), 2);
        assert!(std::str::from_utf8(&got[0]).is_err());
        assert_eq!(got[1], b"z");
    }

    #[test]
    fn plain_utf8_and_ascii_delimiters_borrow() {
        let d = CsvDialect::new(Encoding::Utf8, '\t').unwrap();
        assert_eq!(d.split_byte(), b'\t');
        assert!(matches!(d.prepare(b"a\tb"), Cow::Borrowed(_)));
        assert!(matches!(
            CsvDialect::default().prepare("naïve".as_bytes()),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn delimiters_that_cannot_work_are_refused() {
        for c in ['"', '\n', '\r', ' '] {
            let err = CsvDialect::new(Encoding::Utf8, c).unwrap_err();
            assert!(err.to_string().contains("cannot be a delimiter"), "{err}");
        }
    }
}
