//! Every request the page sends: a GET with an 8 s abort, and at most one automatic
//! retry after a 429's `Retry-After` (docs/design.md#the-login-flow).

use std::time::Duration;

use gloo_net::http::Request;
use js_sys::Promise;
use leptos::prelude::set_timeout_with_handle;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::error::LookupError;
use super::json::parse_json;
use crate::browser;

/// A lookup gives up after this long and offers Retry (docs/design.md#the-login-flow).
pub(super) const TIMEOUT: Duration = Duration::from_secs(8);
/// The longest `Retry-After` the page waits out by itself, once.
const MAX_AUTO_RETRY_WAIT: u32 = 10;

/// GETs `path` with the query `params` and parses its JSON body, with the 8 s abort and at most one automatic
/// retry after a 429's `Retry-After`. 5xx and unparseable bodies are errors; other
/// statuses come back with their body for the caller to read.
pub(super) async fn get_json(
    path: &str,
    params: &[(&str, &str)],
) -> Result<(u16, JsValue), LookupError> {
    let mut retried = false;
    loop {
        let (status, retry_after, text) = get_text(path, params).await?;
        match status {
            429 => {
                let wait = retry_after.unwrap_or(1);
                if retried || wait > MAX_AUTO_RETRY_WAIT {
                    return Err(LookupError::RateLimited { retry_after: wait });
                }
                retried = true;
                sleep(wait).await;
            }
            500..=599 => return Err(LookupError::Server(status)),
            _ => return Ok((status, parse_json(&text)?)),
        }
    }
}

pub(super) async fn get_text(
    path: &str,
    params: &[(&str, &str)],
) -> Result<(u16, Option<u32>, String), LookupError> {
    let controller = AbortController::new().map_err(|_| LookupError::Unreachable)?;
    let signal = controller.signal();
    let abort = controller.clone();
    let timer = set_timeout_with_handle(move || abort.abort(), TIMEOUT).ok();
    let network_error = |signal: &web_sys::AbortSignal| {
        if signal.aborted() {
            LookupError::Timeout
        } else if !browser::is_online() {
            LookupError::Offline
        } else {
            LookupError::Unreachable
        }
    };
    let result = async {
        let res = Request::get(path)
            .query(params.iter().copied())
            .abort_signal(Some(&signal))
            .send()
            .await
            .map_err(|_| network_error(&signal))?;
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        let text = res.text().await.map_err(|_| network_error(&signal))?;
        Ok((res.status(), retry_after, text))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    result
}

async fn sleep(seconds: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = browser::window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            (seconds * 1000) as i32,
        );
    });
    let _ = JsFuture::from(promise).await;
}
