//! Applies a `Theme` to the page: CSS custom properties on the document root, set with
//! `style.setProperty` only (docs/design.md#theming). The values are `#rrggbb` strings formatted
//! from parsed colours, never tenant text. The server writes the same properties
//! into the page it renders (`Theme::root_properties`), so this changes nothing there.

use portico_rules::{Branding, Theme};
use wasm_bindgen::JsCast;

use crate::browser;

/// Themes the page for an organization's branding; the default theme for `None` or
/// for colours that break the rule.
pub fn apply(branding: Option<&Branding>) {
    let colors = branding.and_then(|b| b.colors.as_ref());
    let Some(root) = browser::window()
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    for (name, value) in Theme::root_properties(colors) {
        // An empty value removes the property.
        let _ = style.set_property(name, &value);
    }
}
