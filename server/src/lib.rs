//! Portico's directory server. The house, from the outside in:
//!
//! - `app` — the router; `middleware` — rate limits, access log, security headers;
//!   `request` — what a request says about itself (client address, host, proxy).
//! - `api` — the Auth0-compatible Management API, one module per resource
//!   (`organizations`, `enabled_connections`, `connections`, `clients`), each with its
//!   router, handlers and body parsing; `api::scope` checks tokens and scopes.
//! - `login` — the public login API: the context (with its cache) and discovery.
//! - `web` — the page: built files (`assets`), the HTML shell (`shell`), the entry
//!   points that apply the flow table (`entry`), the first paint (`first_paint`).
//! - `demo` — the demo tenant and its pages (`/handoff`, `/callback`, the list).
//! - `store` — storage in the domain's terms, one file per resource; `records` —
//!   the records and changes it takes and returns; `error` — the API's error and the
//!   one mapping from the store's.
//! - `sync` — making the directory equal to an Auth0-compatible source's, ids kept
//!   (`client` speaks HTTP to it, `read` pages through it, `config` is its flags;
//!   `store::sync` and `store::diff` write it in one transaction).
//! - `state` — what handlers share, built in one place; `token` — management
//!   tokens; `ratelimit` — the fixed-window limiter; `cli` — the commands.
//!
//! The rules themselves (names, colours, URLs, the flow table, the redirect, the
//! directory's limits) live in `portico_rules`, shared with the page.

pub mod api;
pub mod app;
pub mod cli;
pub mod demo;
pub mod error;
pub mod listen;
pub mod login;
pub mod middleware;
pub mod ratelimit;
pub mod records;
pub mod request;
pub mod state;
pub mod store;
pub mod sync;
pub mod token;
pub mod web;

pub use app::app;
