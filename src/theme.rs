//! Applies a `Theme` to the page: CSS custom properties on the document root, set with
//! `style.setProperty` only (SPEC §5). The values are `#rrggbb` strings formatted
//! from parsed colours, never tenant text.

use portico_rules::{Branding, Theme};
use wasm_bindgen::JsCast;

use crate::browser;

/// Themes the page for an organization's branding; the default theme for `None` or
/// for colours that break the rule.
pub fn apply(branding: Option<&Branding>) {
    let colors = branding.and_then(|b| b.colors.as_ref());
    let theme = Theme::from_branding(colors);
    let Some(root) = browser::window()
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    for (name, value) in theme.css_vars() {
        // Without an organization's colours the page background is the stylesheet's,
        // which follows the colour scheme (setting "" removes the property).
        let value = if colors.is_none() && name.ends_with("page-bg") {
            String::new()
        } else {
            value
        };
        let _ = style.set_property(name, &value);
    }
}
