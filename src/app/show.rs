//! Showing a screen: the context for the address (injected or looked up), the screen
//! the flow table gives for it, drawn as a `Card` themed with its branding.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_rules::problem::PageError;
use portico_rules::{resolve_login_screen, AuthorizeRequest, LoginContext, Screen};

use super::departure::{after_first_render, continue_to, continue_with};
use super::login::{host_organization, requested_organization, Login, Shown};
use crate::card::Card;
use crate::lookup::{self, LookupError};
use crate::{browser, language, screens, theme};

impl Login {
    /// Shows the page for the current address: the injected context if it is for this
    /// address, else a lookup.
    pub(super) fn load(self) {
        // A page that was unmounted (its owner disposed) has nothing left to load.
        let Some(this_load) = self.generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        let query = browser::query();
        let req = AuthorizeRequest::parse(&query);
        language::choose(req.get("ui_locales"));
        let missing_client = req.client_id().is_none();
        let organization = requested_organization(&req);
        let from_server = self
            .injected
            .try_update_value(|i| {
                if i.as_ref().is_some_and(|(q, _)| *q == query) {
                    i.take()
                } else {
                    None
                }
            })
            .flatten();
        if let Some((_, Ok(ctx))) = from_server.filter(|_| !missing_client) {
            let ctx = Arc::new(ctx);
            match self.posted.try_update_value(Option::take).flatten() {
                // The prompt the server answered its form with (posted before the
                // script ran, or without one): shown as the server drew it.
                Some(posted) => {
                    self.show_screen(req, ctx, Screen::Prompt { invalid: false });
                    self.card.update(|c| {
                        if let Some(p) = c.prompt.as_mut() {
                            p.value = posted.value;
                        }
                    });
                    self.signals.error.set(posted.error);
                    self.signals.choices.set(posted.choices);
                }
                None => self.show(req, organization.is_some(), ctx),
            }
            return;
        }
        self.set_card(screens::loading(self.t()));
        spawn_local(async move {
            let result = if missing_client {
                Err(PageError::MissingClientId)
            } else {
                Ok(lookup::login_context(&req, organization.as_deref()).await)
            };
            // Fetched alongside the lookup, not after it.
            language::arrived().await;
            if self.generation.try_get_value() != Some(this_load) {
                return; // the address moved on while this lookup ran
            }
            match result {
                Ok(Ok(ctx)) => self.show(req, organization.is_some(), Arc::new(ctx)),
                Ok(Err(LookupError::UnknownClient)) => {
                    self.problem(screens::problem(PageError::UnknownClient, self.t()))
                }
                Ok(Err(e)) => self.problem(screens::failure(e, self.t())),
                Err(missing) => self.problem(screens::problem(missing, self.t())),
            }
        });
    }

    /// Shows `card`, with the language menu for the address as it now is.
    fn set_card(self, mut card: Card) {
        card.languages = language::menu();
        // A new card is built afresh (`Rebuilt`): the field that had the focus (the
        // prompt's, sent back as invalid) gets it back.
        let focused = browser::focused_id();
        self.card.set(card);
        if !focused.is_empty() {
            request_animation_frame(move || browser::focus(&focused));
        }
    }

    /// A screen without a context: default theme, nothing to act on but Retry.
    fn problem(self, card: Card) {
        theme::apply(None);
        self.shown.set_value(None);
        self.set_card(card);
    }

    /// Shows the screen the flow table gives for `req` and `ctx`.
    pub(super) fn show(self, req: AuthorizeRequest, requested: bool, ctx: Arc<LoginContext>) {
        let screen = resolve_login_screen(&req, requested, &ctx);
        // A silent request (`prompt=none`) never shows a screen: what the table does
        // not reject, the server's entry sends upstream at once (docs/design.md#the-login-flow).
        let rejected = matches!(
            screen,
            Screen::Error(_) | Screen::ErrorRedirect(_) | Screen::ErrorPost { .. }
        );
        if req.is_silent() && !rejected {
            return continue_to(["/authorize?", &req.to_query()].concat());
        }
        self.show_screen(req, ctx, screen);
    }

    pub(super) fn show_screen(self, req: AuthorizeRequest, ctx: Arc<LoginContext>, screen: Screen) {
        // Only the organization login wears the organization's branding.
        let mut branding = None;
        let mut with_organization = false;
        let t = self.t();
        let card = match screen {
            Screen::Error(p) => screens::problem(p, t),
            Screen::ErrorRedirect(url) => {
                continue_to(url);
                screens::returning(&ctx, t)
            }
            // The server writes the auto-posted form (its CSP allows that one post):
            // the same request to its entry point, which applies the same table.
            Screen::ErrorPost { .. } => {
                continue_to(["/authorize?", &req.to_query()].concat());
                screens::returning(&ctx, t)
            }
            Screen::Prompt { .. }
            | Screen::PersonalLogin { .. }
            | Screen::OrganizationLogin { .. } => {
                let Some(card) =
                    screens::for_screen(&req, &ctx, &screen, host_organization().is_some(), t)
                else {
                    return self.problem(screens::failure(LookupError::Malformed, t));
                };
                branding = portico_rules::flow::branding(&ctx, &screen);
                match screen {
                    Screen::Prompt { .. } => {
                        self.signals
                            .error
                            .set(portico_rules::flow::prompt_error(&screen, t));
                        self.signals.choices.set(Vec::new());
                        let remembered = self.signals.remembered;
                        after_first_render(move || {
                            remembered
                                .set(browser::remembered_organization().map(|(_, label)| label))
                        });
                    }
                    Screen::OrganizationLogin { auto_redirect } => {
                        with_organization = true;
                        // Redirect at once, but only the first time this history entry
                        // is shown: coming back (bfcache or a fresh load) shows the
                        // buttons.
                        if let Some(name) = auto_redirect {
                            let (req, ctx) = (req.clone(), ctx.clone());
                            after_first_render(move || {
                                if !browser::was_auto_redirected() {
                                    browser::mark_auto_redirected();
                                    continue_with(&req, &ctx, true, &name, None);
                                }
                            });
                        }
                    }
                    _ => {}
                }
                card
            }
        };
        theme::apply(branding);
        self.shown.set_value(Some(Shown {
            req,
            ctx,
            with_organization,
        }));
        self.set_card(card);
    }
}
