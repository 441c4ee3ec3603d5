//! A small PMTiles v3 reader written from the spec, to look inside what `safemap export
//! pmtiles` writes: its metadata and every tile, decoded.

use std::io::Read;
use std::path::Path;

fn u64_at(b: &[u8], at: usize) -> usize {
    usize::try_from(u64::from_le_bytes(b[at..at + 8].try_into().unwrap())).unwrap()
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn varint(b: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0_u64, 0);
    loop {
        let byte = b[*pos];
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// A decompressed directory's entries: (offset, length, run length).
fn directory(b: &[u8]) -> Vec<(u64, u64, u64)> {
    let mut pos = 0;
    let n = usize::try_from(varint(b, &mut pos)).unwrap();
    for _ in 0..n {
        varint(b, &mut pos); // tile id deltas
    }
    let runs: Vec<u64> = (0..n).map(|_| varint(b, &mut pos)).collect();
    let lengths: Vec<u64> = (0..n).map(|_| varint(b, &mut pos)).collect();
    let mut entries: Vec<(u64, u64, u64)> = Vec::with_capacity(n);
    for i in 0..n {
        let v = varint(b, &mut pos);
        let offset = if v == 0 {
            entries[i - 1].0 + entries[i - 1].1
        } else {
            v - 1
        };
        entries.push((offset, lengths[i], runs[i]));
    }
    entries
}

/// An archive read whole.
pub struct Archive(pub Vec<u8>);

impl Archive {
    /// The JSON metadata.
    pub fn metadata(&self) -> serde_json::Value {
        let b = &self.0;
        assert_eq!(&b[..7], b"PMTiles");
        assert_eq!(b[97], 2, "gzip internal compression");
        let (at, len) = (u64_at(b, 24), u64_at(b, 32));
        serde_json::from_slice(&gunzip(&b[at..at + len])).unwrap()
    }

    /// Every stored tile's MVT bytes, uncompressed (identical tiles once).
    pub fn tiles(&self) -> Vec<Vec<u8>> {
        let b = &self.0;
        assert_eq!(b[98], 2, "gzip tile compression");
        let (root_at, root_len) = (u64_at(b, 8), u64_at(b, 16));
        let (leaves_at, data_at) = (u64_at(b, 40), u64_at(b, 56));
        let mut dirs = vec![gunzip(&b[root_at..root_at + root_len])];
        let mut seen = std::collections::BTreeSet::new();
        let mut tiles = Vec::new();
        while let Some(dir) = dirs.pop() {
            for (offset, length, run) in directory(&dir) {
                let (offset, length) = (
                    usize::try_from(offset).unwrap(),
                    usize::try_from(length).unwrap(),
                );
                if run == 0 {
                    let at = leaves_at + offset;
                    dirs.push(gunzip(&b[at..at + length]));
                } else if seen.insert(offset) {
                    let at = data_at + offset;
                    tiles.push(gunzip(&b[at..at + length]));
                }
            }
        }
        tiles
    }
}

/// Exports the public layers of `results` as PMTiles for zooms `min..=max`.
pub fn export(results: &Path, min: u8, max: u8) -> Archive {
    let out = results.join(format!("public-{min}-{max}.pmtiles"));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_safemap"))
        .args(["export", "pmtiles"])
        .arg(results)
        .arg("--out")
        .arg(&out)
        .args([
            "--min-zoom",
            &min.to_string(),
            "--max-zoom",
            &max.to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    Archive(std::fs::read(&out).unwrap())
}
