//! What the server rendered into the page for the first paint
//! (docs/design.md#first-paint): the login context, and a prompt posted without
//! JavaScript.

use portico_rules::document::{CONTEXT_ELEMENT_ID, PROMPT_ELEMENT_ID};
use portico_rules::{DiscoveredOrganization, LoginContext};

use super::error::LookupError;
use super::json::{context_from_json, organizations, parse_json, JsonObject};
use crate::browser;

/// The context the server put into the page, if it did (`None` when served as static
/// files, or when the script holds nothing).
pub fn injected_context() -> Option<Result<LoginContext, LookupError>> {
    let text = browser::element_text(CONTEXT_ELEMENT_ID)?;
    if text.trim().is_empty() {
        return None;
    }
    Some(context_from_json(&text))
}

/// The prompt as the server rendered it after its form was posted without
/// JavaScript (docs/design.md#first-paint): what was typed, the field's error, and the organizations
/// discovery offered. The server rendered it as `Screen::Prompt` for the address's
/// request, with the client's context.
pub struct PostedPrompt {
    /// What was typed.
    pub value: String,
    pub error: Option<String>,
    pub choices: Vec<DiscoveredOrganization>,
}

/// What the server put in `#portico-prompt`, if anything.
pub fn posted_prompt() -> Option<PostedPrompt> {
    let o = JsonObject(parse_json(&browser::element_text(PROMPT_ELEMENT_ID)?).ok()?);
    Some(PostedPrompt {
        value: o.opt_str("value").ok()?.unwrap_or_default(),
        error: o.opt_str("error").ok()?,
        choices: organizations(&o).ok()?,
    })
}
