//! The layers every request passes: the edge (what the request may say about itself),
//! rate limits with Auth0's headers, one access log line, the security headers every
//! response carries, a panic turned into a 500, and forgetting cached login contexts
//! after a management write.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::util::MapResponseLayer;

use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::request;
use crate::state::AppState;

/// The client's address, as `edge` decided it.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

/// The first layer: decides who the client is (`request::client_ip`) and leaves the
/// forwarded headers only where a trusted proxy wrote them (`request::sanitize`), so
/// that every handler after it reads a host and an address it may believe.
pub async fn edge(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let trusted = &state.config.trusted_proxies;
    let ip = request::client_ip(req.headers(), peer, trusted);
    request::sanitize(req.headers_mut(), peer, trusted);
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// A client over its limit gets its `429` after `pause` (`--rate-limit-pause`): a
/// refusal costs the server almost nothing, but answered at once it lets one client
/// keep the server busy with thousands of them a second; paused, each of its
/// connections (at most `--max-connections-per-client`) carries one a pause.
async fn limit(
    limiter: &RateLimiter,
    pause: std::time::Duration,
    req: Request,
    next: Next,
) -> Response {
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0);
    let decision = limiter.check(ip);
    let mut res = if decision.allowed {
        next.run(req).await
    } else {
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        ApiError::TooManyRequests {
            retry_after: decision.reset.saturating_sub(now).max(1),
        }
        .into_response()
    };
    let h = res.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    h.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    h.insert("x-ratelimit-reset", HeaderValue::from(decision.reset));
    res
}

/// The Management API's own limit.
pub async fn management_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit(&state.management_limiter, state.refusal_pause, req, next).await
}

/// The public endpoints' limit.
pub async fn public_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit(&state.public_limiter, state.refusal_pause, req, next).await
}

/// After a successful management write, cached login contexts may be stale.
pub async fn forget_cached_contexts(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let write = req.method() != Method::GET;
    let res = next.run(req).await;
    if write && res.status().is_success() {
        state.context_cache.clear();
    }
    res
}

/// One structured log line per request: method, path (never the query, which carries
/// state, nonces and login hints), status and latency. Kept instead of tower-http's
/// `TraceLayer`, whose default spans record the whole URI, query included.
pub async fn access_log(req: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "access", tracing::Level::INFO) {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let uri = req.uri().clone();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    tracing::info!(
        target: "access",
        %method,
        path = %uri.path(),
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    res
}

/// The headers every response carries (docs/design.md#security), JSON and files included; HTML
/// responses set their own CSP and caching, and these only where they are missing.
/// One synchronous layer: tower-http's `SetResponseHeaderLayer`, one layer per
/// header, measured slower on `/login/context` (docs/architecture.md#kept-ours-instead-of-a-library).
pub fn security_headers() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(add_security_headers)
}

/// A handler that panics answers 500 with Auth0's body, and every other request in
/// flight goes on (the server unwinds; `main.rs` refuses a build that aborts).
pub fn catch_panic(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    tower_http::catch_panic::CatchPanicLayer::custom(panicked)
}

/// A response with any body, as axum's (what `catch_panic` answers with).
pub fn axum_body<B>(res: axum::http::Response<B>) -> Response
where
    B: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    res.map(axum::body::Body::new)
}

fn panicked(_: Box<dyn std::any::Any + Send>) -> Response {
    // The panic's message went to stderr through the panic hook; the client learns
    // nothing about it.
    ApiError::Internal.into_response()
}

fn add_security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        h.entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    }
    res
}
