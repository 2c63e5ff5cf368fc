//! The test harness: the real router over a real database (a fresh SQLite file, or a
//! fresh PostgreSQL database when PORTICO_TEST_POSTGRES names a server), driven with
//! `oneshot` requests.
#![allow(dead_code)]

pub mod process;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use portico_server::state::{AppState, Config, Limits};
use portico_server::store::Db;
use portico_server::web::assets::Assets;
use serde_json::Value;

pub const ALL_SCOPES: &str = "create:organizations read:organizations update:organizations delete:organizations create:organization_connections read:organization_connections update:organization_connections delete:organization_connections create:connections read:connections update:connections delete:connections create:clients read:clients update:clients delete:clients";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub token: String,
    _dir: Option<tempfile::TempDir>,
}

pub struct Options {
    pub config: Config,
    pub public_limit: u32,
    pub management_limit: u32,
    pub context_cache_bytes: usize,
    pub refusal_pause: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            config: Config {
                base_domain: Some("login.test".into()),
                ..Default::default()
            },
            public_limit: 10_000,
            management_limit: 10_000,
            context_cache_bytes: portico_server::login::cache::DEFAULT_MAX_BYTES,
            // The tests of the limits read their 429s at once.
            refusal_pause: Duration::ZERO,
        }
    }
}

/// A database for one test: a temp SQLite file, or a new PostgreSQL database.
pub async fn database() -> (String, Option<tempfile::TempDir>) {
    if let Ok(admin) = std::env::var("PORTICO_TEST_POSTGRES") {
        let name = format!(
            "portico_test_{}",
            portico_server::store::new_id("").to_lowercase()
        );
        let db = Db::connect(&format!("{admin}/postgres"))
            .await
            .expect("postgres reachable");
        db.execute_raw(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        db.close().await;
        (format!("{admin}/{name}"), None)
    } else {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("portico.db").display());
        (url, Some(dir))
    }
}

pub async fn app() -> TestApp {
    app_with(Options::default()).await
}

pub async fn app_with(opts: Options) -> TestApp {
    let (url, dir) = database().await;
    let (db, key) = portico_server::cli::open(&url)
        .await
        .expect("open database");
    let assets = Assets::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dist"
    )))
    .ok();
    let token = key.issue(ALL_SCOPES, Duration::from_secs(3600));
    let limits = Limits {
        public: opts.public_limit,
        management: opts.management_limit,
        refusal_pause: opts.refusal_pause,
        context_cache_bytes: opts.context_cache_bytes,
    };
    let state = AppState::new(db, key, opts.config, limits, assets);
    TestApp {
        router: portico_server::app(state.clone()),
        state,
        token,
        _dir: dir,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.bytes)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    pub fn token(&self, scopes: &str) -> String {
        self.state.token_key.issue(scopes, Duration::from_secs(600))
    }

    pub async fn request(&self, req: Request<Body>) -> Reply {
        use tower::ServiceExt;
        let mut req = req;
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// A Management API call with the all-scopes token.
    pub async fn api(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.api_as(
            &self.token.clone(),
            method,
            path,
            body.map(|b| b.to_string()),
        )
        .await
    }

    pub async fn api_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Reply {
        self.request(build_api_request(token, method, path, body))
            .await
    }

    /// A Management API request with the all-scopes token, for spawning.
    pub fn api_request(&self, method: Method, path: &str, body: Option<String>) -> Request<Body> {
        let mut req = build_api_request(&self.token, method, path, body);
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        req
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut b = Request::get(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.request(b.body(Body::empty()).unwrap()).await
    }

    // ---- fixtures ----

    pub async fn connection(&self, name: &str, strategy: &str, extra: Value) -> String {
        let mut body = serde_json::json!({ "name": name, "strategy": strategy });
        if let Value::Object(m) = extra {
            for (k, v) in m {
                body[k] = v;
            }
        }
        let r = self.api(Method::POST, "/connections", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_owned()
    }

    pub async fn organization(&self, body: Value) -> Value {
        let r = self.api(Method::POST, "/organizations", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()
    }

    pub async fn client(&self, body: Value) -> String {
        let r = self.api(Method::POST, "/clients", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["client_id"].as_str().unwrap().to_owned()
    }
}

fn build_api_request(
    token: &str,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(format!("/api/v2{path}"));
    if !token.is_empty() {
        b = b.header("authorization", format!("Bearer {token}"));
    }
    match body {
        Some(s) => b
            .header("content-type", "application/json")
            .body(Body::from(s))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

pub fn enc(s: &str) -> String {
    portico_rules::url::encode_component(s)
}
