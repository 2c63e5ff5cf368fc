//! The answers the resources share: 201 with the created record, 204 or the
//! resource's 404 for a delete, and the API's own 404 for unknown paths.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};

/// 204 when something was deleted, else the resource's 404.
pub fn deleted(found: bool, not_found: fn() -> ApiError) -> ApiResult<Response> {
    if found {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

/// 201 with the created resource.
pub fn created(body: impl serde::Serialize) -> Response {
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// Unknown `/api/v2` paths answer in the API's own error format.
pub async fn not_found() -> ApiError {
    ApiError::NotFound {
        code: None,
        message: "Not Found",
    }
}
