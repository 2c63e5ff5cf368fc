//! The user's language: the strings the server injected, English (which the page
//! carries), or a language file fetched next to the page (docs/design.md#languages).

use js_sys::Promise;
use portico_rules::document::STRINGS_ELEMENT_ID;
use portico_rules::i18n::Strings;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::http::get_text;
use super::json::{parse_json, JsonObject};
use crate::browser;

/// The strings the server put into the page, in the language of `<html lang>`
/// (`None` when served as static files, or when they lack a key).
pub fn injected_strings() -> Option<Strings> {
    read_strings(&browser::element_text(STRINGS_ELEMENT_ID)?)
}

/// English, which the page carries (`i18n/en.json`, the file the server serves): the
/// language when nothing else is chosen or a language file fails, never a blank.
pub fn english() -> Strings {
    read_strings(include_str!("../../i18n/en.json"))
        .expect("i18n/en.json has every key (portico-rules' tests)")
}

/// A language file on its way (`i18n/{tag}.json` next to the page, when it is served
/// as static files). The request starts at once, so it runs alongside the context
/// lookup; `strings` waits for it.
pub struct LanguageFile(Promise);

/// Starts fetching the language file of `tag` (the lookups' timeout applies).
pub fn language_file(tag: &str) -> LanguageFile {
    let path = ["i18n/", tag, ".json"].concat();
    // A promise runs from the moment it is made: the fetch starts now.
    LanguageFile(wasm_bindgen_futures::future_to_promise(async move {
        match get_text(&path, &[]).await {
            Ok((200, _, text)) => Ok(JsValue::from_str(&text)),
            _ => Err(JsValue::NULL),
        }
    }))
}

impl LanguageFile {
    /// The file's strings; `None` when it failed to load or lacks a key.
    pub async fn strings(self) -> Option<Strings> {
        read_strings(&JsFuture::from(self.0).await.ok()?.as_string()?)
    }
}

fn read_strings(text: &str) -> Option<Strings> {
    Strings::read(&mut JsonObject(parse_json(text).ok()?))
}
