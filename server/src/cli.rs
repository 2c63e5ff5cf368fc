//! The command line (stable: scripts rely on it): `serve`, `token`, `migrate`, `sync`. Every
//! flag can also come from the environment variable of the same name.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use portico_rules::context::UpstreamProfile;

use crate::state::{AppState, Config, Limits};
use crate::store::Db;
use crate::sync::config::SourceArgs;
use crate::token::{parse_ttl, TokenKey};
use crate::web::assets::Assets;

#[derive(Parser)]
#[command(
    name = "portico-server",
    version,
    about = "Portico's directory server and login page"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the Management API, the login API and the page.
    Serve(ServeArgs),
    /// Print a Management API token with the given scopes.
    Token(TokenArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(DbArgs),
    /// Make the directory equal to an Auth0-compatible Management API's (Auth0, or
    /// another Portico), ids kept, then exit (SPEC §8).
    Sync(SyncArgs),
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Args, Clone)]
pub struct DbArgs {
    /// sqlite://FILE (default) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://portico.db")]
    pub database: String,
}

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
    /// (SPEC §8): auth0 (organization id, connection), keycloak (kc_idp_hint and an
    /// organization scope) or oidc (organization name, connection).
    #[arg(long, env = "PORTICO_UPSTREAM", default_value = "auth0", value_parser = parse_upstream)]
    pub upstream: UpstreamProfile,
    /// The languages served, comma-separated, the first the default (SPEC §9); all
    /// shipped ones (en,fr,de,es,pt-BR,it,nl,ja,zh-CN,ko,ar,he) by default.
    #[arg(long, env = "PORTICO_LANGUAGES", value_parser = crate::web::lang::parse_languages)]
    pub languages: Option<Vec<&'static str>>,
    /// Create the demo tenant (idempotent).
    #[arg(long, env = "PORTICO_DEMO")]
    pub demo: bool,
    /// Trust X-Forwarded-For / X-Forwarded-Host from a proxy in front.
    #[arg(long, env = "PORTICO_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Public requests per client address per minute.
    #[arg(long, env = "PORTICO_PUBLIC_RATE_LIMIT", default_value_t = 600)]
    pub public_rate_limit: u32,
    /// Management API requests per client address per minute.
    #[arg(long, env = "PORTICO_MANAGEMENT_RATE_LIMIT", default_value_t = 1200)]
    pub management_rate_limit: u32,
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

#[derive(Args)]
pub struct TokenArgs {
    /// Space-separated scopes, e.g. "create:organizations read:organizations".
    #[arg(long)]
    pub scopes: String,
    /// Lifetime: 30m, 1h, 2d…
    #[arg(long, default_value = "1h")]
    pub ttl: String,
    #[command(flatten)]
    pub db: DbArgs,
}

const TOKEN_KEY_SETTING: &str = "management_token_key";

/// Opens the database, migrates it, and loads (or creates) the token key.
pub async fn open(database: &str) -> Result<(Db, TokenKey), String> {
    let db = Db::connect(database)
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(database)))?;
    db.migrate()
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    let key = db
        .setting_or_init(TOKEN_KEY_SETTING, TokenKey::generate)
        .await
        .map_err(|e| format!("cannot read the token key: {e}"))?;
    let key = TokenKey::from_base64(&key).ok_or("the stored token key is invalid")?;
    Ok((db, key))
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PORTICO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // PORTICO_LOG_FORMAT=json for log collectors; readable text otherwise.
    if std::env::var("PORTICO_LOG_FORMAT").is_ok_and(|f| f == "json") {
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .try_init();
    } else {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_target(false)
            .try_init();
    }
}

pub async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Token(args) => {
            let Some(ttl) = parse_ttl(&args.ttl) else {
                eprintln!("--ttl: use a number with s, m, h or d, e.g. 1h");
                return ExitCode::from(2);
            };
            match open(&args.db.database).await {
                Ok((db, key)) => {
                    println!("{}", key.issue(&args.scopes, ttl));
                    db.close().await;
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Migrate(args) => {
            init_logging();
            match open(&args.database).await {
                Ok((db, _)) => {
                    tracing::info!("database is up to date");
                    db.close().await;
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Sync(args) => match sync(args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("sync failed, the directory is unchanged: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Serve(args) => {
            init_logging();
            match serve(args).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

async fn sync(args: SyncArgs) -> Result<(), String> {
    init_logging();
    let source = args.source.source()?.ok_or("--from is required")?;
    let (db, _) = open(&args.db.database).await?;
    eprintln!("sync: reading {}", source.url);
    let report = crate::sync::run_once(&db, &source, crate::sync::Progress::Stderr).await;
    db.close().await;
    match report.map_err(|e| e.0)? {
        None => Err("another instance holds the sync lock; try again when it has finished".into()),
        Some(r) => {
            let c = r.changes;
            eprintln!(
                "sync: done in {:.1} s (reading {:.1} s, writing {:.1} s), {} requests\n  organizations: {}\n  connections: {}\n  enabled connections: {}\n  clients: {}",
                r.took.as_secs_f64(),
                r.read.as_secs_f64(),
                (r.took - r.read).as_secs_f64(),
                r.requests,
                c.organizations,
                c.connections,
                c.enabled_connections,
                c.clients
            );
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
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
        trust_proxy: args.trust_proxy,
        demo: args.demo,
        languages: args.languages.unwrap_or_default(),
        sync_stale_after,
    };
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
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
    let app = crate::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
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
