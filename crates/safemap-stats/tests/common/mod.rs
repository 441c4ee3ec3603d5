//! Readers for the reference files shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};

use safemap_ingest::weights_file::read_gal;
use safemap_types::Weights;

/// A path under ../shared/data.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(rel)
}

/// A path under tests/reference of the repository.
pub fn reference(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/reference"
    ))
    .join(rel)
}

/// A simple CSV (no quoted commas), `#` lines skipped: column name -> values.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Self {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let header = lines
            .next()
            .expect("header")
            .split(',')
            .map(str::to_owned)
            .collect();
        let rows = lines
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        Self { header, rows }
    }

    fn index(&self, column: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column}"))
    }

    pub fn strings(&self, column: &str) -> Vec<String> {
        let c = self.index(column);
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    pub fn numbers(&self, column: &str) -> Vec<f64> {
        let c = self.index(column);
        self.rows
            .iter()
            .map(|r| {
                r[c].parse()
                    .unwrap_or_else(|_| panic!("{column}: {}", r[c]))
            })
            .collect()
    }
}

/// Weights from a GAL file, ids mapped through `ids` (or numeric when `None`).
pub fn gal(path: &Path, ids: Option<&[String]>) -> Weights {
    read_gal(path, ids).unwrap_or_else(|e| panic!("{e}"))
}

/// A JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("json")).expect("json")
}

/// Asserts |got - want| <= tol for every pair, naming the first failure.
pub fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol, "{what}[{i}]: got {g}, want {w}");
    }
}

/// Column of a JSON number.
pub fn num(v: &serde_json::Value, path: &[&str]) -> f64 {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_f64().unwrap_or_else(|| panic!("{path:?}"))
}

/// The queen lattice of `side x side` cells (row-major ids).
pub fn queen_lattice(side: usize) -> Weights {
    let mut lists = Vec::with_capacity(side * side);
    for r in 0..side {
        for c in 0..side {
            let mut row = Vec::new();
            for dr in -1_i64..=1 {
                for dc in -1_i64..=1 {
                    let (rr, cc) = (r as i64 + dr, c as i64 + dc);
                    if (dr, dc) != (0, 0)
                        && (0..side as i64).contains(&rr)
                        && (0..side as i64).contains(&cc)
                    {
                        row.push((rr as usize * side + cc as usize) as u32);
                    }
                }
            }
            lists.push(row);
        }
    }
    Weights::from_neighbour_lists(&lists).expect("lattice")
}

/// Deterministic pseudo-random counts with a planted hot corner (SplitMix64).
pub fn synthetic_counts(side: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    (0..side * side)
        .map(|i| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let (r, c) = (i / side, i % side);
            let hot = if r < side / 5 && c < side / 5 { 6 } else { 0 };
            ((z % 8) + hot) as f64
        })
        .collect()
}
