//! Making the local directory equal to a sync source's (`crate::sync` fetches it):
//! one transaction that writes only the differences (`diff`) and records the source
//! and the time in `settings`; the sync lock; where a directory is synced from. A sync that fails or
//! is killed before the commit leaves the previous directory as it was.

use std::time::Duration;

use sqlx::{Any, Row, Transaction};

use super::diff::{
    sync_clients, sync_connections, sync_enabled_removals, sync_enabled_upserts,
    sync_organizations, Changes, Counts,
};
use super::{now, Backend, Db, StoreResult};
use crate::records::Directory;

/// The `settings` keys of a synced directory: its source, when the last good sync
/// finished (epoch seconds), when the fleet's last run started (epoch milliseconds),
/// and why the last run failed (absent after a good one).
pub const SYNC_SOURCE: &str = "sync_source";
pub const SYNC_FINISHED_AT: &str = "sync_finished_at";
pub const SYNC_STARTED_AT_MS: &str = "sync_started_at_ms";
pub const SYNC_LAST_ERROR: &str = "sync_last_error";

/// Where the directory is synced from, when the last good sync finished, and why the
/// last run failed, if it did: what every instance sharing the database reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub source: String,
    pub finished_at: i64,
    pub last_error: Option<String>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Held while one instance syncs; where several share PostgreSQL, a session advisory
/// lock on a connection that closes when this is dropped (so a crash frees it too).
pub struct SyncLock {
    _conn: Option<sqlx::pool::PoolConnection<Any>>,
}

/// The advisory lock's key: "portico sync".
const SYNC_LOCK_KEY: i64 = 0x0070_6f72_7469_636f;

async fn upsert_setting(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// The sync lock, or `None` when another instance holds it.
    pub async fn try_sync_lock(&self) -> StoreResult<Option<SyncLock>> {
        if self.backend == Backend::Sqlite {
            // One file, one writer: the apply transaction serializes syncs.
            return Ok(Some(SyncLock { _conn: None }));
        }
        let mut conn = self.pool.acquire().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(SYNC_LOCK_KEY)
            .fetch_one(&mut *conn)
            .await?;
        if !got {
            return Ok(None);
        }
        // Never back to the pool holding the lock: closed when dropped.
        conn.close_on_drop();
        Ok(Some(SyncLock { _conn: Some(conn) }))
    }

    /// This instance's turn to sync: the sync lock, taken only when the fleet's last
    /// run (whichever instance ran it) started at least `every` ago, and that start
    /// recorded as now. `None` when another instance holds the lock or ran recently,
    /// so several instances sharing the database sync once per period between them.
    /// Without `every` (the one-shot `sync` command) the run only needs the lock.
    pub async fn claim_sync_run(&self, every: Option<Duration>) -> StoreResult<Option<SyncLock>> {
        let Some(lock) = self.try_sync_lock().await? else {
            return Ok(None);
        };
        let now = now_ms();
        if let Some(every) = every {
            let last: Option<String> =
                sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                    .bind(SYNC_STARTED_AT_MS)
                    .fetch_optional(&self.pool)
                    .await?;
            let recent = last
                .and_then(|t| t.parse::<i64>().ok())
                .is_some_and(|t| now.saturating_sub(t) < every.as_millis() as i64);
            if recent {
                return Ok(None);
            }
        }
        let mut tx = self.pool.begin().await?;
        upsert_setting(&mut tx, SYNC_STARTED_AT_MS, &now.to_string()).await?;
        tx.commit().await?;
        Ok(Some(lock))
    }

    /// Records why the last run failed (`Some`), or that it did not (`None`), for
    /// every instance's `/healthz`.
    pub async fn record_sync_error(&self, error: Option<&str>) -> StoreResult<()> {
        match error {
            Some(e) => {
                let mut tx = self.pool.begin().await?;
                upsert_setting(&mut tx, SYNC_LAST_ERROR, e).await?;
                tx.commit().await?;
            }
            None => {
                sqlx::query("DELETE FROM settings WHERE key = $1")
                    .bind(SYNC_LAST_ERROR)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Where the directory is synced from, if it is.
    pub async fn sync_state(&self) -> StoreResult<Option<SyncState>> {
        let rows = sqlx::query("SELECT key, value FROM settings WHERE key IN ($1, $2, $3)")
            .bind(SYNC_SOURCE)
            .bind(SYNC_FINISHED_AT)
            .bind(SYNC_LAST_ERROR)
            .fetch_all(&self.pool)
            .await?;
        let mut source = None;
        let mut finished_at = 0;
        let mut last_error = None;
        for row in rows {
            let key: String = row.try_get("key")?;
            let value: String = row.try_get("value")?;
            match key.as_str() {
                SYNC_SOURCE => source = Some(value),
                SYNC_FINISHED_AT => finished_at = value.parse().unwrap_or(0),
                _ => last_error = Some(value),
            }
        }
        Ok(source.map(|source| SyncState {
            source,
            finished_at,
            last_error,
        }))
    }

    /// Makes the directory equal to `want` (ids kept) in one transaction, and records
    /// `source` as its owner. `want` has been validated by the API's own rules.
    pub async fn replace_directory(&self, want: &Directory, source: &str) -> StoreResult<Changes> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Sqlite {
            // Take the write lock now, so a concurrent writer cannot slip in between
            // the reads below and the writes.
            sqlx::query("UPDATE settings SET value = value WHERE key = $1")
                .bind(SYNC_SOURCE)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("LOCK TABLE organizations, connections, organization_connections, clients IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let removed = sync_enabled_removals(&mut tx, want).await?;
        let organizations = sync_organizations(&mut tx, &want.organizations).await?;
        let connections = sync_connections(&mut tx, &want.connections).await?;
        let clients = sync_clients(&mut tx, &want.clients).await?;
        let added = sync_enabled_upserts(&mut tx, &want.enabled).await?;
        let changes = Changes {
            organizations,
            connections,
            clients,
            enabled_connections: Counts {
                removed: removed.removed,
                ..added
            },
        };
        upsert_setting(&mut tx, SYNC_SOURCE, source).await?;
        upsert_setting(&mut tx, SYNC_FINISHED_AT, &now().to_string()).await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(SYNC_LAST_ERROR)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(changes)
    }
}
