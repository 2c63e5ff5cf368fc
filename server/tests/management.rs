//! The Management API: every endpoint, every docs/design.md#the-management-api error row, tokens, rate limits.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

fn err(r: &Reply, status: u16, code: Option<&str>, message: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.text());
    let body = r.json();
    assert_eq!(body["statusCode"], status);
    assert_eq!(body["message"], message, "{body}");
    match code {
        Some(c) => assert_eq!(body["errorCode"], c, "{body}"),
        None => assert!(body.get("errorCode").is_none(), "{body}"),
    }
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn organization_lifecycle() {
    let app = app().await;
    let okta = app
        .connection("acme-okta", "okta", json!({"display_name": "Acme Okta"}))
        .await;
    let org = app
        .organization(json!({
            "name": "acme",
            "display_name": "Acme, Inc.",
            "branding": {"logo_url": "https://cdn.acme.test/logo.png", "colors": {"primary": "#0059d6", "page_background": "#FFF"}},
            "metadata": {"tier": "gold", "region": null},
            "enabled_connections": [{"connection_id": okta, "assign_membership_on_login": true}]
        }))
        .await;
    let id = org["id"].as_str().unwrap();
    assert!(id.starts_with("org_") && id.len() == 20);
    assert_eq!(org["name"], "acme");
    assert_eq!(org["branding"]["colors"]["page_background"], "#FFF");
    assert_eq!(
        org["enabled_connections"][0]["connection"]["name"],
        "acme-okta"
    );
    assert_eq!(org["enabled_connections"][0]["show_as_button"], true);

    let got = app
        .api(Method::GET, &format!("/organizations/{id}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json()["display_name"], "Acme, Inc.");
    assert_eq!(got.json()["metadata"]["tier"], "gold");
    let by_name = app.api(Method::GET, "/organizations/name/acme", None).await;
    assert_eq!(by_name.json()["id"], id);

    let patched = app
        .api(
            Method::PATCH,
            &format!("/organizations/{id}"),
            Some(json!({"display_name": "Acme", "branding": null})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["display_name"], "Acme");
    assert!(patched.json().get("branding").is_none());
    assert_eq!(patched.json()["name"], "acme");

    let del = app
        .api(Method::DELETE, &format!("/organizations/{id}"), None)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    err(
        &app.api(Method::GET, &format!("/organizations/{id}"), None)
            .await,
        404,
        None,
        "No organization found by that id or name",
    );
    err(
        &app.api(Method::DELETE, &format!("/organizations/{id}"), None)
            .await,
        404,
        None,
        "No organization found by that id or name",
    );
    err(
        &app.api(Method::GET, "/organizations/name/acme", None).await,
        404,
        None,
        "No organization found by that id or name",
    );
}

#[tokio::test]
async fn every_invalid_organization_field_is_named() {
    let app = app().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "Payload validation error: 'Missing required property: name' on property name."),
        (json!({"name": 5}), "Payload validation error: 'Expected type string but found type number' on property name."),
        (json!({"name": "Acme"}), "Payload validation error: 'String does not match pattern ^[a-z0-9_-]{1,50}$ (1-50 characters of lowercase letters, digits, '_' and '-')' on property name."),
        (json!({"name": "x".repeat(51)}), "Payload validation error: 'String does not match pattern ^[a-z0-9_-]{1,50}$ (1-50 characters of lowercase letters, digits, '_' and '-')' on property name."),
        (json!({"name": ""}), "Payload validation error: 'String does not match pattern ^[a-z0-9_-]{1,50}$ (1-50 characters of lowercase letters, digits, '_' and '-')' on property name."),
        (json!({"name": "a", "display_name": ""}), "Payload validation error: 'must be at least 1 character' on property display_name."),
        (json!({"name": "a", "display_name": "x".repeat(256)}), "Payload validation error: 'must be at most 255 characters' on property display_name."),
        (json!({"name": "a", "display_name": "evil\u{202e}txt"}), "Payload validation error: 'must not contain control or bidirectional formatting characters' on property display_name."),
        (json!({"name": "a", "display_name": "two\nlines"}), "Payload validation error: 'must not contain control or bidirectional formatting characters' on property display_name."),
        (json!({"name": "a", "branding": "blue"}), "Payload validation error: 'Expected type object but found type string' on property branding."),
        (json!({"name": "a", "branding": {"logo_url": "http://x.test/l.png"}}), "Payload validation error: 'must be an absolute https:// URL' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": "javascript:alert(1)"}}), "Payload validation error: 'must be an absolute https:// URL' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": "data:image/png;base64,AA"}}), "Payload validation error: 'must be an absolute https:// URL' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": "//host/x"}}), "Payload validation error: 'must be an absolute https:// URL' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": "https://u:p@host/x"}}), "Payload validation error: 'must not contain a username or password' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": "https://good\\@evil/x"}}), "Payload validation error: 'must not contain spaces, backslashes, control or non-ASCII characters' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"logo_url": format!("https://x.test/{}", "a".repeat(2048))}}), "Payload validation error: 'must be at most 2048 characters' on property branding.logo_url."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#fff"}}}), "Payload validation error: 'Missing required property: page_background' on property branding.colors.page_background."),
        (json!({"name": "a", "branding": {"colors": {"primary": "red", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#ffff", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#fff;background:url(https://x)", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#000}</style><script>", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#ｆｆｆ", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#fff\n", "page_background": "#fff"}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.primary."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#fff", "page_background": "x".repeat(1 << 20)}}}), "Payload validation error: 'must be a hex colour like #1a2b3c or #abc' on property branding.colors.page_background."),
        (json!({"name": "a", "branding": {"colors": {"primary": "#fff", "page_background": "#000", "text": "#111"}}}), "Payload validation error: 'Additional properties not allowed: text' on property branding.colors."),
        (json!({"name": "a", "metadata": {"k": 1}}), "Payload validation error: 'Expected type string or null' on property metadata.k."),
        (json!({"name": "a", "metadata": {"k": "v".repeat(256)}}), "Payload validation error: 'String is too long (maximum 255 characters)' on property metadata.k."),
        (json!({"name": "a", "metadata": (0..26).map(|i| (format!("k{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}), "Payload validation error: 'Too many properties defined (at most 25)' on property metadata."),
        (json!({"name": "a", "enabled_connections": (0..11).map(|_| json!({"connection_id": "con_x"})).collect::<Vec<_>>()}), "Payload validation error: 'Array is too long (at most 10 connections)' on property enabled_connections."),
        (json!({"name": "a", "enabled_connections": [{"connection_id": "con_missing"}]}), "Payload validation error: 'No connection found with that id' on property enabled_connections[0].connection_id."),
        (json!({"name": "a", "enabled_connections": [{}]}), "Payload validation error: 'Missing required property: connection_id' on property enabled_connections[0].connection_id."),
        (json!({"name": "a", "unknown": 1}), "Payload validation error: 'Additional properties not allowed: unknown'."),
    ];
    for (body, message) in cases {
        let r = app
            .api(Method::POST, "/organizations", Some(body.clone()))
            .await;
        err(&r, 400, Some("invalid_body"), message);
    }
    let raw = app
        .api_as(&app.token.clone(), Method::POST, "/api/v2/x", None)
        .await;
    assert_eq!(raw.status, StatusCode::NOT_FOUND);
    let not_json = app
        .api_as(
            &app.token.clone(),
            Method::POST,
            "/organizations",
            Some("{".into()),
        )
        .await;
    err(
        &not_json,
        400,
        Some("invalid_body"),
        "Payload validation error: 'Invalid JSON'.",
    );
    let array = app
        .api_as(
            &app.token.clone(),
            Method::POST,
            "/organizations",
            Some("[]".into()),
        )
        .await;
    err(
        &array,
        400,
        Some("invalid_body"),
        "Payload validation error: 'Expected type object but found type array'.",
    );
    // A failed create changed nothing.
    let list = app
        .api(Method::GET, "/organizations?include_totals=true", None)
        .await;
    assert_eq!(list.json()["total"], 0);
}

#[tokio::test]
async fn failed_writes_change_nothing() {
    let app = app().await;
    let db = app.connection("db1", "auth0", json!({})).await;
    // The second enabled connection is invalid (sign-up on a non-database connection
    // would be fine only for auth0): the organization must not exist afterwards.
    let okta = app.connection("okta1", "okta", json!({})).await;
    let r = app
        .api(Method::POST, "/organizations", Some(json!({"name": "atomic", "enabled_connections": [
            {"connection_id": db, "assign_membership_on_login": true, "is_signup_enabled": true},
            {"connection_id": okta, "is_signup_enabled": true, "assign_membership_on_login": true}
        ]})))
        .await;
    err(&r, 400, Some("invalid_body"), "Payload validation error: 'is_signup_enabled is only allowed for database connections' on property enabled_connections[1].is_signup_enabled.");
    err(
        &app.api(Method::GET, "/organizations/name/atomic", None)
            .await,
        404,
        None,
        "No organization found by that id or name",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn duplicate_names_conflict_even_when_concurrent() {
    let app = app().await;
    app.organization(json!({"name": "dup"})).await;
    let r = app
        .api(Method::POST, "/organizations", Some(json!({"name": "dup"})))
        .await;
    err(
        &r,
        409,
        Some("organization_conflict"),
        "An organization with the same name already exists.",
    );

    for round in 0..5 {
        let name = format!("race{round}");
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let router = app.router.clone();
                let req = app.api_request(
                    Method::POST,
                    "/organizations",
                    Some(json!({"name": name}).to_string()),
                );
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    router.oneshot(req).await.unwrap().status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for h in handles {
            statuses.push(h.await.unwrap());
        }
        let created = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        let conflicts = statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count();
        assert_eq!((created, conflicts), (1, 7), "round {round}: {statuses:?}");
    }
    // Renaming onto an existing name conflicts too.
    let other = app.organization(json!({"name": "other"})).await;
    let r = app
        .api(
            Method::PATCH,
            &format!("/organizations/{}", other["id"].as_str().unwrap()),
            Some(json!({"name": "dup"})),
        )
        .await;
    err(
        &r,
        409,
        Some("organization_conflict"),
        "An organization with the same name already exists.",
    );
}

#[tokio::test]
async fn paging_offset_and_checkpoint() {
    let app = app().await;
    for i in 0..7 {
        app.organization(json!({"name": format!("org{i}")})).await;
    }
    let bare = app
        .api(Method::GET, "/organizations?per_page=3&page=1", None)
        .await;
    assert_eq!(bare.json().as_array().unwrap().len(), 3);
    let totals = app
        .api(
            Method::GET,
            "/organizations?per_page=3&page=2&include_totals=true",
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            totals["start"].as_i64(),
            totals["limit"].as_i64(),
            totals["total"].as_i64()
        ),
        (Some(6), Some(3), Some(7))
    );
    assert_eq!(totals["organizations"].as_array().unwrap().len(), 1);

    let mut seen = Vec::new();
    let mut from = String::new();
    loop {
        let page = app
            .api(
                Method::GET,
                &format!("/organizations?take=3&from={from}"),
                None,
            )
            .await
            .json();
        for o in page["organizations"].as_array().unwrap() {
            seen.push(o["name"].as_str().unwrap().to_owned());
        }
        match page.get("next").and_then(Value::as_str) {
            Some(next) => from = next.to_owned(),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, (0..7).map(|i| format!("org{i}")).collect::<Vec<_>>());

    err(
        &app.api(Method::GET, "/organizations?per_page=101", None)
            .await,
        400,
        Some("invalid_query_string"),
        "Query validation error: 'Must be between 1 and 100' on property per_page.",
    );
    err(&app.api(Method::GET, "/organizations?per_page=abc", None).await, 400, Some("invalid_query_string"), "Query validation error: 'Expected type integer but found type string' on property per_page.");
    err(
        &app.api(Method::GET, "/organizations?page=10&per_page=100", None)
            .await,
        400,
        Some("invalid_paging"),
        "Requesting page exceeds the allowed maximum of 1000 records",
    );
    err(
        &app.api(Method::GET, "/organizations?sort=name", None).await,
        400,
        Some("invalid_query_string"),
        "Query validation error: 'Additional properties not allowed: sort'.",
    );
    err(&app.api(Method::GET, "/organizations?include_totals=yes", None).await, 400, Some("invalid_query_string"), "Query validation error: 'Expected type boolean but found type string' on property include_totals.");
}

#[tokio::test]
async fn enabled_connections_crud_and_rules() {
    let app = app().await;
    let org = app.organization(json!({"name": "acme"})).await;
    let id = org["id"].as_str().unwrap();
    let db = app
        .connection("Username-Password-Authentication", "auth0", json!({}))
        .await;
    let okta = app.connection("acme-okta", "okta", json!({})).await;
    let base = format!("/organizations/{id}/enabled_connections");

    let added = app.api(Method::POST, &base, Some(json!({"connection_id": db, "assign_membership_on_login": true, "is_signup_enabled": true}))).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    assert_eq!(added.json()["connection"]["strategy"], "auth0");
    let again = app
        .api(Method::POST, &base, Some(json!({"connection_id": db})))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    err(&app.api(Method::POST, &base, Some(json!({"connection_id": okta, "is_signup_enabled": true, "assign_membership_on_login": true}))).await,
        400, Some("invalid_body"), "Payload validation error: 'is_signup_enabled is only allowed for database connections' on property is_signup_enabled.");
    err(&app.api(Method::POST, &base, Some(json!({"connection_id": okta, "show_as_button": "yes"}))).await,
        400, Some("invalid_body"), "Payload validation error: 'Expected type boolean but found type string' on property show_as_button.");
    let ok = app
        .api(
            Method::POST,
            &base,
            Some(json!({"connection_id": okta, "show_as_button": false})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);

    let list = app.api(Method::GET, &base, None).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let totals = app
        .api(Method::GET, &format!("{base}?include_totals=true"), None)
        .await
        .json();
    assert_eq!(totals["total"], 2);

    let one = app.api(Method::GET, &format!("{base}/{okta}"), None).await;
    assert_eq!(one.json()["show_as_button"], false);
    let patched = app
        .api(
            Method::PATCH,
            &format!("{base}/{okta}"),
            Some(json!({"show_as_button": true})),
        )
        .await;
    assert_eq!(patched.json()["show_as_button"], true);
    err(&app.api(Method::PATCH, &format!("{base}/{db}"), Some(json!({"assign_membership_on_login": false}))).await,
        400, Some("invalid_body"), "Payload validation error: 'is_signup_enabled requires assign_membership_on_login to be true' on property is_signup_enabled.");
    err(
        &app.api(
            Method::PATCH,
            &format!("{base}/{okta}"),
            Some(json!({"connection_id": "x"})),
        )
        .await,
        400,
        Some("invalid_body"),
        "Payload validation error: 'Additional properties not allowed: connection_id'.",
    );

    assert_eq!(
        app.api(Method::DELETE, &format!("{base}/{okta}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.api(Method::GET, &format!("{base}/{okta}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    err(
        &app.api(
            Method::GET,
            "/organizations/org_0000000000000000/enabled_connections",
            None,
        )
        .await,
        404,
        None,
        "No organization found by that id or name",
    );
    err(&app.api(Method::GET, "/organizations/bad!id/enabled_connections", None).await, 400, Some("invalid_uri"),
        "Path validation error: 'String does not match pattern ^org_[A-Za-z0-9]{16}$' on property id (Organization identifier).");

    // At most 10.
    let org2 = app.organization(json!({"name": "many"})).await;
    let base2 = format!(
        "/organizations/{}/enabled_connections",
        org2["id"].as_str().unwrap()
    );
    for i in 0..10 {
        let c = app.connection(&format!("c{i}"), "oidc", json!({})).await;
        assert_eq!(
            app.api(Method::POST, &base2, Some(json!({"connection_id": c})))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let c = app.connection("c10", "oidc", json!({})).await;
    err(&app.api(Method::POST, &base2, Some(json!({"connection_id": c}))).await, 400, Some("invalid_body"),
        "Payload validation error: 'An organization can have at most 10 enabled connections' on property connection_id.");
}

#[tokio::test]
async fn connections_and_clients_crud() {
    let app = app().await;
    let r = app.api(Method::POST, "/connections", Some(json!({"name": "acme-oidc", "strategy": "oidc", "display_name": "Acme SSO",
        "options": {"authorization_endpoint": "https://idp.acme.test/authorize", "client_id": "x", "scope": "openid", "domain_aliases": ["acme.test"], "icon_url": "https://cdn.test/i.png"},
        "enabled_clients": []}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let conn = r.json();
    let cid = conn["id"].as_str().unwrap();
    assert!(cid.starts_with("con_"));
    assert_eq!(conn["realms"], json!(["acme-oidc"]));
    let dup = app
        .api(
            Method::POST,
            "/connections",
            Some(json!({"name": "acme-oidc", "strategy": "oidc"})),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    for (body, message) in [
        (json!({"name": "-bad", "strategy": "oidc"}), "Payload validation error: 'must not start or end with '-'' on property name."),
        (json!({"name": "a_b", "strategy": "oidc"}), "Payload validation error: 'may contain only letters, digits and '-'' on property name."),
        (json!({"name": "ok", "strategy": "OIDC!"}), "Payload validation error: 'must be a strategy name such as auth0, oidc, samlp, okta, waad or google-oauth2' on property strategy."),
        (json!({"name": "ok", "strategy": "oidc", "options": {"icon_url": "http://x.test/i.png"}}), "Payload validation error: 'must be an absolute https:// URL' on property options.icon_url."),
        (json!({"name": "ok", "strategy": "oidc", "options": {"domain_aliases": ["Not A Domain"]}}), "Payload validation error: 'must be a lowercase domain name such as example.com' on property options.domain_aliases[0]."),
        (json!({"name": "ok", "strategy": "oidc", "enabled_clients": [1]}), "Payload validation error: 'Expected type string but found type number' on property enabled_clients[0]."),
    ] {
        err(&app.api(Method::POST, "/connections", Some(body)).await, 400, Some("invalid_body"), message);
    }
    let patched = app
        .api(
            Method::PATCH,
            &format!("/connections/{cid}"),
            Some(json!({"display_name": "Acme Single Sign-On"})),
        )
        .await;
    assert_eq!(patched.json()["display_name"], "Acme Single Sign-On");
    err(
        &app.api(
            Method::PATCH,
            &format!("/connections/{cid}"),
            Some(json!({"strategy": "saml"})),
        )
        .await,
        400,
        Some("invalid_body"),
        "Payload validation error: 'Additional properties not allowed: strategy'.",
    );
    let list = app
        .api(Method::GET, "/connections?include_totals=true", None)
        .await
        .json();
    assert_eq!(list["total"], 1);
    assert_eq!(
        app.api(Method::GET, &format!("/connections/{cid}"), None)
            .await
            .json()["name"],
        "acme-oidc"
    );

    // Clients.
    let r = app
        .api(
            Method::POST,
            "/clients",
            Some(
                json!({"name": "My App", "callbacks": ["https://app.test/cb"],
        "organization_usage": "require", "organization_require_behavior": "pre_login_prompt",
        "organization_discovery_methods": ["organization_name", "email"]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let client = r.json();
    let client_id = client["client_id"].as_str().unwrap();
    assert_eq!(client["organization_usage"], "require");
    let defaults = app
        .api(Method::POST, "/clients", Some(json!({"name": "Plain"})))
        .await
        .json();
    assert_eq!(
        (
            defaults["organization_usage"].as_str(),
            defaults["organization_require_behavior"].as_str()
        ),
        (Some("deny"), Some("no_prompt"))
    );
    assert_eq!(
        defaults["organization_discovery_methods"],
        json!(["organization_name"])
    );
    for (body, message) in [
        (json!({"name": "x", "organization_usage": "sometimes"}), "Payload validation error: 'No enum match for: \"sometimes\" (expected one of deny, allow, require)' on property organization_usage."),
        (json!({"name": "x", "organization_require_behavior": "prompt"}), "Payload validation error: 'No enum match for: \"prompt\" (expected one of no_prompt, pre_login_prompt, post_login_prompt)' on property organization_require_behavior."),
        (json!({"name": "x", "organization_discovery_methods": ["phone"]}), "Payload validation error: 'No enum match for: \"phone\" (expected one of organization_name, email)' on property organization_discovery_methods[0]."),
        (json!({"name": "x", "organization_discovery_methods": []}), "Payload validation error: 'Array is too short (at least 1 method)' on property organization_discovery_methods."),
        (json!({"name": "x", "callbacks": ["https://*.app.test/cb"]}), "Payload validation error: 'wildcards are not allowed' on property callbacks[0]."),
        (json!({"name": "x", "callbacks": ["app.test/cb"]}), "Payload validation error: 'must be an absolute http:// or https:// URL' on property callbacks[0]."),
        (json!({"name": "x", "logo_uri": "http://x.test/l.png"}), "Payload validation error: 'must be an absolute https:// URL' on property logo_uri."),
        (json!({"name": "x", "client_secret": "s"}), "Payload validation error: 'Additional properties not allowed: client_secret'."),
        (json!({}), "Payload validation error: 'Missing required property: name' on property name."),
    ] {
        err(&app.api(Method::POST, "/clients", Some(body)).await, 400, Some("invalid_body"), message);
    }
    let patched = app
        .api(
            Method::PATCH,
            &format!("/clients/{client_id}"),
            Some(json!({"organization_usage": "allow"})),
        )
        .await;
    assert_eq!(patched.json()["organization_usage"], "allow");
    assert_eq!(patched.json()["callbacks"], json!(["https://app.test/cb"]));
    err(
        &app.api(Method::GET, "/clients/nope", None).await,
        404,
        Some("inexistent_client"),
        "Client not found.",
    );
    err(
        &app.api(Method::PATCH, "/clients/nope", Some(json!({"name": "y"})))
            .await,
        404,
        Some("inexistent_client"),
        "Client not found.",
    );
    assert_eq!(
        app.api(Method::GET, "/clients?include_totals=true", None)
            .await
            .json()["total"],
        2
    );
    assert_eq!(
        app.api(Method::DELETE, &format!("/clients/{client_id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    err(
        &app.api(Method::DELETE, &format!("/clients/{client_id}"), None)
            .await,
        404,
        Some("inexistent_client"),
        "Client not found.",
    );

    // Deleting a connection removes it from organizations.
    let org = app
        .organization(json!({"name": "acme", "enabled_connections": [{"connection_id": cid}]}))
        .await;
    assert_eq!(
        app.api(Method::DELETE, &format!("/connections/{cid}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let left = app
        .api(
            Method::GET,
            &format!(
                "/organizations/{}/enabled_connections",
                org["id"].as_str().unwrap()
            ),
            None,
        )
        .await
        .json();
    assert_eq!(left, json!([]));
}

#[tokio::test]
async fn tokens_are_checked() {
    let app = app().await;
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let good = app.token("read:organizations");
    let (h, rest) = good.split_once('.').unwrap();
    let (p, sig) = rest.split_once('.').unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p)
            .unwrap(),
    )
    .unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = claims.clone();
        f(&mut c);
        format!("{h}.{}.{sig}", b64(&c.to_string()))
    };
    let other_key =
        portico_server::token::TokenKey::from_base64(&portico_server::token::TokenKey::generate())
            .unwrap();
    let cases = [
        String::new(),
        "garbage".to_owned(),
        format!("{}.{p}.", b64(r#"{"alg":"none","typ":"JWT"}"#)),
        with(&|c| c["scope"] = "read:organizations create:organizations".into()),
        with(&|c| c["exp"] = 1.into()),
        with(&|c| c["aud"] = "someone-else".into()),
        other_key.issue("read:organizations", std::time::Duration::from_secs(60)),
        format!("{good}x"),
    ];
    for token in cases {
        let r = app
            .api_as(&token, Method::GET, "/organizations", None)
            .await;
        err(&r, 401, None, "Invalid token.");
    }
    assert_eq!(
        app.api_as(&good, Method::GET, "/organizations", None)
            .await
            .status,
        StatusCode::OK
    );
    // Right token, wrong scope: 403 naming the scope, checked before the body.
    let r = app
        .api_as(
            &good,
            Method::POST,
            "/organizations",
            Some("not json".into()),
        )
        .await;
    err(
        &r,
        403,
        Some("insufficient_scope"),
        "Insufficient scope; expected any of: create:organizations.",
    );
    for (method, path, scope) in [
        (
            Method::DELETE,
            "/organizations/org_0000000000000000",
            "delete:organizations",
        ),
        (
            Method::PATCH,
            "/organizations/org_0000000000000000",
            "update:organizations",
        ),
        (
            Method::GET,
            "/organizations/org_0000000000000000/enabled_connections",
            "read:organization_connections",
        ),
        (Method::POST, "/connections", "create:connections"),
        (Method::GET, "/clients", "read:clients"),
    ] {
        err(
            &app.api_as(&good, method, path, Some("{}".into())).await,
            403,
            Some("insufficient_scope"),
            &format!("Insufficient scope; expected any of: {scope}."),
        );
    }
}

#[tokio::test]
async fn rate_limits_are_separate_and_announced() {
    let app = app_with(Options {
        management_limit: 3,
        public_limit: 2,
        ..Default::default()
    })
    .await;
    for remaining in [2, 1, 0] {
        let r = app.api(Method::GET, "/organizations", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("x-ratelimit-limit"), "3");
        assert_eq!(r.header("x-ratelimit-remaining"), remaining.to_string());
        assert!(r.header("x-ratelimit-reset").parse::<u64>().unwrap() > 1_700_000_000);
    }
    let limited = app.api(Method::GET, "/organizations", None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(limited.json()["statusCode"], 429);
    // The public limit is its own.
    let public = app.get("/login/context?client_id=x").await;
    assert_eq!(public.header("x-ratelimit-limit"), "2");
    assert_eq!(public.header("x-ratelimit-remaining"), "1");
    // X-Forwarded-For is ignored without a trusted proxy: no way around the limit.
    app.get("/login/context?client_id=x").await;
    let spoofed = app
        .get_with(
            "/login/context?client_id=x",
            &[("x-forwarded-for", "203.0.113.9")],
        )
        .await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn health() {
    let app = app().await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.text().as_str()), (StatusCode::OK, "ok"));
    assert!(
        !r.header("x-ratelimit-limit").is_empty(),
        "every response carries the headers"
    );
}
