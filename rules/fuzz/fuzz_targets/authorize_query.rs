//! Parsing any query never panics, and parse → to_query → parse is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::AuthorizeRequest;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let first = AuthorizeRequest::parse(&query);
    let again = AuthorizeRequest::parse(&first.to_query());
    assert_eq!(first.params(), again.params(), "parse -> build -> parse changed the request");
    // What Portico builds never repeats a parameter.
    assert!(!again.repeats_a_parameter(), "built a repeated parameter");
    // Each name once.
    let params = first.params();
    for (i, (k, _)) in params.iter().enumerate() {
        assert!(!params[..i].iter().any(|(seen, _)| seen == k), "duplicate {k:?}");
    }
});
