//! The public, token-less, read-only login API (docs/design.md#the-public-login-api): the login context
//! (`context`, with its short-lived `cache`) and email discovery (`discover`). Only
//! public fields leave here: never metadata, hidden connections, callbacks or
//! secrets.

pub mod cache;
pub mod context;
pub mod discover;
pub mod query;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/context", get(context::get_context))
        .route("/login/discover", get(discover::discover))
}
