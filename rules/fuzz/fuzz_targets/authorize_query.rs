//! Parsing any query never panics, names each parameter once, and what Portico builds
//! from it (`to_query`, the request in the page's forms and address) reads back the
//! same; for a query an HTTP request can carry (printable ASCII), it is never longer,
//! so a request within the bounds stays within them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::authorize::plain_url_text;
use portico_rules::AuthorizeRequest;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let first = AuthorizeRequest::parse(&query);
    let built = first.to_query();
    let again = AuthorizeRequest::parse(&built);
    // What Portico builds never repeats a parameter.
    assert!(!again.repeats_a_parameter(), "built a repeated parameter");
    if again.over_bound().is_none() {
        assert_eq!(first.params(), again.params(), "parse -> build -> parse changed the request");
    }
    let body = query.strip_prefix('?').unwrap_or(&query);
    let sendable = body.split('&').filter(|p| !p.is_empty()).all(plain_url_text);
    if sendable && first.refusal().is_none() {
        assert!(built.len() <= query.len(), "{} bytes built from {}", built.len(), query.len());
        assert!(again.over_bound().is_none(), "a request within the bounds built one over them");
    }
    // Each name once.
    let params = first.params();
    for (i, (k, _)) in params.iter().enumerate() {
        assert!(!params[..i].iter().any(|(seen, _)| seen == k), "duplicate {k:?}");
    }
});
