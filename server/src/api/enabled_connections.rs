//! `/organizations/{id}/enabled_connections`: list, add, read, update, remove — and
//! reading their bodies (also inside an organization create).

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value};

use super::body::{as_bool, as_object, as_string, invalid, only_fields, Body, Input};
use super::body::{Create, Update};
use super::ids::{ConnectionId, OrgId};
use super::paging::{offset_list, offset_paging};
use super::reply::{created, deleted};
use super::scope::{guarded, Resource};
use crate::error::{ApiError, ApiResult};
use crate::records::EnabledConnectionInput;
use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route(
            "/organizations/{id}/enabled_connections",
            get(list).post(add),
        )
        .route(
            "/organizations/{id}/enabled_connections/{connection_id}",
            get(read).patch(update).delete(remove),
        );
    guarded(routes, Resource::OrganizationConnections, state)
}

async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    OrgId(id): OrgId,
) -> ApiResult<Response> {
    let page = offset_paging(q)?;
    state
        .db
        .organization(&id)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
    let items = state
        .db
        .enabled_connections(&id, page.offset(), page.per_page)
        .await?;
    let total = state.db.count_enabled_connections(&id);
    offset_list("enabled_connections", page, items, total).await
}

async fn add(
    State(state): State<AppState>,
    OrgId(id): OrgId,
    Create(input): Create<EnabledConnectionInput>,
) -> ApiResult<Response> {
    Ok(created(state.db.add_enabled_connection(&id, input).await?))
}

async fn read(
    State(state): State<AppState>,
    OrgId(id): OrgId,
    ConnectionId(conn): ConnectionId,
) -> ApiResult<Response> {
    let ec = state
        .db
        .enabled_connection(&id, &conn)
        .await?
        .ok_or_else(ApiError::connection_not_found)?;
    Ok(Json(ec).into_response())
}

async fn update(
    State(state): State<AppState>,
    OrgId(id): OrgId,
    ConnectionId(conn): ConnectionId,
    Update(input): Update<EnabledConnectionInput>,
) -> ApiResult<Response> {
    let ec = state
        .db
        .update_enabled_connection(&id, &conn, input)
        .await?
        .ok_or_else(ApiError::connection_not_found)?;
    Ok(Json(ec).into_response())
}

async fn remove(
    State(state): State<AppState>,
    OrgId(id): OrgId,
    ConnectionId(conn): ConnectionId,
) -> ApiResult<Response> {
    deleted(
        state.db.remove_enabled_connection(&id, &conn).await?,
        ApiError::connection_not_found,
    )
}

// ---- the body --------------------------------------------------------------------

const FIELDS: [&str; 4] = [
    "connection_id",
    "assign_membership_on_login",
    "show_as_button",
    "is_signup_enabled",
];

/// One item of an organization create's `enabled_connections`, at `prefix`.
pub fn read_enabled_connection(prefix: &str, v: Value) -> ApiResult<EnabledConnectionInput> {
    let map = as_object(prefix, v)?;
    only_fields(prefix, &map, &FIELDS)?;
    from_map(prefix, map, true)
}

fn from_map(
    prefix: &str,
    mut map: Map<String, Value>,
    creating: bool,
) -> ApiResult<EnabledConnectionInput> {
    let field = |f: &str| {
        if prefix.is_empty() {
            f.to_owned()
        } else {
            format!("{prefix}.{f}")
        }
    };
    let connection_id = if creating {
        let v = map.remove("connection_id").ok_or_else(|| {
            invalid(
                &field("connection_id"),
                "Missing required property: connection_id",
            )
        })?;
        as_string(&field("connection_id"), v)?
    } else {
        String::new()
    };
    let mut flag = |f: &str| map.remove(f).map(|v| as_bool(&field(f), v)).transpose();
    Ok(EnabledConnectionInput {
        connection_id,
        assign_membership_on_login: flag("assign_membership_on_login")?,
        show_as_button: flag("show_as_button")?,
        is_signup_enabled: flag("is_signup_enabled")?,
    })
}

impl Input for EnabledConnectionInput {
    const CREATE: &'static [&'static str] = &FIELDS;
    const UPDATE: &'static [&'static str] = &[
        "assign_membership_on_login",
        "show_as_button",
        "is_signup_enabled",
    ];

    fn read(body: Body, creating: bool) -> ApiResult<Self> {
        from_map("", body.into_map(), creating)
    }
}
