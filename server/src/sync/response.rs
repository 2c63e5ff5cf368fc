//! Reading one answer of a sync source: its body (bounded: `MAX_BODY`), how long it
//! asks to wait (`Retry-After`, `X-RateLimit-Reset`), what its error says, and errors
//! told without the URL they already name.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header;
use serde_json::Value;

/// The largest answer a sync reads: a page is at most 100 records (a connection with
/// its certificates and options is some KB; Auth0 caps its own payloads at 1 MB).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

pub fn wait_from_headers(headers: &header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
    if let Some(secs) = get("retry-after") {
        return Some(Duration::from_secs(secs));
    }
    let reset = get("x-ratelimit-reset")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(now).max(1)))
}

/// The message of an Auth0-shaped error body, or the start of whatever came.
pub fn error_message(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("error_description"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// Why an answer's body was not read.
pub enum Body {
    TooLarge,
    Broken(reqwest::Error),
}

/// The answer's body as text, read a chunk at a time and refused past `MAX_BODY`
/// (before reading when its `Content-Length` already says so).
pub async fn bounded_body(mut res: reqwest::Response) -> Result<String, Body> {
    if res.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(Body::TooLarge);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(Body::Broken)? {
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(Body::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A reqwest error without the URL (which is in the message already).
pub fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(u) = e.url() {
        s = s.replace(&format!(" ({u})"), "");
    }
    match std::error::Error::source(e) {
        Some(inner) => format!("{s}: {inner}"),
        None => s,
    }
}
