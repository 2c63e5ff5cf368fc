//! Path identifiers, validated by extractors before a handler runs: `OrgId` (the
//! `{id}` of `/organizations/{id}…`, `org_` and 16 letters or digits), `ConnectionId`
//! (`{connection_id}`) and `ResourceId` (the `{id}` of connections and clients).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use portico_rules::directory::is_organization_id;

use crate::error::ApiError;

async fn param(parts: &mut Parts, name: &str) -> Result<String, ApiError> {
    let params = RawPathParams::from_request_parts(parts, &())
        .await
        .map_err(|_| ApiError::invalid_uri("Path validation error: 'Invalid path'."))?;
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .ok_or(ApiError::Internal)
}

/// Ids of connections and clients: 1–64 of `A-Z a-z 0-9 _ -`.
fn check_id(field: &str, id: String) -> Result<String, ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(id)
    } else {
        Err(ApiError::invalid_uri(format!(
            "Path validation error: 'Invalid identifier' on property {field}."
        )))
    }
}

/// The organization `{id}` of the path.
pub struct OrgId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for OrgId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let id = param(parts, "id").await?;
        if is_organization_id(&id) {
            Ok(OrgId(id))
        } else {
            Err(ApiError::invalid_uri("Path validation error: 'String does not match pattern ^org_[A-Za-z0-9]{16}$' on property id (Organization identifier)."))
        }
    }
}

/// The `{connection_id}` of an enabled connection's path.
pub struct ConnectionId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ConnectionId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        check_id("connectionId", param(parts, "connection_id").await?).map(ConnectionId)
    }
}

/// The `{id}` of a connection's or a client's path.
pub struct ResourceId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ResourceId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        check_id("id", param(parts, "id").await?).map(ResourceId)
    }
}
