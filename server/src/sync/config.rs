//! The flags that name a sync source (`sync --from`, `serve --sync-from`) and the
//! `Source` they describe. Secrets come from files or the environment, never from a
//! flag's value, which `ps` shows.

use std::path::PathBuf;

use clap::Args;

use crate::token::parse_ttl;

/// Where a sync reads from. Secrets come from files or the environment, never from a
/// flag's value (which `ps` shows).
#[derive(Args, Clone)]
pub struct SourceArgs {
    /// The source's base URL: https://TENANT.auth0.com, or another Portico.
    #[arg(long = "sync-from", visible_alias = "from", env = "PORTICO_SYNC_FROM")]
    pub from: Option<String>,
    /// Auth0: a machine-to-machine application's client id (client credentials).
    #[arg(long, env = "PORTICO_SYNC_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Auth0: a file holding its client secret (or PORTICO_SYNC_CLIENT_SECRET).
    #[arg(long, env = "PORTICO_SYNC_CLIENT_SECRET_FILE")]
    pub client_secret_file: Option<PathBuf>,
    /// The token's audience; default FROM/api/v2/.
    #[arg(long, env = "PORTICO_SYNC_AUDIENCE")]
    pub audience: Option<String>,
    /// Another Portico: a file holding a management token (or PORTICO_SYNC_TOKEN).
    #[arg(long, env = "PORTICO_SYNC_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// How long one request to the source may take: 30s, 2m…
    #[arg(long, env = "PORTICO_SYNC_TIMEOUT", default_value = "30s")]
    pub sync_timeout: String,
    /// Organizations read at the same time.
    #[arg(long, env = "PORTICO_SYNC_CONCURRENCY", default_value_t = 4)]
    pub sync_concurrency: usize,
    /// The most records one sync reads, all lists together; a source that sends more
    /// (or never stops) fails the sync, which then changes nothing.
    #[arg(long, env = "PORTICO_SYNC_MAX_RECORDS", default_value_t = crate::sync::client::DEFAULT_MAX_RECORDS)]
    pub sync_max_records: usize,
}

fn secret(file: Option<&PathBuf>, env: &str, what: &str) -> Result<Option<String>, String> {
    if let Some(path) = file {
        let s = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the {what} file {}: {e}", path.display()))?;
        return Ok(Some(s.trim().to_owned()));
    }
    Ok(std::env::var(env)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty()))
}

impl SourceArgs {
    /// The source these flags describe, or why they do not describe one.
    pub fn source(&self) -> Result<Option<crate::sync::Source>, String> {
        let Some(from) = self.from.as_deref() else {
            return Ok(None);
        };
        let url = portico_rules::url::HttpsUrl::parse(from)
            .map_err(|rule| format!("--sync-from: {rule}"))?
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        let token = secret(self.token_file.as_ref(), "PORTICO_SYNC_TOKEN", "token")?;
        let auth = match (&self.client_id, token) {
            (Some(client_id), None) => {
                let client_secret = secret(self.client_secret_file.as_ref(), "PORTICO_SYNC_CLIENT_SECRET", "client secret")?
                    .ok_or("--client-id needs --client-secret-file or PORTICO_SYNC_CLIENT_SECRET")?;
                crate::sync::Auth::ClientCredentials {
                    client_id: client_id.clone(),
                    client_secret,
                    audience: self.audience.clone().unwrap_or_else(|| format!("{url}/api/v2/")),
                }
            }
            (None, Some(token)) => crate::sync::Auth::Token(token),
            (Some(_), Some(_)) => return Err("give either --client-id (Auth0) or a token (another Portico), not both".into()),
            (None, None) => return Err("--sync-from needs --client-id with --client-secret-file (Auth0), or --token-file (another Portico)".into()),
        };
        let timeout = parse_ttl(&self.sync_timeout)
            .ok_or("--sync-timeout: use a number with s, m or h, e.g. 30s")?;
        Ok(Some(crate::sync::Source {
            url,
            auth,
            retry: crate::sync::Retry {
                timeout,
                ..Default::default()
            },
            concurrency: self.sync_concurrency.max(1),
            max_records: self.sync_max_records,
        }))
    }
}
