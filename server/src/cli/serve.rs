//! `portico-server serve`: its flags, and starting the server they describe.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use portico_rules::context::UpstreamProfile;

use super::db::{open, redact, DbArgs};
use crate::state::{AppState, Config, Limits};
use crate::sync::config::SourceArgs;
use crate::token::parse_ttl;
use crate::web::assets::Assets;

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, env = "PORTICO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// The page built by `scripts/build-page.sh` (trunk build --release).
    #[arg(long, env = "PORTICO_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Organizations are reached at NAME.DOMAIN.
    #[arg(long, env = "PORTICO_BASE_DOMAIN")]
    pub base_domain: Option<String>,
    /// The authorization server users continue to; without it, /handoff.
    #[arg(long, env = "PORTICO_AUTHORIZE_URL")]
    pub authorize_url: Option<String>,
    /// How the authorization server expects the chosen organization and connection
    /// (docs/design.md#upstream-and-sync): auth0 (organization id, connection), keycloak (kc_idp_hint and an
    /// organization scope) or oidc (organization name, connection).
    #[arg(long, env = "PORTICO_UPSTREAM", default_value = "auth0", value_parser = parse_upstream)]
    pub upstream: UpstreamProfile,
    /// The languages served, comma-separated, the first the default (docs/design.md#languages); all
    /// shipped ones (en,fr,de,es,pt-BR,it,nl,ja,zh-CN,ko,ar,he) by default.
    #[arg(long, env = "PORTICO_LANGUAGES", value_parser = crate::web::lang::parse_languages)]
    pub languages: Option<Vec<&'static str>>,
    /// Create the demo tenant (idempotent).
    #[arg(long, env = "PORTICO_DEMO")]
    pub demo: bool,
    /// The proxies in front, comma-separated addresses or ranges (10.0.0.0/8,…):
    /// from them, X-Forwarded-For (the right-most address that is none of them) and
    /// X-Forwarded-Host count.
    #[arg(long, env = "PORTICO_TRUST_PROXY", value_parser = crate::request::TrustedProxies::parse)]
    pub trust_proxy: Option<crate::request::TrustedProxies>,
    /// Public requests per client address per minute.
    #[arg(long, env = "PORTICO_PUBLIC_RATE_LIMIT", default_value_t = 600)]
    pub public_rate_limit: u32,
    /// Management API requests per client address per minute.
    #[arg(long, env = "PORTICO_MANAGEMENT_RATE_LIMIT", default_value_t = 1200)]
    pub management_rate_limit: u32,
    /// How long a client may take to send a request's headers (also how long an idle
    /// connection stays open): 10s, 1m…
    #[arg(long, env = "PORTICO_HEADER_READ_TIMEOUT", default_value = "10s")]
    pub header_read_timeout: String,
    /// How long a read or a write may wait for the client before the connection
    /// closes: 60s, 2m…
    #[arg(long, env = "PORTICO_IDLE_TIMEOUT", default_value = "60s")]
    pub idle_timeout: String,
    /// Connections open at once, in all; more are closed at once.
    #[arg(long, env = "PORTICO_MAX_CONNECTIONS", default_value_t = crate::listen::Limits::default().max_connections)]
    pub max_connections: usize,
    /// Connections open at once from one client (an IPv4 address or an IPv6 /64;
    /// trusted proxies are not held to it).
    #[arg(long, env = "PORTICO_MAX_CONNECTIONS_PER_CLIENT", default_value_t = crate::listen::Limits::default().max_connections_per_client)]
    pub max_connections_per_client: usize,
    /// How long a request over its rate limit waits for its 429 (0s: none).
    #[arg(long, env = "PORTICO_RATE_LIMIT_PAUSE", default_value = "1s")]
    pub rate_limit_pause: String,
    /// The most bytes the login context cache holds (answers live one second).
    #[arg(long, env = "PORTICO_CONTEXT_CACHE_BYTES", default_value_t = crate::login::cache::DEFAULT_MAX_BYTES)]
    pub context_cache_bytes: usize,
    /// Sync the directory from --sync-from this often (5m, 1h…), in the background.
    #[arg(long, env = "PORTICO_SYNC_EVERY", requires = "from")]
    pub sync_every: Option<String>,
    /// /healthz answers 503 once the last good sync is older than this; default three
    /// times --sync-every.
    #[arg(long, env = "PORTICO_SYNC_STALE_AFTER")]
    pub sync_stale_after: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let source = args.source.source()?;
    let every = args
        .sync_every
        .as_deref()
        .map(|s| parse_ttl(s).ok_or("--sync-every: use a number with s, m or h, e.g. 5m"))
        .transpose()?;
    if source.is_some() && every.is_none() {
        return Err(
            "--sync-from needs --sync-every (or run `portico-server sync` on a schedule)".into(),
        );
    }
    let sync_stale_after = match args.sync_stale_after.as_deref() {
        Some(s) => Some(parse_ttl(s).ok_or("--sync-stale-after: use a number with s, m or h")?),
        None => every.map(|e| e * 3),
    };
    let (db, token_key) = open(&args.db.database).await?;
    let assets = match Assets::load(&args.dist) {
        Ok(a) => Some(a),
        Err(e) => {
            tracing::warn!("not serving the page: {e}");
            None
        }
    };
    let config = Config {
        base_domain: args
            .base_domain
            .map(|d| d.trim_end_matches('.').to_ascii_lowercase()),
        authorize_url: args.authorize_url,
        upstream: args.upstream,
        trusted_proxies: args.trust_proxy.unwrap_or_default(),
        demo: args.demo,
        languages: args.languages.unwrap_or_default(),
        sync_stale_after,
    };
    let duration = |flag: &str, value: &str| {
        parse_ttl(value).ok_or(format!("--{flag}: use a number with s, m or h, e.g. 10s"))
    };
    let connection_limits = crate::listen::Limits {
        header_read_timeout: duration("header-read-timeout", &args.header_read_timeout)?,
        idle_timeout: duration("idle-timeout", &args.idle_timeout)?,
        max_connections: args.max_connections,
        max_connections_per_client: args.max_connections_per_client,
        ..Default::default()
    };
    let listener = std::net::TcpListener::bind(args.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if args.demo {
        let origin = format!("http://localhost:{}", addr.port());
        crate::demo::seed(&db, &origin)
            .await
            .map_err(|e| format!("demo tenant: {e:?}"))?;
    }
    let limits = Limits {
        public: args.public_rate_limit,
        management: args.management_rate_limit,
        refusal_pause: duration("rate-limit-pause", &args.rate_limit_pause)?,
        context_cache_bytes: args.context_cache_bytes,
    };
    let state = AppState::new(db.clone(), token_key, config, limits, assets);
    tracing::info!(%addr, database = %redact(&args.db.database), "portico-server listening");
    if args.demo {
        crate::demo::pages::print_urls(
            &addr,
            state.config.base_domain.as_deref(),
            &args.db.database,
        );
    }
    if let (Some(source), Some(every)) = (source, every) {
        tracing::info!(source = %source.url, every_s = every.as_secs(), "syncing the directory");
        crate::sync::spawn(state.clone(), source, every);
    }
    let trusted = state.config.trusted_proxies.clone();
    crate::listen::serve(
        listener,
        crate::app(state),
        connection_limits,
        trusted,
        shutdown_signal(),
    )
    .await
    .map_err(|e| e.to_string())?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

fn parse_upstream(s: &str) -> Result<UpstreamProfile, String> {
    UpstreamProfile::parse(s).ok_or_else(|| {
        let all: Vec<_> = UpstreamProfile::ALL.iter().map(|p| p.as_str()).collect();
        format!("must be one of {}", all.join(", "))
    })
}
