//! Whatever the request holds, the redirect goes to the configured authorize URL, with
//! each parameter once and Portico's organization and connection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::url::parse_query;
use portico_rules::AuthorizeRequest;

const AUTHORIZE: &str = "https://auth.example.com/authorize";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, connection) = text.split_once('\u{0}').unwrap_or((&text, "okta"));
    let req = AuthorizeRequest::parse(query);
    let url = req.build_redirect(AUTHORIZE, Some("org_1234567890abcdef"), connection, None);
    let rest = url.strip_prefix("https://auth.example.com/authorize?").expect("origin and path fixed");
    assert!(!rest.contains('#') && !rest.bytes().any(|b| b <= b' ' || b >= 0x7f), "{url:?}");
    let out = parse_query(rest);
    for (i, (k, _)) in out.iter().enumerate() {
        assert!(!out[..i].iter().any(|(seen, _)| seen == k), "{k:?} twice in {url:?}");
    }
    let get = |n: &str| out.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(get("organization"), Some("org_1234567890abcdef"));
    assert_eq!(get("connection"), Some(connection));
    for (k, v) in req.params() {
        if k != "organization" && k != "connection" {
            assert_eq!(get(k), Some(v.as_str()), "{k:?} not preserved");
        }
    }
});
