//! `GET /login/discover?client_id=…&email=…`: the organizations whose connections
//! claim the email's domain (home-realm discovery), for clients that allow it. One
//! indexed query, whatever the directory's size (`Db::organizations_for_domain`).

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_rules::context::DiscoveredOrganization;
use portico_rules::directory::email_domain;
use serde::Serialize;

use super::query::{query_params, required};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize)]
struct Discovered {
    organizations: Vec<DiscoveredOrganization>,
}

async fn organizations(state: &AppState, query: Option<String>) -> ApiResult<Discovered> {
    let params = query_params(query, &["client_id", "email"])?;
    let client_id = required(&params, "client_id")?;
    let email = required(&params, "email")?;
    let client = state
        .db
        .client(client_id)
        .await?
        .ok_or_else(ApiError::client_not_found)?;
    if !client
        .organization_discovery_methods
        .contains(&portico_rules::DiscoveryMethod::Email)
    {
        return Err(ApiError::invalid_query(
            "Email discovery is not enabled for this client.",
        ));
    }
    Ok(Discovered {
        organizations: for_email(state, email).await?,
    })
}

/// The organizations whose connections claim the domain of `email` (none for text
/// without a domain): what this endpoint answers, and what the prompt posted without
/// JavaScript continues with (`web::form`).
pub async fn for_email(
    state: &AppState,
    email: &str,
) -> crate::store::StoreResult<Vec<DiscoveredOrganization>> {
    match email_domain(email) {
        Some(domain) => state.db.organizations_for_domain(&domain).await,
        None => Ok(Vec::new()),
    }
}

pub async fn discover(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match organizations(&state, query).await {
        Ok(found) => {
            let mut res = Json(found).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => e.into_response(),
    }
}
