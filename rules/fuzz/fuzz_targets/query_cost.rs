//! A stranger's query costs what its bytes cost, and what Portico builds from it grows
//! with it by a fixed factor. Each input is repeated up to the query's bound, so every
//! run is a query near the limits; scripts/fuzz.sh gives libFuzzer a low `-timeout`,
//! so an input that made reading or building slow would be a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::authorize::Choice;
use portico_rules::context::UpstreamProfile;
use portico_rules::i18n::{menu_html, SHIPPED};
use portico_rules::query::{self, MAX_PARAMETERS, MAX_QUERY_BYTES};
use portico_rules::AuthorizeRequest;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let unit = String::from_utf8_lossy(data);
    // Near the bound: just under it or just over it, as the first byte says.
    let target = MAX_QUERY_BYTES - 64 + usize::from(data[0] % 128);
    let mut q = String::with_capacity(target + unit.len());
    while q.len() < target {
        q.push_str(&unit);
    }
    let q = q.get(..target).unwrap_or(&q).to_owned();
    let req = AuthorizeRequest::parse(&q);
    match query::read(&q) {
        Err(_) => {
            assert!(req.refusal().is_some());
            assert!(req.params().is_empty());
            return;
        }
        Ok(pairs) => {
            // The bound is on the query after one leading `?` (`location.search` keeps
            // it): a query one byte over that starts with `?` is within it.
            let sent = q.strip_prefix('?').unwrap_or(&q);
            assert!(sent.len() <= MAX_QUERY_BYTES && pairs.len() <= MAX_PARAMETERS);
        }
    }
    // What the server builds from a request it serves: the request again (the forms'
    // address), the way on (a connection's redirect), the language menu. Each decoded
    // byte is at most three bytes encoded; a parameter adds its separators.
    let n = req.params().len();
    let again = req.to_query();
    assert!(again.len() <= 3 * q.len() + 2 * n, "{} → {}", q.len(), again.len());
    let choice = Choice {
        organization: Some(("org_1234567890abcdef", "acme")),
        connection: Some("okta"),
        login_hint: None,
    };
    for profile in UpstreamProfile::ALL {
        let url = req.forward("https://auth.example.com/authorize", *profile, &choice);
        assert!(url.len() <= 3 * q.len() + 2 * n + 256, "{} → {}", q.len(), url.len());
    }
    let menu = menu_html("Language", "en", SHIPPED, &q);
    let empty = menu_html("Language", "en", SHIPPED, "");
    // A hidden field per parameter (at most 64 of them), its name and value escaped:
    // at most six bytes per byte sent (`"` sent as one byte, written `&quot;`).
    assert!(menu.len() <= empty.len() + 6 * q.len() + 48 * n, "{} → {}", q.len(), menu.len());
});
