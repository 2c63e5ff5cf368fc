//! Languages (docs/design.md#languages): which one a request gets, and the strings of one language as a
//! typed struct.
//!
//! The translations themselves are data, one file per language in `i18n/` (a flat
//! JSON object a translator edits without reading Rust). The server injects only the
//! chosen language's strings; the page reads them into `Strings`, so the WebAssembly
//! carries no translation table and a missing key is a failed read (the page keeps
//! English), never a blank button. The tests at the bottom read every file in
//! `i18n/`: a missing key, an unknown key or a dropped `{placeholder}` fails them.
//!
//! Here: `tags` (the shipped languages, their names, writing direction), `choose` (which
//! language a request gets), `menu` (the language menu's HTML), `template`
//! (`{placeholder}`s), `strings` (one language's strings, typed).

mod choose;
mod menu;
mod strings;
mod tags;
mod template;

pub use choose::{choose, first_served};
pub use menu::menu_html;
pub use strings::{Plural, StringSource, Strings};
pub use tags::{autonym, dir, is_rtl, SHIPPED};
pub use template::{fill, segments, Segment};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = SHIPPED;

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
