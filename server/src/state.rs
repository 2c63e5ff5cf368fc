//! What every handler shares: the store, the token key, the configuration, the rate
//! limiters, the context cache and the built page — assembled by `AppState::new`, the
//! one place the binary and the tests build it. This module imports only modules that
//! never import it back.

use std::ops::Deref;
use std::sync::Arc;

use crate::login::cache::ContextCache;
use crate::ratelimit::RateLimiter;
use crate::store::Db;
use crate::token::TokenKey;
use crate::web::assets::Assets;

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Organizations are `<name>.<base_domain>`; `None` turns subdomains off.
    pub base_domain: Option<String>,
    /// Where users continue (`--authorize-url`); `None` means the demo's `/handoff`.
    pub authorize_url: Option<String>,
    /// How `authorize_url` expects the choice (`--upstream`).
    pub upstream: portico_rules::context::UpstreamProfile,
    /// The proxies in front (`--trust-proxy`), believed about `X-Forwarded-For` and
    /// `X-Forwarded-Host`; none by default.
    pub trusted_proxies: crate::request::TrustedProxies,
    /// `/` without a client shows the demo's list of things to try.
    pub demo: bool,
    /// The languages served, in order, the first the default (`--languages`); empty
    /// means every shipped one (`web::lang::enabled`).
    pub languages: Vec<&'static str>,
    /// `/healthz` degrades when the last good sync is older than this.
    pub sync_stale_after: Option<std::time::Duration>,
}

impl Config {
    pub fn authorize_url(&self) -> &str {
        self.authorize_url.as_deref().unwrap_or("/handoff")
    }

    /// The image URLs the Management API takes: `https://` only, but for the demo's
    /// loopback logos.
    pub fn image_urls(&self) -> portico_rules::url::ImageUrls {
        if self.demo {
            portico_rules::url::ImageUrls::AlsoLoopback
        } else {
            portico_rules::url::ImageUrls::HttpsOnly
        }
    }

    /// The origin of the authorize URL, for the CSP's `form-action`.
    pub fn authorize_origin(&self) -> Option<&str> {
        portico_rules::url::origin(self.authorize_url.as_deref()?)
    }
}

pub struct Inner {
    pub db: Db,
    pub token_key: TokenKey,
    pub config: Config,
    pub management_limiter: RateLimiter,
    pub public_limiter: RateLimiter,
    pub assets: Option<Assets>,
    pub context_cache: ContextCache,
    /// How long a request over its rate limit waits for its `429`.
    pub refusal_pause: std::time::Duration,
}

/// Requests per client address per minute, for each group of endpoints; how long a
/// refused request waits for its `429`; and the bytes the login context cache may
/// hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub public: u32,
    pub management: u32,
    pub refusal_pause: std::time::Duration,
    pub context_cache_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            public: 600,
            management: 1200,
            refusal_pause: std::time::Duration::from_secs(1),
            context_cache_bytes: crate::login::cache::DEFAULT_MAX_BYTES,
        }
    }
}

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl AppState {
    pub fn new(
        db: Db,
        token_key: TokenKey,
        config: Config,
        limits: Limits,
        assets: Option<Assets>,
    ) -> Self {
        AppState(Arc::new(Inner {
            db,
            token_key,
            config,
            management_limiter: RateLimiter::new(limits.management, 60),
            public_limiter: RateLimiter::new(limits.public, 60),
            assets,
            context_cache: ContextCache::new(limits.context_cache_bytes),
            refusal_pause: limits.refusal_pause,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
