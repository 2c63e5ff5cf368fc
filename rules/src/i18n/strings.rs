//! One language's strings as a typed struct: one accessor per key, read from a parsed
//! JSON object on either side (the server's serde, the page's `JSON.parse`), and
//! refused whole when a key is missing.

#[cfg(feature = "serde")]
use serde::Deserialize;

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

    #[cfg(feature = "serde")]
    #[test]
    fn a_language_file_reads_into_strings_or_says_what_is_wrong() {
        let en = include_str!("../../../i18n/en.json");
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
}
