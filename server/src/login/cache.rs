//! Recent `/login/context` answers, so a burst of page loads for one organization does
//! not repeat the same queries. Entries live one second and every successful
//! management write clears the cache on this instance; other instances sharing the
//! database may answer from their own for up to that second, well inside the 60 s the
//! response already allows clients to cache it. Found and not-found answers are kept
//! alike, so caching cannot tell them apart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;

pub struct ContextCache {
    entries: Mutex<HashMap<String, Cached>>,
}

/// One answer: its JSON body, whether it found an organization, and its ETag.
#[derive(Clone)]
pub struct Cached {
    pub at: Instant,
    pub found: bool,
    pub body: Bytes,
    pub etag: HeaderValue,
}

const CACHE_TTL: Duration = Duration::from_secs(1);
const CACHE_MAX: usize = 10_000;

impl Default for ContextCache {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl ContextCache {
    pub fn get(&self, key: &str) -> Option<Cached> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|c| c.at.elapsed() < CACHE_TTL)
            .cloned()
    }

    pub fn put(&self, key: String, value: Cached) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CACHE_MAX {
            entries.retain(|_, c| c.at.elapsed() < CACHE_TTL);
            if entries.len() >= CACHE_MAX {
                entries.clear();
            }
        }
        entries.insert(key, value);
    }

    /// Forgets everything: called after every successful management write.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
