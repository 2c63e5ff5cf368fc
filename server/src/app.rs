//! The router: the Management API under `/api/v2` (its own rate limit), and the
//! public side — the login API, the page's entry points and files, the demo's pages,
//! health — under the public limit; an access log line and the security headers on
//! every response.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
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
        .route("/", get(root))
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

/// Liveness and readiness: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => ([(header::CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(_) => ApiError::Unavailable.into_response(),
    }
}
