//! Encoded tiles kept in memory, keyed by the results' fingerprint, so a reload of
//! unchanged results keeps the cache and a reload of changed results never serves a stale
//! tile.

use moka::sync::Cache;
use std::sync::Arc;

/// The encodings a tile is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileFormat {
    /// Mapbox Vector Tile 2.1 (`.mvt`).
    Mvt,
    /// A GeoJSON FeatureCollection in WGS84 (`.geojson`) with the MVT tile's features.
    GeoJson,
}

impl TileFormat {
    /// The format of a tile file name's extension (`mvt` or `geojson`).
    pub fn from_extension(ext: &str) -> Option<TileFormat> {
        match ext {
            "mvt" => Some(TileFormat::Mvt),
            "geojson" => Some(TileFormat::GeoJson),
            _ => None,
        }
    }

    /// The `Content-Type` of the format.
    pub fn content_type(self) -> &'static str {
        match self {
            TileFormat::Mvt => "application/vnd.mapbox-vector-tile",
            TileFormat::GeoJson => "application/geo+json",
        }
    }
}

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
    /// The encoding.
    pub format: TileFormat,
}

/// One encoded tile; `None` data for a tile with no features.
#[derive(Debug, Clone)]
pub struct EncodedTile {
    /// The tile's bytes and their gzip, or `None` for an empty MVT tile (an empty GeoJSON
    /// tile is an empty FeatureCollection).
    pub data: Option<(axum::body::Bytes, axum::body::Bytes)>,
    /// Strong validator: a hash of the bytes, the format and the role.
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
