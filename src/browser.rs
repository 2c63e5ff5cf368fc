//! The few browser facilities the page uses, behind plain functions: the address
//! (query, host, history), configuration in `<meta>` tags, navigation, and the
//! remembered organization in `localStorage`. Components never touch `web_sys` for
//! these directly.

use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, Storage, Window};

pub fn window() -> Window {
    web_sys::window().expect("a browser window")
}

/// The query string of the current address, with its `?`.
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// The host of the current address, with its port.
pub fn host() -> String {
    window().location().host().unwrap_or_default()
}

/// The `content` of `<meta name="…">`, if the page has one.
pub fn meta(name: &str) -> Option<String> {
    window()
        .document()?
        .query_selector(&["meta[name=\"", name, "\"]"].concat())
        .ok()??
        .get_attribute("content")
}

/// The text of the element with id `id`, if there is one.
pub fn element_text(id: &str) -> Option<String> {
    window().document()?.get_element_by_id(id)?.text_content()
}

/// The value of the `<input>` with id `id` ("" when there is none).
pub fn input_value(id: &str) -> String {
    window()
        .document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The `id` of the element that has the focus ("" when none has, or it has no id).
pub fn focused_id() -> String {
    window()
        .document()
        .and_then(|d| d.active_element())
        .map(|e| e.id())
        .unwrap_or_default()
}

/// Focuses the element with id `id`, if there is one.
pub fn focus(id: &str) {
    if let Some(e) = window()
        .document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// For an image that failed to load (`error` event): hides it, so that what the
/// stylesheet hid behind it (the built-in icon, the name's initial) shows instead, in
/// the same box.
pub fn hide_failed(ev: web_sys::ErrorEvent) {
    if let Some(image) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = image.set_attribute("hidden", "");
    }
}

/// Hides the page's images that failed before the script could hear it (the
/// server rendered them, docs/design.md#first-paint): as `hide_failed` would have.
pub fn hide_already_failed() {
    let Some(images) = window()
        .document()
        .and_then(|d| d.query_selector_all("img").ok())
    else {
        return;
    };
    for i in 0..images.length() {
        if let Some(image) = images
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlImageElement>().ok())
        {
            if image.complete() && image.natural_width() == 0 {
                let _ = image.set_attribute("hidden", "");
            }
        }
    }
}

/// Puts `?{query}` in the address bar as a new history entry, keeping the path.
pub fn push_query(query: &str) {
    let url = if query.is_empty() {
        window().location().pathname().unwrap_or_default()
    } else {
        ["?", query].concat()
    };
    let _ = window()
        .history()
        .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
}

/// Marks the current history entry as already auto-redirected, so coming back to it
/// (bfcache or not) shows the page instead of redirecting a second time.
pub fn mark_auto_redirected() {
    let _ = window()
        .history()
        .and_then(|h| h.replace_state(&wasm_bindgen::JsValue::from_str(AUTO_REDIRECTED), ""));
}

pub fn was_auto_redirected() -> bool {
    window()
        .history()
        .and_then(|h| h.state())
        .map(|s| s.as_string().as_deref() == Some(AUTO_REDIRECTED))
        .unwrap_or(false)
}

const AUTO_REDIRECTED: &str = "portico:auto-redirected";

/// Event dispatched on `window` before every navigation away from the page; a
/// listener that cancels it keeps the page where it is (embedders, tests).
pub const NAVIGATE_EVENT: &str = "portico:navigate";

/// Navigates the top window to `url`, unless a `portico:navigate` listener cancels.
pub fn navigate(url: &str) {
    let init = CustomEventInit::new();
    init.set_cancelable(true);
    init.set_detail(&wasm_bindgen::JsValue::from_str(url));
    let proceed = CustomEvent::new_with_event_init_dict(NAVIGATE_EVENT, &init)
        .map(|ev| window().dispatch_event(ev.unchecked_ref()).unwrap_or(true))
        .unwrap_or(true);
    if proceed {
        let _ = window().location().assign(url);
    }
}

pub fn is_online() -> bool {
    window().navigator().on_line()
}

fn storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

const REMEMBERED_NAME: &str = "portico.organization";
const REMEMBERED_LABEL: &str = "portico.organization_label";

/// The organization the user last continued with: its name and what to call it.
/// Only these two are ever stored: never tokens, state or hints.
pub fn remembered_organization() -> Option<(String, String)> {
    let s = storage()?;
    let name = s.get_item(REMEMBERED_NAME).ok()??;
    let label = s
        .get_item(REMEMBERED_LABEL)
        .ok()
        .flatten()
        .unwrap_or_else(|| name.clone());
    Some((name, label))
}

pub fn remember_organization(name: &str, label: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(REMEMBERED_NAME, name);
        let _ = s.set_item(REMEMBERED_LABEL, label);
    }
}

pub fn forget_organization() {
    if let Some(s) = storage() {
        let _ = s.remove_item(REMEMBERED_NAME);
        let _ = s.remove_item(REMEMBERED_LABEL);
    }
}

/// `<html lang>`: the language the page is in ("en" when unset).
pub fn language() -> String {
    root()
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".to_owned())
}

/// Sets `<html lang dir>` (the server sets them itself when it serves the page).
pub fn set_language(tag: &str, dir: &str) {
    if let Some(e) = root() {
        let _ = e.set_attribute("lang", tag);
        let _ = e.set_attribute("dir", dir);
    }
}

fn root() -> Option<web_sys::Element> {
    window().document()?.document_element()
}

/// The browser's preferred languages (`navigator.languages`), space-separated like
/// `ui_locales`.
pub fn preferred_languages() -> String {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of attribute `name` of the element with id `id`.
pub fn element_attribute(id: &str, name: &str) -> Option<String> {
    window()
        .document()?
        .get_element_by_id(id)?
        .get_attribute(name)
}

/// The CLDR plural category (`one`, `few`, `other`…) of `n` in the page's language
/// (`<html lang>`), by the browser's `Intl.PluralRules`: no plural tables in the wasm.
pub fn plural_category(n: u32) -> String {
    let locales = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&language()));
    let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
    rules.select(f64::from(n)).into()
}
