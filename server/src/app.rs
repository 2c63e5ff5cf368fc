//! The router: the Management API under `/api/v2` (its own rate limit), and the
//! public side — the login API, the page's entry points and files, the demo's pages,
//! health — under the public limit; an access log line and the security headers on
//! every response.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::time::Duration;

use tower::ServiceBuilder;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::{api, demo, login, middleware, web};

/// How long one request may take, its body included: a client that trickles its
/// body is answered 408 then.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn app(state: AppState) -> Router {
    let public = Router::new()
        .route("/", get(root).post(web::form::submit))
        .route("/healthz", get(healthz))
        .merge(login::router())
        .merge(demo::pages::router(&state))
        .merge(web::router())
        .layer(from_fn_with_state(state.clone(), middleware::public_limit));
    let routes = Router::new()
        .nest("/api/v2", api::router(&state))
        .merge(public);
    layered(routes, state)
}

/// `routes` inside the layers every request passes (the tests add a route of their
/// own this way): the access log, the security headers, a panic caught as a 500, the
/// request's time bound, and the edge that decides who the client is.
pub fn layered(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(middleware::access_log))
                .layer(middleware::security_headers())
                .map_response(middleware::axum_body)
                .layer(middleware::catch_panic())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                ))
                .layer(from_fn_with_state(state.clone(), middleware::edge)),
        )
        .with_state(state)
}

/// `/`: the entry point (an organization's subdomain), or with `--demo` and no query
/// the demo's list of flows.
async fn root(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if state.config.demo && state.assets.is_some() && query.as_deref().unwrap_or("").is_empty() {
        return demo::pages::index(&state, &headers);
    }
    web::entry::entry(State(state), RawQuery(query), headers).await
}

/// The scope a management token needs to read `/healthz` in detail.
pub const HEALTH_SCOPE: &str = "read:health";

/// Liveness and readiness: `ok` (200) when the database answers, `unavailable` (503)
/// when it does not; a synced directory answers `stale` (503) once its last good sync
/// is past `--sync-stale-after` (the last good copy still serves logins meanwhile).
/// That word is all a stranger learns; a management token with `read:health` also
/// reads where the directory syncs from, how old its copy is and why the last run
/// failed.
async fn healthz(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    let sync = match state.db.ping().await {
        Ok(()) => state.db.sync_state().await,
        Err(e) => Err(e),
    };
    let Ok(sync) = sync else {
        return (StatusCode::SERVICE_UNAVAILABLE, no_store, "unavailable").into_response();
    };
    let detailed = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.token_key.verify(token.trim()))
        .is_some_and(|scopes| scopes.contains(HEALTH_SCOPE));
    let Some(sync) = sync else {
        return (no_store, "ok").into_response();
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let age = (now - sync.finished_at).max(0) as u64;
    let stale = state
        .config
        .sync_stale_after
        .filter(|limit| age > limit.as_secs());
    let (status, word) = match stale {
        Some(_) => (StatusCode::SERVICE_UNAVAILABLE, "stale"),
        None => (StatusCode::OK, "ok"),
    };
    if !detailed {
        return (status, no_store, word).into_response();
    }
    let failing = sync
        .last_error
        .map(|e| format!("\nthe last attempt failed: {e}"))
        .unwrap_or_default();
    let text = match stale {
        Some(limit) => format!(
            "stale: the last good sync from {} finished {age} s ago, past the limit of {} s{failing}",
            sync.source,
            limit.as_secs()
        ),
        None => format!(
            "ok\nsynced from {}: the last good sync finished {age} s ago{failing}",
            sync.source
        ),
    };
    (status, no_store, text).into_response()
}
