//! `/connections`: create, list (offset or checkpoint paging, as Auth0), read, update, delete — and reading their bodies.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use portico_rules::directory::{validate_domain_alias, validate_strategy};
use portico_rules::name::validate_display_name;
use portico_rules::url::{validate_image_url, ImageUrls};
use portico_rules::ConnectionName;
use serde_json::{Map, Value};

use super::body::{as_object, as_string, as_string_array, invalid, Body, Input};
use super::body::{Create, Update};
use super::ids::ResourceId;
use super::paging::{checkpoint_list, offset_list, paging, Paging};
use super::reply::{created, deleted};
use super::scope::{guarded, Resource};
use crate::error::{ApiError, ApiResult};
use crate::records::ConnectionInput;
use crate::state::AppState;
use crate::store::Table;

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route("/connections", get(list).post(create))
        .route("/connections/{id}", get(read).patch(update).delete(remove));
    guarded(routes, Resource::Connections, state)
}

async fn create(
    State(state): State<AppState>,
    Create(input): Create<ConnectionInput>,
) -> ApiResult<Response> {
    Ok(created(state.db.create_connection(input).await?))
}

async fn list(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    match paging(q)? {
        Paging::Checkpoint { from, take } => {
            let from = from.unwrap_or_default();
            let items = state.db.connections_after(&from, take + 1).await?;
            checkpoint_list("connections", take, items, |c| &c.id)
        }
        Paging::Offset(page) => {
            let items = state.db.connections(page.offset(), page.per_page).await?;
            let total = state.db.count(Table::Connections);
            offset_list("connections", page, items, total).await
        }
    }
}

async fn read(State(state): State<AppState>, ResourceId(id): ResourceId) -> ApiResult<Response> {
    let conn = state.db.connection(&id).await?;
    Ok(Json(conn.ok_or_else(ApiError::connection_not_found)?).into_response())
}

async fn update(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    Update(input): Update<ConnectionInput>,
) -> ApiResult<Response> {
    let conn = state.db.update_connection(&id, input).await?;
    Ok(Json(conn.ok_or_else(ApiError::connection_not_found)?).into_response())
}

async fn remove(State(state): State<AppState>, ResourceId(id): ResourceId) -> ApiResult<Response> {
    deleted(
        state.db.delete_connection(&id).await?,
        ApiError::connection_not_found,
    )
}

// ---- the body --------------------------------------------------------------------

/// `options`: `icon_url` an image URL (`images`), `authorization_endpoint` https,
/// `domain_aliases` domain names; the rest is the strategy's own and kept as sent.
fn parse_options(v: Value, images: ImageUrls) -> ApiResult<Map<String, Value>> {
    let map = as_object("options", v)?;
    for (key, allowed) in [
        ("icon_url", images),
        ("authorization_endpoint", ImageUrls::HttpsOnly),
    ] {
        if let Some(v) = map.get(key) {
            let field = format!("options.{key}");
            let s = as_string(&field, v.clone())?;
            validate_image_url(&s, allowed).map_err(|rule| invalid(&field, rule))?;
        }
    }
    if let Some(v) = map.get("domain_aliases") {
        for (i, d) in as_string_array("options.domain_aliases", v.clone())?
            .iter()
            .enumerate()
        {
            validate_domain_alias(d)
                .map_err(|rule| invalid(&format!("options.domain_aliases[{i}]"), rule))?;
        }
    }
    Ok(map)
}

impl Input for ConnectionInput {
    const CREATE: &'static [&'static str] = &[
        "name",
        "display_name",
        "strategy",
        "options",
        "enabled_clients",
        "is_domain_connection",
        "show_as_button",
    ];
    // name and strategy are fixed once created, as in Auth0.
    const UPDATE: &'static [&'static str] = &[
        "display_name",
        "options",
        "enabled_clients",
        "is_domain_connection",
        "show_as_button",
    ];

    fn read(mut body: Body, creating: bool) -> ApiResult<Self> {
        let (name, strategy) = if creating {
            let name = body.required_string("name")?;
            ConnectionName::parse(&name).map_err(|rule| invalid("name", rule))?;
            let strategy = body.required_string("strategy")?;
            validate_strategy(&strategy).map_err(|rule| invalid("strategy", rule))?;
            (Some(name), Some(strategy))
        } else {
            (None, None)
        };
        let display_name = body
            .string("display_name")?
            .map(|d| {
                validate_display_name(&d).map_err(|rule| invalid("display_name", rule))?;
                Ok::<_, ApiError>(d)
            })
            .transpose()?;
        let images = body.images();
        let options = body
            .take("options")
            .map(|o| parse_options(o, images))
            .transpose()?;
        let enabled_clients = body.string_array("enabled_clients")?;
        let is_domain_connection = body.bool("is_domain_connection")?;
        let show_as_button = body.bool("show_as_button")?;
        Ok(Self {
            name,
            display_name,
            strategy,
            options,
            enabled_clients,
            is_domain_connection,
            show_as_button,
        })
    }
}
