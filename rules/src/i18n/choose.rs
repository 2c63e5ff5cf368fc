//! Which language a request gets (docs/design.md#languages): its `ui_locales`, else
//! its `Accept-Language`, else the default.

/// At most this many tags are read from `ui_locales` or `Accept-Language`, each at
/// most `MAX_TAG_LEN` long; the rest is ignored, never an error.
const MAX_TAGS: usize = 32;
const MAX_TAG_LEN: usize = 35;

/// docs/design.md#languages: the first tag of `ui_locales` (space-separated, in the order given) that
/// an enabled language serves, else the best `Accept-Language` match (by q-value,
/// then order), else the default (`enabled[0]`). Unparseable input is skipped: a
/// request never fails for its language. `enabled` must not be empty.
pub fn choose<'a>(
    enabled: &[&'a str],
    ui_locales: Option<&str>,
    accept_language: Option<&str>,
) -> &'a str {
    let default = enabled[0];
    if let Some(found) = ui_locales.and_then(|tags| first_served(enabled, tags)) {
        return found;
    }
    // The highest q-value that an enabled language serves; on equal q-values, the
    // header's order (a scan, not a sort: no sorting code in the page's wasm).
    let mut best: Option<(&'a str, u16)> = None;
    for (tag, q) in accept_language.into_iter().flat_map(parse_accept_language) {
        let found = if tag == "*" {
            Some(default)
        } else {
            serving(enabled, tag)
        };
        if let Some(found) = found {
            if best.is_none_or(|(_, best_q)| q > best_q) {
                best = Some((found, q));
            }
        }
    }
    best.map_or(default, |(found, _)| found)
}

/// The first tag of `tags` (space-separated, in order of preference, like
/// `ui_locales`) that an enabled language serves. The page, served as static files,
/// asks this of `ui_locales` followed by `navigator.languages` (already in order).
pub fn first_served<'a>(enabled: &[&'a str], tags: &str) -> Option<&'a str> {
    tags.split(' ')
        .filter(|t| !t.is_empty())
        .take(MAX_TAGS)
        .find_map(|t| serving(enabled, t))
}

/// `Accept-Language`'s ranges with their q-values in thousandths, q=0 dropped.
fn parse_accept_language(header: &str) -> impl Iterator<Item = (&str, u16)> {
    header.split(',').take(MAX_TAGS).filter_map(|item| {
        let mut parts = item.split(';');
        let tag = parts.next()?.trim();
        let mut q = 1000;
        for p in parts {
            let (k, v) = p.trim().split_once('=')?;
            if k.trim().eq_ignore_ascii_case("q") {
                q = parse_q(v.trim())?;
            }
        }
        (q > 0 && (tag == "*" || well_formed(tag))).then_some((tag, q))
    })
}

/// A q-value (RFC 9110 §12.4.2: `0` to `1` with at most three decimals) in
/// thousandths.
fn parse_q(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = frac
        .bytes()
        .chain(core::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

/// Letters, digits and `-`, not too long: anything else (control characters,
/// quotes, a megabyte of junk) is not a language tag.
fn well_formed(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= MAX_TAG_LEN
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !tag.starts_with('-')
}

/// The enabled language that serves the requested `tag`: the same tag (any case);
/// else the tag with subtags dropped from the end (`de-DE` → `de`, RFC 4647 lookup);
/// else an enabled regional variant of its language (`pt` → `pt-BR`) — except that
/// Chinese written in Traditional characters (`zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant`)
/// is never served Simplified.
fn serving<'a>(enabled: &[&'a str], tag: &str) -> Option<&'a str> {
    if !well_formed(tag) {
        return None;
    }
    let same = |a: &str| enabled.iter().copied().find(|e| e.eq_ignore_ascii_case(a));
    let mut prefix = tag;
    loop {
        if let Some(found) = same(prefix) {
            return Some(found);
        }
        match prefix.rfind('-') {
            Some(i) => prefix = &prefix[..i],
            None => break,
        }
    }
    let primary = prefix;
    if primary.eq_ignore_ascii_case("zh") && is_traditional_chinese(tag) {
        return None;
    }
    enabled.iter().copied().find(|e| {
        e.split('-')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case(primary))
    })
}

fn is_traditional_chinese(tag: &str) -> bool {
    tag.split('-').skip(1).any(|s| {
        ["hant", "tw", "hk", "mo"]
            .iter()
            .any(|t| s.eq_ignore_ascii_case(t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_table() {
        let en_fr_de: &[&str] = &["en", "fr", "de", "pt-BR", "zh-CN", "ar"];
        let table: &[(Option<&str>, Option<&str>, &str)] = &[
            // Nothing asked: the default.
            (None, None, "en"),
            (Some(""), Some(""), "en"),
            // ui_locales wins, first enabled one in its order.
            (Some("fr"), Some("de"), "fr"),
            (Some("xx de fr"), Some("fr"), "de"),
            (Some("  fr  "), None, "fr"),
            // Regional tags fall back to their language, and a language reaches its
            // only enabled regional variant.
            (Some("de-DE"), None, "de"),
            (Some("de-Latn-CH-x-private"), None, "de"),
            (Some("pt"), None, "pt-BR"),
            (Some("pt-PT"), None, "pt-BR"),
            (Some("PT-br"), None, "pt-BR"),
            (Some("zh"), None, "zh-CN"),
            (Some("zh-Hans-SG"), None, "zh-CN"),
            // Traditional Chinese is never served Simplified.
            (Some("zh-TW"), Some("fr"), "fr"),
            (Some("zh-Hant"), None, "en"),
            // Unknown everywhere: Accept-Language, then the default.
            (Some("xx yy"), Some("ar"), "ar"),
            (Some("xx"), Some("xx"), "en"),
            // q-values: highest first, order breaks ties, q=0 means "not this".
            (None, Some("fr;q=0.5, de;q=0.9"), "de"),
            (None, Some("fr, de"), "fr"),
            (None, Some("de;q=0.8, fr;q=0.8"), "de"),
            (None, Some("fr;q=0, de;q=0.1"), "de"),
            (None, Some("fr;q=0"), "en"),
            (None, Some("xx, fr;q=0.001"), "fr"),
            (None, Some("fr;q=1.000"), "fr"),
            // Malformed q: the range is skipped, not the header.
            (None, Some("fr;q=2, de;q=0.5"), "de"),
            (None, Some("fr;q=0.5555, de;q=0.4"), "de"),
            (None, Some("fr;q=abc, de"), "de"),
            (None, Some("fr;q=, de;q=-1, ar;q=0.1"), "ar"),
            // The wildcard is "anything": the default, ranked by its q.
            (None, Some("*"), "en"),
            (None, Some("xx, *;q=0.5, fr;q=0.4"), "en"),
            (None, Some("fr;q=0.4, *;q=0.5"), "en"),
            // Hostile values never fail the request.
            (Some("\u{0}fr\n"), Some("\u{7f}"), "en"),
            (None, Some("fr\u{0};q=1, de"), "de"),
            (None, Some("<script>, ar"), "ar"),
            (Some("fr\u{202e}"), None, "en"),
            (None, Some(";;;,,,=;q=;"), "en"),
        ];
        for (ui, accept, want) in table {
            assert_eq!(
                choose(en_fr_de, *ui, *accept),
                *want,
                "ui_locales={ui:?} Accept-Language={accept:?}"
            );
        }
    }

    #[test]
    fn long_and_many_tags_are_cut_not_fatal() {
        let enabled: &[&str] = &["en", "fr"];
        let long = "a".repeat(100_000);
        assert_eq!(choose(enabled, Some(&long), Some(&long)), "en");
        // Only the first 32 tags are read.
        let many = format!("{}fr", "xx ".repeat(40));
        assert_eq!(choose(enabled, Some(&many), None), "en");
        let many = format!("{}fr", "xx ".repeat(31));
        assert_eq!(choose(enabled, Some(&many), None), "fr");
        let header = format!("{}fr", "xx, ".repeat(40));
        assert_eq!(choose(enabled, None, Some(&header)), "en");
        let tag = format!("fr-{}", "a".repeat(40));
        assert_eq!(
            choose(enabled, Some(&tag), None),
            "en",
            "a tag over 35 characters"
        );
    }
}
