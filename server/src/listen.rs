//! How the server meets the network: `axum-server`'s accept loop over hyper, with
//! hyper's own header-read timeout (axum's `serve` installs no timer, so a client that
//! never finishes its headers was kept for good), a bound on the time before a
//! connection's first request, idle timeouts on every read and write, and a cap on
//! connections — all of them and per client — so that a stranger holding sockets open
//! cannot take the server's file descriptors or memory. A connection over a cap is
//! closed at once.

use std::collections::HashMap;
use std::future::{ready, Future, Ready};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum_server::accept::Accept;
use axum_server::Handle;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_io_timeout::TimeoutStream;

use crate::ratelimit::Client;
use crate::request::TrustedProxies;

/// The bounds on connections (`serve --header-read-timeout …`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From a connection's first byte (or the end of its last response) to the end of
    /// a request's headers.
    pub header_read_timeout: Duration,
    /// The longest a read or a write may wait for the peer.
    pub idle_timeout: Duration,
    /// Connections open at once, in all.
    pub max_connections: usize,
    /// Connections open at once from one client (an IPv4 address or an IPv6 /64);
    /// trusted proxies, which carry many clients, are not held to it.
    pub max_connections_per_client: usize,
    /// How long in-flight requests may finish after a shutdown signal.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            // An office behind one NAT address is many browsers, each with a few
            // connections open.
            max_connections_per_client: 256,
            grace: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets in-flight requests
/// finish for `limits.grace`.
pub async fn serve(
    listener: std::net::TcpListener,
    app: Router,
    limits: Limits,
    trusted: TrustedProxies,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let handle: Handle<SocketAddr> = Handle::new();
    let on_signal = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        on_signal.graceful_shutdown(Some(limits.grace));
    });
    let mut server = axum_server::from_tcp(listener)?
        .handle(handle)
        .http1_only()
        .first_request_timeout(limits.header_read_timeout)
        .acceptor(Capped::new(limits, trusted));
    server
        .http_builder()
        .http1()
        .header_read_timeout(limits.header_read_timeout);
    server
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await
}

/// The acceptor: takes a place under both caps or closes the connection, and puts the
/// idle timeouts around it.
#[derive(Clone)]
struct Capped {
    all: Arc<Semaphore>,
    per_client: Arc<PerClient>,
    idle: Duration,
    trusted: Arc<TrustedProxies>,
}

struct PerClient {
    max: usize,
    open: Mutex<HashMap<Client, usize>>,
}

impl Capped {
    fn new(limits: Limits, trusted: TrustedProxies) -> Self {
        Capped {
            all: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            per_client: Arc::new(PerClient {
                max: limits.max_connections_per_client.max(1),
                open: Mutex::new(HashMap::new()),
            }),
            idle: limits.idle_timeout,
            trusted: Arc::new(trusted),
        }
    }

    fn admit(&self, stream: &TcpStream) -> io::Result<Places> {
        let all = self
            .all
            .clone()
            .try_acquire_owned()
            .map_err(|_| io::Error::other("too many connections"))?;
        let peer = stream.peer_addr()?.ip();
        let client = if self.trusted.contains(peer) {
            None
        } else {
            let client = Client::of(peer);
            let mut open = self
                .per_client
                .open
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let n = open.entry(client).or_insert(0);
            if *n >= self.per_client.max {
                return Err(io::Error::other("too many connections from one client"));
            }
            *n += 1;
            Some((self.per_client.clone(), client))
        };
        Ok(Places { _all: all, client })
    }
}

/// A connection's places under the caps, given back when it closes.
struct Places {
    _all: OwnedSemaphorePermit,
    client: Option<(Arc<PerClient>, Client)>,
}

impl Drop for Places {
    fn drop(&mut self) {
        if let Some((per_client, client)) = self.client.take() {
            let mut open = per_client.open.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = open.get_mut(&client) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&client);
                }
            }
        }
    }
}

/// A stream that holds its places for as long as it lives.
struct Held {
    stream: TcpStream,
    _places: Places,
}

impl AsyncRead for Held {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

impl<S> Accept<TcpStream, S> for Capped {
    type Stream = Pin<Box<TimeoutStream<Held>>>;
    type Service = S;
    type Future = Ready<io::Result<(Self::Stream, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        ready(self.admit(&stream).map(|places| {
            let _ = stream.set_nodelay(true);
            let mut timed = TimeoutStream::new(Held {
                stream,
                _places: places,
            });
            timed.set_read_timeout(Some(self.idle));
            timed.set_write_timeout(Some(self.idle));
            (Box::pin(timed), service)
        }))
    }
}
