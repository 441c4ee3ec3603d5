//! Serving the router over TCP so that no client can starve the others: at most
//! [`Limits::max_connections`] connections (a new one replaces the one that has waited
//! longest for its client, see [`registry`]), a request head must arrive within
//! [`Limits::header_read_timeout`] (hyper's own timer), and a connection with no request being
//! answered that moves no byte for [`Limits::idle_timeout`] is closed ([`tracked_io`]). The
//! request timeout and the body limit are layers of the router itself.
//!
//! axum's `serve` gives no access to hyper's connection settings (no timer, so no header
//! timeout) and has no connection cap, hence this accept loop over hyper's HTTP/1 server.

mod registry;
mod tracked_io;

pub use registry::Connection;

use crate::ServerConfig;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use registry::{Admitted, Registry};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt as _;
use tracked_io::TrackedIo;

/// The limits that apply to connections rather than requests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Longest wait for a whole request head.
    pub header_read_timeout: Duration,
    /// Longest time without a byte moved while no request is being answered.
    pub idle_timeout: Duration,
    /// Longest wait, once stopping, for the connections to finish (the request timeout:
    /// every answer being computed is done by then).
    pub shutdown_grace: Duration,
}

impl Limits {
    /// The limits a server configuration sets.
    pub fn of(config: &ServerConfig) -> Self {
        Self {
            max_connections: config.max_connections,
            header_read_timeout: config.header_read_timeout,
            idle_timeout: config.idle_timeout,
            shutdown_grace: config.request_timeout,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting, lets the
/// requests being answered finish and closes the idle connections; a connection still open
/// after [`Limits::shutdown_grace`] (a slow client's) is dropped with the server.
pub async fn serve(
    mut listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let registry = Registry::new(limits.max_connections);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            // axum's accept: retries on connection errors and waits a second on others
            // (such as running out of file descriptors) rather than spinning.
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        // One admission at a time: at the cap this waits for the replaced connection's socket
        // to close, so sockets never pile up beyond the cap.
        let Some(admitted) = registry.admit().await else {
            tracing::debug!(%peer, "connection closed at once: every open connection has a request being answered");
            continue;
        };
        tokio::spawn(serve_connection(
            stream,
            admitted,
            app.clone(),
            limits,
            stop_rx.clone(),
        ));
    }
    drop(listener);
    drop(stop_rx);
    stop_tx.send_replace(true);
    // Every connection holds a receiver until it ends.
    if tokio::time::timeout(limits.shutdown_grace, stop_tx.closed())
        .await
        .is_err()
    {
        tracing::warn!("stopping with connections still open after the shutdown grace");
    }
}

async fn serve_connection(
    stream: TcpStream,
    admitted: Admitted,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let connection = Arc::clone(&admitted.connection);
    let io = TokioIo::new(TrackedIo::new(stream, Arc::clone(&connection)));
    let on_connection = Arc::clone(&connection);
    // The connection travels with each request so that the body layer can mark it working.
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(Arc::clone(&on_connection));
        app.clone().oneshot(request)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    {
        let mut served = pin!(http.serve_connection(io, service));
        let mut stopping = false;
        loop {
            tokio::select! {
                result = served.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    break;
                }
                () = connection.evicted() => {
                    tracing::debug!("connection closed to make room for a new one");
                    break;
                }
                () = idle(&connection, limits.idle_timeout) => {
                    tracing::debug!("idle connection closed");
                    break;
                }
                _ = stop.changed(), if !stopping => {
                    stopping = true;
                    served.as_mut().graceful_shutdown();
                }
            }
        }
    }
    // The socket (in the block above) is closed before the place is freed.
    drop(admitted);
}

/// Resolves once `connection` has gone `timeout` without moving a byte while no request of
/// it was being answered.
async fn idle(connection: &Connection, timeout: Duration) {
    loop {
        let wait = match connection.idle_for() {
            Some(idle) => match timeout.checked_sub(idle) {
                Some(left) if !left.is_zero() => left,
                _ => return,
            },
            None => timeout,
        };
        tokio::time::sleep(wait).await;
    }
}
