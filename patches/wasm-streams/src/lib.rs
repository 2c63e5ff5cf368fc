//! Portico's stand-in for [wasm-streams 0.5](https://crates.io/crates/wasm-streams).
//!
//! Leptos 0.8 builds `server_fn` into every page, and `server_fn`'s browser client
//! makes exactly two calls into wasm-streams: `ReadableStream::from_raw(body)
//! .into_stream()` to read a streaming response, and `ReadableStream::from_stream(s)
//! .into_raw()` to send a streaming request. The real crate also exports four JS
//! classes (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`, `IntoUnderlyingSink`,
//! `IntoUnderlyingByteSink`) through `#[wasm_bindgen]`; exports are never removed as
//! dead code, so every page carried them and the code behind them (docs/size.md#size).
//!
//! This crate offers the same two paths, implemented with imports only: reading pulls
//! from the stream's default reader, and writing gives the browser an underlying
//! source whose `pull` polls the Rust stream. Portico's page calls no server
//! function, so neither path runs in it today; both still work, and the browser
//! tests (`tests/web.rs`) drive them. Anything else of wasm-streams' API is absent:
//! a build that needs it fails to compile rather than misbehave.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::future::poll_fn;
use futures_util::stream::{self, LocalBoxStream, Stream, StreamExt};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{ReadableStreamDefaultController, ReadableStreamDefaultReader};

/// A web `ReadableStream`, on its way to or from a Rust `Stream`.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a stream the browser made (a response body).
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    /// The browser's stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A web stream whose chunks are `stream`'s items, pulled one at a time as the
    /// browser asks; an `Err` item errors the web stream, the end closes it.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let stream: Rc<RefCell<Pin<Box<S>>>> = Rc::new(RefCell::new(Box::pin(stream)));
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let stream = stream.clone();
                future_to_promise(async move {
                    // Borrowed only while polled, never across an await.
                    let next = poll_fn(|cx| stream.borrow_mut().as_mut().poll_next(cx)).await;
                    match next {
                        Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                        Some(Err(e)) => return Err(e),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let source = Object::new();
        // The browser owns `pull` from here on, for as long as the stream lives.
        Reflect::set(&source, &JsValue::from_str("pull"), &pull.into_js_value())
            .expect("setting a property of a fresh object");
        let raw = web_sys::ReadableStream::new_with_underlying_source(&source)
            .expect("a ReadableStream with a pull source");
        ReadableStream { raw }
    }

    /// The web stream's chunks as a Rust stream: it ends when the web stream is done,
    /// and after the first error (which it yields).
    pub fn into_stream(self) -> LocalBoxStream<'static, Result<JsValue, JsValue>> {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        stream::unfold(Some(reader), |reader| async move {
            let reader = reader?;
            match JsFuture::from(reader.read()).await {
                Err(e) => Some((Err(e), None)),
                Ok(result) => {
                    let field = |name: &str| Reflect::get(&result, &JsValue::from_str(name));
                    if field("done").map(|d| d.is_truthy()).unwrap_or(true) {
                        reader.release_lock();
                        return None;
                    }
                    let value = field("value").unwrap_or(JsValue::UNDEFINED);
                    Some((Ok(value), Some(reader)))
                }
            }
        })
        .boxed_local()
    }
}
