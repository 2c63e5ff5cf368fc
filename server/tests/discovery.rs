//! Email discovery and the other public reads at scale: the same answers as before
//! the indexes, changes to a connection's domains taking effect at once, and query
//! plans that use indexes on a directory of 5,000 organizations and connections.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

async fn discover(app: &TestApp, email: &str) -> Value {
    let r = app
        .get(&format!(
            "/login/discover?client_id=app&email={}",
            enc(email)
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

fn names(v: &Value) -> Vec<&str> {
    v["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect()
}

async fn client(app: &TestApp) {
    let c = app
        .state
        .db
        .create_client(Default::default())
        .await
        .unwrap();
    let fixed = portico_server::records::Client {
        client_id: "app".into(),
        organization_discovery_methods: vec![
            portico_rules::DiscoveryMethod::OrganizationName,
            portico_rules::DiscoveryMethod::Email,
        ],
        ..c
    };
    app.state.db.insert_client(&fixed).await.unwrap();
}

#[tokio::test]
async fn discovery_finds_the_organizations_a_user_can_log_in_to() {
    let app = app().await;
    client(&app).await;
    let okta = app
        .connection(
            "a-okta",
            "okta",
            json!({"options": {"domain_aliases": ["a.test", "shared.test"]}}),
        )
        .await;
    let saml = app
        .connection(
            "b-saml",
            "samlp",
            json!({"options": {"domain_aliases": ["b.test", "shared.test"]}}),
        )
        .await;
    let lonely = app
        .connection(
            "c-oidc",
            "oidc",
            json!({"options": {"domain_aliases": ["c.test"]}}),
        )
        .await;
    let database = app.connection("db", "auth0", json!({})).await;
    // a: a visible enterprise connection.
    app.organization(json!({"name": "a", "display_name": "A Corp", "enabled_connections": [{"connection_id": okta}]}))
        .await;
    // b: its claiming connection is hidden, but a database connection shows: found.
    app.organization(json!({"name": "b", "enabled_connections": [{"connection_id": saml, "show_as_button": false}, {"connection_id": database}]}))
        .await;
    // hidden: only a hidden connection: no way to log in, not listed.
    app.organization(json!({"name": "hidden", "enabled_connections": [{"connection_id": saml, "show_as_button": false}]}))
        .await;
    // c.test is claimed by a connection no organization has enabled.
    let _ = lonely;
    app.organization(json!({"name": "empty"})).await;

    assert_eq!(
        discover(&app, "jane@a.test").await,
        json!({"organizations": [{"name": "a", "display_name": "A Corp"}]})
    );
    assert_eq!(names(&discover(&app, "jane@b.test").await), ["b"]);
    assert_eq!(names(&discover(&app, "jane@shared.test").await), ["a", "b"]);
    // Case and whitespace in the email do not matter.
    assert_eq!(names(&discover(&app, "  Jane@A.TEST ").await), ["a"]);
    for none in ["jane@c.test", "jane@nomatch.test", "jane", "jane@"] {
        assert_eq!(
            discover(&app, none).await,
            json!({"organizations": []}),
            "{none}"
        );
    }
}

#[tokio::test]
async fn a_changed_or_removed_domain_takes_effect_at_once() {
    let app = app().await;
    client(&app).await;
    let okta = app
        .connection(
            "a-okta",
            "okta",
            json!({"options": {"domain_aliases": ["a.test"]}}),
        )
        .await;
    let org = app
        .organization(json!({"name": "a", "enabled_connections": [{"connection_id": okta}]}))
        .await;
    assert_eq!(names(&discover(&app, "x@a.test").await), ["a"]);

    let renamed = app
        .api(
            Method::PATCH,
            &format!("/connections/{okta}"),
            Some(json!({"options": {"domain_aliases": ["a-corp.test"]}})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert!(names(&discover(&app, "x@a.test").await).is_empty());
    assert_eq!(names(&discover(&app, "x@a-corp.test").await), ["a"]);

    // Disabling the connection on the organization removes the match.
    let org_id = org["id"].as_str().unwrap();
    let removed = app
        .api(
            Method::DELETE,
            &format!("/organizations/{org_id}/enabled_connections/{okta}"),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert!(names(&discover(&app, "x@a-corp.test").await).is_empty());

    // Deleting the connection drops its domains with it.
    let again = app
        .api(
            Method::POST,
            &format!("/organizations/{org_id}/enabled_connections"),
            Some(json!({"connection_id": okta})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(names(&discover(&app, "x@a-corp.test").await), ["a"]);
    let deleted = app
        .api(Method::DELETE, &format!("/connections/{okta}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(names(&discover(&app, "x@a-corp.test").await).is_empty());
}

/// 5,000 organizations (the benchmark's synthetic directory: each with its own
/// enterprise connection claiming its own domain, and a shared database connection),
/// personal-login clients for them, and 5,000 clients.
async fn big_directory(app: &TestApp) {
    let db = &app.state.db;
    db.insert_synthetic_directory(5000).await.unwrap();
    let series = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)";
    for sql in [
        format!("INSERT INTO connection_clients (client_id, connection_id) {series} SELECT 'client-' || (i % 100), 'con_scale' || (10000000000 + i) FROM n"),
        format!("INSERT INTO clients (client_id, name, body, created_at) {series} SELECT 'client-' || i, 'Client', '{{}}', i FROM n"),
    ] {
        db.execute_raw(&sql).await.unwrap();
    }
    // PostgreSQL plans from statistics: gather them as autovacuum would.
    if db.backend == portico_server::store::Backend::Postgres {
        db.execute_raw("ANALYZE").await.unwrap();
    }
}

#[tokio::test]
async fn every_public_read_uses_an_index_at_5000_organizations() {
    let app = app().await;
    client(&app).await;
    big_directory(&app).await;
    assert_eq!(
        names(&discover(&app, "jo@scale-4321.test").await),
        ["scale-4321"]
    );
    let ctx = app
        .get("/login/context?client_id=scale-client&organization=scale-4321")
        .await
        .json();
    assert_eq!(ctx["organization"]["name"], "scale-4321");
    assert_eq!(ctx["connections"].as_array().unwrap().len(), 2);
    let plans = app.state.db.public_query_plans().await.unwrap();
    assert_eq!(plans.len(), 6);
    for (read, plan) in &plans {
        let text = plan.join("\n");
        assert!(!plan.is_empty(), "{read}: no plan");
        for line in plan {
            // SQLite's detail column says `SCAN t` for a whole-table (or whole-index)
            // read and `SEARCH t USING … INDEX` for a lookup; PostgreSQL says
            // `Seq Scan on t` for a whole-table read.
            let detail = line.rsplit('|').next().unwrap_or(line).trim();
            assert!(
                !detail.starts_with("SCAN ") && !line.contains("Seq Scan"),
                "{read} reads a whole table:\n{text}"
            );
        }
        assert!(
            text.contains("INDEX") || text.contains("Index"),
            "{read} uses no index:\n{text}"
        );
    }
}
