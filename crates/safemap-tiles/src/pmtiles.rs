//! PMTiles v3 export (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>).
//!
//! Written here rather than with the `pmtiles` crate: its writer needs a seekable file and
//! brings an async runtime with its default features, while this crate does no I/O of its
//! own and writes to any `std::io::Write` (a file, a socket, a buffer) that the caller
//! passes. The whole archive is assembled in memory first (headers come before the data),
//! so it suits exports of up to a few hundred megabytes of tiles.
//!
//! Layout: header (127 bytes), root directory, metadata, leaf directories, tile data; all
//! directories and the metadata gzip-compressed, tile data gzip-compressed, tiles clustered
//! in Hilbert TileID order, identical tiles stored once (runs of identical consecutive tiles
//! as one entry with a run length).

use crate::{TileError, TileId};
use flate2::write::GzEncoder;
use flate2::Compression;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;

/// Header length in bytes.
pub const HEADER_LEN: usize = 127;
/// Largest compressed root directory that fits in the first 16 KiB with the header.
const MAX_ROOT_LEN: usize = 16_384 - HEADER_LEN;
const COMPRESSION_GZIP: u8 = 2;
const TILE_TYPE_MVT: u8 = 1;

/// One directory entry (spec 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u32,
    run_length: u32,
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    // flate2 writes a zero modification time, so the bytes depend on `data` only.
    let mut e = GzEncoder::new(
        Vec::with_capacity(data.len() / 2 + 32),
        Compression::default(),
    );
    e.write_all(data)?;
    e.finish()
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Serialises directory entries (spec 4.2): count, delta tile ids, run lengths, lengths,
/// offsets (0 = directly after the previous entry's data, else offset + 1).
fn serialize_directory(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 6 + 8);
    varint(&mut out, entries.len() as u64);
    let mut last = 0;
    for e in entries {
        varint(&mut out, e.tile_id - last);
        last = e.tile_id;
    }
    for e in entries {
        varint(&mut out, u64::from(e.run_length));
    }
    for e in entries {
        varint(&mut out, u64::from(e.length));
    }
    for (i, e) in entries.iter().enumerate() {
        let follows = i > 0 && e.offset == entries[i - 1].offset + u64::from(entries[i - 1].length);
        varint(&mut out, if follows { 0 } else { e.offset + 1 });
    }
    out
}

/// The compressed root directory and leaf directories for `entries`: one root if it fits
/// in the first 16 KiB, otherwise leaves of a size grown until the root fits.
fn directories(entries: &[Entry]) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let root = gzip(&serialize_directory(entries))?;
    if root.len() <= MAX_ROOT_LEN {
        return Ok((root, Vec::new()));
    }
    let mut leaf_size = 4096usize;
    loop {
        let mut leaves = Vec::new();
        let mut root_entries = Vec::new();
        for chunk in entries.chunks(leaf_size) {
            let leaf = gzip(&serialize_directory(chunk))?;
            root_entries.push(Entry {
                tile_id: chunk[0].tile_id,
                offset: leaves.len() as u64,
                length: leaf.len() as u32,
                run_length: 0,
            });
            leaves.extend_from_slice(&leaf);
        }
        let root = gzip(&serialize_directory(&root_entries))?;
        if root.len() <= MAX_ROOT_LEN {
            return Ok((root, leaves));
        }
        leaf_size += leaf_size / 5;
    }
}

fn e7(deg: f64) -> i32 {
    (deg * 1e7).round() as i32
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Writes a PMTiles v3 archive (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>)
/// of MVT tiles to `out`: gzip-compressed tile data (`tile_compression = gzip`,
/// `internal_compression = gzip`), clustered, tiles sorted by Hilbert TileID, with the JSON
/// `metadata` object the caller gives (`vector_layers`, `name`, `attribution`, ...).
/// `tiles` holds uncompressed MVT bytes; `bounds_wgs84` is `[west, south, east, north]`.
/// The header's min and max zoom are those of the tiles, its centre the middle of the
/// bounds at the lowest zoom. The crate itself opens no files.
///
/// ```
/// use safemap_tiles::{write_pmtiles, TileId};
/// let mut buf = Vec::new();
/// let tiles = vec![(TileId::new(0, 0, 0).unwrap(), vec![0x1a, 0x00])];
/// write_pmtiles(&mut buf, tiles, &serde_json::json!({"name": "x"}), [-180.0, -85.0, 180.0, 85.0])
///     .unwrap();
/// assert_eq!(&buf[..7], b"PMTiles");
/// ```
pub fn write_pmtiles<W: Write>(
    mut out: W,
    tiles: Vec<(TileId, Vec<u8>)>,
    metadata: &serde_json::Value,
    bounds_wgs84: [f64; 4],
) -> Result<(), TileError> {
    if !metadata.is_object() {
        return Err(TileError::MetadataNotObject {
            kind: json_kind(metadata),
        });
    }
    let mut tiles: Vec<(u64, TileId, Vec<u8>)> = tiles
        .into_iter()
        .map(|(t, d)| (t.hilbert_id(), t, d))
        .collect();
    tiles.par_sort_unstable_by_key(|t| t.0);
    if let Some(w) = tiles.windows(2).find(|w| w[0].0 == w[1].0) {
        let t = w[0].1;
        return Err(TileError::DuplicateTile {
            z: t.z,
            x: t.x,
            y: t.y,
        });
    }
    let min_zoom = tiles.iter().map(|t| t.1.z).min().unwrap_or(0);
    let max_zoom = tiles.iter().map(|t| t.1.z).max().unwrap_or(0);
    let compressed: Vec<Vec<u8>> = tiles
        .par_iter()
        .map(|t| gzip(&t.2))
        .collect::<std::io::Result<_>>()?;

    let mut data: Vec<u8> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashMap<&[u8], (u64, u32)> = HashMap::new();
    for ((tile_id, _, _), bytes) in tiles.iter().zip(&compressed) {
        let (offset, length) = *seen.entry(bytes.as_slice()).or_insert_with(|| {
            let at = data.len() as u64;
            data.extend_from_slice(bytes);
            (at, bytes.len() as u32)
        });
        if let Some(last) = entries.last_mut() {
            if last.offset == offset && last.tile_id + u64::from(last.run_length) == *tile_id {
                last.run_length += 1;
                continue;
            }
        }
        entries.push(Entry {
            tile_id: *tile_id,
            offset,
            length,
            run_length: 1,
        });
    }
    let (root, leaves) = directories(&entries)?;
    let meta = gzip(&serde_json::to_vec(metadata).map_err(std::io::Error::other)?)?;

    let root_offset = HEADER_LEN as u64;
    let meta_offset = root_offset + root.len() as u64;
    let leaves_offset = meta_offset + meta.len() as u64;
    let data_offset = leaves_offset + leaves.len() as u64;
    let [west, south, east, north] = bounds_wgs84;
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(b"PMTiles");
    h.push(3);
    for v in [
        root_offset,
        root.len() as u64,
        meta_offset,
        meta.len() as u64,
        leaves_offset,
        leaves.len() as u64,
        data_offset,
        data.len() as u64,
        tiles.len() as u64,
        entries.len() as u64,
        seen.len() as u64,
    ] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&[
        1,
        COMPRESSION_GZIP,
        COMPRESSION_GZIP,
        TILE_TYPE_MVT,
        min_zoom,
        max_zoom,
    ]);
    for v in [west, south, east, north] {
        h.extend_from_slice(&e7(v).to_le_bytes());
    }
    h.push(min_zoom);
    h.extend_from_slice(&e7(f64::midpoint(west, east)).to_le_bytes());
    h.extend_from_slice(&e7(f64::midpoint(south, north)).to_le_bytes());
    debug_assert_eq!(h.len(), HEADER_LEN);

    out.write_all(&h)?;
    out.write_all(&root)?;
    out.write_all(&meta)?;
    out.write_all(&leaves)?;
    out.write_all(&data)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_serialisation_matches_the_spec() {
        let entries = [
            Entry {
                tile_id: 1,
                offset: 0,
                length: 10,
                run_length: 1,
            },
            Entry {
                tile_id: 2,
                offset: 10,
                length: 5,
                run_length: 2,
            },
            Entry {
                tile_id: 9,
                offset: 0,
                length: 10,
                run_length: 1,
            },
        ];
        let bytes = serialize_directory(&entries);
        // count; ids 1, +1, +7; runs 1, 2, 1; lengths 10, 5, 10; offsets 0+1, follows, 0+1.
        assert_eq!(bytes, [3, 1, 1, 7, 1, 2, 1, 10, 5, 10, 1, 0, 1]);
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
    }

    #[test]
    fn large_directories_are_split_into_leaves() {
        let entries: Vec<Entry> = (0..200_000u64)
            .map(|i| Entry {
                tile_id: i * 3 + (i * 7919) % 3,
                offset: i * 1000 + (i * 104_729) % 977,
                length: 500 + (i * 31) as u32 % 400,
                run_length: 1,
            })
            .collect();
        let (root, leaves) = directories(&entries).unwrap();
        assert!(root.len() <= MAX_ROOT_LEN);
        assert!(!leaves.is_empty());
    }

    #[test]
    fn bad_input_is_refused() {
        let t = TileId::new(1, 0, 0).unwrap();
        let e = write_pmtiles(Vec::new(), vec![], &serde_json::json!([1]), [0.0; 4]).unwrap_err();
        assert!(e.to_string().contains("an array"), "{e}");
        let e = write_pmtiles(
            Vec::new(),
            vec![(t, vec![1]), (t, vec![2])],
            &serde_json::json!({}),
            [0.0; 4],
        )
        .unwrap_err();
        assert!(e.to_string().contains("1/0/0"), "{e}");
    }
}
