//! The top of the page: reads the request from the address, gets the context
//! (injected or fetched), asks the flow table which screen to show, shows it as a
//! `Card` (built by `screens`), and carries out what its buttons ask (`Act`). Also owns
//! the one "navigating away" flag that makes double clicks harmless.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_rules::flow::{after_prompt, read_prompt, Discovered, PromptEntry};
use portico_rules::host::requested_organization as requested_organization_in;
use portico_rules::i18n::Strings;
use portico_rules::problem::PageError;
use portico_rules::{
    normalize_prompt_input, resolve_login_screen, AuthorizeRequest, ConnectionKind, LoginContext,
    Screen,
};

use crate::api::{self, LookupError};
use crate::card::{self, Act, Card, Live};
use crate::screens;
use crate::{browser, language, theme};

/// Something to do once the page has started.
type Deferred = Box<dyn FnOnce()>;

thread_local! {
    static NAVIGATION: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
    /// While the page starts, what waits until its first render is on screen:
    /// navigating away and reading storage. The first render must be the tree the
    /// server rendered (docs/design.md#first-paint), so nothing only the browser knows may change it;
    /// hydration is done when these run. `None` once the page has started.
    static LATER: RefCell<Option<Vec<Deferred>>> = const { RefCell::new(None) };
}

/// Runs `f` now, or once the page has started (see `LATER`).
fn later(f: impl FnOnce() + 'static) {
    let f: Deferred = Box::new(f);
    let now = LATER.with(|l| match l.borrow_mut().as_mut() {
        Some(waiting) => {
            waiting.push(f);
            None
        }
        None => Some(f),
    });
    if let Some(f) = now {
        f();
    }
}

/// True from the moment the page starts navigating away until it is shown again
/// (bfcache). Buttons are disabled meanwhile.
pub fn use_navigation() -> RwSignal<bool> {
    NAVIGATION.with(|n| match n.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(false);
            n.set(Some(s));
            s
        }
    })
}

/// Leaves for `url`, once: a second call before the page is shown again does nothing.
pub fn continue_to(url: String) {
    later(move || {
        let navigating = use_navigation();
        if navigating.get_untracked() {
            return;
        }
        navigating.set(true);
        browser::navigate(&url);
    })
}

/// The organization the address names (`rules::host::requested_organization`).
fn requested_organization(req: &AuthorizeRequest) -> Option<String> {
    let base = browser::meta(portico_rules::page::BASE_DOMAIN_META);
    requested_organization_in(req.organization(), Some(&browser::host()), base.as_deref())
}

/// The organization the host's subdomain names, under the configured base domain.
fn host_organization() -> Option<String> {
    let base = browser::meta(portico_rules::page::BASE_DOMAIN_META);
    requested_organization_in(None, Some(&browser::host()), base.as_deref())
}

/// `ctx` for the application alone: the prompt, or an organization that was not found.
fn without_organization(ctx: &LoginContext) -> Arc<LoginContext> {
    Arc::new(LoginContext {
        organization: None,
        ..ctx.clone()
    })
}

/// The screen on show, with what its acts need.
struct Shown {
    req: AuthorizeRequest,
    ctx: Arc<LoginContext>,
    /// Connections continue with the context's organization (the organization
    /// login), or without one (personal login).
    with_organization: bool,
}

/// The page's state. All of it is `Copy` handles, so every closure can hold a `Page`.
#[derive(Clone, Copy)]
struct Page {
    card: RwSignal<Card>,
    live: Live,
    shown: StoredValue<Option<Shown>>,
    /// Counts loads, so that a lookup that lost a race is dropped.
    generation: StoredValue<u32>,
    /// The context the server put in the page, with the query it belongs to.
    injected: StoredValue<Option<(String, Result<LoginContext, LookupError>)>>,
    /// The prompt's state the server rendered after its form was posted without
    /// JavaScript (its error, the organizations discovery offered).
    posted: StoredValue<Option<api::PostedPrompt>>,
}

impl Page {
    fn new() -> Self {
        // A fresh flag per mount: the previous one went with the previous owner.
        let navigating = RwSignal::new(false);
        NAVIGATION.with(|n| n.set(Some(navigating)));
        language::start();
        Page {
            card: RwSignal::new(screens::loading(language::strings())),
            live: Live {
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
            injected: StoredValue::new(api::injected_context().map(|c| (browser::query(), c))),
            posted: StoredValue::new(api::posted_prompt()),
        }
    }

    /// The page's strings.
    fn t(self) -> &'static Strings {
        language::strings()
    }

    /// Shows the page for the current address: the injected context if it is for this
    /// address, else a lookup.
    fn load(self) {
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
                    self.live.error.set(posted.error);
                    self.live.choices.set(posted.choices);
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
                Ok(api::login_context(&req, organization.as_deref()).await)
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
        // A new card is built afresh (`Fresh`): the field that had the focus (the
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
    fn show(self, req: AuthorizeRequest, requested: bool, ctx: Arc<LoginContext>) {
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

    fn show_screen(self, req: AuthorizeRequest, ctx: Arc<LoginContext>, screen: Screen) {
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
                        self.live
                            .error
                            .set(portico_rules::flow::prompt_error(&screen, t));
                        self.live.choices.set(Vec::new());
                        let remembered = self.live.remembered;
                        later(move || {
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
                            later(move || {
                                if !browser::was_auto_redirected() {
                                    browser::mark_auto_redirected();
                                    Self::continue_with(&req, &ctx, true, &name, None);
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

    /// Leaves for `connection`, with the organization when `with_organization`
    /// (remembering it for next time).
    fn continue_with(
        req: &AuthorizeRequest,
        ctx: &LoginContext,
        with_organization: bool,
        connection: &str,
        hint: Option<&str>,
    ) {
        if let Some(org) = ctx.organization.as_ref().filter(|_| with_organization) {
            browser::remember_organization(&org.name, org.label());
        }
        continue_to(portico_rules::flow::forward(
            req,
            ctx,
            with_organization,
            connection,
            hint,
        ));
    }

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
            Self::continue_with(&req, &s.ctx, s.with_organization, &c.name, hint.as_deref());
        });
    }

    /// Carries out what a button or form asked.
    fn act(self, act: Act) {
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
                self.live.remembered.set(None);
            }
            Act::Choose(i) => {
                let name = self
                    .live
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
        self.live.choices.set(Vec::new());
        let by_email = self.shown.with_value(|s| {
            s.as_ref()
                .is_some_and(|s| s.ctx.client.discovers_by_email())
        });
        match read_prompt(&browser::input_value("organization"), by_email) {
            PromptEntry::Email(email) => {
                self.live.error.set(None);
                self.discover(email);
            }
            PromptEntry::Name(name) => {
                self.live.error.set(None);
                self.look_up(name.into_string(), None);
            }
            PromptEntry::Invalid(e) => self.live.error.set(Some(e.in_language(self.t()))),
        }
    }

    /// Looks up organization `name` for the prompt; unknown ones come back to the
    /// prompt marked invalid.
    /// `email`, when discovery found the organization, becomes the `login_hint`.
    fn look_up(self, name: String, email: Option<&str>) {
        let live = self.live;
        if live.busy.get_untracked() {
            return;
        }
        let Some((req, ctx)) = self.shown.with_value(|s| {
            s.as_ref()
                .map(|s| (after_prompt(&s.req, &name, email), s.ctx.clone()))
        }) else {
            return;
        };
        live.busy.set(true);
        let t = self.t();
        spawn_local(async move {
            let result = api::organization_context(&req, Some(&name)).await;
            live.busy.set(false);
            match result {
                Ok(found) => {
                    browser::push_query(&req.to_query());
                    let ctx = found
                        .map(Arc::new)
                        .unwrap_or_else(|| without_organization(&ctx));
                    self.show(req, true, ctx);
                }
                Err(e) => live.error.set(Some(e.message(t))),
            }
        });
    }

    /// Email discovery: one organization continues at once, several are offered.
    fn discover(self, email: String) {
        let live = self.live;
        let Some(client_id) = self
            .shown
            .with_value(|s| s.as_ref().map(|s| s.ctx.client.client_id.clone()))
        else {
            return;
        };
        live.busy.set(true);
        let t = self.t();
        spawn_local(async move {
            let result = api::discover(&client_id, &email).await;
            live.busy.set(false);
            match result.map(Discovered::from_found) {
                Ok(Discovered::One(name)) => self.look_up(name, Some(&email)),
                Ok(Discovered::Nothing) => {
                    live.error.set(Some(t.invalid_organization().to_owned()))
                }
                Ok(Discovered::Several(found)) => live.choices.set(found),
                Err(e) => live.error.set(Some(e.message(t))),
            }
        });
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    LATER.with(|l| *l.borrow_mut() = Some(Vec::new()));
    let page = Page::new();
    page.load();
    let _ = window_event_listener(leptos::ev::popstate, move |_| page.load());
    let _ = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            page.live.navigating.set(false);
        }
    });
    let on = Callback::new(move |act| page.act(act));
    // After the first render (hydrated, when the server rendered it): what waited.
    Effect::new(move |_| {
        for f in LATER.with(|l| l.borrow_mut().take()).into_iter().flatten() {
            f();
        }
        browser::hide_already_failed();
    });
    card::page(page.card, page.live, on)
}
