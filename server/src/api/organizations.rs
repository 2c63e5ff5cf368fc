//! `/organizations`: create (with enabled connections), list (offset or checkpoint
//! paging), read by id or name, update, delete — and reading their bodies.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use portico_rules::context::{Branding, BrandingColors};
use portico_rules::directory::{MAX_ENABLED_CONNECTIONS, MAX_METADATA_KEYS, MAX_METADATA_LEN};
use portico_rules::name::{organization_name_pattern, validate_display_name};
use portico_rules::url::ImageUrls;
use portico_rules::{HexColor, HttpsUrl, OrganizationName};
use serde_json::{Map, Value};

use super::body::{as_array, as_object, as_string, invalid, only_fields, Body, Input};
use super::body::{Create, Update};
use super::enabled_connections::read_enabled_connection;
use super::ids::OrgId;
use super::paging::{checkpoint_list, offset_list, paging, Paging};
use super::reply::{created, deleted};
use super::scope::{guarded, Resource};
use crate::error::{ApiError, ApiResult};
use crate::records::OrganizationInput;
use crate::state::AppState;
use crate::store::Table;

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route("/organizations", get(list).post(create))
        .route(
            "/organizations/{id}",
            get(read).patch(update).delete(remove),
        )
        .route("/organizations/name/{name}", get(read_by_name));
    guarded(routes, Resource::Organizations, state)
}

async fn create(
    State(state): State<AppState>,
    Create(input): Create<OrganizationInput>,
) -> ApiResult<Response> {
    let with_connections = !input.enabled_connections.is_empty();
    let (org, enabled) = state.db.create_organization(input).await?;
    let mut out = serde_json::to_value(&org).map_err(|_| ApiError::Internal)?;
    if with_connections {
        out["enabled_connections"] =
            serde_json::to_value(enabled).map_err(|_| ApiError::Internal)?;
    }
    Ok(created(out))
}

async fn list(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    match paging(q)? {
        Paging::Checkpoint { from, take } => {
            let from = from.unwrap_or_default();
            let orgs = state.db.organizations(0, take + 1, Some(&from)).await?;
            checkpoint_list("organizations", take, orgs, |o| &o.id)
        }
        Paging::Offset(page) => {
            let orgs = state
                .db
                .organizations(page.offset(), page.per_page, None)
                .await?;
            let total = state.db.count(Table::Organizations);
            offset_list("organizations", page, orgs, total).await
        }
    }
}

async fn read(State(state): State<AppState>, OrgId(id): OrgId) -> ApiResult<Response> {
    let org = state
        .db
        .organization(&id)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
    Ok(Json(org).into_response())
}

async fn read_by_name(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    if OrganizationName::parse(&name).is_err() {
        return Err(ApiError::invalid_uri(format!(
            "Path validation error: 'String does not match pattern {}' on property name.",
            organization_name_pattern()
        )));
    }
    let org = state
        .db
        .organization_by_name(&name)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
    Ok(Json(org).into_response())
}

async fn update(
    State(state): State<AppState>,
    OrgId(id): OrgId,
    Update(input): Update<OrganizationInput>,
) -> ApiResult<Response> {
    Ok(Json(state.db.update_organization(&id, input).await?).into_response())
}

async fn remove(State(state): State<AppState>, OrgId(id): OrgId) -> ApiResult<Response> {
    deleted(
        state.db.delete_organization(&id).await?,
        ApiError::organization_not_found,
    )
}

// ---- the body --------------------------------------------------------------------

fn parse_name(v: String) -> ApiResult<OrganizationName> {
    OrganizationName::parse(&v).map_err(|_| {
        invalid(
            "name",
            &format!(
                "String does not match pattern {} (1-{} characters of lowercase letters, digits, '_' and '-')",
                organization_name_pattern(),
                portico_rules::name::ORGANIZATION_NAME_MAX
            ),
        )
    })
}

fn parse_display_name(v: String) -> ApiResult<String> {
    validate_display_name(&v).map_err(|rule| invalid("display_name", rule))?;
    Ok(v)
}

/// `branding`: `logo_url` (an image URL, as `images` allows) and `colors` (both hex
/// colours), or null.
pub fn parse_branding(v: Value, images: ImageUrls) -> ApiResult<Option<Branding>> {
    if v.is_null() {
        return Ok(None);
    }
    let mut map = as_object("branding", v)?;
    only_fields("branding", &map, &["logo_url", "colors"])?;
    let logo_url = match map.remove("logo_url") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let url = as_string("branding.logo_url", v)?;
            Some(
                HttpsUrl::parse_with(&url, images)
                    .map_err(|rule| invalid("branding.logo_url", rule))?,
            )
        }
    };
    let colors = match map.remove("colors") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let mut c = as_object("branding.colors", v)?;
            only_fields("branding.colors", &c, &["primary", "page_background"])?;
            let mut color = |key: &str| -> ApiResult<HexColor> {
                let field = format!("branding.colors.{key}");
                let v = c
                    .remove(key)
                    .ok_or_else(|| invalid(&field, &format!("Missing required property: {key}")))?;
                HexColor::parse(&as_string(&field, v)?).map_err(|rule| invalid(&field, rule))
            };
            Some(BrandingColors {
                primary: color("primary")?,
                page_background: color("page_background")?,
            })
        }
    };
    Ok(Some(Branding { logo_url, colors }))
}

fn parse_metadata(v: Value) -> ApiResult<Option<Map<String, Value>>> {
    if v.is_null() {
        return Ok(None);
    }
    let map = as_object("metadata", v)?;
    if map.len() > MAX_METADATA_KEYS {
        return Err(invalid(
            "metadata",
            &format!("Too many properties defined (at most {MAX_METADATA_KEYS})"),
        ));
    }
    for (k, v) in &map {
        if k.chars().count() > MAX_METADATA_LEN {
            return Err(invalid(
                "metadata",
                &format!("Property names must be at most {MAX_METADATA_LEN} characters"),
            ));
        }
        match v {
            Value::Null => {}
            Value::String(s) if s.chars().count() <= MAX_METADATA_LEN => {}
            Value::String(_) => {
                return Err(invalid(
                    &format!("metadata.{k}"),
                    &format!("String is too long (maximum {MAX_METADATA_LEN} characters)"),
                ))
            }
            _ => {
                return Err(invalid(
                    &format!("metadata.{k}"),
                    "Expected type string or null",
                ))
            }
        }
    }
    Ok(Some(map))
}

impl Input for OrganizationInput {
    const CREATE: &'static [&'static str] = &[
        "name",
        "display_name",
        "branding",
        "metadata",
        "enabled_connections",
    ];
    const UPDATE: &'static [&'static str] = &["name", "display_name", "branding", "metadata"];

    fn read(mut body: Body, creating: bool) -> ApiResult<Self> {
        let name = if creating {
            Some(parse_name(body.required_string("name")?)?)
        } else {
            body.string("name")?.map(parse_name).transpose()?
        };
        let display_name = body
            .nullable_string("display_name")?
            .map(|d| d.map(parse_display_name).transpose())
            .transpose()?;
        let images = body.images();
        let branding = body
            .take("branding")
            .map(|b| parse_branding(b, images))
            .transpose()?;
        let metadata = body.take("metadata").map(parse_metadata).transpose()?;
        let enabled_connections = match body.take("enabled_connections") {
            None => Vec::new(),
            Some(v) => {
                let items = as_array("enabled_connections", v)?;
                if items.len() > MAX_ENABLED_CONNECTIONS {
                    return Err(invalid(
                        "enabled_connections",
                        &format!(
                            "Array is too long (at most {MAX_ENABLED_CONNECTIONS} connections)"
                        ),
                    ));
                }
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        read_enabled_connection(&format!("enabled_connections[{i}]"), item)
                    })
                    .collect::<ApiResult<_>>()?
            }
        };
        Ok(Self {
            name,
            display_name,
            branding,
            metadata,
            enabled_connections,
        })
    }
}
