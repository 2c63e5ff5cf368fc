//! What each screen says and offers, as a `Card`: plain data, no Leptos. `app`
//! chooses the screen (through the flow table) and `card` draws it.

use portico_rules::flow::PageError;
use portico_rules::url::validate_https_url;
use portico_rules::{ConnectionKind, LoginContext, PublicConnection, PublicOrganization};

use crate::api::ApiError;
use crate::card::{fixed, tenant, Act, Button, Card, Note, Prompt};

/// The message for a name that is valid but not an organization the user can log in
/// to. It never says whether the organization exists elsewhere.
pub const INVALID_ORGANIZATION: &str = "The organization you entered is invalid";

/// Waiting for the context.
pub fn loading() -> Card {
    Card {
        loading: true,
        ..Card::default()
    }
}

/// A lookup that failed (slow, offline, rate limited, server error, unreadable
/// answer), with a way to try again.
pub fn failure(error: ApiError) -> Card {
    Card {
        role: Some("alert"),
        title: vec![fixed("We couldn't load this page")],
        note: Some(note(error.message(), None)),
        action: Some(button(
            vec![fixed("Retry")],
            "button button--primary",
            Act::Retry,
        )),
        ..Card::default()
    }
}

/// A problem the page explains itself, going nowhere (unknown application, an
/// unregistered callback, an unsupported setting).
pub fn problem(p: PageError) -> Card {
    Card {
        role: Some("alert"),
        title: vec![fixed(p.title())],
        note: Some(note(p.message().to_owned(), None)),
        ..Card::default()
    }
}

/// On the way back to the application with an error.
pub fn returning(ctx: &LoginContext) -> Card {
    Card {
        note: Some(Note {
            text: vec![
                fixed("Returning you to "),
                tenant(&ctx.client.name),
                fixed("…"),
            ],
            role: Some("status"),
            redirecting: false,
        }),
        ..Card::default()
    }
}

/// "Enter your organization", with `value` in the field. The name (or, when the
/// application allows it, an email address) is validated before any request.
pub fn prompt(ctx: &LoginContext, value: &str) -> Card {
    Card {
        title: vec![fixed("Enter your organization")],
        prompt: Some(Prompt {
            label: if ctx.client.discovers_by_email() {
                "Organization name or email"
            } else {
                "Organization name"
            },
            value: value.to_owned(),
            remembered: true,
        }),
        ..Card::default()
    }
}

/// The organization's themed login: logo, heading, one button per connection, and
/// "Redirecting you to …" when the page is leaving for `redirecting` by itself.
pub fn organization_login(
    ctx: &LoginContext,
    org: &PublicOrganization,
    redirecting: Option<&str>,
) -> Card {
    // A logo that breaks the URL rule (old data, another backend) is not shown.
    let logo = org
        .branding
        .as_ref()
        .and_then(|b| b.logo_url.clone())
        .filter(|u| validate_https_url(u).is_ok())
        .map(|src| (src, org.label().to_owned()));
    let redirecting = redirecting.map(|name| {
        let to = ctx
            .connections
            .iter()
            .find(|c| c.name == name)
            .map_or(name, |c| &c.display_name);
        Note {
            text: vec![fixed("Redirecting you to "), tenant(to), fixed("…")],
            role: Some("status"),
            redirecting: true,
        }
    });
    Card {
        logo,
        title: vec![
            fixed("Log in to "),
            tenant(org.label()),
            fixed(" to continue to "),
            tenant(&ctx.client.name),
        ],
        note: redirecting,
        connections: connections(&ctx.connections),
        footer: Some(button(
            vec![fixed("Not your organization?")],
            "link",
            Act::ToPrompt,
        )),
        ..Card::default()
    }
}

/// Login without an organization: the application's own connections, and for
/// `allow` applications a way to the organization prompt.
pub fn personal_login(ctx: &LoginContext, offer_organization: bool) -> Card {
    Card {
        title: vec![fixed("Log in to continue to "), tenant(&ctx.client.name)],
        note: ctx.connections.is_empty().then(|| {
            note(
                "This application has no way to log in yet.".to_owned(),
                Some("alert"),
            )
        }),
        connections: connections(&ctx.connections),
        footer: offer_organization.then(|| {
            button(
                vec![fixed("Sign in with your organization")],
                "link",
                Act::ToPrompt,
            )
        }),
        ..Card::default()
    }
}

/// The id of a database connection's email field.
pub fn email_field(connection: &PublicConnection) -> String {
    ["email-", &connection.name].concat()
}

/// One "Continue with {connection}" per connection; a database connection gets an
/// email field.
fn connections(connections: &[PublicConnection]) -> Vec<Button> {
    connections
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let database = c.kind == ConnectionKind::Database;
            Button {
                text: vec![fixed("Continue with "), tenant(&c.display_name)],
                class: if database {
                    "button button--primary"
                } else {
                    "button button--connection"
                },
                icon: Some(icon(c)),
                email_field: database.then(|| email_field(c)),
                act: Act::Connect(i),
            }
        })
        .collect()
}

/// The small icon beside "Continue with …", chosen by strategy.
fn icon(c: &PublicConnection) -> &'static str {
    match (c.kind, c.strategy.as_str()) {
        (_, "google-oauth2") => "M12 11v3h5c-.4 2-2.3 4-5 4a6 6 0 1 1 4-10.5l2.2-2.2A9 9 0 1 0 21 12c0-.4 0-.7-.1-1z",
        (_, "github") => "M12 2a10 10 0 0 0-3.2 19.5c.5.1.7-.2.7-.5v-1.7c-2.8.6-3.4-1.3-3.4-1.3-.4-1.1-1.1-1.4-1.1-1.4-.9-.6.1-.6.1-.6 1 .1 1.5 1 1.5 1 .9 1.5 2.3 1.1 2.9.8.1-.6.3-1.1.6-1.3-2.2-.3-4.6-1.1-4.6-5a3.9 3.9 0 0 1 1-2.7c-.1-.2-.4-1.3.1-2.7 0 0 .8-.3 2.8 1a9.5 9.5 0 0 1 5 0c1.9-1.3 2.8-1 2.8-1 .5 1.4.2 2.5.1 2.7a3.9 3.9 0 0 1 1 2.7c0 3.9-2.3 4.7-4.6 5 .4.3.7.9.7 1.9V21c0 .3.2.6.7.5A10 10 0 0 0 12 2z",
        (ConnectionKind::Database, _) => "M4 5h16v14H4zm1.5 1.5v.6l6.5 4.6 6.5-4.6v-.6zm0 2.4v8.6h13V8.9L12 13.5z",
        _ => "M4 21V3h10v5h6v13zm2-2h2v-2H6zm0-4h2v-2H6zm0-4h2V9H6zm0-4h2V5H6zm4 12h2v-2h-2zm0-4h2v-2h-2zm0-4h2V9h-2zm0-4h2V5h-2zm4 12h4v-2h-4zm0-4h4v-2h-4zm0-4h4v-1h-4z",
    }
}

fn note(text: String, role: Option<&'static str>) -> Note {
    Note {
        text: vec![crate::card::Part {
            tenant: false,
            text,
        }],
        role,
        redirecting: false,
    }
}

fn button(text: crate::card::Text, class: &'static str, act: Act) -> Button {
    Button {
        text,
        class,
        icon: None,
        email_field: None,
        act,
    }
}
