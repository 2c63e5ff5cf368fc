//! The Management API subset under `/api/v2` (docs/design.md#the-management-api), with Auth0's paths, shapes,
//! status codes and errors, one module per resource, each with its own `router()`:
//! `organizations`, `enabled_connections`, `connections`, `clients`. Every route
//! checks the token and the scope its resource and method need (`scope`) before its
//! extractors validate the path (`ids`) and the body (`body`).

pub mod body;
pub mod clients;
pub mod connections;
pub mod enabled_connections;
pub mod ids;
pub mod organizations;
pub mod paging;
pub mod reply;
pub mod scope;

pub use body::{Create, Input, Update};

use axum::middleware::from_fn_with_state;
use axum::Router;

use crate::middleware;
use crate::state::AppState;

/// The whole Management API, to be nested under `/api/v2`.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(organizations::router(state))
        .merge(enabled_connections::router(state))
        .merge(connections::router(state))
        .merge(clients::router(state))
        .fallback(reply::not_found)
        .layer(from_fn_with_state(
            state.clone(),
            middleware::forget_cached_contexts,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::management_limit,
        ))
}
