//! The login in progress: the card on show and its signals, the screen's request and
//! context, and what the server put into the page. Every field is a `Copy` handle, so
//! every closure can hold a `Login`.

use std::sync::Arc;

use leptos::prelude::*;
use portico_rules::host::requested_organization as requested_organization_in;
use portico_rules::i18n::Strings;
use portico_rules::{AuthorizeRequest, LoginContext};

use super::departure::new_navigation_flag;
use crate::card::{Card, ScreenSignals};
use crate::lookup::{self, LookupError};
use crate::{browser, language, screens};

/// The organization the address names (`rules::host::requested_organization`).
pub(super) fn requested_organization(req: &AuthorizeRequest) -> Option<String> {
    let base = browser::meta(portico_rules::document::BASE_DOMAIN_META);
    requested_organization_in(req.organization(), Some(&browser::host()), base.as_deref())
}

/// The organization the host's subdomain names, under the configured base domain.
pub(super) fn host_organization() -> Option<String> {
    let base = browser::meta(portico_rules::document::BASE_DOMAIN_META);
    requested_organization_in(None, Some(&browser::host()), base.as_deref())
}

/// `ctx` for the application alone: the prompt, or an organization that was not found.
pub(super) fn without_organization(ctx: &LoginContext) -> Arc<LoginContext> {
    Arc::new(LoginContext {
        organization: None,
        ..ctx.clone()
    })
}

/// The screen on show, with what its acts need.
pub(super) struct Shown {
    pub req: AuthorizeRequest,
    pub ctx: Arc<LoginContext>,
    /// Connections continue with the context's organization (the organization
    /// login), or without one (personal login).
    pub with_organization: bool,
}

/// The login's state. All of it is `Copy` handles, so every closure can hold a `Login`.
#[derive(Clone, Copy)]
pub(super) struct Login {
    pub card: RwSignal<Card>,
    pub signals: ScreenSignals,
    pub shown: StoredValue<Option<Shown>>,
    /// Counts loads, so that a lookup that lost a race is dropped.
    pub generation: StoredValue<u32>,
    /// The context the server put in the page, with the query it belongs to.
    pub injected: StoredValue<Option<(String, Result<LoginContext, LookupError>)>>,
    /// The prompt's state the server rendered after its form was posted without
    /// JavaScript (its error, the organizations discovery offered).
    pub posted: StoredValue<Option<lookup::PostedPrompt>>,
}

impl Login {
    pub fn new() -> Self {
        let navigating = new_navigation_flag();
        language::start();
        Login {
            card: RwSignal::new(screens::loading(language::strings())),
            signals: ScreenSignals {
                busy: RwSignal::new(false),
                error: RwSignal::new(None),
                choices: RwSignal::new(Vec::new()),
                remembered: RwSignal::new(None),
                navigating,
            },
            shown: StoredValue::new(None),
            generation: StoredValue::new(0),
            // The server's context belongs to the address it served; history moves
            // fetch.
            injected: StoredValue::new(lookup::injected_context().map(|c| (browser::query(), c))),
            posted: StoredValue::new(lookup::posted_prompt()),
        }
    }

    /// The page's strings.
    pub fn t(self) -> &'static Strings {
        language::strings()
    }
}
