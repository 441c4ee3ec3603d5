//! Shared helpers of the fuzz targets: a per-process scratch directory under /dev/shm for the
//! readers that only take paths, and the row-accounting contract every CSV reader keeps.

use safemap_ingest::{BoundaryMapping, BoundarySet, CsvDialect, Encoding, SourceRead};
use safemap_types::Reject;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The CSV dialect the first input byte picks: bit 0 cp1252 (else UTF-8), bit 3 the
/// encoding left to detection (over bit 0), bit 1 a `;` delimiter (else `,`).
pub fn dialect(flags: u8) -> CsvDialect {
    let encoding = match (flags & 8 != 0, flags & 1 == 0) {
        (true, _) => Encoding::Detect,
        (false, true) => Encoding::Utf8,
        (false, false) => Encoding::Cp1252,
    };
    let delimiter = if flags & 2 == 0 { ',' } else { ';' };
    CsvDialect::new(encoding, delimiter).expect("valid delimiter")
}

/// A scratch directory for this process (in /dev/shm when it exists), kept for its lifetime.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let b = tempfile::Builder::new()
            .prefix("safemap-fuzz-")
            .tempdir_in(if base.is_dir() { base } else { Path::new(".") });
        b.expect("scratch directory")
    })
    .path()
}

/// Writes `bytes` to the scratch file `name` and returns its path.
pub fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

/// Removes the scratch file `name` if present.
pub fn remove(name: &str) {
    let _ = std::fs::remove_file(scratch().join(name));
}

/// Number of physical lines as the CSV readers count them: each ended by `\n`, `\r\n` or a
/// lone `\r`, the last one possibly unterminated.
pub fn physical_lines(bytes: &[u8]) -> u64 {
    let mut lines = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                lines += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => lines += 1,
            _ => {}
        }
        i += 1;
    }
    if !bytes.is_empty() && !matches!(bytes[bytes.len() - 1], b'\n' | b'\r') {
        lines += 1;
    }
    lines
}

/// True when the input would be read as gzip (its line numbers are those of the
/// decompressed text, so they cannot be checked against the raw bytes).
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Checks one reject: it names `path` and a data line (after the header) of the file.
pub fn check_reject(r: &Reject, path: &Path, lines: Option<u64>) {
    assert_eq!(r.file, path, "reject names another file: {r:?}");
    assert!(r.line >= 2, "reject on the header or line 0: {r:?}");
    if let Some(lines) = lines {
        assert!(r.line <= lines, "reject past the last line {lines}: {r:?}");
    }
}

/// The contract of every event reader on one file: `read == events + rejects`, every
/// event and reject at a data line of the file, events in line order, categories in range.
pub fn check_source_read(got: &SourceRead, path: &Path, bytes: &[u8]) {
    let lines = (!is_gzip(bytes)).then(|| physical_lines(bytes));
    assert_eq!(
        got.read,
        (got.events.len() + got.rejects.len()) as u64,
        "read != events + rejects"
    );
    assert_eq!(got.files, [path]);
    for r in &got.rejects {
        check_reject(r, path, lines);
    }
    let mut last = 0;
    for e in &got.events {
        assert_eq!(e.origin.file, 0);
        assert!(e.origin.line >= 2, "event on the header: {e:?}");
        if let Some(lines) = lines {
            assert!(e.origin.line <= lines, "event past line {lines}: {e:?}");
        }
        assert!(e.origin.line > last, "events out of line order: {e:?}");
        last = e.origin.line;
        assert!(
            usize::from(e.category) < got.categories.len().max(1),
            "category index out of range: {e:?}"
        );
    }
    // An event and a reject never share a line.
    let mut seen: Vec<u64> = got.events.iter().map(|e| e.origin.line).collect();
    seen.extend(got.rejects.iter().map(|r| r.line));
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen.len(),
        n,
        "a line is both an event and a reject, or twice either"
    );
}

/// The contract of a boundary set read from any bytes: areas non-empty, ids in order, codes
/// unique and non-empty, one finite value column per value field, invalid areas named by
/// their own code.
pub fn check_boundary_set(set: &BoundarySet, mapping: &BoundaryMapping) {
    assert!(!set.areas.is_empty());
    let mut codes = HashSet::new();
    for (i, a) in set.areas.iter().enumerate() {
        assert_eq!(a.id.0 as usize, i);
        assert!(!a.code.is_empty(), "empty area code");
        assert!(codes.insert(a.code.as_str()), "duplicate code {}", a.code);
    }
    assert_eq!(set.values.len(), mapping.value_fields.len());
    for column in &set.values {
        assert_eq!(column.len(), set.areas.len());
        assert!(column.iter().flatten().all(|v| v.is_finite()));
    }
    for bad in &set.invalid {
        assert_eq!(set.areas[bad.id.0 as usize].code, bad.code);
    }
}
