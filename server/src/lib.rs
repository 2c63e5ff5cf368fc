//! Portico's directory server: the Auth0-compatible Management API (`management`),
//! the public login API (`login`), and the page (`page`), over one store (`db`).
//! `app::app` builds the whole router from an `AppState`, so tests drive it with
//! `oneshot` exactly as the binary serves it.

pub mod app;
pub mod auth;
pub mod body;
pub mod cli;
pub mod db;
pub mod demo;
pub mod error;
pub mod login;
pub mod management;
pub mod model;
pub mod page;
pub mod ratelimit;
pub mod state;

pub use app::app;
