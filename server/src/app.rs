//! The router: management API, public login API, the page. Each group has its own
//! rate limiter.

use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::management as m;
use crate::state::AppState;
use crate::{login, page, ratelimit};

pub fn app(state: AppState) -> Router {
    let management = Router::new()
        .route(
            "/organizations",
            get(m::list_organizations).post(m::create_organization),
        )
        .route(
            "/organizations/{id}",
            get(m::get_organization)
                .patch(m::update_organization)
                .delete(m::delete_organization),
        )
        .route(
            "/organizations/name/{name}",
            get(m::get_organization_by_name),
        )
        .route(
            "/organizations/{id}/enabled_connections",
            get(m::list_enabled_connections).post(m::add_enabled_connection),
        )
        .route(
            "/organizations/{id}/enabled_connections/{connection_id}",
            get(m::get_enabled_connection)
                .patch(m::update_enabled_connection)
                .delete(m::remove_enabled_connection),
        )
        .route(
            "/connections",
            get(m::list_connections).post(m::create_connection),
        )
        .route(
            "/connections/{id}",
            get(m::get_connection)
                .patch(m::update_connection)
                .delete(m::delete_connection),
        )
        .route("/clients", get(m::list_clients).post(m::create_client))
        .route(
            "/clients/{id}",
            get(m::get_client)
                .patch(m::update_client)
                .delete(m::delete_client),
        )
        .fallback(m::not_found)
        .layer(from_fn_with_state(state.clone(), forget_cached_contexts))
        .layer(from_fn_with_state(state.clone(), ratelimit::management));

    let mut public = Router::new()
        .route("/login/context", get(login::get_context))
        .route("/login/discover", get(login::discover))
        .route("/authorize", get(page::entry))
        .route("/", get(page::entry))
        .route("/healthz", get(healthz))
        .route("/index.html", get(page::static_page))
        .route("/handoff", get(page::handoff));
    if state.config.demo {
        public = public.route("/callback", get(page::callback));
    }
    let public = public
        .fallback(page::asset)
        .layer(from_fn_with_state(state.clone(), ratelimit::public));

    Router::new()
        .nest("/api/v2", management)
        .merge(public)
        .layer(axum::middleware::from_fn(ratelimit::access_log))
        .with_state(state)
}

/// After a successful management write, cached login contexts may be stale.
async fn forget_cached_contexts(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let write = req.method() != axum::http::Method::GET;
    let res = next.run(req).await;
    if write && res.status().is_success() {
        state.context_cache.clear();
    }
    res
}

/// Liveness and readiness: 200 when the database answers, 503 when it does not.
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    match state.db.ping().await {
        Ok(()) => ([(header::CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(_) => ApiError::Unavailable.into_response(),
    }
}
