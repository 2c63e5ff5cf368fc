//! What the card's buttons and forms ask (`Act`), carried out: a connection, the
//! prompt (a name looked up, an email discovered), the way back to the prompt or on
//! to the personal login.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_rules::flow::{after_prompt, read_prompt, Discovered, PromptEntry};
use portico_rules::{normalize_prompt_input, ConnectionKind, Screen};

use super::departure::continue_with;
use super::login::{without_organization, Login};
use crate::card::Act;
use crate::lookup;
use crate::{browser, screens};

impl Login {
    /// Back to "Enter your organization", as a new history entry without
    /// `organization`.
    fn to_prompt(self) {
        let Some((req, ctx)) = self
            .shown
            .with_value(|s| s.as_ref().map(|s| (s.req.clone(), s.ctx.clone())))
        else {
            return;
        };
        let req = req.with_organization(None);
        let query = req.to_query();
        if browser::query().trim_start_matches('?') != query {
            browser::push_query(&query);
        }
        self.show_screen(
            req,
            without_organization(&ctx),
            Screen::Prompt { invalid: false },
        );
    }

    /// "Continue without an organization": the address without it, looked up like
    /// any other (the application's own context, the personal login).
    fn to_personal(self) {
        let Some(req) = self.shown.with_value(|s| s.as_ref().map(|s| s.req.clone())) else {
            return;
        };
        browser::push_query(&req.with_organization(None).to_query());
        self.load();
    }

    /// Continues with the i-th connection (a database connection with the email
    /// typed into its field as the login hint), or signs up with it.
    fn connect(self, i: usize, signup: bool) {
        self.shown.with_value(|s| {
            let Some(s) = s else { return };
            let Some(c) = s.ctx.connections.get(i) else {
                return;
            };
            let hint = (c.kind == ConnectionKind::Database)
                .then(|| browser::input_value(&screens::email_field(c)))
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty());
            let req = if signup {
                s.req.for_signup()
            } else {
                s.req.clone()
            };
            continue_with(&req, &s.ctx, s.with_organization, &c.name, hint.as_deref());
        });
    }

    /// Carries out what a button or form asked.
    pub(super) fn act(self, act: Act) {
        match act {
            Act::Retry => self.load(),
            Act::ToPrompt => self.to_prompt(),
            Act::ToPersonal => self.to_personal(),
            Act::Submit => self.submit(),
            Act::Connect(i) => self.connect(i, false),
            Act::SignUp(i) => self.connect(i, true),
            Act::ContinueAs => {
                if let Some((name, _)) = browser::remembered_organization() {
                    self.look_up(name, None);
                }
            }
            Act::Forget => {
                browser::forget_organization();
                self.signals.remembered.set(None);
            }
            Act::Choose(i) => {
                let name = self
                    .signals
                    .choices
                    .with_untracked(|found| found.get(i).map(|o| o.name.clone()));
                if let Some(name) = name {
                    // The email the choices were found for is still in the field.
                    let email = normalize_prompt_input(&browser::input_value("organization"));
                    self.look_up(name, email.contains('@').then_some(email.as_str()));
                }
            }
        }
    }

    /// The prompt's form: a name is validated before any request; an email address
    /// (when the application allows discovery) is looked up by its domain.
    fn submit(self) {
        self.signals.choices.set(Vec::new());
        let by_email = self.shown.with_value(|s| {
            s.as_ref()
                .is_some_and(|s| s.ctx.client.discovers_by_email())
        });
        match read_prompt(&browser::input_value("organization"), by_email) {
            PromptEntry::Email(email) => {
                self.signals.error.set(None);
                self.discover(email);
            }
            PromptEntry::Name(name) => {
                self.signals.error.set(None);
                self.look_up(name.into_string(), None);
            }
            PromptEntry::Invalid(e) => self.signals.error.set(Some(e.in_language(self.t()))),
        }
    }

    /// Looks up organization `name` for the prompt; unknown ones come back to the
    /// prompt marked invalid.
    /// `email`, when discovery found the organization, becomes the `login_hint`.
    fn look_up(self, name: String, email: Option<&str>) {
        let signals = self.signals;
        if signals.busy.get_untracked() {
            return;
        }
        let Some((req, ctx)) = self.shown.with_value(|s| {
            s.as_ref()
                .map(|s| (after_prompt(&s.req, &name, email), s.ctx.clone()))
        }) else {
            return;
        };
        signals.busy.set(true);
        let t = self.t();
        spawn_local(async move {
            let result = lookup::organization_context(&req, Some(&name)).await;
            signals.busy.set(false);
            match result {
                Ok(found) => {
                    browser::push_query(&req.to_query());
                    let ctx = found
                        .map(Arc::new)
                        .unwrap_or_else(|| without_organization(&ctx));
                    self.show(req, true, ctx);
                }
                Err(e) => signals.error.set(Some(e.message(t))),
            }
        });
    }

    /// Email discovery: one organization continues at once, several are offered.
    fn discover(self, email: String) {
        let signals = self.signals;
        let Some(client_id) = self
            .shown
            .with_value(|s| s.as_ref().map(|s| s.ctx.client.client_id.clone()))
        else {
            return;
        };
        signals.busy.set(true);
        let t = self.t();
        spawn_local(async move {
            let result = lookup::discover(&client_id, &email).await;
            signals.busy.set(false);
            match result.map(Discovered::from_found) {
                Ok(Discovered::One(name)) => self.look_up(name, Some(&email)),
                Ok(Discovered::Nothing) => {
                    signals.error.set(Some(t.invalid_organization().to_owned()))
                }
                Ok(Discovered::Several(found)) => signals.choices.set(found),
                Err(e) => signals.error.set(Some(e.message(t))),
            }
        });
    }
}
