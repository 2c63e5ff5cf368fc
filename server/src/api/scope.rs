//! Authentication of the Management API: a valid bearer token (`401 Invalid token.`
//! otherwise) that grants `{action}:{resource}`, the action following the method —
//! `GET` read, `POST` create, `PATCH` update, `DELETE` delete
//! (`403 insufficient_scope` naming the scope otherwise). Checked once per route,
//! before anything about the request is read. Then, for writes, that the directory
//! is not synced from elsewhere (`409 synced_resource` naming the source, docs/design.md#upstream-and-sync).

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// The scope a request needs: `read:organizations`, `create:connections`, …
fn needed(method: &Method, resource: Resource) -> &'static str {
    let action = match *method {
        Method::POST => 0,
        Method::PATCH | Method::PUT => 2,
        Method::DELETE => 3,
        _ => 1,
    };
    resource.scopes()[action]
}

/// The resources the API's scopes are named after.
#[derive(Clone, Copy, Debug)]
pub enum Resource {
    Organizations,
    OrganizationConnections,
    Connections,
    Clients,
}

impl Resource {
    /// create, read, update, delete.
    fn scopes(self) -> [&'static str; 4] {
        match self {
            Resource::Organizations => [
                "create:organizations",
                "read:organizations",
                "update:organizations",
                "delete:organizations",
            ],
            Resource::OrganizationConnections => [
                "create:organization_connections",
                "read:organization_connections",
                "update:organization_connections",
                "delete:organization_connections",
            ],
            Resource::Connections => [
                "create:connections",
                "read:connections",
                "update:connections",
                "delete:connections",
            ],
            Resource::Clients => [
                "create:clients",
                "read:clients",
                "update:clients",
                "delete:clients",
            ],
        }
    }
}

async fn check(resource: Resource, state: AppState, req: Request, next: Next) -> Response {
    let scopes = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .and_then(|token| state.token_key.verify(token.trim()));
    let Some(scopes) = scopes else {
        return ApiError::InvalidToken.into_response();
    };
    let scope = needed(req.method(), resource);
    if !scopes.contains(scope) {
        return ApiError::InsufficientScope(scope).into_response();
    }
    if req.method() != Method::GET {
        // A synced directory belongs to its source (docs/design.md#upstream-and-sync): writes go there.
        match state.db.sync_state().await {
            Ok(Some(sync)) => return ApiError::Synced(sync.source).into_response(),
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(req).await
}

/// `router`'s routes, each guarded by the token and scope `resource` needs.
pub fn guarded(router: Router<AppState>, resource: Resource, state: &AppState) -> Router<AppState> {
    router.route_layer(from_fn_with_state(
        state.clone(),
        move |State(state): State<AppState>, req: Request, next: Next| {
            check(resource, state, req, next)
        },
    ))
}
