//! `manifest.json`: what went in (with SHA-256), what came out, every parameter, the seed,
//! the row accounting and the timings.

use crate::error::EngineError;
use crate::outputs::write_file;
use crate::paths::tidy;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// One input file and its checksum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputFile {
    /// What the file is (`boundaries`, `population`, `source:police`, ...).
    pub role: String,
    /// Path as given (tidied).
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Hashes the files in parallel; the result keeps the given order.
pub fn checksum_all(files: &[(String, PathBuf)]) -> Result<Vec<InputFile>, EngineError> {
    files
        .par_iter()
        .map(|(role, path)| {
            let io = |source| EngineError::Read {
                path: path.clone(),
                source,
            };
            let mut f = std::fs::File::open(path).map_err(io)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0_u8; 1 << 16];
            let mut bytes = 0_u64;
            loop {
                let n = f.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                bytes += n as u64;
                hasher.update(&buf[..n]);
            }
            let sha256 = format!("{:x}", hasher.finalize());
            Ok(InputFile {
                role: role.clone(),
                path: tidy(path),
                bytes,
                sha256,
            })
        })
        .collect()
}

/// Writes any serialisable manifest value as pretty JSON.
pub fn write(manifest: &impl Serialize, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        serde_json::to_writer_pretty(&mut *w, manifest)?;
        w.write_all(b"\n")
    })
}
