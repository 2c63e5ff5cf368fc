//! Every screen is one `Card`: plain data (built in `screens`) rendered by one view
//! function. One view type for the whole page instead of one per screen and branch
//! is what keeps the wasm small: each distinct Leptos view type is compiled into its
//! own build/rebuild/mount code (docs/size.md#size).
//!
//! Buttons carry an `Act`, not a closure; `app` decides what an act does. Fields are
//! read from the DOM when their form is submitted, so typing re-renders nothing.
//! What changes inside a screen (busy, the field's error, discovery choices, the
//! remembered organization, "navigating away") lives in `Live` signals.

use leptos::either::Either;
use leptos::prelude::*;

use portico_rules::DiscoveredOrganization;

use crate::fresh::Fresh;

/// One piece of text. Tenant text (names, labels) is rendered inside `<bdi>`, so a
/// right-to-left name cannot reorder the sentence around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub tenant: bool,
    pub text: String,
}

/// Our own words.
pub fn fixed(text: &str) -> Part {
    Part {
        tenant: false,
        text: text.to_owned(),
    }
}

/// A tenant's words.
pub fn tenant(text: &str) -> Part {
    Part {
        tenant: true,
        text: text.to_owned(),
    }
}

pub type Text = Vec<Part>;

/// A translated template (`i18n/`) as text: our words, and each `{placeholder}`
/// named in `tenant` as that tenant text (other placeholders stay as they are).
pub fn phrase(template: &str, tenant_parts: &[(&str, &str)]) -> Text {
    use portico_rules::i18n::{segments, Segment};
    segments(template)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => fixed(t),
            Segment::Placeholder(p) => match tenant_parts.iter().find(|(k, _)| *k == p) {
                Some((_, v)) => tenant(v),
                None => fixed(&["{", p, "}"].concat()),
            },
        })
        .collect()
}

/// What a button or form asks the page to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Look up the context again after a failure.
    Retry,
    /// Continue with the i-th connection of the context.
    Connect(usize),
    /// Sign up with the i-th connection (a database connection that allows it).
    SignUp(usize),
    /// Go to the organization prompt ("Not your organization?", "Sign in with your
    /// organization").
    ToPrompt,
    /// Leave the prompt for the personal login ("Continue without an organization",
    /// `allow` applications).
    ToPersonal,
    /// The prompt's form was submitted.
    Submit,
    /// "Continue as" the remembered organization.
    ContinueAs,
    /// Forget the remembered organization.
    Forget,
    /// The i-th organization email discovery offered.
    Choose(usize),
}

/// Where a button leads without JavaScript (docs/design.md#first-paint); with it, the page does the
/// button's `Act` instead and the browser's own handling is prevented.
///
/// Forms post to the address of the request they belong to, so the request rides in
/// their `action`, once per form; the screen's buttons share one form
/// (`Card::request`), so a screen carries its request a fixed number of times
/// whatever its number of connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Nowhere: a button only the script draws or answers (Retry, Continue as).
    Script,
    /// A link to this address.
    Link(String),
    /// Posts this name and value to the request's address (`Card::request`), which
    /// the server answers the way the page would: a button of the screen's shared
    /// form, or for a database connection (with its email field) a form of its own.
    Post(&'static str, String),
    /// A small form of its own, posted to the address for the request `query`
    /// with one hidden field (the way to the prompt: the request without its
    /// organization).
    PostTo {
        query: String,
        field: (&'static str, String),
    },
    /// Submits the form it is in with this name and value.
    Submit(&'static str, String),
}

/// The `id` of the screen's shared form, which its `Target::Post` buttons submit.
pub const POST_FORM_ID: &str = "portico-post";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: Text,
    /// `button--primary`, `button--connection` or `link`.
    pub class: &'static str,
    /// An SVG path (24×24) drawn before the text.
    pub icon: Option<&'static str>,
    /// The connection's own icon (`icon_url`), drawn instead of `icon` unless it
    /// fails to load.
    pub icon_url: Option<String>,
    /// For a database connection: the id and the label of its email field, which
    /// continues as `login_hint` (the field `email` of its own `Target::Post` form).
    pub email_field: Option<(String, String)>,
    pub target: Target,
    pub act: Act,
}

impl Button {
    /// A button with text only.
    pub fn new(text: Text, class: &'static str, target: Target, act: Act) -> Self {
        Button {
            text,
            class,
            icon: None,
            icon_url: None,
            email_field: None,
            target,
            act,
        }
    }
}

/// A paragraph under the heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: Text,
    pub role: Option<&'static str>,
    /// "Redirecting you to …": hidden again once the page is shown after Back.
    pub redirecting: bool,
}

/// The organization prompt's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The request, whose address the form posts to so that the server can answer
    /// it without JavaScript.
    pub query: String,
    pub label: String,
    pub value: String,
    /// The submit button's text.
    pub submit: String,
    /// Offer "Continue as" the remembered organization: the template and "Forget
    /// this organization".
    pub remembered: Option<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    /// Waiting: the spinner's label.
    pub loading: Option<String>,
    /// `alert` for a screen that is itself the error.
    pub role: Option<&'static str>,
    /// The logo's URL and its alt text.
    pub logo: Option<(String, String)>,
    pub title: Text,
    pub note: Option<Note>,
    pub prompt: Option<Prompt>,
    /// The connections, in a list.
    pub connections: Vec<Button>,
    /// One button after everything else (Retry).
    pub action: Option<Button>,
    /// A link-style button at the bottom.
    pub footer: Option<Button>,
    /// The language menu's HTML (`language::menu`), at the foot of the card.
    pub languages: String,
    /// The request (its query) whose address the screen's `Target::Post` buttons
    /// post to, when any does.
    pub request: Option<String>,
}

/// What changes within a screen.
#[derive(Clone, Copy)]
pub struct Live {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The organizations email discovery found, offered as a list.
    pub choices: RwSignal<Vec<DiscoveredOrganization>>,
    /// The remembered organization's label.
    pub remembered: RwSignal<Option<String>>,
    /// True from the moment the page starts navigating away until it is shown again.
    pub navigating: RwSignal<bool>,
}

fn text(parts: Text) -> impl IntoView {
    parts
        .into_iter()
        .map(|p| {
            if p.tenant {
                Either::Left(view! { <bdi>{p.text}</bdi> })
            } else {
                Either::Right(p.text)
            }
        })
        .collect_view()
}

/// `b` as a link or a button; `post_to` is the address `Target::Post` goes to.
fn button(b: Button, post_to: &str, live: Live, on: Callback<Act>) -> impl IntoView {
    // A custom icon hides the built-in one after it (stylesheet), which comes back if
    // the image fails (`hide_failed`).
    let image = b.icon_url.map(|src| {
        view! {
            <img class="button__icon" src=src alt="" referrerpolicy="no-referrer"
                on:error=crate::browser::hide_failed/>
        }
    });
    let icon = b.icon.map(|d| {
        view! {
            <svg class="button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d=d></path>
            </svg>
        }
    });
    let act = b.act;
    let content = view! { {image}{icon}<span>{text(b.text)}</span> };
    let disabled = move || live.navigating.get();
    // The page does the act; the browser's own handling (follow the link, submit
    // the form) is what happens without a script. Implicit submission (Enter in a
    // form's field) clicks its submit button, so it lands here too.
    let run = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        on.run(act)
    };
    // A form of its own: a database connection's (its email field) or `PostTo`.
    let own_form = match &b.target {
        Target::Post(field, value) if b.email_field.is_some() => {
            Some((post_to.to_owned(), (*field, value.clone())))
        }
        Target::PostTo { query, field } => Some((["?", query].concat(), field.clone())),
        _ => None,
    };
    // One <button> for all but links, so its code is built once.
    let (kind, form, name, value) = match &b.target {
        Target::Submit(name, value) => ("submit", None, Some(*name), Some(value.clone())),
        Target::Post(name, value) if own_form.is_none() => (
            "submit",
            Some(POST_FORM_ID),
            Some(*name),
            Some(value.clone()),
        ),
        Target::Post(..) | Target::PostTo { .. } => ("submit", None, None, None),
        _ => ("button", None, None, None),
    };
    let control = move |content| {
        view! {
            <button type=kind form=form class=b.class name=name value=value disabled=disabled
                on:click=run>
                {content}
            </button>
        }
    };
    if let Some((action, (field, field_value))) = own_form {
        let database = b.email_field.is_some();
        let email = b.email_field.map(|(id, label)| {
            view! {
                <label class="field__label" for=id.clone()>{label}</label>
                <input id=id class="field__input" type="email" name="email"
                    autocomplete="username" inputmode="email"/>
            }
        });
        return Either::Right(Either::Left(view! {
            <form method="post" action=action class:connection=database
                class:connection--database=database>
                <input type="hidden" name=field value=field_value/>
                {email}{control(content)}
            </form>
        }));
    }
    match b.target {
        Target::Link(href) => Either::Left(view! {
            <a class=b.class href=href aria-disabled=move || disabled().then_some("true")
                on:click=run>
                {content}
            </a>
        }),
        _ => Either::Right(Either::Right(control(content))),
    }
}

fn prompt(p: Prompt, live: Live, on: Callback<Act>) -> impl IntoView {
    let remembered = p.remembered.map(|(continue_as, forget)| {
        move || {
            // Built afresh when it changes, as the card is (`Fresh`).
            Fresh(live.remembered.get().map(|label| {
                let continue_as = Button::new(
                    phrase(&continue_as, &[("organization", &label)]),
                    "button button--primary",
                    Target::Script,
                    Act::ContinueAs,
                );
                let forget = Button::new(vec![fixed(&forget)], "link", Target::Script, Act::Forget);
                view! {
                    <div class="remembered">
                        {button(continue_as, "", live, on)}
                        {button(forget, "", live, on)}
                    </div>
                }
            }))
        }
    });
    let choices = move || {
        let found = live
            .choices
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, found)| {
                // Without JavaScript the prompt's form posts the choice, with the
                // email still in the field.
                let choose = Button::new(
                    vec![tenant(found.label())],
                    "button button--connection",
                    Target::Submit("choice", found.name.clone()),
                    Act::Choose(i),
                );
                view! { <li>{button(choose, "", live, on)}</li> }
            })
            .collect_view();
        Fresh(found)
    };
    let action = ["?", &p.query].concat();
    view! {
        {remembered}
        <form class="prompt" method="post" action=action novalidate
            aria-busy=move || if live.busy.get() { "true" } else { "false" }
            on:submit=move |ev| {
                ev.prevent_default();
                on.run(Act::Submit);
            }>
            <div class="field">
                <label class="field__label" for="organization">{p.label}</label>
                <input id="organization" class="field__input" name="organization" type="text"
                    autocomplete="organization" autocapitalize="none" spellcheck="false"
                    aria-invalid=move || if live.error.get().is_some() { "true" } else { "false" }
                    aria-describedby="organization-error" value=p.value/>
                <p id="organization-error" class="field__error" role="alert">
                    {move || live.error.get()}
                </p>
            </div>
            <ul class="choices" hidden=move || live.choices.get().is_empty()>{choices}</ul>
            <button type="submit" class="button button--primary" disabled=move || live.busy.get()>
                {p.submit}
            </button>
        </form>
    }
}

/// The card's content for `card`.
pub fn render(card: Card, live: Live, on: Callback<Act>) -> impl IntoView {
    let Card {
        loading,
        role,
        logo,
        title,
        note,
        prompt: form,
        connections,
        action,
        footer,
        languages,
        request,
    } = card;
    let post_to = request.map(|q| ["?", &q].concat());
    let at = post_to.clone().unwrap_or_default();
    let spinner = loading
        .as_ref()
        .map(|label| view! { <div class="spinner" role="status" aria-label=label.clone()></div> });
    let loading = loading.is_some();
    // The box is there only for a logo that will load, and keeps its height while it
    // does.
    // A logo that fails to load gives way to the name's initial on the primary
    // colour, in the same box: never a broken-image icon, never a shift.
    let logo = logo.map(|(src, alt)| {
        // Upper-cased by the stylesheet (Unicode case tables would cost the wasm KBs).
        let initial: String = alt.chars().take(1).collect();
        view! {
            <div class="logo">
                <img class="logo__img" src=src alt=alt referrerpolicy="no-referrer"
                    on:error=crate::browser::hide_failed/>
                <span class="logo__initial" aria-hidden="true">{initial}</span>
            </div>
        }
    });
    let title = (!title.is_empty()).then(|| view! { <h1 class="card__title">{text(title)}</h1> });
    let note = note.map(|n| {
        let redirecting = n.redirecting;
        view! {
            <p class="card__text" role=n.role class:redirecting=redirecting
                class:redirecting--done=move || redirecting && !live.navigating.get()>
                {text(n.text)}
            </p>
        }
    });
    let form = form.map(|p| prompt(p, live, on));
    let connections = (!connections.is_empty()).then(|| {
        let buttons = connections
            .into_iter()
            .map(|b| button(b, &at, live, on))
            .collect_view();
        view! { <div class="connections">{buttons}</div> }
    });
    let action = action.map(|b| button(b, &at, live, on));
    // A <div>: the footer may hold a form, which a <p> cannot (the parser would
    // close it, and the server's HTML would no longer be the tree that hydrates).
    let footer =
        footer.map(|b| view! { <div class="card__footer">{button(b, &at, live, on)}</div> });
    // The screen's shared form: empty, its buttons name it (`form=`) wherever they are.
    let shared = post_to.map(|action| {
        view! { <form id=POST_FORM_ID method="post" action=action></form> }
    });
    view! {
        <div class="card__body" class:card__body--loading=loading role=role>
            {spinner}{logo}{title}{note}{form}{connections}{action}{footer}{shared}
        </div>
        <div inner_html=languages></div>
    }
}

/// The whole page: `card` in its frame. The browser mounts or hydrates it (`App`);
/// the server renders it for the first paint (docs/design.md#first-paint).
pub fn page(card: RwSignal<Card>, live: Live, on: Callback<Act>) -> impl IntoView {
    view! {
        <main class="page" aria-busy=move || if card.with(|c| c.loading.is_some()) { "true" } else { "false" }>
            <div class="card">
                {move || Fresh(render(card.get(), live, on))}
            </div>
        </main>
    }
}
