//! How the server behaves as deployed: behind trusted proxies (`--trust-proxy`), in
//! front of a configured authorization server (the CSP's `form-action`), what its
//! logs may never contain (docs/design.md#security: tokens, `state`, `nonce`, `login_hint`), how it
//! stops, and how it meets connections that misbehave (header and idle timeouts,
//! caps on connections).

mod common;

use std::io::{Read, Write};
use std::process::Command;

use axum::http::StatusCode;
use common::process::{http_get, DemoServer};
use common::*;
use portico_server::request::TrustedProxies;
use portico_server::state::Config;
use serde_json::json;

async fn with_acme(opts: Options) -> TestApp {
    let app = app_with(opts).await;
    let okta = app.connection("acme-okta", "okta", json!({})).await;
    app.organization(json!({"name": "acme", "enabled_connections": [{"connection_id": okta}]}))
        .await;
    let client = app
        .client(json!({"name": "App", "callbacks": ["https://app.test/cb"],
            "organization_usage": "require", "organization_require_behavior": "pre_login_prompt"}))
        .await;
    let fixed = app.state.db.client(&client).await.unwrap().unwrap();
    let fixed = portico_server::records::Client {
        client_id: "app".into(),
        ..fixed
    };
    app.state.db.insert_client(&fixed).await.unwrap();
    app
}

const PAGE: &str = "/?client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcb";

fn organization(r: &Reply) -> serde_json::Value {
    let html = r.text();
    let open = "<script type=\"application/json\" id=\"portico-context\">";
    let start = html.find(open).expect("context injected") + open.len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str::<serde_json::Value>(&html[start..end]).unwrap()["organization"]["name"]
        .clone()
}

// docs/design.md#security: "X-Forwarded-For trusted only when configured" — with --trust-proxy naming
// the proxy (the tests' requests come from 127.0.0.1), its headers count, for the
// organization's subdomain and for the rate limit.
#[tokio::test]
async fn behind_a_trusted_proxy_its_forwarded_headers_count() {
    let app = with_acme(Options {
        config: Config {
            base_domain: Some("login.test".into()),
            trusted_proxies: TrustedProxies::parse("127.0.0.0/8").unwrap(),
            ..Default::default()
        },
        public_limit: 2,
        ..Default::default()
    })
    .await;
    let r = app
        .get_with(
            PAGE,
            &[
                ("host", "portico.internal:8080"),
                ("x-forwarded-host", "acme.login.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(organization(&r), "acme");
    // The address the proxy appended last is the client's: its own window of 2,
    // whatever an earlier hop claims; another client is not limited by it.
    let url = "/login/context?client_id=app";
    let from = |xff: &'static str| [("x-forwarded-for", xff)];
    let first = app.get_with(url, &from("1.1.1.1, 203.0.113.8")).await;
    assert_eq!(first.header("x-ratelimit-remaining"), "1");
    let second = app.get_with(url, &from("9.9.9.9, 203.0.113.8")).await;
    assert_eq!(second.header("x-ratelimit-remaining"), "0");
    let third = app.get_with(url, &from("203.0.113.8")).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    let other = app.get_with(url, &from("203.0.113.9")).await;
    assert_eq!(other.status, StatusCode::OK);
    // Behind proxies that append, the client's own header comes first: not believed.
    let forged = app
        .get_with(
            url,
            &[
                ("x-forwarded-for", "6.6.6.6"),
                ("x-forwarded-for", "203.0.113.8"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}

// A proxy that is not named is a client like any other.
#[tokio::test]
async fn a_peer_that_is_no_named_proxy_is_believed_about_nothing() {
    let app = with_acme(Options {
        config: Config {
            base_domain: Some("login.test".into()),
            trusted_proxies: TrustedProxies::parse("10.0.0.0/8").unwrap(),
            ..Default::default()
        },
        public_limit: 1,
        ..Default::default()
    })
    .await;
    let r = app
        .get_with(
            PAGE,
            &[
                ("host", "login.test"),
                ("x-forwarded-host", "acme.login.test"),
            ],
        )
        .await;
    assert!(organization(&r).is_null());
    let url = "/login/context?client_id=app";
    let r = app
        .get_with(url, &[("x-forwarded-for", "203.0.113.1")])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the peer's window");
}

#[tokio::test]
async fn without_a_trusted_proxy_its_headers_are_ignored() {
    let app = with_acme(Options::default()).await;
    let r = app
        .get_with(
            PAGE,
            &[
                ("host", "login.test"),
                ("x-forwarded-host", "acme.login.test"),
            ],
        )
        .await;
    assert!(organization(&r).is_null());
}

// docs/design.md#security: `form-action 'self' <authorize origin>`.
#[tokio::test]
async fn form_action_allows_the_configured_authorization_server() {
    let app = with_acme(Options {
        config: Config {
            authorize_url: Some("https://tenant.example.com:8443/authorize?x=1".into()),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let r = app.get(&format!("{PAGE}&organization=acme")).await;
    let csp = r.header("content-security-policy");
    assert!(
        csp.ends_with("; form-action 'self' https://tenant.example.com:8443"),
        "{csp}"
    );
    assert_eq!(
        r.header("x-frame-options"),
        "DENY",
        "and the rest of the policy"
    );
}

// docs/design.md#security: "Secrets (tokens, state, nonce, login_hint) never logged" — at the most
// verbose level, in both log formats, after requests that carry all of them.
#[test]
fn secrets_never_reach_the_logs() {
    for format in ["text", "json"] {
        let dir = tempfile::tempdir().unwrap();
        let mut server = DemoServer::start(
            dir.path(),
            &[("PORTICO_LOG", "trace"), ("PORTICO_LOG_FORMAT", format)],
            true,
        );
        // Read both streams while the server runs, so a full pipe never stalls it.
        let (out, errs) = (server.read_stdout(), server.read_stderr());
        let secrets = "state=SECRET-STATE-1&nonce=SECRET-NONCE-2&login_hint=SECRET-HINT-3%40x.test&code_challenge=SECRET-PKCE-4";
        for target in [
            format!("/authorize?client_id=demo-require-prompt&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&{secrets}"),
            format!("/authorize?client_id=demo-require-no-prompt&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&{secrets}"),
            format!("/handoff?{secrets}"),
            "/api/v2/organizations".to_owned(),
        ] {
            let reply = http_get(server.port, &target, "SECRET-TOKEN-5");
            assert!(reply.starts_with("HTTP/1.1 "), "{reply}");
        }
        drop(server);
        let logs = [out.join().unwrap(), errs.join().unwrap()].join("\n");
        assert!(
            logs.contains("request"),
            "{format}: the access log ran:\n{logs}"
        );
        for secret in [
            "SECRET-STATE-1",
            "SECRET-NONCE-2",
            "SECRET-HINT-3",
            "SECRET-PKCE-4",
            "SECRET-TOKEN-5",
        ] {
            assert!(!logs.contains(secret), "{format}: {secret} logged:\n{logs}");
        }
    }
}

// docs/design.md#operation: "Graceful shutdown" — a request already on its way when SIGTERM arrives is
// answered, then the server exits.
#[test]
fn sigterm_finishes_the_request_in_flight_then_exits() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = DemoServer::start(dir.path(), &[("PORTICO_LOG", "warn")], false);
    let port = server.port;
    server.read_stdout();
    // Half a request: the headers are not finished yet. (The pause lets the server
    // accept it; generous, since nothing here measures speed.)
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let term = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    conn.write_all(b"Connection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply:?}");
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "exited cleanly after answering: {status:?}"
    );
}

/// A server with `flags` (and no built page), and its port.
fn serve_with(dir: &std::path::Path, flags: &[&str]) -> DemoServer {
    DemoServer::start_with(dir, &[("PORTICO_LOG", "warn")], false, flags)
}

/// Whether the server closed `conn` (end of stream or reset) within `limit`; the
/// limit only keeps a broken test from hanging.
fn closed_by_server(conn: &mut std::net::TcpStream, limit: std::time::Duration) -> bool {
    conn.set_read_timeout(Some(limit)).unwrap();
    let mut buf = Vec::new();
    match conn.read_to_end(&mut buf) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

// A client that never finishes its headers once held its connection for good (axum's
// own accept loop sets no timer for hyper's header timeout).
#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_with(dir.path(), &["--header-read-timeout", "1s"]);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    assert!(
        closed_by_server(&mut conn, std::time::Duration::from_secs(20)),
        "the half-sent request was not cut off"
    );
    // A connection that says nothing at all goes the same way.
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    assert!(closed_by_server(
        &mut silent,
        std::time::Duration::from_secs(20)
    ));
    // And one idle after its answer.
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_by_server(
        &mut idle,
        std::time::Duration::from_secs(20)
    ));
}

// Over a cap, a connection is closed at once; below it, connections are served.
#[test]
fn connections_over_their_caps_are_closed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_with(
        dir.path(),
        &[
            "--max-connections-per-client",
            "3",
            "--header-read-timeout",
            "30s",
        ],
    );
    let held: Vec<_> = (0..3)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    // Each held one is served.
    let mut probe = held[0].try_clone().unwrap();
    probe
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 12];
    probe.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    let mut fourth = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let _ = fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(
        closed_by_server(&mut fourth, std::time::Duration::from_secs(20)),
        "a fourth connection from one client"
    );
    drop(held);
    // Once they close, the client may connect again (the places come back, as the
    // server notices the closes).
    let served = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        http_get(server.port, "/healthz", "").starts_with("HTTP/1.1 200")
    });
    assert!(served, "the places came back");

    let dir = tempfile::tempdir().unwrap();
    let server = serve_with(dir.path(), &["--max-connections", "2"]);
    let _held: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let mut third = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    assert!(closed_by_server(
        &mut third,
        std::time::Duration::from_secs(20)
    ));
}
