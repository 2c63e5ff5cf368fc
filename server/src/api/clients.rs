//! `/clients`: create, list (with Auth0's `fields`/`include_fields`), read, update, delete — and reading their bodies.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use portico_rules::context::{DiscoveryMethod, OrganizationUsage, RequireBehavior};
use portico_rules::directory::validate_callback;
use portico_rules::name::validate_display_name;
use portico_rules::query;
use portico_rules::url::validate_image_url;
use serde_json::Value;

use super::body::{invalid, Body, Input};
use super::body::{Create, Update};
use super::ids::ResourceId;
use super::paging::{offset_list, paging, Paging};
use super::reply::{created, deleted};
use super::scope::{guarded, Resource};
use crate::error::{ApiError, ApiResult};
use crate::records::{Client, ClientInput};
use crate::state::AppState;
use crate::store::Table;

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/{id}", get(read).patch(update).delete(remove));
    guarded(routes, Resource::Clients, state)
}

async fn create(
    State(state): State<AppState>,
    Create(input): Create<ClientInput>,
) -> ApiResult<Response> {
    Ok(created(state.db.create_client(input).await?))
}

/// Offset paging (at most 1000 records deep, as Auth0), or checkpoints (`from`,
/// `take`: every client, in `client_id` order), which Auth0's `/clients` offers too and
/// a sync of more than 1000 applications needs.
async fn list(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let (select, q) = Fields::take(q)?;
    match paging(q)? {
        Paging::Checkpoint { from, take } => {
            let from = from.unwrap_or_default();
            let items = state.db.clients_after(&from, take + 1).await?;
            let items: Vec<(String, Value)> = items
                .iter()
                .map(|c| (c.client_id.clone(), select.apply(c)))
                .collect();
            let more = items.len() as i64 > take;
            let mut items: Vec<_> = items.into_iter().take(take as usize).collect();
            let next = more
                .then(|| items.last().map(|(id, _)| id.clone()))
                .flatten();
            let items: Vec<Value> = items.drain(..).map(|(_, v)| v).collect();
            let mut out = serde_json::json!({ "clients": items });
            if let Some(next) = next {
                out["next"] = next.into();
            }
            Ok(Json(out).into_response())
        }
        Paging::Offset(page) => {
            let items = state.db.clients(page.offset(), page.per_page).await?;
            let items: Vec<Value> = items.iter().map(|c| select.apply(c)).collect();
            let total = state.db.count(Table::Clients);
            offset_list("clients", page, items, total).await
        }
    }
}

/// `fields` (comma-separated) and `include_fields` (default true), as Auth0: each
/// client shows only the named fields, or all but them.
struct Fields {
    names: Option<Vec<String>>,
    include: bool,
}

impl Fields {
    /// Takes the two parameters out of the query; the rest is paging's.
    fn take(q: Option<String>) -> ApiResult<(Fields, Option<String>)> {
        let mut select = Fields {
            names: None,
            include: true,
        };
        let params = query::read(q.as_deref().unwrap_or("")).map_err(ApiError::over_bound)?;
        for (k, v) in params {
            match k.as_str() {
                "fields" => select.names = Some(v.split(',').map(str::to_owned).collect()),
                "include_fields" => {
                    select.include = match v.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(ApiError::invalid_query(
                            "Query validation error: 'Expected type boolean but found type string' on property include_fields.",
                        )),
                    }
                }
                _ => {}
            }
        }
        let rest: Vec<&str> = q
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|p| {
                let key = p.split('=').next().unwrap_or("");
                !p.is_empty() && key != "fields" && key != "include_fields"
            })
            .collect();
        Ok((select, Some(rest.join("&"))))
    }

    fn apply(&self, client: &Client) -> Value {
        let mut v = serde_json::to_value(client).unwrap_or(Value::Null);
        if let (Some(names), Value::Object(map)) = (&self.names, &mut v) {
            map.retain(|k, _| names.iter().any(|n| n == k) == self.include);
        }
        v
    }
}

async fn read(State(state): State<AppState>, ResourceId(id): ResourceId) -> ApiResult<Response> {
    let client = state.db.client(&id).await?;
    Ok(Json(client.ok_or_else(ApiError::client_not_found)?).into_response())
}

async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    Update(input): Update<ClientInput>,
) -> ApiResult<Response> {
    let client = state.db.update_client(&id, input).await?;
    Ok(Json(client.ok_or_else(ApiError::client_not_found)?).into_response())
}

async fn remove(State(state): State<AppState>, ResourceId(id): ResourceId) -> ApiResult<Response> {
    deleted(
        state.db.delete_client(&id).await?,
        ApiError::client_not_found,
    )
}

// ---- the body --------------------------------------------------------------------

/// `field` as one of an enum's values, or the error listing them all.
fn one_of<T: Copy>(
    field: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> ApiResult<T> {
    parse(s).ok_or_else(|| {
        let values: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        invalid(
            field,
            &format!(
                "No enum match for: \"{s}\" (expected one of {})",
                values.join(", ")
            ),
        )
    })
}

impl Input for ClientInput {
    const CREATE: &'static [&'static str] = &[
        "name",
        "description",
        "logo_uri",
        "app_type",
        "callbacks",
        "organization_usage",
        "organization_require_behavior",
        "organization_discovery_methods",
    ];
    const UPDATE: &'static [&'static str] = Self::CREATE;

    fn read(mut body: Body, creating: bool) -> ApiResult<Self> {
        let name = if creating {
            Some(body.required_string("name")?)
        } else {
            body.string("name")?
        };
        if let Some(n) = &name {
            validate_display_name(n).map_err(|rule| invalid("name", rule))?;
        }
        let description = body.string("description")?;
        let logo_uri = body.nullable_string("logo_uri")?;
        if let Some(Some(u)) = &logo_uri {
            validate_image_url(u, body.images()).map_err(|rule| invalid("logo_uri", rule))?;
        }
        let app_type = body.string("app_type")?;
        let callbacks = body.string_array("callbacks")?;
        for (i, cb) in callbacks.iter().flatten().enumerate() {
            validate_callback(cb).map_err(|rule| invalid(&format!("callbacks[{i}]"), rule))?;
        }
        let organization_usage = body
            .string("organization_usage")?
            .map(|s| {
                one_of(
                    "organization_usage",
                    &s,
                    OrganizationUsage::parse,
                    OrganizationUsage::ALL,
                    OrganizationUsage::as_str,
                )
            })
            .transpose()?;
        let organization_require_behavior = body
            .string("organization_require_behavior")?
            .map(|s| {
                one_of(
                    "organization_require_behavior",
                    &s,
                    RequireBehavior::parse,
                    RequireBehavior::ALL,
                    RequireBehavior::as_str,
                )
            })
            .transpose()?;
        let organization_discovery_methods = body
            .string_array("organization_discovery_methods")?
            .map(|methods| {
                let mut out = Vec::new();
                for (i, m) in methods.iter().enumerate() {
                    let method = one_of(
                        &format!("organization_discovery_methods[{i}]"),
                        m,
                        DiscoveryMethod::parse,
                        DiscoveryMethod::ALL,
                        DiscoveryMethod::as_str,
                    )?;
                    if !out.contains(&method) {
                        out.push(method);
                    }
                }
                if out.is_empty() {
                    return Err(invalid(
                        "organization_discovery_methods",
                        "Array is too short (at least 1 method)",
                    ));
                }
                Ok(out)
            })
            .transpose()?;
        Ok(Self {
            name,
            description,
            logo_uri,
            app_type,
            callbacks,
            organization_usage,
            organization_require_behavior,
            organization_discovery_methods,
        })
    }
}
