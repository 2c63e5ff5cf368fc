//! The command line as scripts use it: `migrate`, `token`, and the demo seed.

mod common;

use std::process::Command;

use axum::http::{Method, StatusCode};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_portico-server"))
}

#[tokio::test]
async fn token_command_prints_a_token_the_server_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let status = bin()
        .args(["migrate", "--database", &url])
        .status()
        .unwrap();
    assert!(status.success());
    let out = bin()
        .args([
            "token",
            "--database",
            &url,
            "--scopes",
            "read:organizations",
            "--ttl",
            "10m",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(token.split('.').count(), 3);

    // A server on the same database accepts it, with exactly its scopes.
    let (db, key) = portico_server::cli::open(&url).await.unwrap();
    assert!(key
        .verify(&token)
        .is_some_and(|s| s.len() == 1 && s.contains("read:organizations")));
    db.close().await;
    // Environment works as well as flags; a bad TTL is a usage error.
    let out = bin()
        .env("DATABASE_URL", &url)
        .args(["token", "--scopes", "x", "--ttl", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ttl"));
}

#[tokio::test]
async fn demo_seed_is_idempotent() {
    let app = common::app().await;
    portico_server::demo::seed(&app.state.db, "http://localhost:8080")
        .await
        .unwrap();
    portico_server::demo::seed(&app.state.db, "http://localhost:8080")
        .await
        .unwrap();
    let orgs = app
        .api(Method::GET, "/organizations?include_totals=true", None)
        .await
        .json();
    assert_eq!(orgs["total"], 3);
    let clients = app
        .api(Method::GET, "/clients?include_totals=true", None)
        .await
        .json();
    assert_eq!(clients["total"], 4);
    let conns = app
        .api(Method::GET, "/connections?include_totals=true", None)
        .await
        .json();
    assert_eq!(conns["total"], 4);
    // The demo shows each behaviour: acme has one enterprise connection, initech no branding.
    let acme = app
        .get("/login/context?client_id=demo-require-prompt&organization=acme")
        .await
        .json();
    assert_eq!(acme["connections"].as_array().unwrap().len(), 1);
    assert_eq!(acme["connections"][0]["kind"], "enterprise");
    let initech = app
        .get("/login/context?client_id=demo-require-prompt&organization=initech")
        .await;
    assert_eq!(initech.status, StatusCode::OK);
    assert!(initech.json()["organization"]
        .get("branding")
        .is_none_or(|b| b.is_null()));
    // Started again on another port, the logos follow it (nothing else changes).
    portico_server::demo::seed(&app.state.db, "http://localhost:9090")
        .await
        .unwrap();
    let globex = app
        .get("/login/context?client_id=demo-require-prompt&organization=globex")
        .await
        .json();
    assert_eq!(
        globex["organization"]["branding"]["logo_url"],
        "http://localhost:9090/demo/logos/globex.svg"
    );
    assert_eq!(
        globex["organization"]["branding"]["colors"]["primary"],
        "#ffd400"
    );
}

// The token command `serve --demo` prints, run as printed (cargo run replaced by the
// binary), gives a token the running server accepts: it names the same database.
#[test]
fn the_demo_prints_a_token_command_that_works() {
    use common::process::{http_get, status_of, DemoServer};
    let dir = tempfile::tempdir().unwrap();
    let mut server = DemoServer::start(dir.path(), &[("PORTICO_LOG", "warn")], false);
    let command = server
        .stdout()
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("cargo run -q -p portico-server -- ")
                .map(str::to_owned)
        })
        .expect("command printed");
    let url = server.database.clone();
    assert!(command.contains(&url), "{command}");
    // Run where a forgotten --database would create its own default database.
    let out = Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "{} {command}",
            env!("CARGO_BIN_EXE_portico-server")
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let reply = http_get(server.port, "/api/v2/organizations", &token);
    assert_eq!(status_of(&reply), 200);
    drop(server);
    // A password in the URL is never printed.
    let pg = portico_server::demo::pages::token_command("postgres://portico:s3cret@db/portico");
    assert!(
        !pg.contains("s3cret") && pg.contains("$DATABASE_URL"),
        "{pg}"
    );
}

// Issue: "the demo's logos point at a host that resolves nowhere". The demo serves
// its own logos, its organizations point at them on the port it listens on, and the
// page's CSP lets an organization subdomain (`globex.localhost`) load them.
#[test]
fn the_demo_serves_the_logos_its_organizations_show() {
    use common::process::{http_get, status_of, DemoServer};
    let dir = tempfile::tempdir().unwrap();
    let server = DemoServer::start(dir.path(), &[("PORTICO_LOG", "warn")], false);
    let context = http_get(
        server.port,
        "/login/context?client_id=demo-require-prompt&organization=globex",
        "",
    );
    assert_eq!(status_of(&context), 200, "{context}");
    let body = context.split("\r\n\r\n").nth(1).unwrap();
    let ctx: serde_json::Value = serde_json::from_str(body).unwrap();
    let logo = ctx["organization"]["branding"]["logo_url"]
        .as_str()
        .unwrap();
    let origin = format!("http://localhost:{}", server.port);
    let path = logo.strip_prefix(&origin).expect(logo);
    let image = http_get(server.port, path, "");
    assert_eq!(status_of(&image), 200, "{image}");
    assert!(image
        .to_ascii_lowercase()
        .contains("content-type: image/svg+xml"));
    assert!(image.contains("<svg"));
    assert_eq!(
        status_of(&http_get(server.port, "/demo/logos/x.svg", "")),
        404
    );
    // Every HTML page carries the same CSP (here one the server writes itself).
    let page = http_get(server.port, "/handoff?client_id=demo-require-prompt", "");
    let csp = page
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("content-security-policy:")
        })
        .expect("a CSP");
    assert!(
        csp.contains("img-src 'self' https: http://localhost:*"),
        "{csp}"
    );
}
