//! The wasm-streams stand-in (`patches/wasm-streams`): both calls server_fn makes,
//! driven through the browser's own streams. The page calls no server function, so
//! these tests are what keeps the stand-in honest (docs/size.md#size).
#![cfg(target_arch = "wasm32")]

use futures_util::{stream, StreamExt};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wasm_streams::ReadableStream;
use web_sys::Response;

wasm_bindgen_test_configure!(run_in_browser);

fn bytes(s: &str) -> Result<JsValue, JsValue> {
    Ok(Uint8Array::from(s.as_bytes()).into())
}

/// `from_stream(…).into_raw()`: what server_fn sends as a streaming request body.
#[wasm_bindgen_test]
async fn a_rust_stream_becomes_a_web_stream_the_browser_reads() {
    let raw = ReadableStream::from_stream(stream::iter([bytes("Por"), bytes("ti"), bytes("co")]))
        .into_raw();
    let res = Response::new_with_opt_readable_stream(Some(&raw)).unwrap();
    let text = JsFuture::from(res.text().unwrap()).await.unwrap();
    assert_eq!(text.as_string().unwrap(), "Portico");
}

#[wasm_bindgen_test]
async fn an_error_in_the_rust_stream_errors_the_web_stream() {
    let items = [bytes("a"), Err(JsValue::from_str("boom"))];
    let raw = ReadableStream::from_stream(stream::iter(items)).into_raw();
    let res = Response::new_with_opt_readable_stream(Some(&raw)).unwrap();
    // The browser reports a body stream's error as its own TypeError.
    let err = JsFuture::from(res.text().unwrap()).await.unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>(), "{err:?}");
}

/// `from_raw(body).into_stream()`: how server_fn reads a streaming response.
#[wasm_bindgen_test]
async fn a_web_stream_becomes_a_rust_stream() {
    let res = Response::new_with_opt_str(Some("hello, stream")).unwrap();
    let chunks: Vec<_> = ReadableStream::from_raw(res.body().unwrap())
        .into_stream()
        .collect()
        .await;
    let read: Vec<u8> = chunks
        .into_iter()
        .flat_map(|c| Uint8Array::new(&c.unwrap()).to_vec())
        .collect();
    assert_eq!(read, b"hello, stream");
}

#[wasm_bindgen_test]
async fn a_failing_web_stream_yields_its_error_then_ends() {
    let raw =
        ReadableStream::from_stream(stream::iter([bytes("x"), Err(JsValue::from_str("cut"))]))
            .into_raw();
    let items: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert_eq!(
        items[1].clone().unwrap_err().as_string().as_deref(),
        Some("cut")
    );
}
