//! docs/design.md#languages on hostile input: choosing a language never panics and always gives an
//! enabled one; the menu carries every other parameter once, in order, and nothing
//! from the address can add markup to the menu.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portico_rules::i18n::{choose, first_served, menu_html, SHIPPED};

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

    // The menu carries the request once: each parameter but `ui_locales` as one hidden
    // field, in order, its name and value exactly (nothing from the address can
    // leave its attribute), and each enabled language as a button.
    let html = menu_html("Language", chosen, &enabled, query);
    let want: Vec<(String, String)> = portico_rules::query::read(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "ui_locales")
        .collect();
    let unescape = |s: &str| s.replace("&quot;", "\"").replace("&amp;", "&");
    let got: Vec<(String, String)> = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|field| {
            let (name, rest) = field.split_once("\" value=\"").expect("a value");
            let (value, _) = rest.split_once("\">").expect("the field ends");
            assert!(!name.contains('"') && !value.contains('"'), "{html}");
            (unescape(name), unescape(value))
        })
        .collect();
    assert_eq!(got, want);
    let buttons = html.matches("<button class=\"link\" name=\"ui_locales\"").count();
    assert_eq!(buttons, enabled.len());
});
