//! The public, token-less, read-only login API (SPEC §3): the login context and email
//! discovery. Only public fields leave here: never metadata, hidden connections,
//! callbacks or secrets.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_rules::context::{
    ConnectionKind, DiscoveryMethod, PublicConnection, PublicOrganization,
};
use portico_rules::url::parse_query;
use portico_rules::LoginContext;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::model::{Connection, EnabledConnection, Organization};
use crate::state::AppState;

/// Recent `/login/context` answers, so a burst of page loads for one organization does
/// not repeat the same queries. Entries live one second and every successful
/// management write clears the cache on this instance; other instances sharing the
/// database may answer from their own for up to that second, well inside the 60 s the
/// response already allows clients to cache it. Found and not-found answers are kept
/// alike, so caching cannot tell them apart.
pub struct ContextCache {
    entries: Mutex<HashMap<String, Cached>>,
}

#[derive(Clone)]
struct Cached {
    at: Instant,
    found: bool,
    body: Bytes,
    etag: String,
}

const CACHE_TTL: Duration = Duration::from_secs(1);
const CACHE_MAX: usize = 10_000;

impl Default for ContextCache {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl ContextCache {
    fn get(&self, key: &str) -> Option<Cached> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|c| c.at.elapsed() < CACHE_TTL)
            .cloned()
    }

    fn put(&self, key: String, value: Cached) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CACHE_MAX {
            entries.retain(|_, c| c.at.elapsed() < CACHE_TTL);
            if entries.len() >= CACHE_MAX {
                entries.clear();
            }
        }
        entries.insert(key, value);
    }

    /// Forgets everything: called after every successful management write.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

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

/// Enterprise connections can be hidden from the buttons (`show_as_button: false`);
/// database and social connections always show.
fn visible(ec: &EnabledConnection, conn: &Connection) -> bool {
    ec.show_as_button || conn.kind() != ConnectionKind::Enterprise
}

/// The connections an organization shows on its login page.
async fn visible_connections(state: &AppState, org_id: &str) -> ApiResult<Vec<PublicConnection>> {
    Ok(state
        .db
        .organization_connections(org_id)
        .await?
        .iter()
        .filter(|(ec, c)| visible(ec, c))
        .map(|(ec, c)| public_connection(c, ec.is_signup_enabled))
        .collect())
}

async fn find_organization(state: &AppState, id_or_name: &str) -> ApiResult<Option<Organization>> {
    if id_or_name.starts_with("org_") {
        if let Some(org) = state.db.organization(id_or_name).await? {
            return Ok(Some(org));
        }
    }
    state.db.organization_by_name(id_or_name).await
}

/// The context for a client and, when given, an organization. `Ok(None)` when that
/// organization is not one to log in to: unknown, or with no visible connection;
/// both take the same queries, so they answer alike. `Err(NotFound)` for an unknown
/// client.
pub async fn context(
    state: &AppState,
    client_id: &str,
    organization: Option<&str>,
    redirect_uri: Option<&str>,
) -> ApiResult<Option<LoginContext>> {
    let client = state
        .db
        .client(client_id)
        .await?
        .ok_or_else(ApiError::client_not_found)?;
    let (organization, connections) = match organization {
        Some(wanted) => {
            let org = find_organization(state, wanted).await?;
            // Unknown organizations run the same query, so they answer in the same time.
            let id = org.as_ref().map_or("org_", |o| o.id.as_str());
            let connections = visible_connections(state, id).await?;
            match org {
                Some(org) if !connections.is_empty() => (
                    Some(PublicOrganization {
                        id: org.id,
                        name: org.name,
                        display_name: org.display_name,
                        branding: org.branding,
                    }),
                    connections,
                ),
                _ => return Ok(None),
            }
        }
        None => (
            None,
            state
                .db
                .all_connections()
                .await?
                .iter()
                .filter(|c| c.enabled_clients.iter().any(|id| id == client_id))
                .map(|c| public_connection(c, false))
                .collect(),
        ),
    };
    let redirect_uri_allowed =
        redirect_uri.is_some_and(|uri| client.callbacks.iter().any(|cb| cb == uri));
    Ok(Some(LoginContext {
        redirect_uri_allowed,
        client: portico_rules::ClientInfo {
            client_id: client.client_id,
            name: client.name,
            logo_uri: client.logo_uri,
            organization_usage: client.organization_usage,
            organization_require_behavior: client.organization_require_behavior,
            organization_discovery_methods: client.organization_discovery_methods,
        },
        organization,
        connections,
        authorize_url: state.config.authorize_url().to_owned(),
    }))
}

/// The context for the organization, or the client's own when the organization is
/// not found (what the flow table needs to decide).
pub async fn context_or_client(
    state: &AppState,
    client_id: &str,
    organization: Option<&str>,
    redirect_uri: Option<&str>,
) -> ApiResult<LoginContext> {
    if let Some(ctx) = context(state, client_id, organization, redirect_uri).await? {
        return Ok(ctx);
    }
    context(state, client_id, None, redirect_uri)
        .await?
        .ok_or(ApiError::Internal)
}

fn query_params(query: Option<String>, allowed: &[&str]) -> ApiResult<Vec<(String, String)>> {
    let params = parse_query(query.as_deref().unwrap_or(""));
    if let Some((k, _)) = params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(ApiError::invalid_query(format!(
            "Query validation error: 'Additional properties not allowed: {k}'."
        )));
    }
    Ok(params)
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// `GET /login/context?client_id=…&organization=…&redirect_uri=…`
pub async fn get_context(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result: ApiResult<Cached> = async {
        let params = query_params(query, &["client_id", "organization", "redirect_uri"])?;
        let client_id = param(&params, "client_id").ok_or_else(|| {
            ApiError::invalid_query(
                "Query validation error: 'Missing required property: client_id'.",
            )
        })?;
        let (organization, redirect_uri) = (
            param(&params, "organization"),
            param(&params, "redirect_uri"),
        );
        let key = [
            client_id,
            organization.unwrap_or(""),
            redirect_uri.unwrap_or(""),
        ]
        .join("\0");
        if let Some(hit) = state.context_cache.get(&key) {
            return Ok(hit);
        }
        let ctx = context(&state, client_id, organization, redirect_uri).await?;
        let body: Bytes = match &ctx {
            Some(ctx) => serde_json::to_vec(ctx).unwrap_or_default().into(),
            None => serde_json::to_vec(&ApiError::organization_not_found().body())
                .unwrap_or_default()
                .into(),
        };
        let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]);
        let answer = Cached {
            at: Instant::now(),
            found: ctx.is_some(),
            body,
            etag,
        };
        state.context_cache.put(key, answer.clone());
        Ok(answer)
    }
    .await;
    match result {
        Ok(answer) if answer.found => {
            let fresh = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|t| t.trim() == answer.etag));
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
            if let Ok(v) = HeaderValue::from_str(&answer.etag) {
                h.insert(header::ETAG, v);
            }
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /login/discover?client_id=…&email=…`: the organizations whose connections
/// claim the email's domain (home-realm discovery), for clients that allow it.
pub async fn discover(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let result: ApiResult<_> = async {
        let params = query_params(query, &["client_id", "email"])?;
        let client_id = param(&params, "client_id").ok_or_else(|| {
            ApiError::invalid_query(
                "Query validation error: 'Missing required property: client_id'.",
            )
        })?;
        let email = param(&params, "email").ok_or_else(|| {
            ApiError::invalid_query("Query validation error: 'Missing required property: email'.")
        })?;
        let client = state
            .db
            .client(client_id)
            .await?
            .ok_or_else(ApiError::client_not_found)?;
        if !client
            .organization_discovery_methods
            .contains(&DiscoveryMethod::Email)
        {
            return Err(ApiError::invalid_query(
                "Email discovery is not enabled for this client.",
            ));
        }
        let domain = email
            .rsplit_once('@')
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let mut found: Vec<serde_json::Value> = Vec::new();
        if !domain.is_empty() {
            for conn in state.db.all_connections().await? {
                if !conn.domain_aliases().any(|d| d == domain) {
                    continue;
                }
                for org in state.db.organizations_with_connection(&conn.id).await? {
                    let name = org.name.clone();
                    if found.iter().any(|o| o["name"] == name) {
                        continue;
                    }
                    // Only organizations a user could log in to (as the context says).
                    if !visible_connections(&state, &org.id).await?.is_empty() {
                        found.push(json!({ "name": org.name, "display_name": org.display_name }));
                    }
                }
            }
        }
        Ok(json!({ "organizations": found }))
    }
    .await;
    match result {
        Ok(body) => {
            let mut res = axum::Json(body).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => e.into_response(),
    }
}
