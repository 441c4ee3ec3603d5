//! Encoded tiles kept in memory, keyed by the results' fingerprint, so a reload of
//! unchanged results keeps the cache and a reload of changed results never serves a stale
//! tile.

use moka::sync::Cache;
use std::sync::Arc;

/// What identifies one encoded tile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    /// Fingerprint of the results.
    pub fingerprint: Arc<str>,
    /// Layer id.
    pub layer: String,
    /// Whether the analyst attributes were encoded.
    pub analyst: bool,
    /// Zoom, column, row.
    pub zxy: (u8, u32, u32),
}

/// One encoded tile; `None` data for a tile with no features.
#[derive(Debug, Clone)]
pub struct EncodedTile {
    /// The MVT bytes and their gzip, or `None` when the tile is empty.
    pub data: Option<(axum::body::Bytes, axum::body::Bytes)>,
    /// Strong validator: a hash of the MVT bytes and the role.
    pub etag: String,
}

/// A size-bounded cache of encoded tiles.
pub struct TileCache {
    cache: Cache<TileKey, Arc<EncodedTile>>,
}

impl TileCache {
    /// A cache holding up to `bytes` of tile data.
    pub fn new(bytes: u64) -> Self {
        Self {
            cache: Cache::builder()
                .max_capacity(bytes)
                .weigher(|_, t: &Arc<EncodedTile>| {
                    t.data
                        .as_ref()
                        .map_or(64, |(raw, gz)| (raw.len() + gz.len() + 64) as u32)
                })
                .build(),
        }
    }

    /// The cached tile, or the one `encode` makes (concurrent requests for the same tile
    /// wait for one encoding). Blocking: call it from the blocking pool.
    pub fn get_or_encode<E>(
        &self,
        key: TileKey,
        encode: impl FnOnce() -> Result<EncodedTile, E>,
    ) -> Result<Arc<EncodedTile>, Arc<E>>
    where
        E: Send + Sync + 'static,
    {
        self.cache.try_get_with(key, || encode().map(Arc::new))
    }
}
