//! The one HTTP client of a sync: a Management API at `base`, a bearer token (a
//! client-credentials grant at `/oauth/token`, or one read from a file), and the
//! manners a shared API expects — `429` honoured for every request in flight (the
//! wait `Retry-After` or `X-RateLimit-Reset` names), transient failures (5xx, resets,
//! timeouts) retried with exponential backoff, every request bounded by a timeout.
//!
//! And what a source that misbehaves cannot do: make it follow a redirect (a `307`
//! from the token endpoint would have the client post `client_secret` to wherever it
//! points: a redirect is an error naming where it led), send an answer larger than
//! `MAX_BODY`, or hand over more than `--sync-max-records` records in all.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use super::outcome::SyncError;
use super::response::{
    bounded_body, error_message, wait_from_headers, without_url, Body, MAX_BODY,
};

/// How the source is authenticated. Secrets never reach a log or an error message.
pub enum Auth {
    /// Auth0's client-credentials grant for the Management API audience.
    ClientCredentials {
        client_id: String,
        client_secret: String,
        audience: String,
    },
    /// A Management API token as it is (another Portico's `portico-server token`).
    Token(String),
}

/// Retries: transient failures up to `attempts` times from `backoff` doubling; `429`s
/// up to `rate_limited` times per request.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    pub timeout: Duration,
    pub attempts: u32,
    pub rate_limited: u32,
    pub backoff: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            timeout: Duration::from_secs(30),
            attempts: 6,
            rate_limited: 50,
            backoff: Duration::from_millis(250),
        }
    }
}

/// The longest wait a `429` may ask for before the sync gives up on it.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(120);

/// The default `--sync-max-records`: every organization, connection, client and
/// enabled connection read, together.
pub const DEFAULT_MAX_RECORDS: usize = 1_000_000;

pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    retry: Retry,
    token: Mutex<Option<String>>,
    /// No request starts before this instant: a `429` pauses them all.
    paused_until: Mutex<Option<Instant>>,
    pub requests: AtomicU64,
    /// Records read so far, and the most a sync may read.
    records: AtomicUsize,
    max_records: usize,
}

enum Outcome {
    Done(Value),
    /// Wait this long (or the backoff when `None`) and try again.
    Retry(Option<Duration>, String),
    RateLimited(Option<Duration>),
    Unauthorized(String),
    Fail(String),
}

impl Client {
    pub fn new(
        base: &str,
        auth: Auth,
        retry: Retry,
        max_records: usize,
    ) -> Result<Client, SyncError> {
        let http = reqwest::Client::builder()
            // Never: a redirect would carry the credentials (the token request's
            // body, the bearer token) to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(retry.timeout)
            .connect_timeout(retry.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!(
                "portico-server/",
                env!("CARGO_PKG_VERSION"),
                " sync"
            ))
            .build()
            .map_err(|e| SyncError(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
            auth,
            retry,
            token: Mutex::new(None),
            paused_until: Mutex::new(None),
            requests: AtomicU64::new(0),
            records: AtomicUsize::new(0),
            max_records,
        })
    }

    /// Counts `n` more records read, or fails once the sync has read more than
    /// `--sync-max-records` (a source that never stops ends here).
    pub fn count_records(&self, n: usize) -> Result<(), SyncError> {
        let read = self.records.fetch_add(n, Ordering::Relaxed) + n;
        if read > self.max_records {
            return Err(SyncError(format!(
                "the source has sent more than {} records (--sync-max-records); stopped",
                self.max_records
            )));
        }
        Ok(())
    }

    async fn wait_for_pause(&self) {
        loop {
            let until = *self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t.into()).await,
                _ => return,
            }
        }
    }

    fn pause(&self, d: Duration) {
        let mut until = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        let t = Instant::now() + d;
        if until.is_none_or(|u| u < t) {
            *until = Some(t);
        }
    }

    async fn send_once(&self, req: reqwest::RequestBuilder) -> Outcome {
        self.wait_for_pause().await;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Outcome::Retry(None, "timed out".into()),
            Err(e) => return Outcome::Retry(None, format!("cannot connect: {}", without_url(&e))),
        };
        let status = res.status();
        if status.is_redirection() {
            let to = res
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .unwrap_or("nowhere it said");
            return Outcome::Fail(format!(
                "{status}: the source redirected to {to}, and a sync follows no redirect (it would carry the credentials there)"
            ));
        }
        let wait = wait_from_headers(res.headers());
        let body = match bounded_body(res).await {
            Ok(b) => b,
            Err(Body::TooLarge) => {
                return Outcome::Fail(format!("the answer is larger than {MAX_BODY} bytes"))
            }
            Err(Body::Broken(e)) if e.is_timeout() => {
                return Outcome::Retry(None, "timed out".into())
            }
            Err(Body::Broken(e)) => {
                return Outcome::Retry(None, format!("the answer broke off: {}", without_url(&e)))
            }
        };
        match status {
            s if s.is_success() => match serde_json::from_str(&body) {
                Ok(v) => Outcome::Done(v),
                Err(_) => Outcome::Fail("the answer is not JSON".into()),
            },
            StatusCode::TOO_MANY_REQUESTS => Outcome::RateLimited(wait),
            StatusCode::UNAUTHORIZED => {
                Outcome::Unauthorized(format!("{status}: {}", error_message(&body)))
            }
            s if s.is_server_error() || s == StatusCode::REQUEST_TIMEOUT => {
                Outcome::Retry(wait, format!("{s}: {}", error_message(&body)))
            }
            s => Outcome::Fail(format!("{s}: {}", error_message(&body))),
        }
    }

    /// Sends what `build` makes until it succeeds or fails for good.
    async fn send(
        &self,
        what: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
        authenticated: bool,
    ) -> Result<Value, SyncError> {
        let (mut failures, mut limited, mut refreshed) = (0u32, 0u32, false);
        loop {
            let mut req = build();
            if authenticated {
                req = req.bearer_auth(self.token().await?);
            }
            match self.send_once(req).await {
                Outcome::Done(v) => return Ok(v),
                Outcome::RateLimited(wait) => {
                    limited += 1;
                    let wait = wait.unwrap_or(self.retry.backoff * 2u32.pow(limited.min(8)));
                    if limited > self.retry.rate_limited || wait > MAX_RATE_LIMIT_WAIT {
                        return Err(SyncError(format!(
                            "{what}: still rate limited after {limited} tries (asked to wait {} s)",
                            wait.as_secs()
                        )));
                    }
                    tracing::debug!(what, wait_ms = wait.as_millis() as u64, "rate limited");
                    self.pause(wait);
                }
                Outcome::Retry(wait, why) => {
                    failures += 1;
                    if failures >= self.retry.attempts {
                        return Err(SyncError(format!("{what}: {why} ({failures} tries)")));
                    }
                    let backoff = self.retry.backoff * 2u32.pow(failures - 1);
                    tracing::warn!(what, %why, "retrying");
                    tokio::time::sleep(wait.unwrap_or(backoff).min(MAX_RATE_LIMIT_WAIT)).await;
                }
                Outcome::Unauthorized(_) if authenticated && !refreshed && self.can_refresh() => {
                    // The token may have expired mid-sync: one new grant, then the
                    // same request again.
                    refreshed = true;
                    *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
                }
                Outcome::Unauthorized(why) => {
                    return Err(SyncError(format!(
                        "{what}: {why} (the source refused the credentials)"
                    )))
                }
                Outcome::Fail(why) => return Err(SyncError(format!("{what}: {why}"))),
            }
        }
    }

    fn can_refresh(&self) -> bool {
        matches!(self.auth, Auth::ClientCredentials { .. })
    }

    async fn token(&self) -> Result<String, SyncError> {
        if let Some(t) = self.token.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(t);
        }
        let token = match &self.auth {
            Auth::Token(t) => t.clone(),
            Auth::ClientCredentials {
                client_id,
                client_secret,
                audience,
            } => {
                let url = format!("{}/oauth/token", self.base);
                let body = json!({
                    "grant_type": "client_credentials",
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "audience": audience,
                })
                .to_string();
                let v = Box::pin(self.send(
                    "the token request (/oauth/token)",
                    || {
                        self.http
                            .post(&url)
                            .header(header::CONTENT_TYPE, "application/json")
                            .body(body.clone())
                    },
                    false,
                ))
                .await?;
                v.get("access_token")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        SyncError("/oauth/token answered without an access_token".into())
                    })?
            }
        };
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
        Ok(token)
    }

    /// `GET {base}{path}` (path with its query), as JSON.
    pub async fn get(&self, path: &str) -> Result<Value, SyncError> {
        let url = format!("{}{path}", self.base);
        let what = path.split('?').next().unwrap_or(path);
        self.send(what, || self.http.get(&url), true).await
    }
}
