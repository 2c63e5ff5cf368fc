//! The validators agree with reference definitions written the obvious way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::url::validate_https_url;
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

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    assert_eq!(OrganizationName::parse(&s).is_ok(), reference_name(&s), "name {s:?}");
    assert_eq!(HexColor::parse(&s).is_ok(), reference_color(&s), "colour {s:?}");
    if validate_https_url(&s).is_ok() {
        // What every accepted URL must be, whatever else it is.
        assert!(s.starts_with("https://") && s.len() <= 2048, "{s:?}");
        assert!(s.bytes().all(|b| b > b' ' && b < 0x7f && b != b'\\'), "{s:?}");
        let rest = &s["https://".len()..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        assert!(!authority.is_empty() && !authority.contains('@'), "{s:?}");
    }
});
