//! What a sync reads from a Portico source, in Auth0's shapes (checkpoint paging of
//! connections, `fields`/`include_fields` on clients), and what a synced directory
//! refuses: every write through the local Management API, `409` naming the source.
//! The sync itself, against a stand-in Auth0 tenant, is in `tests/sync/`.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use portico_server::records::Directory;
use serde_json::{json, Value};

#[tokio::test]
async fn connections_page_by_checkpoint() {
    let app = app().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(app.connection(&format!("c{i}"), "auth0", json!({})).await);
    }
    ids.sort();
    let (mut seen, mut from) = (Vec::new(), String::new());
    loop {
        let page = app
            .api(
                Method::GET,
                &format!("/connections?take=2&from={from}"),
                None,
            )
            .await
            .json();
        let list = page["connections"].as_array().unwrap();
        assert!(list.len() <= 2);
        seen.extend(list.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page.get("next").and_then(Value::as_str) {
            Some(next) => from = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every connection once, in id order");
    let r = app.api(Method::GET, "/connections?take=0", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json()["message"],
        "Query validation error: 'Must be between 1 and 100' on property take."
    );
}

#[tokio::test]
async fn clients_list_only_the_fields_asked_for() {
    let app = app().await;
    let id = app
        .client(json!({"name": "SPA", "callbacks": ["https://app.test/cb"]}))
        .await;
    let only = app
        .api(
            Method::GET,
            "/clients?fields=client_id,name&include_fields=true&include_totals=true",
            None,
        )
        .await
        .json();
    assert_eq!(only["clients"], json!([{"client_id": id, "name": "SPA"}]));
    assert_eq!(only["total"], 1);
    let but = app
        .api(
            Method::GET,
            "/clients?fields=callbacks,organization_discovery_methods&include_fields=false",
            None,
        )
        .await
        .json();
    let keys: Vec<&str> = but[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        !keys.contains(&"callbacks") && keys.contains(&"organization_usage"),
        "{keys:?}"
    );
    let r = app
        .api(Method::GET, "/clients?fields=name&include_fields=yes", None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["message"], "Query validation error: 'Expected type boolean but found type string' on property include_fields.");
}

#[tokio::test]
async fn a_synced_directory_refuses_local_writes_and_names_its_source() {
    let app = app().await;
    let conn = app.connection("db", "auth0", json!({})).await;
    let org = app.organization(json!({"name": "acme"})).await;
    let org_id = org["id"].as_str().unwrap();
    assert!(app.state.db.sync_state().await.unwrap().is_none());
    app.state
        .db
        .replace_directory(&Directory::default(), "https://tenant.example")
        .await
        .unwrap();
    let message = "This directory is synced from https://tenant.example: organizations, connections and clients change there, and the next sync brings the change here.";
    for (method, path, body) in [
        (
            Method::POST,
            "/organizations".to_owned(),
            Some(json!({"name": "new"})),
        ),
        (
            Method::PATCH,
            format!("/organizations/{org_id}"),
            Some(json!({"display_name": "x"})),
        ),
        (Method::DELETE, format!("/organizations/{org_id}"), None),
        (
            Method::POST,
            format!("/organizations/{org_id}/enabled_connections"),
            Some(json!({"connection_id": conn})),
        ),
        (
            Method::POST,
            "/connections".to_owned(),
            Some(json!({"name": "x", "strategy": "auth0"})),
        ),
        (Method::DELETE, format!("/connections/{conn}"), None),
        (
            Method::POST,
            "/clients".to_owned(),
            Some(json!({"name": "x"})),
        ),
    ] {
        let r = app.api(method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{method} {path}");
        assert_eq!(
            r.json(),
            json!({"statusCode": 409, "error": "Conflict", "errorCode": "synced_resource", "message": message})
        );
    }
    // Reads go on; an empty source emptied the directory.
    let r = app.api(Method::GET, "/organizations", None).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!([])));
}

// Several instances on one database sync once a period between them: a turn is taken
// only when the fleet's last run started at least a period ago (recorded in the
// database), and a turn not taken leaves the recorded error as it was. On SQLite and,
// with PORTICO_TEST_POSTGRES, on PostgreSQL (where the turn also needs the lock).
#[tokio::test]
async fn the_fleet_syncs_once_a_period() {
    let app = app().await;
    let db = &app.state.db;
    let period = std::time::Duration::from_secs(3600);
    let first = db.claim_sync_run(Some(period)).await.unwrap();
    assert!(first.is_some(), "the first instance takes the turn");
    drop(first);
    // Another instance, a moment later: the fleet ran less than a period ago.
    assert!(db.claim_sync_run(Some(period)).await.unwrap().is_none());
    db.record_sync_error(Some("the source is down"))
        .await
        .unwrap();
    db.replace_directory(&Directory::default(), "https://tenant.example.com")
        .await
        .unwrap();
    db.record_sync_error(Some("the source is down"))
        .await
        .unwrap();
    assert!(db.claim_sync_run(Some(period)).await.unwrap().is_none());
    let state = db.sync_state().await.unwrap().unwrap();
    assert_eq!(
        state.last_error.as_deref(),
        Some("the source is down"),
        "a skipped turn keeps it"
    );
    // With a short period, the next turn comes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let short = std::time::Duration::from_millis(10);
    assert!(db.claim_sync_run(Some(short)).await.unwrap().is_some());
    // The one-shot `sync` command needs no turn, only the lock.
    assert!(db.claim_sync_run(None).await.unwrap().is_some());
    // A good sync clears the error for everyone.
    db.replace_directory(&Directory::default(), "https://tenant.example.com")
        .await
        .unwrap();
    assert_eq!(db.sync_state().await.unwrap().unwrap().last_error, None);
}
