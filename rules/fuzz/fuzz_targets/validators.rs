//! The validators agree with reference definitions written the obvious way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::url::{validate_https_url, validate_image_url, ImageUrls};
use portico_rules::{HexColor, OrganizationName};

/// `^[a-z0-9_-]{1,50}$`, by characters.
fn reference_name(s: &str) -> bool {
    let n = s.chars().count();
    (1..=50).contains(&n) && s.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '-'))
}

/// `^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`, by characters.
fn reference_color(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.first() == Some(&'#') && matches!(chars.len(), 4 | 7) && chars[1..].iter().all(|c| c.is_ascii_hexdigit())
}

/// What every accepted image URL must be, whatever else it is: `scheme://` then a
/// non-empty authority without userinfo, printable ASCII without `\`, ≤ 2048 bytes.
fn well_formed(s: &str, scheme: &str) -> bool {
    let Some(rest) = s.strip_prefix(scheme) else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    s.len() <= 2048
        && s.bytes().all(|b| b > b' ' && b < 0x7f && b != b'\\')
        && !authority.is_empty()
        && !authority.contains('@')
}

/// The loopback hosts an `http://` image URL may name (docs/design.md#the-directory; the demo's logos).
fn reference_loopback(s: &str) -> bool {
    let rest = &s["http://".len()..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1"
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    assert_eq!(OrganizationName::parse(&s).is_ok(), reference_name(&s), "name {s:?}");
    assert_eq!(HexColor::parse(&s).is_ok(), reference_color(&s), "colour {s:?}");
    // What a production directory stores: https only.
    if validate_https_url(&s).is_ok() {
        assert!(well_formed(&s, "https://"), "{s:?}");
    }
    // What a page may show (the demo's directory too): https, or http to loopback.
    if validate_image_url(&s, ImageUrls::AlsoLoopback).is_ok() {
        let https = well_formed(&s, "https://");
        let loopback = well_formed(&s, "http://") && reference_loopback(&s);
        assert!(https || loopback, "{s:?}");
        assert_eq!(https, validate_https_url(&s).is_ok(), "{s:?}");
    }
});
