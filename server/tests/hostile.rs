//! Safe to face the internet: what a stranger's request can cost. Every public query
//! is bounded (its bytes, its parameters, each name and value) and refused with a
//! clear error before any lookup; no response is more than a small constant times the
//! request it answers; the context cache holds bytes, not entries; a `require`
//! application's prompt carries nobody's connections; a panic is one request's 500;
//! paging arithmetic cannot overflow; `/handoff` and `/healthz` say no more than they
//! must.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use common::*;
use portico_rules::query::{MAX_NAME_BYTES, MAX_PARAMETERS, MAX_QUERY_BYTES, MAX_VALUE_BYTES};
use serde_json::{json, Value};

const CB: &str = "https://app.test/callback";

/// An organization with ten connections (the most it may have: the page's worst
/// case), and a client per behaviour.
async fn tenant(opts: Options) -> TestApp {
    let app = app_with(opts).await;
    let mut enabled = Vec::new();
    for i in 0..9 {
        let id = app
            .connection(
                &format!("sso-{i}"),
                "okta",
                json!({"display_name": format!("SSO {i}")}),
            )
            .await;
        enabled.push(json!({"connection_id": id}));
    }
    let db = app
        .connection("Username-Password-Authentication", "auth0", json!({}))
        .await;
    enabled.push(
        json!({"connection_id": db, "assign_membership_on_login": true, "is_signup_enabled": true}),
    );
    app.organization(json!({"name": "acme", "display_name": "Acme",
        "branding": {"colors": {"primary": "#0059d6", "page_background": "#eeeeee"}},
        "enabled_connections": enabled}))
        .await;
    for (id, usage, behavior) in [
        ("req", "require", "pre_login_prompt"),
        ("allow", "allow", "no_prompt"),
    ] {
        use portico_server::api::Input;
        let input = portico_server::records::ClientInput::parse(
            json!({"name": format!("App {id}"), "callbacks": [CB],
                "organization_usage": usage, "organization_require_behavior": behavior})
            .to_string()
            .as_bytes(),
            true,
        )
        .unwrap();
        // Known ids, so the requests below can name them.
        let client = portico_server::records::Client::from_input(id.into(), input);
        app.state.db.insert_client(&client).await.unwrap();
    }
    app
}

fn request(client: &str, extra: &str) -> String {
    format!(
        "client_id={client}&redirect_uri={}&response_type=code&state=s1&nonce=n1{extra}",
        enc(CB)
    )
}

async fn get_identity(app: &TestApp, uri: &str) -> Reply {
    app.get_with(uri, &[("accept-encoding", "identity")]).await
}

// ---- 1. bounded and linear ----------------------------------------------------------

/// The worst queries a stranger can send, one per bound, just past it.
fn over_bounds() -> Vec<(String, StatusCode, String)> {
    let names: Vec<String> = (0..=MAX_PARAMETERS).map(|i| format!("p{i}")).collect();
    vec![
        (
            // The attack: 15,000 distinct names (aaa, aab, …) in 60 KB.
            (0..15_000)
                .map(|i: u32| {
                    let letter = |n: u32| char::from(b'a' + (n % 26) as u8);
                    [letter(i / 676), letter(i / 26), letter(i)].iter().collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("&"),
            StatusCode::URI_TOO_LONG,
            format!("Query validation error: 'The query is too long (59999 bytes), maximum {MAX_QUERY_BYTES}'."),
        ),
        (
            names.join("&"),
            StatusCode::BAD_REQUEST,
            "Query validation error: 'Too many parameters, maximum 64'.".into(),
        ),
        (
            format!("{}=x", "n".repeat(MAX_NAME_BYTES + 1)),
            StatusCode::BAD_REQUEST,
            "Query validation error: 'A parameter name is too long, maximum 128 bytes'.".into(),
        ),
        (
            format!("client_id=req&organization={}", "a".repeat(MAX_VALUE_BYTES + 1)),
            StatusCode::BAD_REQUEST,
            "Query validation error: 'String is too long (8193 bytes), maximum 8192' on property organization.".into(),
        ),
    ]
}

#[tokio::test]
async fn every_public_entry_point_refuses_a_query_over_its_bounds() {
    let app = tenant(Options::default()).await;
    for (query, status, message) in over_bounds() {
        // The JSON API: Auth0's error body, naming the bound.
        for path in ["/login/context", "/login/discover"] {
            let r = app.get(&format!("{path}?{query}")).await;
            assert_eq!(r.status, status, "{path}: {}", r.text());
            assert_eq!(
                r.json(),
                json!({"statusCode": status.as_u16(), "error": status.canonical_reason().unwrap(),
                    "message": message, "errorCode": "invalid_query_string"}),
                "{path}"
            );
        }
        // The pages: the error page in the request's language, redirecting nowhere.
        for path in ["/authorize", "/", "/index.html", "/handoff"] {
            let r = app
                .get_with(&format!("{path}?{query}"), &[("accept-language", "de")])
                .await;
            assert_eq!(r.status, status, "{path}: {}", r.text());
            assert!(r.header("location").is_empty(), "{path} redirects nowhere");
            let html = r.text();
            assert!(html.contains("<html lang=\"de\""), "{path}: {html}");
            assert!(
                html.contains("enthält mehr Daten, als eine Anmeldeanfrage enthalten darf"),
                "{path}: {html}"
            );
            assert!(
                html.len() < 8 * 1024,
                "{path}: the page echoes nothing of it"
            );
        }
        // The forms: the request is the address they post to.
        let r = app
            .request(
                Request::post(format!("/authorize?{query}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("organization=acme"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, status, "POST: {}", r.text());
        assert!(r.header("location").is_empty());
    }
    // The Management API reads its queries within the same bounds.
    let (query, status, message) = over_bounds().swap_remove(1);
    let r = app
        .api(Method::GET, &format!("/organizations?{query}"), None)
        .await;
    assert_eq!(r.status, status);
    assert_eq!(r.json()["message"], message);
    // A form body over its bound, or not a form at all: refused, in the language.
    let r = app
        .request(
            Request::post(format!("/authorize?{}", request("req", "&ui_locales=ja")))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("organization={}", "a".repeat(5000))))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("<html lang=\"ja\""));
}

#[tokio::test]
async fn a_query_at_its_bounds_is_served() {
    let app = tenant(Options::default()).await;
    let value = "v".repeat(MAX_VALUE_BYTES - 200);
    let q = request("req", &format!("&organization=acme&x_long={value}"));
    assert!(q.len() < MAX_QUERY_BYTES);
    let r = app.get(&format!("/authorize?{q}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut many = request("req", "&organization=acme");
    let used = many.split('&').count();
    for i in used..MAX_PARAMETERS {
        many.push_str(&format!("&p{i}=1"));
    }
    let r = app.get(&format!("/authorize?{many}")).await;
    assert_eq!(r.status, StatusCode::OK);
}

// ---- 2. no amplification ------------------------------------------------------------

/// Worst-case requests within the bounds: every byte of a value one that grows most
/// when decoded, re-encoded and escaped.
fn worst_requests(client: &str, extra: &str) -> Vec<String> {
    let base = request(client, extra);
    let room = MAX_QUERY_BYTES - base.len() - 16;
    let filler = |unit: &str, per_value: usize| -> String {
        let mut out = String::new();
        let mut i = 0;
        while out.len() + per_value + 8 < room {
            out.push_str(&format!("&w{i}={}", unit.repeat(per_value / unit.len())));
            i += 1;
        }
        out
    };
    vec![
        // `%22` is `"`, escaped as `&quot;` where it is shown.
        format!("{base}{}", filler("%22", MAX_VALUE_BYTES - 300)),
        // `+` is a space, re-encoded as `%20`.
        format!("{base}{}", filler("+", MAX_VALUE_BYTES - 300)),
        // `%FF` is no UTF-8: U+FFFD, re-encoded as `%EF%BF%BD`.
        format!("{base}{}", filler("%FF", MAX_VALUE_BYTES - 300)),
        // `&` as data: `%26`, escaped as `&amp;`.
        format!("{base}{}", filler("%26", MAX_VALUE_BYTES - 300)),
        // As many short parameters as allowed.
        {
            let mut q = base.clone();
            let mut i = 0;
            while q.split('&').count() < MAX_PARAMETERS {
                q.push_str(&format!("&{i:x}"));
                i += 1;
            }
            q
        },
    ]
}

/// The bound every HTML response keeps (docs/security.md): at most
/// `AMPLIFICATION` bytes per byte of its query and `PER_PARAMETER` per parameter (the
/// language menu's hidden field; at most 64 of them), plus what the page is for the
/// same screen with a minimal request.
const AMPLIFICATION: usize = 12;
const PER_PARAMETER: usize = 64;

#[tokio::test]
async fn no_response_is_more_than_a_small_constant_times_its_request() {
    let app = tenant(Options::default()).await;
    for (client, extra) in [
        ("req", "&organization=acme"), // the organization login, ten connections
        ("req", ""),                   // the prompt
        ("allow", ""),                 // the personal login
    ] {
        let small = get_identity(&app, &format!("/authorize?{}", request(client, extra))).await;
        assert_eq!(small.status, StatusCode::OK);
        for q in worst_requests(client, extra) {
            assert!(q.len() <= MAX_QUERY_BYTES);
            let r = get_identity(&app, &format!("/authorize?{q}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", &r.text()[..200]);
            let parameters = q.split('&').count();
            println!(
                "{client}{extra}: {} bytes of query in {parameters} parameters: {} bytes of HTML, {:.1} per byte over the same screen's {}",
                q.len(),
                r.bytes.len(),
                (r.bytes.len() - small.bytes.len()) as f64 / q.len() as f64,
                small.bytes.len()
            );
            assert!(
                r.bytes.len()
                    <= small.bytes.len() + AMPLIFICATION * q.len() + PER_PARAMETER * parameters,
                "{client}{extra}: {} bytes of query gave {} bytes of HTML (the same screen: {})",
                q.len(),
                r.bytes.len(),
                small.bytes.len()
            );
        }
    }
    // Compressed as the browser asks: gzip at a moderate level.
    let q = &worst_requests("req", "&organization=acme")[0];
    let r = app
        .get_with(&format!("/authorize?{q}"), &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(r.header("content-encoding"), "gzip");
    assert!(r.bytes.len() < q.len(), "{} bytes gzip", r.bytes.len());
}

// ---- 3. memory bounded by bytes -------------------------------------------------------

#[tokio::test]
async fn the_context_cache_holds_bytes_not_entries() {
    let budget = 256 * 1024;
    let app = tenant(Options {
        context_cache_bytes: budget,
        ..Options::default()
    })
    .await;
    // Thousands of distinct, large lookups: unknown organizations (each name as long
    // as a value may be) and found ones with distinct long callbacks.
    for i in 0..3_000 {
        let unknown = format!("org_{i}{}", "x".repeat(MAX_VALUE_BYTES - 16));
        let r = app
            .get(&format!(
                "/login/context?client_id=req&organization={unknown}"
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let callback = format!("https://app.test/{i}/{}", "c".repeat(4000));
        let r = app
            .get(&format!(
                "/login/context?client_id=req&organization=acme&redirect_uri={}",
                enc(&callback)
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let cache = &app.state.context_cache;
        assert!(cache.bytes() <= budget, "{} bytes after {i}", cache.bytes());
    }
    let cache = &app.state.context_cache;
    assert!(cache.len() > 100, "it still caches: {}", cache.len());
    // Not-found answers share one body: each costs its entry alone.
    assert!(
        cache.bytes() < budget,
        "{} bytes in {} entries",
        cache.bytes(),
        cache.len()
    );
}

// ---- 4. nothing of other customers --------------------------------------------------

#[tokio::test]
async fn a_require_clients_prompt_carries_no_connections_and_the_personal_list_is_bounded() {
    let app = tenant(Options::default()).await;
    // Every connection enabled for both applications, as an Auth0 sync often leaves
    // them; 25 customers' enterprise SSO, one of them a button on personal logins.
    let clients = json!(["req", "allow"]);
    for i in 0..25 {
        let mut body =
            json!({"display_name": format!("Customer {i} SSO"), "enabled_clients": clients});
        if i == 0 {
            body["show_as_button"] = json!(true);
        }
        app.connection(&format!("customer-{i}"), "samlp", body)
            .await;
    }
    for i in 0..30 {
        app.connection(
            &format!("social-{i:02}"),
            "google-oauth2",
            json!({"enabled_clients": clients}),
        )
        .await;
    }
    let r = app.get("/login/context?client_id=req").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["connections"], json!([]));
    let page = app
        .get(&format!("/authorize?{}", request("req", "")))
        .await
        .text();
    assert!(page.contains("Enter your organization"));
    assert!(!page.contains("Customer"), "the prompt names no customer");
    // The personal login: what it shows (social, and the enterprise connection that
    // asked to be a button), at most 20.
    let r = app.get("/login/context?client_id=allow").await;
    let names: Vec<String> = r.json()["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names.len(),
        portico_rules::directory::MAX_PERSONAL_CONNECTIONS
    );
    assert_eq!(names[0], "customer-0");
    assert!(
        names[1..].iter().all(|n| n.starts_with("social-")),
        "{names:?}"
    );
    // The connection-level flag reads back as Auth0 shows it.
    let r = app
        .api(Method::GET, "/connections?per_page=100", None)
        .await;
    let first = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "customer-0")
        .cloned()
        .unwrap();
    assert_eq!(first["show_as_button"], json!(true));
}

// ---- 5. panics, paging --------------------------------------------------------------

#[tokio::test]
async fn a_panic_is_one_requests_500_with_auth0s_body() {
    let app = app().await;
    let routes = Router::new().route(
        "/boom",
        get(|| async {
            panic!("a bug");
            #[allow(unreachable_code)]
            ""
        }),
    );
    let router = portico_server::app::layered(routes, app.state.clone());
    use tower::ServiceExt;
    let res = router
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let body = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["statusCode"], 500);
    assert_eq!(v["error"], "Internal Server Error");
}

#[tokio::test]
async fn paging_arithmetic_cannot_overflow() {
    let app = app().await;
    for q in [
        "page=9223372036854775807&per_page=100",
        "page=9223372036854775806&per_page=2",
    ] {
        let r = app
            .api(Method::GET, &format!("/organizations?{q}"), None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {}", r.text());
        assert_eq!(r.json()["errorCode"], "invalid_paging");
        assert_eq!(
            r.json()["message"],
            "Requesting page exceeds the allowed maximum of 1000 records"
        );
    }
}

#[tokio::test]
async fn clients_page_by_checkpoint_past_a_thousand() {
    let app = app().await;
    for i in 0..1030 {
        app.client(json!({"name": format!("App {i}")})).await;
    }
    let mut from = String::new();
    let mut seen = Vec::new();
    loop {
        let q = if from.is_empty() {
            "take=100&fields=client_id,name".to_owned()
        } else {
            format!("take=100&from={from}&fields=client_id,name")
        };
        let r = app.api(Method::GET, &format!("/clients?{q}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.json();
        for c in page["clients"].as_array().unwrap() {
            assert_eq!(c.as_object().unwrap().len(), 2, "fields apply");
            seen.push(c["client_id"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => from = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 1030);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "in client_id order, each once");
}

// ---- 7. small ones --------------------------------------------------------------------

#[tokio::test]
async fn handoff_is_there_only_without_an_authorize_url() {
    let app = app().await;
    assert_eq!(app.get("/handoff?a=1").await.status, StatusCode::OK);
    let mut opts = Options::default();
    opts.config.authorize_url = Some("https://tenant.example.com/authorize".into());
    let app = app_with(opts).await;
    assert_eq!(app.get("/handoff?a=1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn public_healthz_says_ok_or_stale_and_nothing_more() {
    let mut opts = Options::default();
    opts.config.sync_stale_after = Some(std::time::Duration::from_secs(60));
    let app = app_with(opts).await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.text().as_str()), (StatusCode::OK, "ok"));
    // A synced directory whose last good sync is an hour old, and whose last run
    // failed with something only operators should read.
    let dir = portico_server::records::Directory::default();
    app.state
        .db
        .replace_directory(&dir, "https://tenant.example.com")
        .await
        .unwrap();
    app.state
        .db
        .record_sync_error(Some("401 Unauthorized: secret client abc"))
        .await
        .unwrap();
    app.state
        .db
        .execute_raw("UPDATE settings SET value = '1000' WHERE key = 'sync_finished_at'")
        .await
        .unwrap();
    let r = app.get("/healthz").await;
    assert_eq!(
        (r.status, r.text().as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "stale")
    );
    let other = app.token("read:organizations");
    let r = app
        .get_with("/healthz", &[("authorization", &format!("Bearer {other}"))])
        .await;
    assert_eq!(
        r.text(),
        "stale",
        "a token without read:health learns nothing more"
    );
    let ops = app.token("read:health");
    let r = app
        .get_with("/healthz", &[("authorization", &format!("Bearer {ops}"))])
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let text = r.text();
    assert!(
        text.starts_with("stale: the last good sync from https://tenant.example.com finished "),
        "{text}"
    );
    assert!(text.ends_with("\nthe last attempt failed: 401 Unauthorized: secret client abc"));
}

#[tokio::test]
async fn image_urls_to_loopback_are_for_the_demo_only() {
    let local_logo = || {
        Some(json!({"name": "local", "branding": {"logo_url": "http://localhost:8080/logo.svg"}}))
    };
    let app = app().await;
    let r = app.api(Method::POST, "/organizations", local_logo()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(
        r.json()["message"],
        "Payload validation error: 'must be an absolute https:// URL' on property branding.logo_url."
    );
    let mut opts = Options::default();
    opts.config.demo = true;
    let demo = app_with(opts).await;
    let r = demo.api(Method::POST, "/organizations", local_logo()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

// A refused request waits for its 429, so one client cannot keep the server busy
// with thousands of refusals a second; another client is answered at once meanwhile.
#[tokio::test]
async fn a_client_over_its_limit_waits_for_its_refusals() {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};
    let pause = Duration::from_millis(400);
    let app = app_with(Options {
        public_limit: 1,
        refusal_pause: pause,
        ..Options::default()
    })
    .await;
    // A lookup from `ip`.
    let from = |ip: std::net::IpAddr| {
        let mut req = Request::get("/login/context?client_id=none")
            .body(Body::empty())
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(SocketAddr::from((ip, 5000))));
        req
    };
    let v4 = |last: u8| from(std::net::Ipv4Addr::new(192, 0, 2, last).into());
    assert_eq!(app.request(v4(1)).await.status, StatusCode::NOT_FOUND);
    let started = Instant::now();
    let refused = app.request(v4(1)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(started.elapsed() >= pause, "{:?}", started.elapsed());
    // Meanwhile another client: its own window, no pause.
    let (other, slow) = tokio::join!(app.request(v4(2)), async { app.request(v4(1)).await });
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(slow.status, StatusCode::TOO_MANY_REQUESTS);
    // An IPv6 client is its /64: another address in it shares the window.
    let v6 = |last: u16| from(std::net::Ipv6Addr::new(0x2001, 0xdb8, 7, 7, 0, 0, 0, last).into());
    assert_eq!(app.request(v6(1)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.request(v6(2)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
