//! The demo tenant (`serve --demo`): organizations with different branding and
//! connection mixes, and one application per organization behavior, created
//! idempotently so restarting with `--demo` never duplicates anything. Its records go
//! through the Management API's own body parsers, so the demo is held to the same
//! rules as any administrator. The pages it shows are in `pages`.

pub mod pages;

use portico_rules::context::{DiscoveryMethod, OrganizationUsage, RequireBehavior};
use serde_json::{json, Value};

use crate::api::Input;
use crate::error::{ApiError, ApiResult};
use crate::records::{Client, ConnectionInput, OrganizationInput};
use crate::store::{Conflict, Db, StoreError};

/// The demo's logos are served by this server, on loopback: the one kind of `http://`
/// image URL a directory may hold, and only the demo's.
const LOOPBACK: portico_rules::url::ImageUrls = portico_rules::url::ImageUrls::AlsoLoopback;

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
    options: Value,
    clients: &[&str],
) -> ApiResult<String> {
    if let Some(c) = db.connection_by_name(name).await? {
        return Ok(c.id);
    }
    let body = json!({
        "name": name, "display_name": display, "strategy": strategy,
        "options": options, "enabled_clients": clients, "is_domain_connection": false,
    });
    let input = ConnectionInput::parse_with(body.to_string().as_bytes(), true, LOOPBACK)?;
    Ok(db.create_connection(input).await?.id)
}

async fn organization(
    db: &Db,
    name: &str,
    display: &str,
    branding: Value,
    connections: &[&str],
) -> ApiResult<()> {
    if let Some(existing) = db.organization_by_name(name).await? {
        // Kept as it is, but for the logo's address, which follows the demo's port.
        let wanted: Option<portico_rules::Branding> =
            serde_json::from_value(branding.clone()).ok().flatten();
        if existing.branding != wanted {
            let body = json!({ "branding": branding });
            let input =
                OrganizationInput::parse_with(body.to_string().as_bytes(), false, LOOPBACK)?;
            db.update_organization(&existing.id, input).await?;
        }
        return Ok(());
    }
    let enabled: Vec<Value> = connections
        .iter()
        .map(|id| json!({ "connection_id": id, "assign_membership_on_login": true }))
        .collect();
    let body = json!({
        "name": name, "display_name": display, "branding": branding,
        "metadata": { "tier": "demo" }, "enabled_connections": enabled,
    });
    let input = OrganizationInput::parse_with(body.to_string().as_bytes(), true, LOOPBACK)?;
    match db.create_organization(input).await {
        Ok(_) | Err(StoreError::Conflict(Conflict::OrganizationName)) => Ok(()),
        Err(e) => Err(ApiError::from(e)),
    }
}

/// Creates the demo tenant where it is missing; `origin` is where this server is
/// reached (`http://localhost:{port}`), which serves the demo's logos.
pub async fn seed(db: &Db, origin: &str) -> ApiResult<()> {
    let logo = |name: &str| format!("{origin}/demo/logos/{name}.svg");
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
            "logo_url": logo("acme"),
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
            "logo_url": logo("globex"),
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
