//! Recent `/login/context` answers, so a burst of page loads for one organization does
//! not repeat the same queries. Entries live one second and every successful
//! management write clears the cache on this instance; other instances sharing the
//! database may answer from their own for up to that second, well inside the 60 s the
//! response already allows clients to cache it. Found and not-found answers are kept
//! alike, so caching cannot tell them apart.
//!
//! What a stranger can make it hold is bounded by bytes, not entries: keys are a hash
//! of the asked-for values (each length-prefixed, so no two different questions share
//! a key), 32 bytes however long the values; not-found answers share one body; and the
//! whole holds at most `max_bytes` (`--context-cache-bytes`), counted per entry.
//! Entries sit in two generations of one second each: each second the older one goes
//! whole (dropped outside the lock), so expiry never sweeps entry by entry on a request.
//! A full cache takes nothing new until a generation goes: it costs misses, never
//! memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};

/// What a question to the cache is: a hash of its values.
pub type Key = [u8; 32];

/// The key for `values` in order: SHA-256 over each value's length (8 bytes) and
/// bytes, so `("ab", "c")` and `("a", "bc")` differ.
pub fn key(values: &[&str]) -> Key {
    let mut h = Sha256::new();
    for v in values {
        h.update((v.len() as u64).to_le_bytes());
        h.update(v.as_bytes());
    }
    h.finalize().into()
}

/// One answer: its JSON body, whether it found an organization, and its ETag.
#[derive(Clone)]
pub struct Cached {
    pub at: Instant,
    pub found: bool,
    pub body: Bytes,
    pub etag: HeaderValue,
}

/// What an entry costs besides its body: the key, the entry's fields, the map's slot
/// (measured generously; a `HashMap` slot is key + value + a control byte).
const ENTRY_OVERHEAD: usize = 160;

impl Cached {
    /// The bytes this entry holds: a body shared with every other not-found answer
    /// counts once, in `ContextCache::new`'s floor, not per entry.
    fn cost(&self) -> usize {
        let body = if self.found { self.body.len() } else { 0 };
        ENTRY_OVERHEAD + body + self.etag.len()
    }
}

const CACHE_TTL: Duration = Duration::from_secs(1);

/// The default budget (`--context-cache-bytes`): a few thousand answers.
pub const DEFAULT_MAX_BYTES: usize = 4 * 1024 * 1024;

pub struct ContextCache {
    max_bytes: usize,
    inner: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    /// When `current` began taking entries.
    started: Option<Instant>,
    current: HashMap<Key, Cached>,
    previous: HashMap<Key, Cached>,
    /// What `current` and `previous` hold, by `Cached::cost`.
    bytes: usize,
    previous_bytes: usize,
}

/// The maps a rotation retired, to be dropped once the lock is released.
type Retired = (HashMap<Key, Cached>, HashMap<Key, Cached>);

impl Generations {
    /// Starts a new generation when the current one is a TTL old: the current becomes
    /// the previous, and the previous (or both, after two TTLs of quiet) retires.
    fn rotate(&mut self, now: Instant) -> Option<Retired> {
        let started = *self.started.get_or_insert(now);
        let age = now.saturating_duration_since(started);
        if age < CACHE_TTL {
            return None;
        }
        self.started = Some(now);
        let previous = std::mem::take(&mut self.previous);
        if age >= CACHE_TTL * 2 {
            // The current generation is past its TTL too.
            self.bytes = 0;
            self.previous_bytes = 0;
            return Some((previous, std::mem::take(&mut self.current)));
        }
        self.bytes -= self.previous_bytes;
        self.previous_bytes = self.bytes;
        self.previous = std::mem::take(&mut self.current);
        Some((previous, HashMap::new()))
    }
}

impl Default for ContextCache {
    fn default() -> Self {
        ContextCache::new(DEFAULT_MAX_BYTES)
    }
}

impl ContextCache {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            inner: Mutex::new(Generations::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, key: &Key) -> Option<Cached> {
        let now = Instant::now();
        let (hit, gone) = {
            let mut g = self.lock();
            let gone = g.rotate(now);
            let hit = g
                .current
                .get(key)
                .or_else(|| g.previous.get(key))
                .filter(|c| now.saturating_duration_since(c.at) < CACHE_TTL)
                .cloned();
            (hit, gone)
        };
        drop(gone);
        hit
    }

    /// Keeps `value` under `key`, unless that would take the cache past its budget.
    pub fn put(&self, key: Key, value: Cached) {
        let cost = value.cost();
        let gone = {
            let mut g = self.lock();
            let gone = g.rotate(value.at);
            if g.bytes + cost <= self.max_bytes {
                if let Some(old) = g.current.insert(key, value) {
                    g.bytes -= old.cost();
                }
                g.bytes += cost;
            }
            gone
        };
        drop(gone);
    }

    /// Forgets everything: called after every successful management write.
    pub fn clear(&self) {
        let (current, previous) = {
            let mut g = self.lock();
            g.bytes = 0;
            g.previous_bytes = 0;
            (
                std::mem::take(&mut g.current),
                std::mem::take(&mut g.previous),
            )
        };
        drop((current, previous));
    }

    /// The bytes its entries hold now (by `Cached::cost`), at most `max_bytes`.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// How many answers it holds now.
    pub fn len(&self) -> usize {
        let g = self.lock();
        g.current.len() + g.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(at: Instant, body: usize) -> Cached {
        Cached {
            at,
            found: true,
            body: Bytes::from(vec![b'x'; body]),
            etag: HeaderValue::from_static("\"e\""),
        }
    }

    #[test]
    fn keys_are_length_prefixed() {
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_ne!(key(&["a\0", ""]), key(&["a", "\0"]));
        assert_eq!(key(&["a", "b"]), key(&["a", "b"]));
    }

    #[test]
    fn the_budget_holds_whatever_is_put() {
        let cache = ContextCache::new(64 * 1024);
        let now = Instant::now();
        for i in 0..10_000u32 {
            cache.put(key(&[&i.to_string()]), answer(now, 1000));
            assert!(cache.bytes() <= 64 * 1024);
        }
        let per_entry = ENTRY_OVERHEAD + 1000 + 3;
        assert_eq!(cache.len(), 64 * 1024 / per_entry);
        assert_eq!(cache.bytes(), cache.len() * per_entry);
        // Replacing an entry does not count it twice.
        cache.put(key(&["0"]), answer(now, 1000));
        assert_eq!(cache.bytes(), cache.len() * per_entry);
    }

    #[test]
    fn generations_expire_whole() {
        let cache = ContextCache::new(1 << 20);
        let t0 = Instant::now();
        cache.put(key(&["a"]), answer(t0, 10));
        assert!(cache.get(&key(&["a"])).is_some());
        // A second later: the first generation is the previous one, still counted,
        // but its entry has outlived its TTL.
        let t1 = t0 + CACHE_TTL;
        cache.put(key(&["b"]), answer(t1, 10));
        assert_eq!(cache.len(), 2);
        // Two seconds on, everything before is gone, and its bytes with it.
        cache.put(key(&["c"]), answer(t1 + CACHE_TTL * 2, 10));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.bytes(), ENTRY_OVERHEAD + 10 + 3);
        cache.clear();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }
}
