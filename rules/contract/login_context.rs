// The login context of `login-context.json`, as the rules' types hold it: one shared
// expectation for the two readers of that JSON — the server's serde
// (`rules/src/context.rs`, its test) and the page's decoder (`src/lookup/json.rs`,
// `tests/contract.rs` in the browser). A field renamed on one side fails one of them.
// Included with `include!` by both tests.

fn expected_login_context() -> portico_rules::LoginContext {
    use portico_rules::context::*;
    use portico_rules::{HexColor, HttpsUrl};
    let url = |u: &str| HttpsUrl::parse(u).unwrap();
    let connection = |name: &str, display: &str, strategy: &str, kind, icon: Option<&str>, signup| {
        PublicConnection {
            name: name.into(),
            display_name: display.into(),
            strategy: strategy.into(),
            icon_url: icon.map(url),
            kind,
            is_signup_enabled: signup,
        }
    };
    LoginContext {
        redirect_uri_allowed: true,
        client: ClientInfo {
            client_id: "app".into(),
            name: "Acme SPA".into(),
            logo_uri: Some(url("https://cdn.app.test/logo.svg")),
            organization_usage: OrganizationUsage::Require,
            organization_require_behavior: RequireBehavior::PreLoginPrompt,
            organization_discovery_methods: vec![DiscoveryMethod::OrganizationName, DiscoveryMethod::Email],
        },
        organization: Some(PublicOrganization {
            id: "org_abcdefghijklmnop".into(),
            name: "acme".into(),
            display_name: Some("Acme Corp".into()),
            branding: Some(Branding {
                logo_url: Some(url("https://cdn.acme.test/logo.svg")),
                colors: Some(BrandingColors {
                    primary: HexColor::parse("#0059d6").unwrap(),
                    page_background: HexColor::parse("#eee").unwrap(),
                }),
            }),
        }),
        connections: vec![
            connection("Username-Password-Authentication", "Email", "auth0", ConnectionKind::Database, None, true),
            connection("google-oauth2", "Google", "google-oauth2", ConnectionKind::Social, None, false),
            connection("acme-okta", "Acme Okta", "okta", ConnectionKind::Enterprise, Some("https://cdn.acme.test/okta.svg"), false),
        ],
        hidden_connection: Some(connection("acme-contractors", "Contractors", "samlp", ConnectionKind::Enterprise, None, false)),
        authorize_url: "https://tenant.test/authorize".into(),
        upstream: UpstreamProfile::Keycloak,
    }
}
