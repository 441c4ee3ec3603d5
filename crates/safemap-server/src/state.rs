//! [`AppState`]: the loaded results behind an atomic pointer, the analyst token and the
//! tile cache. A reload builds a new [`Dataset`] off the async threads and swaps it in;
//! requests already running keep the `Arc` they started with.

use crate::dataset::{self, Dataset, LoadError};
use crate::tile_cache::TileCache;
use arc_swap::ArcSwap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Default [`ServerConfig::max_connections`]: well below the usual 1024 open files a process
/// may hold, since each connection can also hold a file of the web map being sent.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Default [`ServerConfig::header_read_timeout`], in seconds.
pub const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 10;
/// Default [`ServerConfig::idle_timeout`], in seconds.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 10;
/// Default [`ServerConfig::request_timeout`], in seconds.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Default [`ServerConfig::max_body_bytes`]: 64 KiB (no route takes a body today).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The results directory of a run.
    pub results_dir: PathBuf,
    /// The analyst bearer token (`None`: public role only).
    pub token: Option<String>,
    /// The web map's directory (`web-map/`), if it is to be served.
    pub web_dir: Option<PathBuf>,
    /// Origins allowed by CORS (`*` for any); empty: same-origin only.
    pub cors_origins: Vec<String>,
    /// Longest time from a request's head being read to its answer being ready, reading the
    /// body included (`408` after it).
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes, with or without a `Content-Length` (`413`).
    pub max_body_bytes: usize,
    /// Bytes of encoded tiles kept in memory.
    pub tile_cache_bytes: u64,
    /// Most connections open at once. A connection beyond it takes the place of the open one
    /// that has waited longest for its client with no request being answered, or is closed at
    /// once when every open connection has a request being answered.
    pub max_connections: usize,
    /// Longest time a connection may take to send a whole request head, counted from the
    /// connection's opening or the end of its previous answer; the connection is closed after
    /// it.
    pub header_read_timeout: Duration,
    /// Longest time a connection with no request being answered may go without sending or
    /// receiving a byte (an idle keep-alive connection, a stalled upload, a client that stops
    /// reading its answer); the connection is closed after it.
    pub idle_timeout: Duration,
}

impl ServerConfig {
    /// Defaults for a results directory: no token, no web map, same-origin, 30 s per request,
    /// 64 KiB bodies, 256 MiB of tiles, 256 connections, 10 s header-read and idle timeouts.
    pub fn new(results_dir: impl Into<PathBuf>) -> Self {
        Self {
            results_dir: results_dir.into(),
            token: None,
            web_dir: None,
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            tile_cache_bytes: 256 * 1024 * 1024,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_read_timeout: Duration::from_secs(DEFAULT_HEADER_READ_TIMEOUT_SECS),
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_TIMEOUT_SECS),
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: ServerConfig,
    data: ArcSwap<Dataset>,
    reload: tokio::sync::Mutex<()>,
    tiles: TileCache,
}

/// What a reload did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReloadReport {
    /// Fingerprint of the results now served.
    pub fingerprint: String,
    /// Whether the results differ from the ones served before.
    pub changed: bool,
    /// Milliseconds spent loading.
    pub load_ms: u128,
}

impl AppState {
    /// Loads the results directory (blocking) and builds the state.
    pub fn load(config: ServerConfig) -> Result<Self, LoadError> {
        let data = dataset::load(&config.results_dir)?;
        let tiles = TileCache::new(config.tile_cache_bytes);
        Ok(Self {
            inner: Arc::new(Inner {
                data: ArcSwap::from_pointee(data),
                reload: tokio::sync::Mutex::new(()),
                tiles,
                config,
            }),
        })
    }

    /// The results now served; hold the `Arc` for the whole request.
    pub fn data(&self) -> Arc<Dataset> {
        self.inner.data.load_full()
    }

    /// Server settings.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The tile cache.
    pub fn tiles(&self) -> &TileCache {
        &self.inner.tiles
    }

    /// Re-reads the results directory on the blocking pool and swaps the new results in.
    /// Reloads run one at a time; a failed load leaves the old results in place. Files whose
    /// fingerprint equals the one served are not parsed again (the answers would be the
    /// same); changed files are parsed on a one-thread pool, so serving keeps the other cores.
    pub async fn reload(&self) -> Result<ReloadReport, LoadError> {
        let _guard = self.inner.reload.lock().await;
        let dir = self.inner.config.results_dir.clone();
        let started = Instant::now();
        let current = self.data();
        let loaded = tokio::task::spawn_blocking(move || -> Result<Option<Dataset>, LoadError> {
            let files = dataset::ResultFiles::read(&dir)?;
            if files.fingerprint() == &*current.fingerprint {
                return Ok(None);
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .map_err(|e| LoadError::Read {
                    path: dir.clone(),
                    source: std::io::Error::other(e),
                })?;
            pool.install(|| dataset::parse(files)).map(Some)
        })
        .await
        .map_err(|e| LoadError::Read {
            path: self.inner.config.results_dir.clone(),
            source: std::io::Error::other(e),
        })??;
        let changed = loaded.is_some();
        if let Some(data) = loaded {
            self.inner.data.store(Arc::new(data));
        }
        let report = ReloadReport {
            changed,
            fingerprint: self.data().fingerprint.to_string(),
            load_ms: started.elapsed().as_millis(),
        };
        tracing::info!(
            changed = report.changed,
            load_ms = report.load_ms as u64,
            "results reloaded"
        );
        Ok(report)
    }
}
