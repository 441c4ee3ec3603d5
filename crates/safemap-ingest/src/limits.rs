//! [`InputLimits`]: how far one input file may make a reader go, so that a decompression
//! bomb or a file without line endings stops with an error naming the file and the limit
//! instead of exhausting memory or time.
//!
//! - **Line length** ([`InputLimits::max_line_bytes`]): CSV files are read line by line, and
//!   a line longer than this is an error for the file (a record of a thousand fields is a
//!   few KiB). So a reader never holds more than `max_line_bytes` times the lines of one
//!   record.
//! - **Decompressed size** ([`InputLimits::max_decompressed_bytes`]) and **expansion**
//!   ([`InputLimits::max_expansion_ratio`]) of gzip files, counted as the file is read: the
//!   expansion is the bytes decompressed so far over the compressed bytes read so far, and is
//!   checked once a file has given [`EXPANSION_FLOOR`] bytes. Text compresses 2 to 20 times
//!   (the national police.uk files 5 times, an ONS lookup 15 times); a file of zeros or of
//!   one repeated row, 1,000 times. A plain file is read as it is: its size is on disk for
//!   all to see. A Parquet file's row groups declare their uncompressed size, which is held
//!   to the same two limits (against the file's size) before any of it is read.
//!
//! The limits are checked while reading, so memory stays bounded: CSV is streamed, and only
//! a GeoJSON boundary file (parsed whole) is held, up to the decompressed-size limit.

use flate2::bufread::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufReader, Read};

/// One kibibyte.
pub const KIB: u64 = 1 << 10;
/// One mebibyte.
pub const MIB: u64 = 1 << 20;

/// The expansion of a compressed file is checked once it has given this many bytes, so that
/// small files, whose expansion says nothing, are never stopped.
pub const EXPANSION_FLOOR: u64 = 4 * MIB;

/// How far one input file may make a reader go (see the module docs). The study file's
/// `[limits]` table sets them; the defaults hold the national police.uk data, the ONS
/// boundaries and lookups with room to spare (their longest line is 1.3 KiB, their largest
/// expansion 18 times).
///
/// ```
/// let limits = safemap_ingest::InputLimits::default();
/// assert_eq!(limits.max_line_bytes, 1 << 20);
/// assert_eq!(limits.max_expansion_ratio, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// The longest physical line of a CSV file, in bytes, its line ending excluded
    /// (default 1 MiB).
    pub max_line_bytes: u64,
    /// The most bytes a compressed file may expand to (default 4 GiB).
    pub max_decompressed_bytes: u64,
    /// The most decompressed bytes per compressed byte (default 100), checked once a file
    /// has given [`EXPANSION_FLOOR`] bytes.
    pub max_expansion_ratio: u64,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_line_bytes: MIB,
            max_decompressed_bytes: 4096 * MIB,
            max_expansion_ratio: 100,
        }
    }
}

impl InputLimits {
    /// Whether `decompressed` bytes from `compressed` pass the decompressed-size limit or,
    /// past [`EXPANSION_FLOOR`], the expansion limit.
    pub(crate) fn check_expansion(
        &self,
        decompressed: u64,
        compressed: u64,
    ) -> Result<(), LimitExceeded> {
        let max = self.max_decompressed_bytes;
        if decompressed > max {
            return Err(LimitExceeded::Decompressed { max });
        }
        let compressed = compressed.max(1);
        let max = self.max_expansion_ratio;
        if decompressed > EXPANSION_FLOOR && decompressed > compressed.saturating_mul(max) {
            return Err(LimitExceeded::Expansion {
                max,
                decompressed,
                compressed,
            });
        }
        Ok(())
    }
}

/// A limit passed while reading, carried inside an [`io::Error`] up to the reader that
/// knows the file and makes it an [`IngestError`](crate::IngestError).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LimitExceeded {
    /// Line `line` is longer than `max` bytes.
    #[error("line {line} is longer than {max} bytes")]
    Line { line: u64, max: u64 },
    /// The file decompressed to more than `max` bytes.
    #[error("decompressed to more than {max} bytes")]
    Decompressed { max: u64 },
    /// `decompressed` bytes came from `compressed` bytes, more than `max` times as many.
    #[error("expanded {decompressed} bytes from {compressed}")]
    Expansion {
        max: u64,
        decompressed: u64,
        compressed: u64,
    },
}

impl LimitExceeded {
    /// The limit inside `e`, if that is what `e` is.
    pub(crate) fn within(e: &io::Error) -> Option<Self> {
        e.get_ref()?.downcast_ref::<Self>().copied()
    }
}

impl From<LimitExceeded> for io::Error {
    fn from(limit: LimitExceeded) -> Self {
        io::Error::other(limit)
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// A gzip file (every member, as `gzip -d` reads them) held to the decompressed-size and
/// expansion limits: a read that passes either fails with a [`LimitExceeded`].
pub(crate) struct Gunzip {
    decoder: MultiGzDecoder<BufReader<Counted<BufReader<File>>>>,
    decompressed: u64,
    limits: InputLimits,
}

impl Gunzip {
    /// Decompresses `file` (positioned at its start) under `limits`.
    pub(crate) fn new(file: BufReader<File>, limits: InputLimits) -> Self {
        let counted = Counted {
            inner: file,
            count: 0,
        };
        Self {
            decoder: MultiGzDecoder::new(BufReader::with_capacity(1 << 16, counted)),
            decompressed: 0,
            limits,
        }
    }

    fn check(&self) -> Result<(), LimitExceeded> {
        let compressed = self.decoder.get_ref().get_ref().count;
        self.limits.check_expansion(self.decompressed, compressed)
    }
}

impl Read for Gunzip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf)?;
        self.decompressed += n as u64;
        self.check()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A gzip file of `n` zeros in `dir`.
    fn zeros(dir: &std::path::Path, n: usize) -> BufReader<File> {
        let path = dir.join("zeros.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![0u8; 1 << 16];
        let mut left = n;
        while left > 0 {
            let k = left.min(block.len());
            enc.write_all(&block[..k]).unwrap();
            left -= k;
        }
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        BufReader::new(File::open(&path).unwrap())
    }

    fn read_through(mut r: impl Read) -> io::Result<u64> {
        io::copy(&mut r, &mut io::sink())
    }

    #[test]
    fn an_expanding_file_stops_at_the_ratio_once_past_the_floor() {
        let dir = tempfile::tempdir().unwrap();
        let limits = InputLimits::default();
        // Under the floor, any expansion is fine.
        let small = EXPANSION_FLOOR as usize - 1;
        assert_eq!(
            read_through(Gunzip::new(zeros(dir.path(), small), limits)).unwrap(),
            small as u64
        );
        let err = read_through(Gunzip::new(zeros(dir.path(), 64 << 20), limits)).unwrap_err();
        let Some(LimitExceeded::Expansion {
            max,
            decompressed,
            compressed,
        }) = LimitExceeded::within(&err)
        else {
            panic!("{err}");
        };
        assert_eq!(max, 100);
        assert!(
            decompressed > EXPANSION_FLOOR && decompressed < 8 * MIB,
            "{decompressed}"
        );
        assert!(
            decompressed > 100 * compressed,
            "{decompressed} / {compressed}"
        );
        // A looser ratio lets the same file through.
        let loose = InputLimits {
            max_expansion_ratio: 10_000,
            ..limits
        };
        assert_eq!(
            read_through(Gunzip::new(zeros(dir.path(), 64 << 20), loose)).unwrap(),
            64 << 20
        );
    }

    #[test]
    fn a_file_stops_at_the_decompressed_size() {
        let dir = tempfile::tempdir().unwrap();
        let limits = InputLimits {
            max_decompressed_bytes: MIB,
            ..InputLimits::default()
        };
        let err = read_through(Gunzip::new(zeros(dir.path(), 2 << 20), limits)).unwrap_err();
        assert_eq!(
            LimitExceeded::within(&err),
            Some(LimitExceeded::Decompressed { max: MIB })
        );
        assert_eq!(
            read_through(Gunzip::new(zeros(dir.path(), 1 << 20), limits)).unwrap(),
            MIB
        );
    }
}
