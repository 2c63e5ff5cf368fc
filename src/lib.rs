//! Portico's organization login page (docs/design.md#the-login-flow, docs/design.md#first-paint): a Leptos app that hydrates
//! the first screen the server rendered with these same components (feature
//! `hydrate`), or renders it itself when served as static files.
//!
//! `app` decides what to show and does what it asks, `screens` says what each screen
//! holds, `card` draws it, `lookup` is the only HTTP, `language` which language it speaks,
//! `browser` the only direct use of the address bar, history and storage, `theme` the only writer of CSS custom
//! properties. The rules themselves live in
//! `portico_rules`, shared with the server.

pub mod app;
pub mod browser;
pub mod card;
pub mod language;
pub mod lookup;
mod rebuild;
pub mod screens;
pub mod theme;

pub use app::App;

/// Hydrates the first screen the server rendered into `#portico-root` (docs/design.md#first-paint), or,
/// served as static files (the root empty), renders the page there itself.
pub fn start() {
    use wasm_bindgen::JsCast;
    let Some(root) = browser::window()
        .document()
        .and_then(|d| d.get_element_by_id(portico_rules::document::ROOT_ELEMENT_ID))
    else {
        return leptos::mount::mount_to_body(App);
    };
    let root: web_sys::HtmlElement = root.unchecked_into();
    #[cfg(feature = "hydrate")]
    if root.has_child_nodes() {
        return leptos::mount::hydrate_from(root, App).forget();
    }
    leptos::mount::mount_to(root, App).forget();
}
