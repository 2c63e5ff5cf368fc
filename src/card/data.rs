//! A screen as data: its text, buttons, prompt and note, what each button asks
//! (`Act`) and where it leads without JavaScript (`Target`), and the signals that
//! change within a screen (`ScreenSignals`).

use leptos::prelude::*;
use portico_rules::DiscoveredOrganization;

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
pub struct ScreenSignals {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The organizations email discovery found, offered as a list.
    pub choices: RwSignal<Vec<DiscoveredOrganization>>,
    /// The remembered organization's label.
    pub remembered: RwSignal<Option<String>>,
    /// True from the moment the page starts navigating away until it is shown again.
    pub navigating: RwSignal<bool>,
}
