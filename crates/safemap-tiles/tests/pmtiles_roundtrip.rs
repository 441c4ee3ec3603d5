//! PMTiles archives read back with a small reader written from the v3 spec.

mod common;

use flate2::read::GzDecoder;
use safemap_tiles::{
    encode_tile, tiles_covering, write_pmtiles, AttributeTable, LayerGeometry, LayerInput,
    PrepareOptions, TileId,
};
use std::io::Read;

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(b).read_to_end(&mut out).expect("valid gzip");
    out
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn read_varint(b: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
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

/// (tile_id, offset, length, run_length) entries of a decompressed directory.
fn directory(b: &[u8]) -> Vec<(u64, u64, u64, u64)> {
    let mut pos = 0;
    let n = read_varint(b, &mut pos) as usize;
    let mut e = vec![(0u64, 0u64, 0u64, 0u64); n];
    let mut last = 0;
    for x in &mut e {
        last += read_varint(b, &mut pos);
        x.0 = last;
    }
    for x in &mut e {
        x.3 = read_varint(b, &mut pos);
    }
    for x in &mut e {
        x.2 = read_varint(b, &mut pos);
    }
    for i in 0..n {
        let v = read_varint(b, &mut pos);
        e[i].1 = if v == 0 {
            e[i - 1].1 + e[i - 1].2
        } else {
            v - 1
        };
    }
    assert_eq!(pos, b.len());
    e
}

struct Archive {
    bytes: Vec<u8>,
}

impl Archive {
    fn header(&self, field: usize) -> u64 {
        u64_at(&self.bytes, 8 + 8 * field)
    }

    /// The uncompressed tile `id`, following leaf directories.
    fn get(&self, id: u64) -> Option<Vec<u8>> {
        let (root_off, root_len) = (self.header(0) as usize, self.header(1) as usize);
        let (leaf_off, data_off) = (self.header(4) as usize, self.header(6) as usize);
        let mut dir = directory(&gunzip(&self.bytes[root_off..root_off + root_len]));
        loop {
            let i = dir.partition_point(|e| e.0 <= id).checked_sub(1)?;
            let (tid, off, len, run) = dir[i];
            if run == 0 {
                let at = leaf_off + off as usize;
                dir = directory(&gunzip(&self.bytes[at..at + len as usize]));
                continue;
            }
            if id >= tid + run {
                return None;
            }
            let at = data_off + off as usize;
            return Some(gunzip(&self.bytes[at..at + len as usize]));
        }
    }
}

#[test]
fn plymouth_tiles_round_trip() {
    let areas = common::read_areas(common::PLYMOUTH_LSOA11);
    let geometry = LayerGeometry::polygons(
        areas.into_iter().map(|(_, g)| g).collect(),
        PrepareOptions::default(),
    );
    let none = AttributeTable::default();
    let layer = LayerInput::new("lsoa", &geometry, &none);
    let bounds = geometry.bounds_wgs84().unwrap();
    let tiles: Vec<(TileId, Vec<u8>)> = (9..=13)
        .flat_map(|z| tiles_covering(bounds, z))
        .filter_map(|t| encode_tile(t, &[layer]).unwrap().map(|b| (t, b)))
        .collect();
    assert!(tiles.len() > 20);
    let metadata = serde_json::json!({
        "name": "plymouth",
        "vector_layers": [{"id": "lsoa", "fields": {}, "minzoom": 9, "maxzoom": 13}],
    });
    let mut bytes = Vec::new();
    // Given in reverse order: the writer sorts.
    write_pmtiles(
        &mut bytes,
        tiles.iter().rev().cloned().collect(),
        &metadata,
        bounds,
    )
    .unwrap();
    let a = Archive { bytes };
    assert_eq!(&a.bytes[..7], b"PMTiles");
    assert_eq!(a.bytes[7], 3);
    assert_eq!(a.header(0), 127);
    assert_eq!(a.header(8), tiles.len() as u64); // addressed tiles
    assert_eq!(&a.bytes[96..102], &[1, 2, 2, 1, 9, 13]); // clustered, gzip, gzip, mvt, zooms
    assert_eq!(i32_at(&a.bytes, 102), (bounds[0] * 1e7).round() as i32);
    assert_eq!(i32_at(&a.bytes, 114), (bounds[3] * 1e7).round() as i32);
    let (mo, ml) = (a.header(2) as usize, a.header(3) as usize);
    let meta: serde_json::Value = serde_json::from_slice(&gunzip(&a.bytes[mo..mo + ml])).unwrap();
    assert_eq!(meta, metadata);
    // Clustered: directory offsets ascend with tile ids.
    let root = directory(&gunzip(&a.bytes[127..127 + a.header(1) as usize]));
    assert!(root.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
    for (t, data) in &tiles {
        assert_eq!(a.get(t.hilbert_id()).as_ref(), Some(data), "tile {t}");
    }
    assert_eq!(a.get(TileId::new(13, 0, 0).unwrap().hilbert_id()), None);
    // The archive is the same bytes every time.
    let mut again = Vec::new();
    write_pmtiles(&mut again, tiles, &metadata, bounds).unwrap();
    assert_eq!(again, a.bytes);
}

#[test]
fn many_tiles_use_leaf_directories_and_runs() {
    // 60,000 scattered distinct tiles overflow the 16 KiB root; then 100 identical
    // consecutive tiles become one run of one stored copy.
    let mut tiles: Vec<(TileId, Vec<u8>)> = (0..60_000u32)
        .map(|i| {
            // SplitMix64 scatter over zoom 13.
            let mut h = u64::from(i).wrapping_add(0x9e37_79b9_7f4a_7c15);
            h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            h ^= h >> 31;
            let (x, y) = ((h & 8191) as u32, ((h >> 13) & 8191) as u32);
            (
                TileId::new(13, x, y).unwrap(),
                vec![0u8; 1 + (h >> 40) as usize % 300],
            )
        })
        .collect();
    tiles.sort_by_key(|t| t.0.hilbert_id());
    tiles.dedup_by_key(|t| t.0);
    for (i, t) in tiles.iter_mut().enumerate() {
        t.1.extend_from_slice(&(i as u32).to_le_bytes()); // distinct contents
    }
    assert!(tiles.len() > 55_000);
    let runs: Vec<(TileId, Vec<u8>)> = (0..100)
        .map(|x| (TileId::new(14, x, 0).unwrap(), vec![7, 7, 7]))
        .collect();
    let all: Vec<_> = tiles.iter().cloned().chain(runs.iter().cloned()).collect();
    let mut bytes = Vec::new();
    write_pmtiles(
        &mut bytes,
        all.clone(),
        &serde_json::json!({}),
        [-180.0, -85.0, 180.0, 85.0],
    )
    .unwrap();
    let a = Archive { bytes };
    assert!(a.header(5) > 0, "leaf directories expected");
    assert!(a.header(1) <= 16_384 - 127);
    assert_eq!(a.header(8), all.len() as u64);
    assert_eq!(a.header(10), tiles.len() as u64 + 1, "distinct contents");
    for (t, data) in all.iter().step_by(37).chain(&runs) {
        assert_eq!(a.get(t.hilbert_id()).as_ref(), Some(data), "tile {t}");
    }
}
