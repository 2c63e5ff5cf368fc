//! The Management API subset under `/api/v2` (SPEC §2), with Auth0's paths, shapes,
//! status codes and errors. Each handler checks its scope first, then validates,
//! then writes.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_rules::url::parse_query;
use serde::Serialize;
use serde_json::json;

use crate::auth::Auth;
use crate::db::Table;
use crate::error::{ApiError, ApiResult};
use crate::model::{ClientInput, ConnectionInput, EnabledConnectionInput, OrganizationInput};
use crate::state::AppState;

const MAX_PER_PAGE: i64 = 100;
const DEFAULT_PER_PAGE: i64 = 50;
const MAX_PAGED_RECORDS: i64 = 1000;

/// How a list was asked for.
enum Paging {
    Offset {
        page: i64,
        per_page: i64,
        include_totals: bool,
    },
    Checkpoint {
        from: Option<String>,
        take: i64,
    },
}

fn query_error(field: &str, rule: &str) -> ApiError {
    ApiError::invalid_query(format!(
        "Query validation error: '{rule}' on property {field}."
    ))
}

fn int_param(params: &[(String, String)], name: &str) -> ApiResult<Option<i64>> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| {
            v.parse::<i64>()
                .map_err(|_| query_error(name, "Expected type integer but found type string"))
        })
        .transpose()
}

fn paging(query: Option<String>, checkpoint_allowed: bool) -> ApiResult<Paging> {
    let params = parse_query(query.as_deref().unwrap_or(""));
    let allowed: &[&str] = if checkpoint_allowed {
        &["page", "per_page", "include_totals", "from", "take"]
    } else {
        &["page", "per_page", "include_totals"]
    };
    if let Some((k, _)) = params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(ApiError::invalid_query(format!(
            "Query validation error: 'Additional properties not allowed: {k}'."
        )));
    }
    let from = params
        .iter()
        .find(|(k, _)| k == "from")
        .map(|(_, v)| v.clone());
    let take = int_param(&params, "take")?;
    if from.is_some() || take.is_some() {
        let take = take.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&take) {
            return Err(query_error("take", "Must be between 1 and 100"));
        }
        return Ok(Paging::Checkpoint {
            from: from.filter(|f| !f.is_empty()),
            take,
        });
    }
    let page = int_param(&params, "page")?.unwrap_or(0);
    let per_page = int_param(&params, "per_page")?.unwrap_or(DEFAULT_PER_PAGE);
    if page < 0 {
        return Err(query_error("page", "Value must be at least 0"));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(query_error("per_page", "Must be between 1 and 100"));
    }
    if (page + 1) * per_page > MAX_PAGED_RECORDS {
        return Err(ApiError::BadRequest {
            code: "invalid_paging",
            message: "Requesting page exceeds the allowed maximum of 1000 records".into(),
        });
    }
    let include_totals = match params
        .iter()
        .find(|(k, _)| k == "include_totals")
        .map(|(_, v)| v.as_str())
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(query_error(
                "include_totals",
                "Expected type boolean but found type string",
            ))
        }
    };
    Ok(Paging::Offset {
        page,
        per_page,
        include_totals,
    })
}

/// Offset paging only (lists without checkpoint paging): page, per_page, include_totals.
fn offset_paging(query: Option<String>) -> ApiResult<(i64, i64, bool)> {
    match paging(query, false)? {
        Paging::Offset {
            page,
            per_page,
            include_totals,
        } => Ok((page, per_page, include_totals)),
        // `paging` only returns checkpoints when they are allowed.
        Paging::Checkpoint { .. } => Err(ApiError::Internal),
    }
}

/// 204 when something was deleted, else the resource's 404.
fn deleted(found: bool, not_found: fn() -> ApiError) -> ApiResult<Response> {
    if found {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

/// A list page in Auth0's shape: a bare array, or `{key, start, limit, total}`.
async fn offset_list<T: Serialize>(
    state: &AppState,
    key: &str,
    table: Table,
    page: i64,
    per_page: i64,
    include_totals: bool,
    items: Vec<T>,
) -> ApiResult<Response> {
    if !include_totals {
        return Ok(Json(items).into_response());
    }
    let total = state.db.count(table).await?;
    Ok(
        Json(json!({ key: items, "start": page * per_page, "limit": per_page, "total": total }))
            .into_response(),
    )
}

fn check_org_id(id: &str) -> ApiResult<()> {
    let ok = id.len() == 20
        && id.starts_with("org_")
        && id[4..].bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_uri("Path validation error: 'String does not match pattern ^org_[A-Za-z0-9]{16}$' on property id (Organization identifier)."))
    }
}

fn check_id(field: &str, id: &str) -> ApiResult<()> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(ApiError::invalid_uri(format!(
            "Path validation error: 'Invalid identifier' on property {field}."
        )));
    }
    Ok(())
}

// ---- organizations -----------------------------------------------------------------

pub async fn create_organization(
    State(state): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("create:organizations")?;
    let input = OrganizationInput::parse(&body, true)?;
    let with_connections = !input.enabled_connections.is_empty();
    let (org, enabled) = state.db.create_organization(input).await?;
    let mut out = serde_json::to_value(&org).map_err(|_| ApiError::Internal)?;
    if with_connections {
        out["enabled_connections"] =
            serde_json::to_value(enabled).map_err(|_| ApiError::Internal)?;
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

pub async fn list_organizations(
    State(state): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    auth.need("read:organizations")?;
    match paging(q, true)? {
        Paging::Checkpoint { from, take } => {
            let orgs = state
                .db
                .organizations(0, take + 1, Some(from.as_deref().unwrap_or("")))
                .await?;
            let more = orgs.len() as i64 > take;
            let orgs: Vec<_> = orgs.into_iter().take(take as usize).collect();
            let mut out = json!({ "organizations": orgs });
            if more {
                out["next"] = orgs.last().map(|o| o.id.clone()).into();
            }
            Ok(Json(out).into_response())
        }
        Paging::Offset {
            page,
            per_page,
            include_totals,
        } => {
            let orgs = state
                .db
                .organizations(page * per_page, per_page, None)
                .await?;
            offset_list(
                &state,
                "organizations",
                Table::Organizations,
                page,
                per_page,
                include_totals,
                orgs,
            )
            .await
        }
    }
}

pub async fn get_organization(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("read:organizations")?;
    check_org_id(&id)?;
    let org = state
        .db
        .organization(&id)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
    Ok(Json(org).into_response())
}

pub async fn get_organization_by_name(
    State(state): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    auth.need("read:organizations")?;
    if portico_rules::OrganizationName::parse(&name).is_err() {
        return Err(ApiError::invalid_uri("Path validation error: 'String does not match pattern ^[a-z0-9_-]{1,50}$' on property name."));
    }
    let org = state
        .db
        .organization_by_name(&name)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
    Ok(Json(org).into_response())
}

pub async fn update_organization(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("update:organizations")?;
    check_org_id(&id)?;
    let input = OrganizationInput::parse(&body, false)?;
    Ok(Json(state.db.update_organization(&id, input).await?).into_response())
}

pub async fn delete_organization(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("delete:organizations")?;
    check_org_id(&id)?;
    deleted(
        state.db.delete_organization(&id).await?,
        ApiError::organization_not_found,
    )
}

// ---- enabled connections ---------------------------------------------------------------

async fn existing_org(state: &AppState, id: &str) -> ApiResult<()> {
    check_org_id(id)?;
    state
        .db
        .organization(id)
        .await?
        .map(|_| ())
        .ok_or_else(ApiError::organization_not_found)
}

pub async fn list_enabled_connections(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    auth.need("read:organization_connections")?;
    let (page, per_page, include_totals) = offset_paging(q)?;
    existing_org(&state, &id).await?;
    let all = state.db.enabled_connections(&id).await?;
    let total = all.len();
    let items: Vec<_> = all
        .into_iter()
        .skip((page * per_page) as usize)
        .take(per_page as usize)
        .collect();
    if include_totals {
        Ok(Json(json!({ "enabled_connections": items, "start": page * per_page, "limit": per_page, "total": total })).into_response())
    } else {
        Ok(Json(items).into_response())
    }
}

pub async fn add_enabled_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("create:organization_connections")?;
    check_org_id(&id)?;
    let input = EnabledConnectionInput::parse(&body, true)?;
    let ec = state.db.add_enabled_connection(&id, input).await?;
    Ok((StatusCode::CREATED, Json(ec)).into_response())
}

pub async fn get_enabled_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, conn)): Path<(String, String)>,
) -> ApiResult<Response> {
    auth.need("read:organization_connections")?;
    check_org_id(&id)?;
    check_id("connectionId", &conn)?;
    let ec = state
        .db
        .enabled_connection(&id, &conn)
        .await?
        .ok_or_else(ApiError::connection_not_found)?;
    Ok(Json(ec).into_response())
}

pub async fn update_enabled_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, conn)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("update:organization_connections")?;
    check_org_id(&id)?;
    check_id("connectionId", &conn)?;
    let input = EnabledConnectionInput::parse(&body, false)?;
    let ec = state
        .db
        .update_enabled_connection(&id, &conn, input)
        .await?
        .ok_or_else(ApiError::connection_not_found)?;
    Ok(Json(ec).into_response())
}

pub async fn remove_enabled_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, conn)): Path<(String, String)>,
) -> ApiResult<Response> {
    auth.need("delete:organization_connections")?;
    check_org_id(&id)?;
    check_id("connectionId", &conn)?;
    deleted(
        state.db.remove_enabled_connection(&id, &conn).await?,
        ApiError::connection_not_found,
    )
}

// ---- connections ---------------------------------------------------------------------

pub async fn create_connection(
    State(state): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("create:connections")?;
    let input = ConnectionInput::parse(&body, true)?;
    Ok((
        StatusCode::CREATED,
        Json(state.db.create_connection(input).await?),
    )
        .into_response())
}

pub async fn list_connections(
    State(state): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    auth.need("read:connections")?;
    let (page, per_page, include_totals) = offset_paging(q)?;
    let items = state.db.connections(page * per_page, per_page).await?;
    offset_list(
        &state,
        "connections",
        Table::Connections,
        page,
        per_page,
        include_totals,
        items,
    )
    .await
}

pub async fn get_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("read:connections")?;
    check_id("id", &id)?;
    Ok(Json(
        state
            .db
            .connection(&id)
            .await?
            .ok_or_else(ApiError::connection_not_found)?,
    )
    .into_response())
}

pub async fn update_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("update:connections")?;
    check_id("id", &id)?;
    let input = ConnectionInput::parse(&body, false)?;
    Ok(Json(
        state
            .db
            .update_connection(&id, input)
            .await?
            .ok_or_else(ApiError::connection_not_found)?,
    )
    .into_response())
}

pub async fn delete_connection(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("delete:connections")?;
    check_id("id", &id)?;
    deleted(
        state.db.delete_connection(&id).await?,
        ApiError::connection_not_found,
    )
}

// ---- clients -------------------------------------------------------------------------

pub async fn create_client(
    State(state): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("create:clients")?;
    let input = ClientInput::parse(&body, true)?;
    Ok((
        StatusCode::CREATED,
        Json(state.db.create_client(input).await?),
    )
        .into_response())
}

pub async fn list_clients(
    State(state): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    auth.need("read:clients")?;
    let (page, per_page, include_totals) = offset_paging(q)?;
    let items = state.db.clients(page * per_page, per_page).await?;
    offset_list(
        &state,
        "clients",
        Table::Clients,
        page,
        per_page,
        include_totals,
        items,
    )
    .await
}

pub async fn get_client(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("read:clients")?;
    check_id("id", &id)?;
    Ok(Json(
        state
            .db
            .client(&id)
            .await?
            .ok_or_else(ApiError::client_not_found)?,
    )
    .into_response())
}

pub async fn update_client(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    auth.need("update:clients")?;
    check_id("id", &id)?;
    let input = ClientInput::parse(&body, false)?;
    Ok(Json(
        state
            .db
            .update_client(&id, input)
            .await?
            .ok_or_else(ApiError::client_not_found)?,
    )
    .into_response())
}

pub async fn delete_client(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    auth.need("delete:clients")?;
    check_id("id", &id)?;
    deleted(
        state.db.delete_client(&id).await?,
        ApiError::client_not_found,
    )
}

/// Unknown `/api/v2` paths answer in the API's own error format.
pub async fn not_found() -> ApiError {
    ApiError::NotFound {
        code: None,
        message: "Not Found",
    }
}
