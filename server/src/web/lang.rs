//! Languages on the server (docs/design.md#languages): the shipped translations, compiled in from
//! `i18n/*.json`, and the language each request gets — `ui_locales`, else
//! `Accept-Language`, else the first of `--languages` (`portico_rules::i18n::choose`).

use std::sync::LazyLock;

use axum::http::{header, HeaderMap};
use portico_rules::document::script_safe;
use portico_rules::i18n::{self, Strings, SHIPPED};
use serde::Deserialize;

use crate::state::Config;

macro_rules! files {
    ($($tag:literal),+ $(,)?) => {
        &[$(($tag, include_str!(concat!("../../../i18n/", $tag, ".json")))),+]
    };
}

/// Every shipped language's file, in `SHIPPED`'s order (a test holds them equal).
const FILES: &[(&str, &str)] =
    files!("en", "fr", "de", "es", "pt-BR", "it", "nl", "ja", "zh-CN", "ko", "ar", "he");

/// One language, ready to serve.
#[derive(Debug)]
pub struct Language {
    pub tag: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    pub strings: Strings,
    /// The file as compact JSON, safe inside `<script>`: what the page reads.
    pub script: String,
}

static ALL: LazyLock<Vec<Language>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(tag, text)| {
            // The files are checked by portico-rules' tests; one that does not parse
            // cannot have been built from a green tree.
            // Parsed once: the typed strings for the server's pages, and the same
            // value written compact for the page.
            let file: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("i18n/{tag}.json: {e}"));
            let strings =
                Strings::deserialize(&file).unwrap_or_else(|e| panic!("i18n/{tag}.json: {e}"));
            let script = script_safe(&file.to_string());
            Language {
                tag,
                dir: i18n::dir(tag),
                strings,
                script,
            }
        })
        .collect()
});

fn language(tag: &str) -> &'static Language {
    ALL.iter()
        .find(|l| l.tag == tag)
        .expect("an enabled language is a shipped one")
}

/// `--languages`: comma-separated shipped tags, the first the default; each once.
pub fn parse_languages(s: &str) -> Result<Vec<&'static str>, String> {
    let mut out: Vec<&'static str> = Vec::new();
    for t in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let Some(tag) = SHIPPED.iter().copied().find(|x| x.eq_ignore_ascii_case(t)) else {
            return Err(format!(
                "no translation for {t:?}; shipped: {}",
                SHIPPED.join(",")
            ));
        };
        if out.contains(&tag) {
            return Err(format!("{tag} is listed twice"));
        }
        out.push(tag);
    }
    if out.is_empty() {
        return Err("name at least one language".into());
    }
    Ok(out)
}

/// The enabled languages, in order (all shipped ones unless `--languages`).
pub fn enabled(config: &Config) -> &[&'static str] {
    if config.languages.is_empty() {
        SHIPPED
    } else {
        &config.languages
    }
}

/// The language for a request with these `ui_locales` and headers.
pub fn for_request(
    config: &Config,
    ui_locales: Option<&str>,
    headers: &HeaderMap,
) -> &'static Language {
    // Several Accept-Language lines are one list (RFC 9110 §5.3); a value that is
    // not text is ignored.
    let accept: Vec<&str> = headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = accept.join(",");
    language(i18n::choose(enabled(config), ui_locales, Some(&accept)))
}

/// English, for what is not translated (the demo's own list of flows).
pub fn english() -> &'static Language {
    language("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_is_compiled_in_and_parses() {
        let tags: Vec<_> = FILES.iter().map(|(t, _)| *t).collect();
        assert_eq!(tags, SHIPPED);
        assert_eq!(ALL.len(), SHIPPED.len());
        assert_eq!(language("ar").dir, "rtl");
        assert_eq!(language("fr").dir, "ltr");
    }

    #[test]
    fn languages_flag() {
        assert_eq!(parse_languages("fr, DE ,en").unwrap(), ["fr", "de", "en"]);
        assert_eq!(parse_languages("pt-br").unwrap(), ["pt-BR"]);
        assert_eq!(
            parse_languages("fr,xx").unwrap_err(),
            format!("no translation for \"xx\"; shipped: {}", SHIPPED.join(","))
        );
        assert_eq!(parse_languages("fr,fr").unwrap_err(), "fr is listed twice");
        assert_eq!(
            parse_languages(" , ").unwrap_err(),
            "name at least one language"
        );
    }

    #[test]
    fn a_request_gets_its_language() {
        let config = Config {
            languages: vec!["de", "fr"],
            ..Config::default()
        };
        let mut h = HeaderMap::new();
        assert_eq!(for_request(&config, None, &h).tag, "de");
        h.append(header::ACCEPT_LANGUAGE, "ja, en;q=0.5".parse().unwrap());
        h.append(header::ACCEPT_LANGUAGE, "fr;q=0.4".parse().unwrap());
        assert_eq!(
            for_request(&config, None, &h).tag,
            "fr",
            "a second header line counts"
        );
        assert_eq!(for_request(&config, Some("de-AT"), &h).tag, "de");
        // Not enabled: ja, even though shipped.
        assert_eq!(
            for_request(&config, Some("ja"), &HeaderMap::new()).tag,
            "de"
        );
        h.insert(
            header::ACCEPT_LANGUAGE,
            axum::http::HeaderValue::from_bytes(b"fr\xff").unwrap(),
        );
        assert_eq!(for_request(&config, None, &h).tag, "de");
    }
}
