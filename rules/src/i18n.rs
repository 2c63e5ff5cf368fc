//! Languages (docs/design.md#languages): which one a request gets, and the strings of one language as a
//! typed struct.
//!
//! The translations themselves are data, one file per language in `i18n/` (a flat
//! JSON object a translator edits without reading Rust). The server injects only the
//! chosen language's strings; the page reads them into `Strings`, so the WebAssembly
//! carries no translation table and a missing key is a failed read (the page keeps
//! English), never a blank button. The tests at the bottom read every file in
//! `i18n/`: a missing key, an unknown key or a dropped `{placeholder}` fails them.

#[cfg(feature = "serde")]
use serde::Deserialize;

/// The languages Portico ships, English first (the default unless `--languages`
/// says otherwise). Each has `i18n/{tag}.json`.
pub const SHIPPED: &[&str] = &[
    "en", "fr", "de", "es", "pt-BR", "it", "nl", "ja", "zh-CN", "ko", "ar", "he",
];

/// Each shipped language's name in itself, for the language menu (each file's
/// `language_name`; a test holds them equal). The page needs every name, but reads
/// only one file.
const AUTONYMS: &[&str] = &[
    "English",
    "Français",
    "Deutsch",
    "Español",
    "Português (Brasil)",
    "Italiano",
    "Nederlands",
    "日本語",
    "简体中文",
    "한국어",
    "العربية",
    "עברית",
];

/// The name of shipped language `tag` in that language (`Français`), else `tag`.
pub fn autonym(tag: &str) -> &str {
    SHIPPED
        .iter()
        .position(|s| *s == tag)
        .map_or(tag, |i| AUTONYMS[i])
}

/// The language menu (docs/design.md#languages) as HTML, named `label`: the current language's name
/// opens the enabled languages, each named in itself. The menu is one small GET form
/// to this address: the request (`query`, read within `query::read`'s bounds) once, as
/// hidden fields, every parameter but `ui_locales`; each language is a button that
/// submits it with `ui_locales` set to its tag. So the screen reloads in that language
/// (and the authorization server continues in it) with or without a script, and the
/// menu carries the request once, not once per language. Everything from the address
/// is escaped.
///
/// A browser submits the fields form-encoded: each value reaches the server the same
/// after one decode, but for line breaks, which HTML form submission writes as CRLF
/// (no parameter of an OAuth request may hold one, RFC 6749 Appendix A).
pub fn menu_html(label: &str, current: &str, enabled: &[&str], query: &str) -> String {
    use crate::page::{escape_attribute, escape_html};
    let mut html = String::from("<nav class=\"languages\" aria-label=\"");
    html.push_str(&escape_html(label));
    html.push_str("\"><details><summary class=\"languages__current\">");
    html.push_str(autonym(current));
    html.push_str("</summary><form method=\"get\">");
    let pairs = crate::query::read(query).unwrap_or_default();
    for (name, value) in pairs.iter().filter(|(name, _)| name != "ui_locales") {
        for part in [
            "<input type=\"hidden\" name=\"",
            &escape_attribute(name),
            "\" value=\"",
            &escape_attribute(value),
            "\">",
        ] {
            html.push_str(part);
        }
    }
    html.push_str("<ul class=\"languages__list\">");
    for tag in enabled {
        for part in [
            "<li><button class=\"link\" name=\"ui_locales\" value=\"",
            tag,
            "\" lang=\"",
            tag,
            if *tag == current {
                "\" aria-current=\"true\">"
            } else {
                "\">"
            },
            autonym(tag),
            "</button></li>",
        ] {
            html.push_str(part);
        }
    }
    html.push_str("</ul></form></details></nav>");
    html
}

/// Whether `tag` is written right to left (by its primary language subtag).
pub fn is_rtl(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("");
    ["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"]
        .iter()
        .any(|rtl| primary.eq_ignore_ascii_case(rtl))
}

/// `rtl` or `ltr`, for `<html dir>`.
pub fn dir(tag: &str) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}

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

/// One piece of a template: our own words, or a `{placeholder}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// `"Log in to {organization}"` as `[Text("Log in to "), Placeholder("organization")]`.
/// A `{` without a closing `}` is text.
pub fn segments(template: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            out.push(Segment::Text(&rest[..open]));
        }
        out.push(Segment::Placeholder(&rest[open + 1..open + len]));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// `template` with each `{name}` replaced by its value in `args` (unknown ones stay
/// as they are). For text without tenant parts; the page and the server build tenant
/// parts from `segments` themselves (inside `<bdi>`).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    segments(template)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_owned(),
            Segment::Placeholder(p) => args
                .iter()
                .find(|(k, _)| *k == p)
                .map_or_else(|| ["{", p, "}"].concat(), |(_, v)| (*v).to_owned()),
        })
        .collect()
}

/// A string with a count in it, one form per CLDR plural category the language
/// has (`other` always); the page picks with the browser's `Intl.PluralRules`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize), serde(deny_unknown_fields))]
pub struct Plural {
    pub zero: Option<String>,
    pub one: Option<String>,
    pub two: Option<String>,
    pub few: Option<String>,
    pub many: Option<String>,
    pub other: String,
}

impl Plural {
    /// The form for a CLDR category (`one`, `few`…), `other` when the language has no
    /// such form.
    pub fn form(&self, category: &str) -> &str {
        let form = match category {
            "zero" => &self.zero,
            "one" => &self.one,
            "two" => &self.two,
            "few" => &self.few,
            "many" => &self.many,
            _ => &None,
        };
        form.as_deref().unwrap_or(&self.other)
    }
}

/// Where `Strings::read` gets its values: a parsed JSON object on either side.
pub trait StringSource {
    fn text(&mut self, key: &str) -> Option<String>;
    fn plural(&mut self, key: &str) -> Option<Plural>;
}

macro_rules! strings {
    (text { $($key:ident),+ $(,)? } plural { $($pkey:ident),+ $(,)? }) => {
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        enum TextKey { $($key),+ }
        #[allow(non_camel_case_types)]
        enum PluralKey { $($pkey),+ }

        /// Every string the page and the server's pages show, in one language
        /// (`i18n/{tag}.json`), one accessor per key: a key that does not exist is a
        /// compile error, a file that lacks one is not read (`read` gives `None`).
        /// Kept as two vectors in key order, not a field per key, so that reading
        /// one is a loop in the page's wasm rather than fifty copies of it.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Strings {
            texts: Vec<String>,
            plurals: Vec<Plural>,
        }

        impl Strings {
            /// The keys whose value is one text, in the files' order.
            pub const TEXT_KEYS: &'static [&'static str] = &[$(stringify!($key)),+];
            /// The keys whose value is a `Plural`.
            pub const PLURAL_KEYS: &'static [&'static str] = &[$(stringify!($pkey)),+];
            /// Every key.
            pub const KEYS: &'static [&'static str] =
                &[$(stringify!($key),)+ $(stringify!($pkey),)+];

            $(pub fn $key(&self) -> &str {
                &self.texts[TextKey::$key as usize]
            })+

            $(pub fn $pkey(&self) -> &Plural {
                &self.plurals[PluralKey::$pkey as usize]
            })+

            /// Every key from `src`; `None` when one is missing.
            pub fn read(src: &mut impl StringSource) -> Option<Self> {
                let mut texts = Vec::with_capacity(Self::TEXT_KEYS.len());
                for key in Self::TEXT_KEYS {
                    texts.push(src.text(key)?);
                }
                let mut plurals = Vec::with_capacity(Self::PLURAL_KEYS.len());
                for key in Self::PLURAL_KEYS {
                    plurals.push(src.plural(key)?);
                }
                Some(Strings { texts, plurals })
            }
        }
    };
}

/// A language file (`i18n/{tag}.json`) read straight into `Strings`: every key must be
/// there with the right shape (text or plural forms), and no other.
#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        use std::collections::BTreeMap;

        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Entry {
            Text(String),
            Plural(Plural),
        }
        struct Map(BTreeMap<String, Entry>);
        impl StringSource for Map {
            fn text(&mut self, key: &str) -> Option<String> {
                match self.0.remove(key)? {
                    Entry::Text(t) => Some(t),
                    Entry::Plural(_) => None,
                }
            }
            fn plural(&mut self, key: &str) -> Option<Plural> {
                match self.0.remove(key)? {
                    Entry::Plural(p) => Some(p),
                    Entry::Text(_) => None,
                }
            }
        }

        let mut map = Map(BTreeMap::deserialize(d)?);
        if let Some(missing) = Strings::KEYS.iter().find(|k| !map.0.contains_key(**k)) {
            return Err(D::Error::custom(format!("missing key {missing:?}")));
        }
        let strings = Strings::read(&mut map)
            .ok_or_else(|| D::Error::custom("a key has the wrong shape (text or plural)"))?;
        match map.0.keys().next() {
            Some(unknown) => Err(D::Error::custom(format!("unknown key {unknown:?}"))),
            None => Ok(strings),
        }
    }
}

strings!(
    text {
        language_name, language_menu, page_title, loading, load_failed_title, retry,
        returning, returning_title, continue_button, prompt_title, prompt_label_name,
        prompt_label_name_or_email, continue_without_organization, continue_as,
        forget_organization, organization_login_title, redirecting, not_your_organization,
        personal_login_title, no_connections, sign_in_with_organization, sign_up,
        continue_with, email_address, invalid_organization, name_empty, name_too_long,
        name_characters, error_timeout, error_offline, error_unreachable, error_server,
        error_malformed, error_unknown_client, problem_unknown_application,
        problem_unusable_link, problem_unsupported_setup, problem_missing_client_id,
        problem_unknown_client, problem_unregistered_callback, problem_repeated_parameter,
        problem_request_too_large,
        problem_post_login_prompt, unavailable_title, unavailable, handoff_title,
        handoff_intro, callback_title, callback_intro, javascript_needed,
    }
    plural { error_rate_limited }
);

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = SHIPPED;

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

    #[cfg(feature = "serde")]
    #[test]
    fn a_language_file_reads_into_strings_or_says_what_is_wrong() {
        let en = include_str!("../../i18n/en.json");
        let strings: Strings = serde_json::from_str(en).unwrap();
        assert_eq!(strings.retry(), "Retry");
        assert_eq!(
            strings.error_rate_limited().form("one"),
            "Too many attempts. Please wait {seconds} second, then try again."
        );
        let err = |text: String| {
            serde_json::from_str::<Strings>(&text)
                .unwrap_err()
                .to_string()
        };
        assert!(err(en.replace("\"retry\"", "\"retyr\"")).contains("missing key \"retry\""));
        assert!(err(en.replacen('{', "{\"extra\": \"x\",", 1)).contains("unknown key \"extra\""));
        assert!(err(en.replace("\"Retry\"", "{\"other\": \"Retry\"}")).contains("wrong shape"));
    }

    #[test]
    fn the_menu_carries_the_request_once_and_escapes_it() {
        let html = menu_html(
            "Langue",
            "fr",
            &["en", "fr", "ar"],
            "?client_id=a&state=%22%3E%3Cscript%3Ex%3C%2Fscript%3E%26%27&ui_locales=de+fr&nonce=n+1",
        );
        assert_eq!(
            html,
            "<nav class=\"languages\" aria-label=\"Langue\"><details><summary class=\"languages__current\">Français</summary><form method=\"get\">\
             <input type=\"hidden\" name=\"client_id\" value=\"a\">\
             <input type=\"hidden\" name=\"state\" value=\"&quot;><script>x</script>&amp;'\">\
             <input type=\"hidden\" name=\"nonce\" value=\"n 1\">\
             <ul class=\"languages__list\">\
             <li><button class=\"link\" name=\"ui_locales\" value=\"en\" lang=\"en\">English</button></li>\
             <li><button class=\"link\" name=\"ui_locales\" value=\"fr\" lang=\"fr\" aria-current=\"true\">Français</button></li>\
             <li><button class=\"link\" name=\"ui_locales\" value=\"ar\" lang=\"ar\">العربية</button></li>\
             </ul></form></details></nav>"
        );
    }

    // The issue's measure: a 60 KB query once came back as ~1 MB of HTML, the menu
    // repeating it once per language. Now the request is in the menu once, so the
    // menu grows by at most twice what the query grows (an escaped `"` is six bytes,
    // sent as `%22`, three).
    #[test]
    fn the_menu_grows_with_the_request_not_with_the_languages() {
        let all = SHIPPED;
        let empty = menu_html("Language", "en", all, "").len();
        let worst = ["state=", &"%22".repeat(crate::query::MAX_VALUE_BYTES / 3)].concat();
        let big = menu_html("Language", "en", all, &worst).len();
        assert!(
            big - empty <= 2 * worst.len() + 64,
            "{} bytes of query made the menu {} bytes larger",
            worst.len(),
            big - empty
        );
        // Over the query's bounds, the menu carries nothing of it.
        let over = "a".repeat(crate::query::MAX_QUERY_BYTES + 1);
        assert_eq!(menu_html("Language", "en", all, &over).len(), empty);
    }

    #[test]
    fn every_autonym_is_its_files_language_name() {
        for tag in ALL {
            let map = file(tag);
            assert_eq!(
                Some(autonym(tag)),
                map.get("language_name").and_then(|v| v.as_str()),
                "{tag}"
            );
        }
        assert_eq!(autonym("xx"), "xx");
    }

    #[test]
    fn direction_by_primary_language() {
        assert_eq!(dir("ar"), "rtl");
        assert_eq!(dir("he"), "rtl");
        assert_eq!(dir("AR-eg"), "rtl");
        assert_eq!(dir("en"), "ltr");
        assert_eq!(dir("ja"), "ltr");
        assert_eq!(dir("hr"), "ltr");
    }

    #[test]
    fn templates() {
        use Segment::*;
        assert_eq!(
            segments("Log in to {organization} to continue to {application}"),
            [
                Text("Log in to "),
                Placeholder("organization"),
                Text(" to continue to "),
                Placeholder("application")
            ]
        );
        assert_eq!(
            segments("{connection}…"),
            [Placeholder("connection"), Text("…")]
        );
        assert_eq!(segments("a { b"), [Text("a { b")]);
        assert_eq!(segments(""), []);
        assert_eq!(
            fill("wait {seconds} s ({x})", &[("seconds", "5")]),
            "wait 5 s ({x})"
        );
    }

    #[test]
    fn plural_forms_fall_back_to_other() {
        let p = Plural {
            one: Some("1 second".into()),
            other: "n seconds".into(),
            ..Plural::default()
        };
        assert_eq!(p.form("one"), "1 second");
        assert_eq!(p.form("few"), "n seconds");
        assert_eq!(p.form("other"), "n seconds");
    }

    // --- The data files -----------------------------------------------------------

    struct Json(serde_json::Map<String, serde_json::Value>);

    impl StringSource for Json {
        fn text(&mut self, key: &str) -> Option<String> {
            self.0.get(key)?.as_str().map(str::to_owned)
        }
        fn plural(&mut self, key: &str) -> Option<Plural> {
            let forms = self.0.get(key)?.as_object()?;
            let form = |k: &str| forms.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            Some(Plural {
                zero: form("zero"),
                one: form("one"),
                two: form("two"),
                few: form("few"),
                many: form("many"),
                other: form("other")?,
            })
        }
    }

    fn file(tag: &str) -> serde_json::Map<String, serde_json::Value> {
        let path = format!("{}/../i18n/{tag}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn placeholders(s: &str) -> Vec<&str> {
        let mut p: Vec<_> = segments(s)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Placeholder(p) => Some(p),
                Segment::Text(_) => None,
            })
            .collect();
        p.sort_unstable();
        p
    }

    /// Every string of a file with its key (`key.category` for plural forms).
    fn strings(map: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in map {
            match v {
                serde_json::Value::String(s) => out.push((k.clone(), s.clone())),
                serde_json::Value::Object(forms) => {
                    for (c, s) in forms {
                        out.push((format!("{k}.{c}"), s.as_str().unwrap_or("").to_owned()));
                    }
                }
                _ => out.push((k.clone(), String::new())),
            }
        }
        out
    }

    /// The problems of one language's file against English; empty when it is complete.
    fn problems(tag: &str, map: serde_json::Map<String, serde_json::Value>) -> Vec<String> {
        let english = file("en");
        let mut out = Vec::new();
        for key in Strings::KEYS {
            if !map.contains_key(*key) {
                out.push(format!("{tag}: missing key {key}"));
            }
        }
        for key in map.keys() {
            if !Strings::KEYS.contains(&key.as_str()) {
                out.push(format!("{tag}: unknown key {key}"));
            }
        }
        let english_other = |k: &str| {
            let base = k.split('.').next().unwrap_or(k);
            match &english[base] {
                serde_json::Value::Object(f) => f["other"].as_str().unwrap_or("").to_owned(),
                v => v.as_str().unwrap_or("").to_owned(),
            }
        };
        for (key, value) in strings(&map) {
            if value.trim().is_empty() {
                out.push(format!("{tag}: {key} is empty"));
                continue;
            }
            let base = key.split('.').next().unwrap_or(&key);
            if !english.contains_key(base) {
                continue;
            }
            let want = english_other(&key);
            if placeholders(&value) != placeholders(&want) {
                out.push(format!(
                    "{tag}: {key} has placeholders {:?}, English has {:?}",
                    placeholders(&value),
                    placeholders(&want)
                ));
            }
        }
        if Strings::read(&mut Json(map)).is_none() && out.is_empty() {
            out.push(format!("{tag}: a value has the wrong type"));
        }
        out
    }

    // The page still carries its English as Rust text (it reads no translations
    // yet); it must say exactly what en.json says.
    #[test]
    fn the_management_apis_english_is_en_json() {
        use crate::name::NameError;
        let en = Strings::read(&mut Json(file("en"))).expect("en.json reads");
        for e in [
            NameError::Empty,
            NameError::TooLong,
            NameError::InvalidCharacter,
        ] {
            assert_eq!(e.message(), e.in_language(&en), "{e:?}");
        }
    }

    #[test]
    fn every_language_has_every_key_and_keeps_every_placeholder() {
        let found: Vec<String> = ALL
            .iter()
            .flat_map(|tag| problems(tag, file(tag)))
            .collect();
        assert!(found.is_empty(), "{}", found.join("\n"));
        // And no file in i18n/ that is not shipped (it would never be served).
        let dir = format!("{}/../i18n", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(tag) = name.strip_suffix(".json") {
                assert!(ALL.contains(&tag), "i18n/{name} is not in SHIPPED");
            }
        }
    }

    // The check above can fail: each kind of mistake a translator can make.
    #[test]
    fn the_file_check_finds_each_mistake() {
        let mut missing = file("en");
        missing.remove("sign_up");
        assert_eq!(problems("xx", missing), ["xx: missing key sign_up"]);
        let mut unknown = file("en");
        unknown.insert("sign_upp".into(), "Sign up".into());
        assert_eq!(problems("xx", unknown), ["xx: unknown key sign_upp"]);
        let mut dropped = file("en");
        dropped.insert("continue_with".into(), "Continue with".into());
        assert_eq!(
            problems("xx", dropped),
            ["xx: continue_with has placeholders [], English has [\"connection\"]"]
        );
        let mut translated = file("en");
        translated.insert("continue_with".into(), "Weiter mit {Verbindung}".into());
        assert_eq!(problems("xx", translated).len(), 1);
        let mut plural = file("en");
        plural.insert(
            "error_rate_limited".into(),
            serde_json::json!({"one": "Wait a second.", "other": "Wait {seconds} seconds."}),
        );
        assert_eq!(
            problems("xx", plural),
            ["xx: error_rate_limited.one has placeholders [], English has [\"seconds\"]"]
        );
        let mut empty = file("en");
        empty.insert("retry".into(), " ".into());
        assert_eq!(problems("xx", empty), ["xx: retry is empty"]);
        let mut no_other = file("en");
        no_other.insert(
            "error_rate_limited".into(),
            serde_json::json!({"one": "{seconds}"}),
        );
        assert_eq!(problems("xx", no_other), ["xx: a value has the wrong type"]);
    }
}
