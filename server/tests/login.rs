//! The public login API and the page entry points: the context's shape and privacy,
//! enumeration resistance, caching, the docs/design.md#the-login-flow flow table through `/authorize` and
//! `/`, security headers, and compression.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

const CB: &str = "https://app.test/callback";

struct Tenant {
    app: TestApp,
    org_id: String,
}

/// A tenant with one organization (okta + hidden SAML), one without connections, and
/// a client per behavior.
async fn tenant() -> Tenant {
    tenant_with(Options::default()).await
}

async fn tenant_with(opts: Options) -> Tenant {
    let app = app_with(opts).await;
    let okta = app.connection("acme-okta", "okta", json!({"display_name": "Acme Okta", "options": {"domain_aliases": ["acme.test"], "client_id": "secret-ish"}})).await;
    let saml = app.connection("acme-saml", "samlp", json!({})).await;
    let db = app
        .connection(
            "Username-Password-Authentication",
            "auth0",
            json!({"display_name": "Email"}),
        )
        .await;
    let org = app
        .organization(json!({"name": "acme", "display_name": "Acme", "metadata": {"secret": "never public"},
            "branding": {"logo_url": "https://cdn.acme.test/l.png", "colors": {"primary": "#0059d6", "page_background": "#eeeeee"}},
            "enabled_connections": [{"connection_id": okta}, {"connection_id": saml, "show_as_button": false}]}))
        .await;
    app.organization(json!({"name": "empty", "display_name": "Empty"}))
        .await;
    app.organization(json!({"name": "hidden", "enabled_connections": [{"connection_id": saml, "show_as_button": false}]})).await;
    for (id, usage, behavior) in [
        ("deny", "deny", "no_prompt"),
        ("allow", "allow", "no_prompt"),
        ("req-prompt", "require", "pre_login_prompt"),
        ("req-none", "require", "no_prompt"),
        ("req-post", "require", "post_login_prompt"),
    ] {
        let c = app
            .state
            .db
            .create_client(serde_json_to_input(
                json!({"name": format!("App {id}"), "callbacks": [CB],
            "organization_usage": usage, "organization_require_behavior": behavior,
            "organization_discovery_methods": ["organization_name", "email"]}),
            ))
            .await
            .unwrap();
        // Fixed ids keep the tests readable.
        let fixed = portico_server::records::Client {
            client_id: id.into(),
            ..c
        };
        app.state.db.insert_client(&fixed).await.unwrap();
    }
    let r = app
        .api(
            Method::PATCH,
            &format!("/connections/{db}"),
            Some(json!({"enabled_clients": ["deny", "allow"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    Tenant {
        app,
        org_id: org["id"].as_str().unwrap().to_owned(),
    }
}

fn serde_json_to_input(v: Value) -> portico_server::records::ClientInput {
    use portico_server::api::Input;
    portico_server::records::ClientInput::parse(v.to_string().as_bytes(), true).unwrap()
}

fn ctx_url(client: &str, org: Option<&str>) -> String {
    let mut u = format!("/login/context?client_id={client}&redirect_uri={}", enc(CB));
    if let Some(o) = org {
        u.push_str(&format!("&organization={}", enc(o)));
    }
    u
}

#[tokio::test]
async fn context_has_only_public_fields() {
    let t = tenant().await;
    let r = t.app.get(&ctx_url("req-prompt", Some("acme"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ctx = r.json();
    assert_eq!(ctx["redirect_uri_allowed"], true);
    assert_eq!(ctx["organization"]["id"], t.org_id);
    assert_eq!(
        ctx["organization"]["branding"]["colors"]["primary"],
        "#0059d6"
    );
    assert_eq!(ctx["client"]["organization_usage"], "require");
    assert_eq!(ctx["authorize_url"], "/handoff");
    // The hidden SAML connection is not listed; okta is, with its kind.
    let names: Vec<_> = ctx["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme-okta"]);
    assert_eq!(ctx["connections"][0]["kind"], "enterprise");
    let text = r.text();
    for private in [
        "never public",
        "metadata",
        "callbacks",
        "secret-ish",
        "options",
        "domain_aliases",
    ] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }
    // By id too.
    assert_eq!(
        t.app
            .get(&ctx_url("req-prompt", Some(&t.org_id)))
            .await
            .json()["organization"]["name"],
        "acme"
    );
    // Caching.
    assert_eq!(r.header("cache-control"), "public, max-age=60");
    let etag = r.header("etag").to_owned();
    let again = t
        .app
        .get_with(
            &ctx_url("req-prompt", Some("acme")),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // A redirect_uri that is not registered, exactly.
    for other in [
        "https://app.test/callback/",
        "https://APP.test/callback",
        "https://app.test:443/callback",
        "https://app.test/callback?x=1",
        "https://app.test/%2E%2E/callback",
        "https://app.test/Callback",
    ] {
        let r = t
            .app
            .get(&format!(
                "/login/context?client_id=req-prompt&redirect_uri={}",
                enc(other)
            ))
            .await;
        assert_eq!(r.json()["redirect_uri_allowed"], false, "{other}");
    }
}

#[tokio::test]
async fn unknown_empty_and_hidden_organizations_are_indistinguishable() {
    let t = tenant().await;
    let bodies: Vec<_> = ["nope", "empty", "hidden", "org_0000000000000000"]
        .iter()
        .map(|o| ctx_url("req-prompt", Some(o)))
        .collect();
    let mut replies = Vec::new();
    for u in &bodies {
        replies.push(t.app.get(u).await);
    }
    // Deleted organizations too.
    let gone = t
        .app
        .organization(json!({"name": "gone", "enabled_connections": []}))
        .await;
    t.app
        .api(
            Method::DELETE,
            &format!("/organizations/{}", gone["id"].as_str().unwrap()),
            None,
        )
        .await;
    replies.push(t.app.get(&ctx_url("req-prompt", Some("gone"))).await);
    for r in &replies {
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.bytes, replies[0].bytes);
        assert_eq!(r.header("cache-control"), "no-store");
    }
    assert_eq!(
        replies[0].json(),
        json!({"statusCode": 404, "error": "Not Found", "message": "No organization found by that id or name"})
    );
    let unknown_client = t.app.get(&ctx_url("who", None)).await;
    assert_eq!(unknown_client.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown_client.json()["errorCode"], "inexistent_client");
    let missing = t.app.get("/login/context").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.json()["message"],
        "Query validation error: 'Missing required property: client_id'."
    );
    let extra = t.app.get("/login/context?client_id=deny&token=x").await;
    assert_eq!(
        extra.json()["message"],
        "Query validation error: 'Additional properties not allowed: token'."
    );
}

#[tokio::test]
async fn personal_connections_come_from_enabled_clients() {
    let t = tenant().await;
    let ctx = t.app.get(&ctx_url("deny", None)).await.json();
    assert!(ctx["organization"].is_null());
    assert_eq!(
        ctx["connections"][0]["name"],
        "Username-Password-Authentication"
    );
    assert_eq!(ctx["connections"][0]["kind"], "database");
    let ctx = t.app.get(&ctx_url("req-prompt", None)).await.json();
    assert_eq!(ctx["connections"], json!([]));
}

#[tokio::test]
async fn email_discovery() {
    let t = tenant().await;
    let r = t
        .app
        .get("/login/discover?client_id=req-prompt&email=jane%40ACME.test")
        .await
        .json();
    assert_eq!(
        r,
        json!({"organizations": [{"name": "acme", "display_name": "Acme"}]})
    );
    let none = t
        .app
        .get("/login/discover?client_id=req-prompt&email=jane%40other.test")
        .await
        .json();
    assert_eq!(none, json!({"organizations": []}));
    let r = t
        .app
        .get("/login/discover?client_id=nope&email=a%40acme.test")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

// docs/design.md#the-login-flow, Connections in detail: "A connection hidden from buttons
// (`show_as_button: false`) is never drawn and never listed publicly, yet it stays
// usable: a request whose `connection` names one of the organization's connections,
// hidden or not, continues to it at once (Auth0 behaves so)."
#[tokio::test]
async fn a_hidden_connection_is_usable_only_when_the_request_names_it() {
    let t = tenant().await;
    let named =
        |org: &str, conn: &str| format!("{}&connection={conn}", ctx_url("req-prompt", Some(org)));
    // Named: acme's context carries it apart from the buttons.
    let r = t.app.get(&named("acme", "acme-saml")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ctx = r.json();
    assert_eq!(ctx["hidden_connection"]["name"], "acme-saml");
    assert_eq!(ctx["connections"].as_array().unwrap().len(), 1);
    assert_eq!(ctx["connections"][0]["name"], "acme-okta");
    // Not named, or a visible one named: no hidden connection in the answer.
    for u in [
        ctx_url("req-prompt", Some("acme")),
        named("acme", "acme-okta"),
    ] {
        let ctx = t.app.get(&u).await.json();
        assert!(ctx.get("hidden_connection").is_none(), "{u}: {ctx}");
    }
    // An organization whose only connection is hidden is found for a request that
    // names it, and answers the uniform 404 otherwise (also for another name).
    let r = t.app.get(&named("hidden", "acme-saml")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["organization"]["name"], "hidden");
    assert_eq!(r.json()["connections"], json!([]));
    let not_found = t.app.get(&ctx_url("req-prompt", Some("nope"))).await;
    for u in [
        ctx_url("req-prompt", Some("hidden")),
        named("hidden", "acme-okta"),
        named("hidden", ""),
    ] {
        let r = t.app.get(&u).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{u}");
        assert_eq!(r.bytes, not_found.bytes, "{u}");
    }
    // `/authorize` applies it too: the page gets the hidden connection to continue to.
    let r = t
        .app
        .get(&authorize(
            "req-prompt",
            "&organization=hidden&connection=acme-saml",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let ctx = injected(&r);
    assert_eq!(ctx["organization"]["name"], "hidden");
    assert_eq!(ctx["hidden_connection"]["name"], "acme-saml");
    // Without the connection, a no_prompt client is sent back: the organization has
    // no way to log in, exactly like one that does not exist.
    let r = t
        .app
        .get(&authorize("req-none", "&organization=hidden"))
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(r
        .header("location")
        .contains("parameter%20organization%20is%20invalid"));
}

fn authorize(client: &str, extra: &str) -> String {
    format!(
        "/authorize?client_id={client}&redirect_uri={}&response_type=code&state=st%2B1{extra}",
        enc(CB)
    )
}

/// The nonce of a response's CSP (`'nonce-…'`).
fn csp_nonce(r: &Reply) -> String {
    let csp = r.header("content-security-policy");
    let nonce = csp.split("'nonce-").nth(1).expect("a nonce in the CSP");
    nonce.split('\'').next().unwrap().to_owned()
}

fn injected(r: &Reply) -> Value {
    let html = r.text();
    let open = "<script type=\"application/json\" id=\"portico-context\">";
    let start = html.find(open).expect("context injected") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn flow_table_through_authorize() {
    let t = tenant().await;
    let app = &t.app;
    let location = |r: &Reply| r.header("location").to_owned();

    // docs/design.md#the-login-flow row: deny | no org → personal login. Seed 001: "deny: (Default) Users
    // cannot log in using an organization."
    let r = app.get(&authorize("deny", "")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(injected(&r)["organization"].is_null());
    // docs/design.md#the-login-flow row: deny | org known → error redirect `parameter organization is not
    // allowed for this client`, with the state.
    let r = app.get(&authorize("deny", "&organization=acme")).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(location(&r), format!("{CB}?error=invalid_request&error_description=parameter%20organization%20is%20not%20allowed%20for%20this%20client&state=st%2B1"));
    // docs/design.md#the-login-flow row: allow | no org → personal login. Seed 001: "allow: Users can log in
    // either with an organization or without one."
    assert!(injected(&app.get(&authorize("allow", "")).await)["organization"].is_null());
    // docs/design.md#the-login-flow row: allow / require | found → organization login, themed (the page with
    // the organization's context).
    for c in ["allow", "req-prompt", "req-none"] {
        let r = app.get(&authorize(c, "&organization=acme")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(injected(&r)["organization"]["id"], t.org_id);
    }
    // docs/design.md#the-login-flow row: allow / require | not found | pre_login_prompt (or allow) → prompt
    // again with "The organization you entered is invalid": the page, no organization.
    let r = app
        .get(&authorize("req-prompt", "&organization=nope"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(injected(&r)["organization"].is_null());
    // docs/design.md#the-login-flow row: require | not found | no_prompt → error redirect, never the prompt.
    // docs/design.md#the-login-flow: "requests without a valid organization parameter will be
    // rejected".
    for org in ["nope", "Not%20A%20Name"] {
        let r = app
            .get(&authorize("req-none", &format!("&organization={org}")))
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{org}");
        assert_eq!(location(&r), format!("{CB}?error=invalid_request&error_description=parameter%20organization%20is%20invalid&state=st%2B1"));
    }
    // A repeated parameter → an error page, never a redirect. docs/design.md#the-login-flow: "A request that
    // repeats a parameter is rejected with an error page (RFC 6749 §3.1), never
    // redirected."
    for extra in ["&state=again", "&organization=acme&organization=other"] {
        let r = app.get(&authorize("req-none", extra)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{extra}");
        assert!(r.header("location").is_empty());
        assert!(
            r.text().contains("names a parameter more than once"),
            "{extra}"
        );
    }
    // docs/design.md#the-login-flow row: require | no org | no_prompt → error redirect. Seed 001: "no_prompt:
    // (Default) Display no prompt. Requests without a valid organization parameter
    // will be rejected."
    let r = app.get(&authorize("req-none", "")).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(location(&r).contains("error_description=parameter%20organization%20is%20required%20for%20this%20client&state=st%2B1"));
    // Error responses follow response_mode. docs/design.md#the-login-flow: "in the query, or in the
    // fragment or as an auto-posted form when the request's response_mode is
    // fragment or form_post".
    let r = app
        .get(&authorize("req-none", "&response_mode=fragment"))
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(location(&r), format!("{CB}#error=invalid_request&error_description=parameter%20organization%20is%20required%20for%20this%20client&state=st%2B1"));
    let r = app
        .get(&authorize(
            "req-none",
            "&response_mode=form_post&nonce=%22%3E%3Cscript%3E",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("location").is_empty());
    assert_eq!(r.header("cache-control"), "no-store");
    let html = r.text();
    assert!(
        html.contains(&format!("<form method=\"post\" action=\"{CB}\">")),
        "{html}"
    );
    for input in [
        "<input type=\"hidden\" name=\"error\" value=\"invalid_request\">",
        "<input type=\"hidden\" name=\"error_description\" value=\"parameter organization is required for this client\">",
        "<input type=\"hidden\" name=\"state\" value=\"st+1\">",
    ] {
        assert!(html.contains(input), "{input}\n{html}");
    }
    let csp = r.header("content-security-policy");
    let nonce = csp_nonce(&r);
    assert!(html.contains(&format!(
        "<script nonce=\"{nonce}\">document.forms[0].submit()</script>"
    )));
    assert!(
        csp.ends_with("form-action 'self' https://app.test"),
        "{csp}"
    );
    assert!(
        !html.contains("<script>"),
        "the request's own values stay inert"
    );
    // docs/design.md#the-login-flow row: require | no org | pre_login_prompt → organization prompt. Seed 001:
    // "pre_login_prompt: Display Auth0's out-of-box pre-login Organization prompt."
    // The page, with a context from which
    // the page's own flow table shows "Enter your organization" (the prompt is drawn
    // in the browser; tests/web.rs checks what it shows).
    let query = authorize("req-prompt", "");
    let r = app.get(&query).await;
    assert_eq!(r.status, StatusCode::OK);
    let ctx: portico_rules::LoginContext = serde_json::from_value(injected(&r)).unwrap();
    assert_eq!(ctx.client.client_id, "req-prompt");
    assert!(ctx.organization.is_none());
    let req = portico_rules::AuthorizeRequest::parse(query.split_once('?').unwrap().1);
    assert_eq!(
        portico_rules::resolve_login_screen(&req, false, &ctx),
        portico_rules::Screen::Prompt { invalid: false }
    );
    // docs/design.md#the-login-flow row: require | no org | post_login_prompt → unsupported here: an error
    // page naming the setting.
    let r = app.get(&authorize("req-post", "")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("post_login_prompt"));
    // Unknown client, missing client, unregistered redirect_uri: error page, no redirect.
    for uri in [
        "/authorize?client_id=who&redirect_uri=https%3A%2F%2Fapp.test%2Fcallback".to_owned(),
        "/authorize?redirect_uri=https%3A%2F%2Fapp.test%2Fcallback".to_owned(),
        "/authorize?client_id=req-none&redirect_uri=https%3A%2F%2Fevil.test%2Fcallback".to_owned(),
        "/authorize?client_id=req-none&redirect_uri=https%3A%2F%2Fapp.test%2Fcallback%2F"
            .to_owned(),
    ] {
        let r = app.get(&uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.header("location").is_empty());
        assert!(r.text().contains("role=\"alert\""));
    }
}

// docs/design.md#the-login-flow, Silent requests: "`prompt=none` … must never show UI (OIDC Core
// §3.1.2.1): the server answers `/authorize` with a `302` straight to
// `authorize_url`, every parameter byte-identical plus the organization when the
// request or the subdomain names a valid one (and its connection only when the
// request named it); an organization that the flow table would reject is rejected to
// the callback as usual, `response_mode` honoured."
#[tokio::test]
async fn silent_requests_go_straight_upstream_never_to_a_page() {
    let t = tenant().await;
    let app = &t.app;
    let location = |r: &Reply| r.header("location").to_owned();
    let upstream = |extra: &str| {
        format!("/handoff?client_id={{c}}&redirect_uri={}&response_type=code&state=st%2B1&prompt=none{extra}", enc(CB))
    };
    // A valid organization: its id in place of the name; no connection added.
    let r = app
        .get(&authorize("req-prompt", "&prompt=none&organization=acme"))
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.text());
    assert_eq!(
        location(&r),
        upstream(&format!("&organization={}", t.org_id)).replace("{c}", "req-prompt")
    );
    assert!(r.text().is_empty(), "no page");
    // A connection the request named stays, as named.
    let r = app
        .get(&authorize(
            "req-prompt",
            "&prompt=none&connection=acme-okta&organization=acme",
        ))
        .await;
    assert_eq!(
        location(&r),
        upstream(&format!("&organization={}&connection=acme-okta", t.org_id))
            .replace("{c}", "req-prompt")
    );
    // No organization where one is allowed or asked for by a prompt: upstream as it came.
    for c in ["allow", "req-prompt"] {
        let r = app.get(&authorize(c, "&prompt=none")).await;
        assert_eq!(r.status, StatusCode::FOUND, "{c}");
        assert_eq!(location(&r), upstream("").replace("{c}", c));
    }
    // The organization from the subdomain.
    let q = format!(
        "/?client_id=req-prompt&redirect_uri={}&prompt=none",
        enc(CB)
    );
    let r = app.get_with(&q, &[("host", "acme.login.test")]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(
        location(&r).ends_with(&format!("&prompt=none&organization={}", t.org_id)),
        "{}",
        location(&r)
    );
    // What the flow table rejects is rejected to the callback, response_mode honoured.
    let r = app.get(&authorize("req-none", "&prompt=none")).await;
    assert_eq!(location(&r), format!("{CB}?error=invalid_request&error_description=parameter%20organization%20is%20required%20for%20this%20client&state=st%2B1"));
    let r = app
        .get(&authorize(
            "deny",
            "&prompt=none&organization=acme&response_mode=fragment",
        ))
        .await;
    assert!(location(&r).starts_with(&format!("{CB}#error=invalid_request&error_description=parameter%20organization%20is%20not%20allowed")));
    // Not silent: the page, as always.
    let r = app
        .get(&authorize("req-prompt", "&prompt=login&organization=acme"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

// docs/design.md#upstream-and-sync: "Upstream profiles (`--upstream auth0|keycloak|oidc`, default `auth0`)
// decide how the choice is expressed". The page reads the profile from the context
// (tests/web.rs builds with it through rules::forward); the server's own redirects
// (silent requests) use it directly.
#[tokio::test]
async fn the_upstream_profile_reaches_the_page_and_shapes_the_servers_redirects() {
    let t = tenant().await;
    let ctx = t.app.get(&ctx_url("req-prompt", Some("acme"))).await.json();
    assert_eq!(ctx["upstream"], "auth0");
    let mut opts = Options::default();
    opts.config.upstream = portico_rules::context::UpstreamProfile::Keycloak;
    opts.config.authorize_url =
        Some("https://kc.test/realms/r/protocol/openid-connect/auth".into());
    let t = tenant_with(opts).await;
    let ctx = t.app.get(&ctx_url("req-prompt", Some("acme"))).await.json();
    assert_eq!(ctx["upstream"], "keycloak");
    let r = t
        .app
        .get(&authorize(
            "req-prompt",
            "&scope=openid&prompt=none&organization=acme&connection=acme-okta",
        ))
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(
        r.header("location"),
        format!("https://kc.test/realms/r/protocol/openid-connect/auth?client_id=req-prompt&redirect_uri={}&response_type=code&state=st%2B1&scope=openid%20organization%3Aacme&prompt=none&kc_idp_hint=acme-okta", enc(CB))
    );
}

#[tokio::test]
async fn subdomains_resolve_only_from_the_real_host() {
    let t = tenant().await;
    let q = format!("/?client_id=req-prompt&redirect_uri={}", enc(CB));
    let r = t
        .app
        .get_with(&q, &[("host", "acme.login.test:8080")])
        .await;
    assert_eq!(injected(&r)["organization"]["name"], "acme");
    assert!(r
        .text()
        .contains("<meta name=\"portico-base-domain\" content=\"login.test\">"));
    for host in [
        "login.test",
        "www.login.test",
        "127.0.0.1:8080",
        "acme.evil.test",
        "a.acme.login.test",
    ] {
        let r = t.app.get_with(&q, &[("host", host)]).await;
        assert!(injected(&r)["organization"].is_null(), "{host}");
    }
    // X-Forwarded-Host is not trusted without --trust-proxy.
    let r = t
        .app
        .get_with(
            &q,
            &[
                ("host", "login.test"),
                ("x-forwarded-host", "acme.login.test"),
            ],
        )
        .await;
    assert!(injected(&r)["organization"].is_null());
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    // JSON errors, files, health: not only HTML.
    for uri in [
        "/api/v2/nope",
        "/api/v2/organizations",
        "/login/context",
        "/no-such-file.js",
        "/healthz",
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(r.header("referrer-policy"), "no-referrer", "{uri}");
    }
}

// Issue 17: "`GET /favicon.ico` answers 404 on every page load". Portico's own icon,
// served with or without the built page.
#[tokio::test]
async fn the_favicon_is_served() {
    let app = app().await;
    let r = app.get("/favicon.ico").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "image/x-icon");
    // An ICO directory with one 32 px PNG image.
    assert_eq!(&r.bytes[..6], &[0, 0, 1, 0, 1, 0]);
    assert_eq!(&r.bytes[22..26], b"\x89PNG");
}

#[tokio::test]
async fn html_responses_carry_the_security_headers() {
    let t = tenant().await;
    let r = t
        .app
        .get(&authorize("req-prompt", "&organization=acme"))
        .await;
    let csp = r.header("content-security-policy").to_owned();
    let nonce = csp_nonce(&r);
    assert!(nonce.len() >= 16);
    assert_eq!(csp, format!("default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; img-src 'self' https:; connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"));
    assert!(r
        .text()
        .contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")));
    assert_eq!(r.header("x-frame-options"), "DENY");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("content-type"), "text/html; charset=utf-8");
    // A fresh nonce every time.
    let r2 = t
        .app
        .get(&authorize("req-prompt", "&organization=acme"))
        .await;
    assert_ne!(r2.header("content-security-policy"), csp);
    // Error pages and the handoff too.
    for uri in ["/authorize?client_id=who", "/handoff?a=1"] {
        let r = t.app.get(uri).await;
        assert!(
            r.header("content-security-policy")
                .starts_with("default-src 'none'"),
            "{uri}"
        );
        assert_eq!(r.header("x-frame-options"), "DENY");
    }
    // The injected JSON cannot close its script element.
    let patched = t
        .app
        .api(
            Method::PATCH,
            &format!("/organizations/{}", t.org_id),
            Some(json!({"display_name": "</script><script>alert(1)</script>"})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    let r = t
        .app
        .get(&authorize("req-prompt", "&organization=acme"))
        .await;
    assert!(!r.text().contains("<script>alert(1)"));
    assert_eq!(
        injected(&r)["organization"]["display_name"],
        "</script><script>alert(1)</script>"
    );
}

#[tokio::test]
async fn assets_are_compressed_and_typed() {
    let t = tenant().await;
    let r = t
        .app
        .get_with("/portico-test.css", &[("accept-encoding", "gzip, br")])
        .await;
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.header("content-type"), "text/css; charset=utf-8");
    let r = t
        .app
        .get_with("/portico-test_bg.wasm", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(
        (r.header("content-encoding"), r.header("content-type")),
        ("gzip", "application/wasm")
    );
    let r = t.app.get("/portico-test.js").await;
    assert_eq!(
        (r.header("content-encoding"), r.header("content-type")),
        ("", "text/javascript; charset=utf-8")
    );
    assert_eq!(r.text(), "export default function init(){}");
    let html = t
        .app
        .get_with(
            &authorize("deny", ""),
            &[("accept-encoding", "br;q=0, gzip")],
        )
        .await;
    assert_eq!(html.header("content-encoding"), "gzip");
    assert_eq!(t.app.get("/nope.js").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_page_has_no_context_and_the_same_headers() {
    let t = tenant().await;
    let r = t
        .app
        .get(&format!(
            "/index.html{}",
            &authorize("req-prompt", "&organization=acme")["/authorize".len()..]
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        !html.contains("portico-context"),
        "the page fetches its own context"
    );
    assert!(html.contains("<meta name=\"portico-base-domain\" content=\"login.test\">"));
    let nonce = csp_nonce(&r);
    assert!(html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")));
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("x-frame-options"), "DENY");
}

#[tokio::test]
async fn management_writes_are_visible_to_the_next_lookup() {
    let t = tenant().await;
    let url = ctx_url("req-prompt", Some("acme"));
    assert_eq!(
        t.app.get(&url).await.json()["organization"]["display_name"],
        "Acme"
    );
    assert_eq!(
        t.app.get(&url).await.json()["organization"]["display_name"],
        "Acme"
    );
    let r = t
        .app
        .api(
            Method::PATCH,
            &format!("/organizations/{}", t.org_id),
            Some(json!({"display_name": "Acme 2"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        t.app.get(&url).await.json()["organization"]["display_name"],
        "Acme 2"
    );
    t.app
        .api(
            Method::DELETE,
            &format!("/organizations/{}", t.org_id),
            None,
        )
        .await;
    let gone = t.app.get(&url).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        gone.bytes,
        t.app
            .get(&ctx_url("req-prompt", Some("never-existed")))
            .await
            .bytes
    );
}
