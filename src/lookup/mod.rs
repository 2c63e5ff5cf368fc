//! The one module that talks HTTP, and reads what the server put into the page.
//! Everything the page asks the server goes through here: the login context (injected
//! into the page or fetched, docs/design.md#the-public-login-api), email discovery and
//! language files. Components never build URLs or read responses.
//!
//! `context` (the lookups) over `http` (GET, abort, retry); `json` (the reader and the
//! decoders of the wire contract); `injected` and `strings` (what the first paint
//! carries, and the user's language); `error` (why a lookup failed).

mod context;
mod error;
mod http;
mod injected;
mod json;
mod strings;

pub use context::{discover, login_context, organization_context};
pub use error::LookupError;
pub use injected::{injected_context, posted_prompt, PostedPrompt};
pub use json::context_from_json;
pub use strings::{english, injected_strings, language_file, LanguageFile};
