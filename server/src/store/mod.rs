//! The organization directory's storage: one `AnyPool` over SQLite (default) or
//! PostgreSQL, the same SQL for both, migrations at start. It speaks the domain: its
//! methods take and return records (`crate::records`), and its errors are
//! `StoreError`, which knows nothing of HTTP; `crate::error` maps them to the API's
//! answers in one place. Every write that touches more than one row runs in one
//! transaction, so a failed request changes nothing.
//!
//! One file per resource adds its own `impl Db` block: `organizations`,
//! `enabled_connections`, `connections` (with the discovery indexes), `clients`.

pub mod bulk;
mod clients;
mod connections;
pub mod diff;
mod enabled_connections;
mod migrate;
mod organizations;
mod plans;
pub mod sync;

use std::str::FromStr;
use std::time::Duration;

use portico_rules::directory::SignupError;
use rand::distr::{Alphanumeric, SampleString};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

/// What can go wrong in the directory, in its own terms. `item` is the position in
/// an organization's `enabled_connections` when the write came with the create.
#[derive(Debug, PartialEq, Eq)]
pub enum StoreError {
    Conflict(Conflict),
    OrganizationNotFound,
    TooManyConnections {
        item: Option<usize>,
    },
    UnknownConnection {
        item: Option<usize>,
    },
    Signup {
        item: Option<usize>,
        rule: SignupError,
    },
    /// The database cannot be reached right now.
    Unavailable,
    Internal,
}

/// Which uniqueness rule a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    OrganizationName,
    ConnectionName,
    EnabledConnection,
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let unavailable = match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => true,
            sqlx::Error::Database(db) => is_unavailable_code(db.code().as_deref()),
            _ => false,
        };
        if unavailable {
            tracing::error!(error = %e, "database unavailable");
            StoreError::Unavailable
        } else {
            tracing::error!(error = %e, "database error");
            StoreError::Internal
        }
    }
}

/// SQLite "unable to open"/"busy"/"I/O" and PostgreSQL connection-class and
/// shutdown codes: the store is not there right now.
fn is_unavailable_code(code: Option<&str>) -> bool {
    matches!(code, Some("14" | "5" | "10" | "57P01" | "57P02" | "57P03"))
        || code.is_some_and(|c| c.starts_with("08"))
}

/// The one place a unique-key violation becomes a domain conflict.
fn on_unique<T>(result: Result<T, sqlx::Error>, conflict: Conflict) -> StoreResult<T> {
    match result {
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            Err(StoreError::Conflict(conflict))
        }
        other => Ok(other?),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    pub backend: Backend,
}

/// `sqlite:` URLs get `mode=rwc` so the file is created on first use.
fn normalize_url(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    }
}

pub fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        Alphanumeric.sample_string(&mut rand::rng(), 16)
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Sets `field` when the update carries a value for it (PATCH semantics).
fn patch<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// Every row through `decode`, or the first row that does not decode.
fn decode_all<T>(
    rows: &[sqlx::any::AnyRow],
    decode: fn(&sqlx::any::AnyRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Vec<T>> {
    Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
}

fn json_text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn parse_json<T: serde::de::DeserializeOwned>(s: Option<String>) -> Option<T> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let url = normalize_url(url);
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Durability first: an acknowledged write survives a crash.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 5000",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    /// Runs one statement as it is (administration: tests create databases with it).
    pub async fn execute_raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql).execute(&self.pool).await.map(|_| ())
    }

    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The value of setting `key`, created with `init()` the first time. Concurrent
    /// first calls agree on one value.
    pub async fn setting_or_init(
        &self,
        key: &str,
        init: impl FnOnce() -> String,
    ) -> Result<String, sqlx::Error> {
        let insert = match self.backend {
            Backend::Sqlite => "INSERT OR IGNORE INTO settings (key, value) VALUES ($1, $2)",
            Backend::Postgres => {
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
            }
        };
        sqlx::query(insert)
            .bind(key)
            .bind(init())
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await
    }

    /// How many rows `table` holds (for `include_totals`).
    pub async fn count(&self, table: Table) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.as_str()))
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

#[derive(Clone, Copy)]
pub enum Table {
    Organizations,
    Connections,
    Clients,
}

impl Table {
    fn as_str(self) -> &'static str {
        match self {
            Table::Organizations => "organizations",
            Table::Connections => "connections",
            Table::Clients => "clients",
        }
    }
}
