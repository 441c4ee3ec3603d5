//! The open connections, their activity, and the cap on how many may be open.
//!
//! A plain semaphore around `accept` would make a full server refuse everyone for as long as
//! an attacker keeps the slots filled (reopening each one as a timeout closes it is cheap).
//! So, as nginx does with its idle connections, a connection beyond the cap takes the place
//! of the open connection that has waited longest for its client while no request of it is
//! being answered: slow heads, stalled uploads, idle keep-alives and stalled downloads go
//! first, oldest first, and a new client is served at once. Only when every open connection
//! has a request being answered (each bounded by the request timeout) is the new one closed.
//! A place is freed only once the connection's socket is closed (a semaphore permit held by
//! its task), and the accept loop admits one connection at a time, so at most one socket more
//! than the cap is ever open.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// How long a new connection waits for the connection it replaces to close.
const EVICTION_WAIT: Duration = Duration::from_secs(1);

/// One open connection as the cap and the idle timeout see it.
#[derive(Debug)]
pub struct Connection {
    /// When the registry started; times below are milliseconds after it.
    epoch: Instant,
    /// When a byte was last read from or written to the client.
    last_io_ms: AtomicU64,
    /// When the connection started waiting for its client: its opening or the end of the
    /// answer to its previous request.
    waiting_since_ms: AtomicU64,
    /// Whether a request of it, head and body read, is being answered.
    working: AtomicBool,
    /// Told when the connection is to close to make room for a new one.
    evicted: Notify,
}

impl Connection {
    fn new(epoch: Instant) -> Self {
        let now = ms_since(epoch);
        Self {
            epoch,
            last_io_ms: AtomicU64::new(now),
            waiting_since_ms: AtomicU64::new(now),
            working: AtomicBool::new(false),
            evicted: Notify::new(),
        }
    }

    /// Records that bytes were read from or written to the client.
    pub fn touch(&self) {
        self.last_io_ms
            .store(ms_since(self.epoch), Ordering::Relaxed);
    }

    /// Marks a request as being answered until the guard is dropped.
    pub fn start_work(self: &Arc<Self>) -> Working {
        self.working.store(true, Ordering::Relaxed);
        Working(Arc::clone(self))
    }

    /// How long the connection has gone without reading or writing a byte; `None` while a
    /// request of it is being answered (the request timeout bounds that).
    pub fn idle_for(&self) -> Option<Duration> {
        if self.working.load(Ordering::Relaxed) {
            return None;
        }
        let idle = ms_since(self.epoch).saturating_sub(self.last_io_ms.load(Ordering::Relaxed));
        Some(Duration::from_millis(idle))
    }

    /// Resolves when the connection is to close to make room for a new one.
    pub async fn evicted(&self) {
        self.evicted.notified().await;
    }
}

/// A request being answered; dropping it puts its connection back to waiting for the client.
#[derive(Debug)]
pub struct Working(Arc<Connection>);

impl Drop for Working {
    fn drop(&mut self) {
        let now = ms_since(self.0.epoch);
        // The answer is about to be written: the idle clock restarts from here, not from the
        // last byte of the request.
        self.0.last_io_ms.store(now, Ordering::Relaxed);
        self.0.waiting_since_ms.store(now, Ordering::Relaxed);
        self.0.working.store(false, Ordering::Relaxed);
    }
}

fn ms_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The open connections, at most `cap` of them.
#[derive(Debug)]
pub struct Registry {
    epoch: Instant,
    /// One permit per place; a connection's task holds its permit until its socket is closed.
    places: Arc<Semaphore>,
    /// The connections not yet told to close.
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    next_id: u64,
    by_id: HashMap<u64, Arc<Connection>>,
}

/// A connection admitted by [`Registry::admit`]; drop it after the socket to free its place.
#[derive(Debug)]
pub struct Admitted {
    id: u64,
    /// The connection's activity.
    pub connection: Arc<Connection>,
    registry: Arc<Registry>,
    _place: OwnedSemaphorePermit,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.registry.lock().by_id.remove(&self.id);
    }
}

impl Registry {
    /// An empty registry for at most `cap` connections (at least one).
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            epoch: Instant::now(),
            places: Arc::new(Semaphore::new(cap.max(1))),
            open: Mutex::new(Open::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // The map stays consistent whatever a panicking holder was doing.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Admits a new connection. At the cap, the open connection that has waited longest for
    /// its client with no request being answered is told to close, and its place is taken
    /// once it has; `None` when every open connection has a request being answered.
    pub async fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let place = if let Ok(place) = Arc::clone(&self.places).try_acquire_owned() {
            place
        } else {
            self.evict_longest_waiting()?;
            let freed = Arc::clone(&self.places).acquire_owned();
            tokio::time::timeout(EVICTION_WAIT, freed)
                .await
                .ok()?
                .ok()?
        };
        let mut open = self.lock();
        let id = open.next_id;
        open.next_id += 1;
        let connection = Arc::new(Connection::new(self.epoch));
        open.by_id.insert(id, Arc::clone(&connection));
        Some(Admitted {
            id,
            connection,
            registry: Arc::clone(self),
            _place: place,
        })
    }

    /// Tells the connection that has waited longest with no request being answered to close;
    /// `None` when there is none.
    fn evict_longest_waiting(&self) -> Option<()> {
        let mut open = self.lock();
        let (&victim, _) = open
            .by_id
            .iter()
            .filter(|(_, c)| !c.working.load(Ordering::Relaxed))
            .min_by_key(|(_, c)| c.waiting_since_ms.load(Ordering::Relaxed))?;
        let connection = open.by_id.remove(&victim)?;
        connection.evicted.notify_one();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn waiting_since(a: &Admitted, ms: u64) {
        a.connection.waiting_since_ms.store(ms, Ordering::Relaxed);
    }

    #[test]
    fn a_connection_beyond_the_cap_replaces_the_longest_waiting_idle_one() {
        let registry = Registry::new(3);
        block_on(async {
            let a = registry.admit().await.unwrap();
            let b = registry.admit().await.unwrap();
            let c = registry.admit().await.unwrap();
            waiting_since(&a, 10);
            waiting_since(&b, 5);
            waiting_since(&c, 1);
            // c waited longest but is answering a request: b is told to close, and the new
            // connection gets its place once b's task has ended.
            let working = c.connection.start_work();
            let (d, ()) = tokio::join!(registry.admit(), async {
                tokio::time::timeout(Duration::from_secs(1), b.connection.evicted())
                    .await
                    .expect("the evicted connection is told");
                drop(b);
            });
            let d = d.expect("admitted in b's place");
            let open: Vec<u64> = registry.lock().by_id.keys().copied().collect();
            assert_eq!(open.len(), 3);
            assert!(open.contains(&a.id) && open.contains(&c.id) && open.contains(&d.id));
            drop(working);
            assert!(c.connection.idle_for().is_some());
        });
    }

    #[test]
    fn a_full_registry_of_working_connections_refuses_and_frees_places_on_drop() {
        let registry = Registry::new(2);
        block_on(async {
            let a = registry.admit().await.unwrap();
            let b = registry.admit().await.unwrap();
            let _wa = a.connection.start_work();
            let _wb = b.connection.start_work();
            assert!(a.connection.idle_for().is_none());
            assert!(registry.admit().await.is_none());
            drop(b);
            assert_eq!(registry.lock().by_id.len(), 1);
            assert!(registry.admit().await.is_some());
        });
    }
}
