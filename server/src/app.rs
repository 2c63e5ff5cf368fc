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
use tower::ServiceBuilder;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{api, demo, login, middleware, web};

pub fn app(state: AppState) -> Router {
    let public = Router::new()
        .route("/", get(root).post(web::form::submit))
        .route("/healthz", get(healthz))
        .merge(login::router())
        .merge(demo::pages::router(&state))
        .merge(web::router())
        .layer(from_fn_with_state(state.clone(), middleware::public_limit));
    Router::new()
        .nest("/api/v2", api::router(&state))
        .merge(public)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(middleware::access_log))
                .layer(middleware::security_headers()),
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

/// Liveness and readiness: 200 when the database answers, 503 when it does not. A
/// synced directory also says how old its last good sync is, and answers 503 once that
/// is past `--sync-stale-after` (the last good copy still serves logins meanwhile).
async fn healthz(State(state): State<AppState>) -> Response {
    let sync = match state.db.ping().await {
        Ok(()) => state.db.sync_state().await,
        Err(e) => Err(e),
    };
    let Ok(sync) = sync else {
        return ApiError::Unavailable.into_response();
    };
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    let Some(sync) = sync else {
        return (no_store, "ok").into_response();
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let age = (now - sync.finished_at).max(0) as u64;
    let failing = state
        .sync_error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .map(|e| format!("\nthe last attempt failed: {e}"))
        .unwrap_or_default();
    match state.config.sync_stale_after {
        Some(limit) if age > limit.as_secs() => (
            StatusCode::SERVICE_UNAVAILABLE,
            no_store,
            format!(
                "stale: the last good sync from {} finished {age} s ago, past the limit of {} s{failing}",
                sync.source,
                limit.as_secs()
            ),
        )
            .into_response(),
        _ => (
            no_store,
            format!("ok\nsynced from {}: the last good sync finished {age} s ago{failing}", sync.source),
        )
            .into_response(),
    }
}
