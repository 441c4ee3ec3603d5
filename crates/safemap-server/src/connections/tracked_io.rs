//! A socket that records when it last moved a byte, for the idle timeout. hyper has a timeout
//! for reading a request head only; it cannot tell a client that stopped reading its answer,
//! or stopped sending its body, from one that is merely slow, so the bytes are counted here.

use super::registry::Connection;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// `inner`, touching `connection` whenever a read or write moves at least one byte.
pub struct TrackedIo<T> {
    inner: T,
    connection: Arc<Connection>,
}

impl<T> TrackedIo<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, connection: Arc<Connection>) -> Self {
        Self { inner, connection }
    }

    fn touch_if<E>(&self, moved: Poll<Result<usize, E>>) -> Poll<Result<usize, E>> {
        if let Poll::Ready(Ok(n)) = &moved {
            if *n > 0 {
                self.connection.touch();
            }
        }
        moved
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for TrackedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = polled.map_ok(|()| buf.filled().len() - before);
        self.touch_if(read).map_ok(|_| ())
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for TrackedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.touch_if(written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.touch_if(written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
