//! The command line (stable: scripts rely on it): `serve`, `token`, `migrate`, `sync`. Every
//! flag can also come from the environment variable of the same name.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub mod db;
pub mod serve;

pub use db::{open, DbArgs};

use crate::sync::config::SourceArgs;
use crate::token::parse_ttl;

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
    Serve(Box<serve::ServeArgs>),
    /// Print a Management API token with the given scopes.
    Token(TokenArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(DbArgs),
    /// Make the directory equal to an Auth0-compatible Management API's (Auth0, or
    /// another Portico), ids kept, then exit (docs/design.md#upstream-and-sync).
    Sync(SyncArgs),
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub db: DbArgs,
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
            match serve::serve(*args).await {
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
    let report = crate::sync::run_once(&db, &source, crate::sync::Progress::Stderr, None).await;
    if let Err(e) = &report {
        let _ = db.record_sync_error(Some(&e.0)).await;
    }
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
