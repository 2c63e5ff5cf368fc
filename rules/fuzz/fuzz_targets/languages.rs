//! SPEC §9 on hostile input: choosing a language never panics and always gives an
//! enabled one; the menu's links keep every other parameter in order, and nothing
//! from the address can add markup to the menu.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::i18n::{choose, first_served, menu_html, with_ui_locales, SHIPPED};

fuzz_target!(|data: &[u8]| {
    let Some((&mask, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\u{0}');
    let (ui, accept, query) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    // Some enabled subset, in shipped order (never empty).
    let mut enabled: Vec<&str> = SHIPPED
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << (i % 8)) != 0)
        .map(|(_, t)| *t)
        .collect();
    if enabled.is_empty() {
        enabled.push("en");
    }
    let chosen = choose(&enabled, Some(ui), Some(accept));
    assert!(enabled.contains(&chosen), "{chosen} is not enabled");
    if let Some(found) = first_served(&enabled, ui) {
        assert!(enabled.contains(&found));
    }

    let tag = enabled[usize::from(mask) % enabled.len()];
    let linked = with_ui_locales(query, tag);
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("ui_locales"))
        .collect();
    let mut pairs: Vec<&str> = linked.split('&').collect();
    assert_eq!(pairs.pop(), Some(["ui_locales=", tag].concat().as_str()));
    // (A kept pair may itself contain no '&', so splitting gives them back exactly.)
    assert_eq!(pairs, kept);

    let html = menu_html("Language", chosen, &enabled, query);
    let plain = menu_html("Language", chosen, &enabled, "");
    for c in ['<', '>', '"'] {
        assert_eq!(html.matches(c).count(), plain.matches(c).count(), "the address added {c:?}");
    }
});
