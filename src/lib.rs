//! Portico's organization login page (SPEC §3–§5): a Leptos client-side app.
//!
//! `app` decides what to show and does what it asks, `screens` says what each screen
//! holds, `card` draws it, `api` is the only HTTP, `language` which language it speaks,
//! `browser` the only direct use of the address bar, history and storage, `theme` the only writer of CSS custom
//! properties. The rules themselves live in
//! `portico_rules`, shared with the server.

pub mod api;
pub mod app;
pub mod browser;
pub mod card;
pub mod language;
pub mod screens;
pub mod theme;

pub use app::App;

/// Mounts the page on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(App);
}
