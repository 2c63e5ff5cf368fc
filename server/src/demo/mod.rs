//! The demo tenant (`serve --demo`): organizations with different branding and
//! connection mixes, and one application per organization behavior, created
//! idempotently so restarting with `--demo` never duplicates anything.

use std::net::SocketAddr;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use portico_rules::context::{DiscoveryMethod, OrganizationUsage, RequireBehavior};
use portico_rules::url::encode_component;
use serde_json::json;

use crate::db::Db;
use crate::error::ApiResult;
use crate::model::{Client, ConnectionInput, EnabledConnectionInput, OrganizationInput};
use crate::state::AppState;

pub const CALLBACK: &str = "http://localhost:8080/callback";

/// The demo applications: (client_id, name, usage, behavior, what it shows).
pub const CLIENTS: [(&str, &str, OrganizationUsage, RequireBehavior, &str); 4] = [
    (
        "demo-require-prompt",
        "Portico Demo",
        OrganizationUsage::Require,
        RequireBehavior::PreLoginPrompt,
        "require + pre_login_prompt: asks for the organization",
    ),
    (
        "demo-require-no-prompt",
        "Portico Demo (no prompt)",
        OrganizationUsage::Require,
        RequireBehavior::NoPrompt,
        "require + no_prompt: an organization must be sent",
    ),
    (
        "demo-allow",
        "Team Chat",
        OrganizationUsage::Allow,
        RequireBehavior::NoPrompt,
        "allow: personal login or an organization",
    ),
    (
        "demo-deny",
        "Personal Notes",
        OrganizationUsage::Deny,
        RequireBehavior::NoPrompt,
        "deny: personal login only",
    ),
];

fn callbacks() -> Vec<String> {
    [
        "localhost",
        "127.0.0.1",
        "acme.localhost",
        "globex.localhost",
        "initech.localhost",
    ]
    .iter()
    .map(|h| format!("http://{h}:8080/callback"))
    .collect()
}

async fn connection(
    db: &Db,
    name: &str,
    display: &str,
    strategy: &str,
    options: serde_json::Value,
    clients: &[&str],
) -> ApiResult<String> {
    if let Some(c) = db
        .all_connections()
        .await?
        .into_iter()
        .find(|c| c.name == name)
    {
        return Ok(c.id);
    }
    let input = ConnectionInput {
        name: Some(name.into()),
        display_name: Some(display.into()),
        strategy: Some(strategy.into()),
        options: options.as_object().cloned(),
        enabled_clients: Some(clients.iter().map(|c| c.to_string()).collect()),
        is_domain_connection: Some(false),
    };
    Ok(db.create_connection(input).await?.id)
}

async fn organization(
    db: &Db,
    name: &str,
    display: &str,
    branding: serde_json::Value,
    connections: &[&str],
) -> ApiResult<()> {
    if db.organization_by_name(name).await?.is_some() {
        return Ok(());
    }
    let input = OrganizationInput {
        name: Some(name.into()),
        display_name: Some(Some(display.into())),
        branding: Some(crate::model::parse_branding(branding)?),
        metadata: Some(Some(
            json!({ "tier": "demo" })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )),
        enabled_connections: connections
            .iter()
            .map(|id| EnabledConnectionInput {
                connection_id: id.to_string(),
                assign_membership_on_login: Some(true),
                ..Default::default()
            })
            .collect(),
    };
    match db.create_organization(input).await {
        Ok(_) | Err(crate::error::ApiError::OrganizationConflict) => Ok(()),
        Err(e) => Err(e),
    }
}

pub async fn seed(db: &Db) -> ApiResult<()> {
    for (id, name, usage, behavior, _) in CLIENTS {
        if db.client(id).await?.is_none() {
            let client = Client {
                client_id: id.into(),
                name: name.into(),
                description: None,
                logo_uri: None,
                app_type: Some("spa".into()),
                callbacks: callbacks(),
                organization_usage: usage,
                organization_require_behavior: behavior,
                organization_discovery_methods: vec![
                    DiscoveryMethod::OrganizationName,
                    DiscoveryMethod::Email,
                ],
            };
            db.insert_client(&client).await?;
        }
    }
    let personal = ["demo-deny", "demo-allow"];
    let database = connection(
        db,
        "Username-Password-Authentication",
        "Email and password",
        "auth0",
        json!({}),
        &personal,
    )
    .await?;
    let google = connection(
        db,
        "google-oauth2",
        "Google",
        "google-oauth2",
        json!({}),
        &personal,
    )
    .await?;
    let okta = connection(db, "acme-okta", "Acme Okta", "okta", json!({
        "authorization_endpoint": "https://acme.okta.example/oauth2/v1/authorize",
        "client_id": "acme-portico", "scope": "openid profile email", "domain_aliases": ["acme.test"]
    }), &[]).await?;
    let azure = connection(
        db,
        "globex-azure",
        "Globex Azure AD",
        "waad",
        json!({ "domain_aliases": ["globex.test"] }),
        &[],
    )
    .await?;
    organization(
        db,
        "acme",
        "Acme Corporation",
        json!({
            "logo_url": "https://logos.portico.test/acme.svg",
            "colors": { "primary": "#0b5cd5", "page_background": "#e6eefb" }
        }),
        &[&okta],
    )
    .await?;
    organization(
        db,
        "globex",
        "Globex",
        json!({
            "logo_url": "https://logos.portico.test/globex.svg",
            "colors": { "primary": "#ffd400", "page_background": "#22252b" }
        }),
        &[&google, &database, &azure],
    )
    .await?;
    organization(
        db,
        "initech",
        "Initech",
        serde_json::Value::Null,
        &[&database],
    )
    .await?;
    tracing::info!("demo tenant ready");
    Ok(())
}

fn try_urls(origin: &str, base_domain: Option<&str>, port: u16) -> Vec<(String, String)> {
    let authorize = |client: &str, extra: &str| {
        format!(
            "{origin}/authorize?client_id={client}&redirect_uri={}&response_type=code&scope=openid%20profile&state=demo-state{extra}",
            encode_component(CALLBACK)
        )
    };
    let mut urls = vec![
        (
            "Organization prompt (require + pre_login_prompt)".into(),
            authorize("demo-require-prompt", ""),
        ),
        (
            "Acme: single enterprise connection, auto-redirect".into(),
            authorize("demo-require-prompt", "&organization=acme"),
        ),
        (
            "Globex: Google + database + enterprise, yellow on dark".into(),
            authorize("demo-require-prompt", "&organization=globex"),
        ),
        (
            "Initech: no branding (default theme)".into(),
            authorize("demo-require-prompt", "&organization=initech"),
        ),
        (
            "Personal login with organization link (allow)".into(),
            authorize("demo-allow", ""),
        ),
        (
            "Personal login only (deny)".into(),
            authorize("demo-deny", ""),
        ),
        (
            "require + no_prompt without organization: error back to the app".into(),
            authorize("demo-require-no-prompt", ""),
        ),
    ];
    if let Some(base) = base_domain {
        urls.push((
            format!("Subdomain: globex.{base}"),
            format!(
                "http://globex.{base}:{port}/?client_id=demo-require-prompt&redirect_uri={}&response_type=code&state=demo-state",
                encode_component(CALLBACK)
            ),
        ));
    }
    urls
}

pub fn print_urls(addr: &SocketAddr, base_domain: Option<&str>) {
    let origin = format!("http://localhost:{}", addr.port());
    println!("\nPortico is running with the demo tenant on {origin}\n");
    for (what, url) in try_urls(&origin, base_domain, addr.port()) {
        println!("  {what}\n    {url}\n");
    }
    println!("  Management token: cargo run -q -p portico-server -- token --scopes \"read:organizations create:organizations\"\n");
}

/// `/` with no query in demo mode: the list of things to try.
pub fn index_page(state: &AppState, headers: &HeaderMap) -> Response {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:8080");
    let port = host
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(80);
    let links: String = try_urls("", state.config.base_domain.as_deref(), port)
        .iter()
        .map(|(what, url)| {
            format!(
                "<li><a class=\"link\" href=\"{}\">{}</a></li>",
                crate::page::escape_html(url),
                crate::page::escape_html(what)
            )
        })
        .collect();
    let inner = format!("<h1 class=\"card__title\">Portico demo</h1><p class=\"card__text\">Pick a flow to try:</p><ul class=\"demo__links\">{links}</ul>");
    crate::page::server_page(state, StatusCode::OK, "Portico demo", &inner, headers)
}
