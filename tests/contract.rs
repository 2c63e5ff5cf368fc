//! The login context's wire contract, on the page's side: its decoder (`src/lookup/json.rs`)
//! reads `rules/contract/login-context.json` — the file the server's serde reads and
//! writes (`rules/tests/contract.rs`) — into what `rules/contract/login_context.rs`
//! expects. A field renamed on either side fails one of the two.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!("../rules/contract/login_context.rs");

#[wasm_bindgen_test]
fn the_page_reads_the_contract() {
    let read =
        portico::lookup::context_from_json(include_str!("../rules/contract/login-context.json"));
    assert_eq!(read.ok(), Some(expected_login_context()));
}
