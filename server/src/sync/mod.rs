//! Directory sync (docs/design.md#upstream-and-sync): make the local directory equal to an Auth0-compatible
//! Management API's — Auth0 itself, or another Portico — with ids kept, so that the
//! organization ids and connection names Portico forwards are the authorization
//! server's own. `read` fetches the whole source through `client` (paging, `429`,
//! retries, timeouts) and validates it with the API's own parsers; only then does
//! `Db::replace_directory` write the differences in one transaction. A sync that
//! fails — or is killed — before that commit changes nothing.
//!
//! `portico-server sync` runs it once; `serve --sync-from … --sync-every` runs it in
//! the background (`spawn`), one instance at a time where several share PostgreSQL
//! (an advisory lock), and the last good copy keeps serving while the source is down.

pub mod client;
pub mod config;
pub mod outcome;
mod read;
mod response;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::state::AppState;
use crate::store::diff::Changes;
use crate::store::{Db, StoreError};

pub use client::{Auth, Client, Retry};
pub use outcome::{Progress, SyncError};

/// A source: its base URL (`https://TENANT`), credentials and manners.
pub struct Source {
    pub url: String,
    pub auth: Auth,
    pub retry: Retry,
    /// Organizations whose enabled connections are read at the same time.
    pub concurrency: usize,
    /// The most records a sync reads, all lists together (`--sync-max-records`).
    pub max_records: usize,
}

/// What one sync did.
#[derive(Debug)]
pub struct Report {
    pub changes: Changes,
    pub organizations: usize,
    pub connections: usize,
    pub clients: usize,
    pub requests: u64,
    /// Reading the source, then writing the differences.
    pub read: Duration,
    pub took: Duration,
}

/// One sync: `Ok(None)` when it is not this instance's turn (`Db::claim_sync_run`:
/// another holds the lock, or the fleet's last run started less than `every` ago).
pub async fn run_once(
    db: &Db,
    source: &Source,
    progress: Progress,
    every: Option<Duration>,
) -> Result<Option<Report>, SyncError> {
    let started = Instant::now();
    let Some(_lock) = db
        .claim_sync_run(every)
        .await
        .map_err(|e| SyncError(format!("taking the sync lock: {e:?}")))?
    else {
        return Ok(None);
    };
    let auth = match &source.auth {
        Auth::Token(t) => Auth::Token(t.clone()),
        Auth::ClientCredentials {
            client_id,
            client_secret,
            audience,
        } => Auth::ClientCredentials {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            audience: audience.clone(),
        },
    };
    let client = Arc::new(Client::new(
        &source.url,
        auth,
        source.retry,
        source.max_records,
    )?);
    let dir = read::directory(client.clone(), source.concurrency, &progress).await?;
    let read = started.elapsed();
    let changes = db.replace_directory(&dir, &source.url).await.map_err(|e| {
        SyncError(match e {
            StoreError::Unavailable => "writing the directory: the database is unavailable".into(),
            e => format!(
                "writing the directory: the database refused it ({e:?}; the log has the detail)"
            ),
        })
    })?;
    Ok(Some(Report {
        changes,
        organizations: dir.organizations.len(),
        connections: dir.connections.len(),
        clients: dir.clients.len(),
        requests: client.requests.load(std::sync::atomic::Ordering::Relaxed),
        read,
        took: started.elapsed(),
    }))
}

/// Syncs now and then once every `every` across the fleet, for as long as the server
/// runs: each instance looks a few times a period, and runs only when the fleet's last
/// run (recorded in the database) is a period old. A failure is logged and recorded
/// for every instance's `/healthz`; the directory keeps its last good copy. A skipped
/// turn changes nothing, the recorded error included.
pub fn spawn(state: AppState, source: Source, every: Duration) {
    let look = (every / 4).max(Duration::from_millis(250));
    tokio::spawn(async move {
        loop {
            let outcome = match run_once(&state.db, &source, Progress::Log, Some(every)).await {
                Ok(Some(report)) => {
                    if !report.changes.is_empty() {
                        state.context_cache.clear();
                    }
                    log_report(&report);
                    Some(None)
                }
                Ok(None) => {
                    tracing::debug!("not this instance's turn to sync; skipped");
                    None
                }
                Err(e) => {
                    tracing::error!(source = %source.url, error = %e, "sync failed; the last good copy keeps serving");
                    Some(Some(e.0))
                }
            };
            if let Some(error) = outcome {
                if let Err(e) = state.db.record_sync_error(error.as_deref()).await {
                    tracing::warn!(error = ?e, "cannot record the sync's outcome");
                }
            }
            tokio::time::sleep(look).await;
        }
    });
}

pub fn log_report(r: &Report) {
    tracing::info!(
        organizations = r.organizations,
        connections = r.connections,
        clients = r.clients,
        requests = r.requests,
        took_ms = r.took.as_millis() as u64,
        changed = !r.changes.is_empty(),
        "sync finished"
    );
}
