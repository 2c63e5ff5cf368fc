//! `GET /login/context`: everything the page needs for one screen (docs/design.md#the-public-login-api), and the
//! same context for the server's own entry points.

use std::sync::LazyLock;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_rules::context::{OrganizationUsage, PublicConnection, PublicOrganization};
use portico_rules::flow::context_for_screen;
use portico_rules::{ClientInfo, LoginContext, OrganizationRef};
use sha2::{Digest, Sha256};

use super::cache::{self, Cached};
use super::query::{param, query_params, required};
use crate::error::{ApiError, ApiResult};
use crate::records::{Connection, EnabledConnection};
use crate::state::AppState;

fn public_connection(conn: &Connection, signup: bool) -> PublicConnection {
    PublicConnection {
        name: conn.name.clone(),
        display_name: conn.display_name.clone(),
        strategy: conn.strategy.clone(),
        icon_url: conn.icon_url(),
        kind: conn.kind(),
        is_signup_enabled: signup,
    }
}

/// What a login context is asked for: the application, the organization (when
/// named), the callback to check, and the connection the request names (which may
/// be one hidden from buttons).
#[derive(Clone, Copy)]
pub struct ContextQuery<'a> {
    pub client_id: &'a str,
    pub organization: Option<&'a OrganizationRef>,
    pub redirect_uri: Option<&'a str>,
    pub connection: Option<&'a str>,
}

/// The context for a client and, when given, an organization. `Ok(None)` when that
/// organization is not one to log in to: unknown, or with no visible connection and
/// none the request names; both take the same queries, so they answer alike.
/// `Err(NotFound)` for an unknown client.
pub async fn context(state: &AppState, asked: ContextQuery<'_>) -> ApiResult<Option<LoginContext>> {
    let ContextQuery {
        client_id,
        organization,
        redirect_uri,
        connection,
    } = asked;
    let client = state
        .db
        .client(client_id)
        .await?
        .ok_or_else(ApiError::client_not_found)?;
    let (organization, connections, hidden_connection) = match organization {
        Some(named) => {
            let org = state.db.organization_by_ref(named).await?;
            // Unknown organizations run the same query, so they answer in the same time.
            let id = org.as_ref().map_or("org_", |o| o.id.as_str());
            let found = state.db.visible_connections(id, connection).await?;
            let public = |(ec, c): &(EnabledConnection, Connection)| {
                public_connection(c, ec.is_signup_enabled)
            };
            let connections: Vec<_> = found.shown.iter().map(public).collect();
            let hidden = found.named_hidden.as_ref().map(public);
            match org {
                Some(org) if !connections.is_empty() || hidden.is_some() => (
                    Some(PublicOrganization {
                        id: org.id,
                        name: org.name,
                        display_name: org.display_name,
                        branding: org.branding,
                    }),
                    connections,
                    hidden,
                ),
                _ => return Ok(None),
            }
        }
        // The personal login (docs/design.md#the-public-login-api): what it shows, bounded; a `require` client
        // has none, so its prompt carries no connection (never another customer's
        // enterprise SSO).
        None if client.organization_usage == OrganizationUsage::Require => (None, Vec::new(), None),
        None => (
            None,
            state
                .db
                .client_connections(client_id)
                .await?
                .iter()
                .map(|c| public_connection(c, false))
                .collect(),
            None,
        ),
    };
    let redirect_uri_allowed =
        redirect_uri.is_some_and(|uri| client.callbacks.iter().any(|cb| cb == uri));
    Ok(Some(LoginContext {
        redirect_uri_allowed,
        client: ClientInfo {
            client_id: client.client_id,
            name: client.name,
            // Validated when written; a value that breaks the rule is not shown.
            logo_uri: client
                .logo_uri
                .and_then(|u| portico_rules::HttpsUrl::parse(&u).ok()),
            organization_usage: client.organization_usage,
            organization_require_behavior: client.organization_require_behavior,
            organization_discovery_methods: client.organization_discovery_methods,
        },
        organization,
        connections,
        hidden_connection,
        authorize_url: state.config.authorize_url().to_owned(),
        upstream: state.config.upstream,
    }))
}

/// The context for the organization, or the client's own when the organization is
/// not found (what the flow table needs to decide).
pub async fn context_or_client(
    state: &AppState,
    asked: ContextQuery<'_>,
) -> ApiResult<LoginContext> {
    let look_up = |organization| {
        context(
            state,
            ContextQuery {
                organization,
                ..asked
            },
        )
    };
    context_for_screen(asked.organization, look_up)
        .await?
        .ok_or(ApiError::Internal)
}

/// The answer for one query, from the cache or made and cached.
async fn answer(state: &AppState, query: Option<String>) -> ApiResult<Cached> {
    let params = query_params(
        query,
        &["client_id", "organization", "redirect_uri", "connection"],
    )?;
    let client_id = required(&params, "client_id")?;
    let (organization, redirect_uri, connection) = (
        param(&params, "organization"),
        param(&params, "redirect_uri"),
        param(&params, "connection"),
    );
    let key = cache::key(&[
        client_id,
        organization.unwrap_or(""),
        redirect_uri.unwrap_or(""),
        connection.unwrap_or(""),
    ]);
    if let Some(hit) = state.context_cache.get(&key) {
        return Ok(hit);
    }
    // Text that is neither an id nor a name names no organization.
    let ctx = match organization.map(OrganizationRef::parse) {
        Some(None) => {
            state
                .db
                .client(client_id)
                .await?
                .ok_or_else(ApiError::client_not_found)?;
            None
        }
        found => {
            let asked = ContextQuery {
                client_id,
                organization: found.as_ref().and_then(Option::as_ref),
                redirect_uri,
                connection,
            };
            context(state, asked).await?
        }
    };
    let answer = match &ctx {
        Some(ctx) => {
            let body: Bytes = serde_json::to_vec(ctx).unwrap_or_default().into();
            Cached {
                at: Instant::now(),
                found: true,
                etag: etag(&body)?,
                body,
            }
        }
        // One body for every not-found answer, shared by the entries that hold it.
        None => Cached {
            at: Instant::now(),
            ..NOT_FOUND.clone()
        },
    };
    state.context_cache.put(key, answer.clone());
    Ok(answer)
}

/// `GET /login/context?client_id=…&organization=…&redirect_uri=…`
pub async fn get_context(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match answer(&state, query).await {
        Ok(answer) if answer.found => {
            let fresh = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    v.split(',')
                        .any(|t| t.trim().as_bytes() == answer.etag.as_bytes())
                });
            let mut res = if fresh {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                ([(header::CONTENT_TYPE, "application/json")], answer.body).into_response()
            };
            let h = res.headers_mut();
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            h.insert(header::ETAG, answer.etag);
            res
        }
        Ok(not_found) => (
            StatusCode::NOT_FOUND,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            not_found.body,
        )
            .into_response(),
        Err(e) => {
            let mut res = e.into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
    }
}

/// The answer for an organization that is not one to log in to, made once.
static NOT_FOUND: LazyLock<Cached> = LazyLock::new(|| {
    let body: Bytes = serde_json::to_vec(&ApiError::organization_not_found().body())
        .unwrap_or_default()
        .into();
    Cached {
        at: Instant::now(),
        found: false,
        etag: etag(&body).unwrap_or(HeaderValue::from_static("\"\"")),
        body,
    }
});

fn etag(body: &[u8]) -> ApiResult<HeaderValue> {
    HeaderValue::from_str(&format!("\"{}\"", &hex(&Sha256::digest(body))[..32]))
        .map_err(|_| ApiError::Internal)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
