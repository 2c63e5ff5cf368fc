//! The login context's wire contract, on the server's side: `contract/login-context.json`
//! reads into the rules' types as `contract/login_context.rs` expects, and those types
//! write it back field for field. The page's decoder reads the same file in the
//! browser (`tests/contract.rs` at the workspace's root).
#![cfg(feature = "serde")]

include!("../contract/login_context.rs");

const JSON: &str = include_str!("../contract/login-context.json");

#[test]
fn the_server_reads_and_writes_the_contract() {
    let read: portico_rules::LoginContext = serde_json::from_str(JSON).unwrap();
    assert_eq!(read, expected_login_context());
    let written = serde_json::to_value(expected_login_context()).unwrap();
    let contract: serde_json::Value = serde_json::from_str(JSON).unwrap();
    assert_eq!(written, contract);
}
