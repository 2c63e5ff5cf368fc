//! Fixed-window rate limits per client (the layer that applies them is in
//! `middleware`): one limiter for the Management API and one for the public
//! endpoints.
//!
//! A client is an IPv4 address, or an IPv6 /64: one subscriber's network (RFC 6177
//! assigns at least a /64 per site), in which an attacker holds 2^64 addresses.
//!
//! Each window has a map of its own: when the window turns, the old map is taken out
//! whole and dropped after the lock is released, so no request ever sweeps entries.
//! The map holds at most `MAX_TRACKED` clients a window; past that, new clients share
//! one bucket (a flood of addresses costs bounded memory and limits itself).
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

/// Who a limit counts: an IPv4 address, an IPv6 /64, or everyone past `MAX_TRACKED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Client {
    V4(u32),
    V6Prefix(u64),
    Overflow,
}

impl Client {
    pub fn of(ip: IpAddr) -> Client {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Client::V4(u32::from(v4)),
            IpAddr::V6(v6) => Client::V6Prefix((u128::from(v6) >> 64) as u64),
        }
    }
}

/// The most clients one window tracks one by one.
pub const MAX_TRACKED: usize = 100_000;

pub struct RateLimiter {
    limit: u32,
    window_secs: u64,
    windows: Mutex<Window>,
}

#[derive(Default)]
struct Window {
    number: u64,
    counts: HashMap<Client, u32>,
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
            windows: Mutex::new(Window::default()),
        }
    }

    pub fn check(&self, ip: IpAddr) -> Decision {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        self.check_at(Client::of(ip), now)
    }

    fn check_at(&self, client: Client, now: u64) -> Decision {
        let number = now / self.window_secs;
        let (decision, old) = {
            let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            let old = (w.number != number).then(|| {
                w.number = number;
                std::mem::take(&mut w.counts)
            });
            let client = if w.counts.len() >= MAX_TRACKED && !w.counts.contains_key(&client) {
                Client::Overflow
            } else {
                client
            };
            let count = w.counts.entry(client).or_insert(0);
            let allowed = *count < self.limit;
            if allowed {
                *count += 1;
            }
            let decision = Decision {
                allowed,
                limit: self.limit,
                remaining: self.limit - *count,
                reset: (number + 1) * self.window_secs,
            };
            (decision, old)
        };
        // The last window's map goes here, outside the lock.
        drop(old);
        decision
    }

    /// How many clients the current window tracks.
    pub fn tracked(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .counts
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_ipv6_network_is_one_client() {
        let limiter = RateLimiter::new(2, 60);
        let now = 6000;
        assert!(
            limiter
                .check_at(Client::of(ip("2001:db8:1:2::1")), now)
                .allowed
        );
        assert!(
            limiter
                .check_at(Client::of(ip("2001:db8:1:2:ffff::9")), now)
                .allowed
        );
        // A third address in the same /64 is the same client: refused.
        let third = limiter.check_at(Client::of(ip("2001:db8:1:2:abcd::1")), now);
        assert!(!third.allowed);
        assert_eq!(third.remaining, 0);
        // The next /64 is someone else.
        assert!(
            limiter
                .check_at(Client::of(ip("2001:db8:1:3::1")), now)
                .allowed
        );
        // IPv4 mapped into IPv6 is the IPv4 address.
        assert_eq!(
            Client::of(ip("::ffff:192.0.2.1")),
            Client::of(ip("192.0.2.1"))
        );
    }

    #[test]
    fn a_new_window_starts_from_nothing() {
        let limiter = RateLimiter::new(1, 60);
        let a = Client::of(ip("192.0.2.1"));
        assert!(limiter.check_at(a, 60).allowed);
        assert!(!limiter.check_at(a, 119).allowed);
        let next = limiter.check_at(a, 120);
        assert!(next.allowed);
        assert_eq!(next.reset, 180);
        assert_eq!(limiter.tracked(), 1);
    }

    #[test]
    fn past_the_tracked_clients_newcomers_share_one_bucket() {
        let limiter = RateLimiter::new(3, 60);
        for i in 0..MAX_TRACKED as u32 {
            limiter.check_at(Client::V4(i), 0);
        }
        assert_eq!(limiter.tracked(), MAX_TRACKED);
        let newcomers: Vec<bool> = (0..4)
            .map(|i| limiter.check_at(Client::V4(u32::MAX - i), 0).allowed)
            .collect();
        assert_eq!(newcomers, [true, true, true, false]);
        assert_eq!(limiter.tracked(), MAX_TRACKED + 1);
        // Those already tracked keep their own count.
        assert!(limiter.check_at(Client::V4(7), 0).allowed);
    }
}
