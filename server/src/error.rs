//! The one error type of the HTTP API. Every error leaves as Auth0's JSON shape
//! `{"statusCode","error","message","errorCode"}` and never carries internal detail;
//! the detail goes to the log. `From<StoreError>` is the one place where the store's
//! domain errors become statuses, messages and field paths.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_rules::directory::MAX_ENABLED_CONNECTIONS;
use serde_json::json;

use crate::store::{Conflict, StoreError};

#[derive(Debug)]
pub enum ApiError {
    /// 400 with an Auth0 error code (`invalid_body`, `invalid_query_string`, …).
    BadRequest {
        code: &'static str,
        message: String,
    },
    /// 414 `invalid_query_string`: a query longer than any public query may be.
    UriTooLong(String),
    /// 401 `Invalid token.`
    InvalidToken,
    /// 403 `insufficient_scope`, naming the scope the endpoint wants.
    InsufficientScope(&'static str),
    /// 404 with an optional error code.
    NotFound {
        code: Option<&'static str>,
        message: &'static str,
    },
    /// 409 for a duplicate organization name.
    OrganizationConflict,
    /// 409 for another duplicate (connection name, enabled connection).
    Conflict(&'static str),
    /// 409: the directory is synced from the named source, which owns its records.
    Synced(String),
    /// 429; `Retry-After` in seconds.
    TooManyRequests {
        retry_after: u64,
    },
    /// 503: the database cannot be reached. Never a 404, which would read as "no such
    /// organization".
    Unavailable,
    Internal,
}

pub const ORGANIZATION_NOT_FOUND: &str = "No organization found by that id or name";

impl ApiError {
    pub fn invalid_body(message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "invalid_body",
            message: message.into(),
        }
    }

    pub fn invalid_query(message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "invalid_query_string",
            message: message.into(),
        }
    }

    /// A public query over one of its bounds (`rules::query`): 414 when it is too long
    /// as a whole, else 400, `invalid_query_string` with the bound's sentence.
    pub fn over_bound(e: portico_rules::query::QueryError) -> Self {
        match e.status() {
            414 => ApiError::UriTooLong(e.message()),
            _ => ApiError::invalid_query(e.message()),
        }
    }

    pub fn invalid_uri(message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "invalid_uri",
            message: message.into(),
        }
    }

    pub fn organization_not_found() -> Self {
        ApiError::NotFound {
            code: None,
            message: ORGANIZATION_NOT_FOUND,
        }
    }

    pub fn client_not_found() -> Self {
        ApiError::NotFound {
            code: Some("inexistent_client"),
            message: "Client not found.",
        }
    }

    pub fn connection_not_found() -> Self {
        ApiError::NotFound {
            code: Some("inexistent_connection"),
            message: "The connection does not exist.",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::InsufficientScope(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::OrganizationConflict | ApiError::Conflict(_) | ApiError::Synced(_) => {
                StatusCode::CONFLICT
            }
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body, exactly as clients read it.
    pub fn body(&self) -> serde_json::Value {
        let status = self.status();
        let (message, code): (String, Option<&str>) = match self {
            ApiError::BadRequest { code, message } => (message.clone(), Some(code)),
            ApiError::UriTooLong(message) => (message.clone(), Some("invalid_query_string")),
            ApiError::InvalidToken => ("Invalid token.".into(), None),
            ApiError::InsufficientScope(scope) => {
                (format!("Insufficient scope; expected any of: {scope}."), Some("insufficient_scope"))
            }
            ApiError::NotFound { code, message } => ((*message).into(), *code),
            ApiError::OrganizationConflict => (
                "An organization with the same name already exists.".into(),
                Some("organization_conflict"),
            ),
            ApiError::Conflict(message) => ((*message).into(), Some("conflict")),
            ApiError::Synced(source) => (
                format!("This directory is synced from {source}: organizations, connections and clients change there, and the next sync brings the change here."),
                Some("synced_resource"),
            ),
            ApiError::TooManyRequests { .. } => (
                "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.".into(),
                Some("too_many_requests"),
            ),
            ApiError::Unavailable => (
                "The service is temporarily unavailable. Try again later.".into(),
                Some("temporarily_unavailable"),
            ),
            ApiError::Internal => ("Internal error.".into(), None),
        };
        let mut body = json!({
            "statusCode": status.as_u16(),
            "error": status.canonical_reason().unwrap_or(""),
            "message": message,
        });
        if let Some(code) = code {
            body["errorCode"] = code.into();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status(), axum::Json(self.body())).into_response();
        if let ApiError::TooManyRequests { retry_after } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        res
    }
}

/// `400 invalid_body` for `field` breaking `rule`, in Auth0's words.
pub fn invalid(field: &str, rule: &str) -> ApiError {
    ApiError::invalid_body(format!(
        "Payload validation error: '{rule}' on property {field}."
    ))
}

/// The path of `field` in the request body: inside `enabled_connections[item]` when
/// the write came with an organization create.
fn field_path(item: Option<usize>, field: &str) -> String {
    match item {
        Some(i) => format!("enabled_connections[{i}].{field}"),
        None => field.to_owned(),
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(Conflict::OrganizationName) => ApiError::OrganizationConflict,
            StoreError::Conflict(Conflict::ConnectionName) => {
                ApiError::Conflict("A connection with the same name already exists.")
            }
            StoreError::Conflict(Conflict::EnabledConnection) => {
                ApiError::Conflict("The connection is already enabled for this organization.")
            }
            StoreError::OrganizationNotFound => ApiError::organization_not_found(),
            StoreError::TooManyConnections { item } => invalid(
                &item.map_or("connection_id".into(), |i| {
                    format!("enabled_connections[{i}]")
                }),
                &format!(
                    "An organization can have at most {MAX_ENABLED_CONNECTIONS} enabled connections"
                ),
            ),
            StoreError::UnknownConnection { item } => invalid(
                &field_path(item, "connection_id"),
                "No connection found with that id",
            ),
            StoreError::Signup { item, rule } => {
                invalid(&field_path(item, "is_signup_enabled"), rule.message())
            }
            StoreError::Unavailable => ApiError::Unavailable,
            StoreError::Internal => ApiError::Internal,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
