//! Fixed-window rate limits per client address (the layer that applies them is in
//! `middleware`): one limiter for the Management API and one for the public
//! endpoints.
//!
//! Not `governor`/`tower_governor`: their GCRA answers "when may the next request
//! come", while Auth0's contract, which API clients read, is a fixed window with
//! `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (the epoch
//! second the window resets) on every response. A fixed window gives those three
//! numbers exactly; GCRA can only approximate `Remaining` and `Reset`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct RateLimiter {
    limit: u32,
    window_secs: u64,
    windows: Mutex<HashMap<IpAddr, (u64, u32)>>,
}

pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset: u64,
}

impl RateLimiter {
    pub fn new(limit: u32, window_secs: u64) -> Self {
        Self {
            limit,
            window_secs: window_secs.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, ip: IpAddr) -> Decision {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let window = now / self.window_secs;
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (w, _)| *w == window);
        }
        let entry = windows.entry(ip).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        let allowed = entry.1 < self.limit;
        if allowed {
            entry.1 += 1;
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - entry.1,
            reset: (window + 1) * self.window_secs,
        }
    }
}
