//! What each screen says and offers, as a `Card`: plain data, no Leptos. `app`
//! chooses the screen (through the flow table) and `card` draws it.

use portico_rules::i18n::Strings;
use portico_rules::problem::PageError;
use portico_rules::{
    AuthorizeRequest, ConnectionKind, LoginContext, OrganizationUsage, PublicConnection,
    PublicOrganization, Screen,
};

use crate::card::{fixed, phrase, Act, Button, Card, Note, Part, Prompt, Target};
use crate::lookup::LookupError;

/// The card for a screen of the flow table that shows something — the personal
/// login, the prompt, the organization login — the same on the server (its first
/// paint, docs/design.md#first-paint) and in the browser. `host_names_organization`: the host itself
/// names the organization, so there is no address without one. `None` for the other
/// screens, and for an organization login without an organization.
pub fn for_screen(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    screen: &Screen,
    host_names_organization: bool,
    t: &Strings,
) -> Option<Card> {
    Some(match screen {
        Screen::PersonalLogin { offer_organization } => {
            personal_login(req, ctx, *offer_organization, t)
        }
        Screen::Prompt { .. } => {
            // `allow` may go back to the personal login.
            let back = ctx.client.organization_usage == OrganizationUsage::Allow
                && !host_names_organization;
            prompt(req, ctx, req.organization().unwrap_or_default(), back, t)
        }
        Screen::OrganizationLogin { auto_redirect } => {
            let org = ctx.organization.as_ref()?;
            organization_login(req, ctx, org, auto_redirect.as_deref(), t)
        }
        Screen::Error(_) | Screen::ErrorRedirect(_) | Screen::ErrorPost { .. } => return None,
    })
}

/// "Not your organization?" and "Sign in with your organization": the prompt for the
/// request without an organization, posted to the server without JavaScript.
fn to_prompt(req: &AuthorizeRequest, text: &str) -> Button {
    Button::new(
        vec![fixed(text)],
        "link",
        Target::PostTo {
            query: req.with_organization(None).to_query(),
            field: ("step", "prompt".to_owned()),
        },
        Act::ToPrompt,
    )
}

/// Waiting for the context.
pub fn loading(t: &Strings) -> Card {
    Card {
        loading: Some(t.loading().to_owned()),
        ..Card::default()
    }
}

/// A lookup that failed (slow, offline, rate limited, server error, unreadable
/// answer), with a way to try again.
pub fn failure(error: LookupError, t: &Strings) -> Card {
    Card {
        role: Some("alert"),
        title: vec![fixed(t.load_failed_title())],
        note: Some(note(error.message(t), None)),
        action: Some(Button::new(
            vec![fixed(t.retry())],
            "button button--primary",
            Target::Script,
            Act::Retry,
        )),
        ..Card::default()
    }
}

/// A problem the page explains itself, going nowhere (unknown application, an
/// unregistered callback, an unsupported setting).
pub fn problem(p: PageError, t: &Strings) -> Card {
    Card {
        role: Some("alert"),
        title: vec![fixed(p.title(t))],
        note: Some(note(p.message(t), None)),
        ..Card::default()
    }
}

/// On the way back to the application with an error.
pub fn returning(ctx: &LoginContext, t: &Strings) -> Card {
    Card {
        note: Some(Note {
            text: phrase(t.returning(), &[("application", &ctx.client.name)]),
            role: Some("status"),
            redirecting: false,
        }),
        ..Card::default()
    }
}

/// "Enter your organization", with `value` in the field. The name (or, when the
/// application allows it, an email address) is validated before any request.
/// `without_organization` offers the way back to the personal login (`allow`).
pub fn prompt(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    value: &str,
    without_organization: bool,
    t: &Strings,
) -> Card {
    Card {
        logo: client_logo(ctx),
        footer: without_organization.then(|| {
            Button::new(
                vec![fixed(t.continue_without_organization())],
                "link",
                Target::Link(["?", &req.with_organization(None).to_query()].concat()),
                Act::ToPersonal,
            )
        }),
        title: vec![fixed(t.prompt_title())],
        prompt: Some(Prompt {
            query: req.to_query(),
            label: if ctx.client.discovers_by_email() {
                t.prompt_label_name_or_email().to_owned()
            } else {
                t.prompt_label_name().to_owned()
            },
            value: value.to_owned(),
            submit: t.continue_button().to_owned(),
            remembered: Some((
                t.continue_as().to_owned(),
                t.forget_organization().to_owned(),
            )),
        }),
        ..Card::default()
    }
}

/// The organization's themed login: logo, heading, one button per connection, and
/// "Redirecting you to …" when the page is leaving for `redirecting` by itself.
pub fn organization_login(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    org: &PublicOrganization,
    redirecting: Option<&str>,
    t: &Strings,
) -> Card {
    // A logo that breaks the URL rule never became an `HttpsUrl` (dropped when the
    // context was read), so it is not shown.
    let logo = org
        .branding
        .as_ref()
        .and_then(|b| b.logo_url.as_ref())
        .map(|src| (src.as_str().to_owned(), org.label().to_owned()));
    let redirecting = redirecting.map(|name| {
        let to = ctx.connection(name).map_or(name, |c| &c.display_name);
        Note {
            text: phrase(t.redirecting(), &[("connection", to)]),
            role: Some("status"),
            redirecting: true,
        }
    });
    Card {
        logo,
        title: phrase(
            t.organization_login_title(),
            &[
                ("organization", org.label()),
                ("application", &ctx.client.name),
            ],
        ),
        note: redirecting,
        connections: connections(ctx, t),
        action: signup(ctx, t),
        request: (!ctx.connections.is_empty()).then(|| req.to_query()),
        // Only where the application's users may see the prompt (never no_prompt).
        footer: ctx
            .client
            .may_prompt()
            .then(|| to_prompt(req, t.not_your_organization())),
        ..Card::default()
    }
}

/// Login without an organization: the application's own connections, and for
/// `allow` applications a way to the organization prompt.
pub fn personal_login(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    offer_organization: bool,
    t: &Strings,
) -> Card {
    Card {
        logo: client_logo(ctx),
        title: phrase(
            t.personal_login_title(),
            &[("application", &ctx.client.name)],
        ),
        note: ctx
            .connections
            .is_empty()
            .then(|| note(t.no_connections().to_owned(), Some("alert"))),
        connections: connections(ctx, t),
        footer: offer_organization.then(|| to_prompt(req, t.sign_in_with_organization())),
        request: (!ctx.connections.is_empty()).then(|| req.to_query()),
        ..Card::default()
    }
}

/// The application's logo (`logo_uri`), where no organization branding applies:
/// the prompt and the personal login. Its alt text is the application's name.
fn client_logo(ctx: &LoginContext) -> Option<(String, String)> {
    let uri = ctx.client.logo_uri.as_ref()?;
    Some((uri.as_str().to_owned(), ctx.client.name.clone()))
}

/// "Sign up", for the first database connection whose enabled connection allows it
/// (`is_signup_enabled`): continues like its login, with `screen_hint=signup`.
fn signup(ctx: &LoginContext, t: &Strings) -> Option<Button> {
    let i = ctx
        .connections
        .iter()
        .position(|c| c.kind == ConnectionKind::Database && c.is_signup_enabled)?;
    Some(Button::new(
        vec![fixed(t.sign_up())],
        "link",
        Target::Post("signup", ctx.connections[i].name.clone()),
        Act::SignUp(i),
    ))
}

/// The id of a database connection's email field.
pub fn email_field(connection: &PublicConnection) -> String {
    ["email-", &connection.name].concat()
}

/// One "Continue with {connection}" per connection; a database connection gets an
/// email field. Without JavaScript each posts its name to the request's address,
/// which the server answers with the way on (`forward`); a database connection's form
/// carries the typed email too, which continues as `login_hint`.
fn connections(ctx: &LoginContext, t: &Strings) -> Vec<Button> {
    ctx.connections
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let database = c.kind == ConnectionKind::Database;
            Button {
                text: phrase(t.continue_with(), &[("connection", &c.display_name)]),
                class: if database {
                    "button button--primary"
                } else {
                    "button button--connection"
                },
                icon: Some(icon(c)),
                icon_url: c.icon_url.as_ref().map(|u| u.as_str().to_owned()),
                email_field: database.then(|| (email_field(c), t.email_address().to_owned())),
                target: Target::Post("connection", c.name.clone()),
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
        text: vec![Part {
            tenant: false,
            text,
        }],
        role,
        redirecting: false,
    }
}

#[cfg(test)]
mod tests {
    use portico_rules::{
        Branding, ClientInfo, DiscoveryMethod, OrganizationUsage, RequireBehavior,
    };

    use super::*;

    fn req() -> AuthorizeRequest {
        AuthorizeRequest::parse("client_id=app&state=s")
    }

    fn en() -> Strings {
        serde_json::from_str(include_str!("../i18n/en.json")).unwrap()
    }

    fn connection(name: &str, strategy: &str) -> PublicConnection {
        PublicConnection {
            name: name.to_owned(),
            display_name: ["The ", name].concat(),
            strategy: strategy.to_owned(),
            icon_url: None,
            kind: ConnectionKind::from_strategy(strategy),
            is_signup_enabled: false,
        }
    }

    fn context(discovery: bool, connections: Vec<PublicConnection>) -> LoginContext {
        LoginContext {
            redirect_uri_allowed: true,
            client: ClientInfo {
                client_id: "app".to_owned(),
                name: "Acme \u{5d0}pp".to_owned(),
                logo_uri: None,
                organization_usage: OrganizationUsage::parse("require").unwrap(),
                organization_require_behavior: RequireBehavior::parse("pre_login_prompt").unwrap(),
                organization_discovery_methods: if discovery {
                    vec![DiscoveryMethod::parse("email").unwrap()]
                } else {
                    Vec::new()
                },
            },
            organization: None,
            connections,
            hidden_connection: None,
            upstream: Default::default(),
            authorize_url: "https://auth.example.com/authorize".to_owned(),
        }
    }

    fn organization(logo: Option<&str>) -> PublicOrganization {
        PublicOrganization {
            id: "org_1".to_owned(),
            name: "acme".to_owned(),
            display_name: Some("Acme Corp".to_owned()),
            branding: Some(Branding {
                logo_url: logo.map(|u| portico_rules::HttpsUrl::parse(u).unwrap()),
                colors: None,
            }),
        }
    }

    fn plain(text: &[Part]) -> String {
        text.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn organization_login_names_tenants_as_tenant_text() {
        let ctx = context(false, vec![connection("okta", "okta")]);
        let card = organization_login(&req(), &ctx, &organization(None), None, &en());
        assert_eq!(
            plain(&card.title),
            "Log in to Acme Corp to continue to Acme \u{5d0}pp"
        );
        let tenant: Vec<_> = card.title.iter().filter(|p| p.tenant).collect();
        assert_eq!(tenant.len(), 2, "{:?}", card.title);
        assert_eq!(tenant[0].text, "Acme Corp");
        assert_eq!(card.footer.unwrap().act, Act::ToPrompt);
        assert!(card.note.is_none());
    }

    // A logo URL that breaks the rule cannot reach a screen: it never becomes an
    // `HttpsUrl` (rules::url tests; the browser test
    // `unknown_fields_are_ignored_and_invalid_branding_falls_back` end to end).
    #[test]
    fn a_logo_is_shown_with_the_display_name_as_alt() {
        let ctx = context(false, Vec::new());
        let https = organization(Some("https://cdn.example.com/acme.svg"));
        assert_eq!(
            organization_login(&req(), &ctx, &https, None, &en()).logo,
            Some((
                "https://cdn.example.com/acme.svg".to_owned(),
                "Acme Corp".to_owned()
            ))
        );
        assert_eq!(
            organization_login(&req(), &ctx, &organization(None), None, &en()).logo,
            None
        );
    }

    #[test]
    fn connections_keep_their_order_and_a_database_gets_an_email_field() {
        let ctx = context(
            false,
            vec![
                connection("Username-Password", "auth0"),
                connection("google", "google-oauth2"),
            ],
        );
        let card = organization_login(&req(), &ctx, &organization(None), None, &en());
        let [db, google] = &card.connections[..] else {
            panic!("{:?}", card.connections)
        };
        assert_eq!(db.act, Act::Connect(0));
        assert_eq!(
            db.email_field,
            Some((
                "email-Username-Password".to_owned(),
                "Email address".to_owned()
            ))
        );
        assert_eq!(db.class, "button button--primary");
        assert_eq!(google.act, Act::Connect(1));
        assert_eq!(google.email_field, None);
        assert_eq!(plain(&google.text), "Continue with The google");
        assert_ne!(db.icon, google.icon);
    }

    #[test]
    fn redirecting_names_the_connection_by_its_display_name() {
        let ctx = context(false, vec![connection("okta", "okta")]);
        let card = organization_login(&req(), &ctx, &organization(None), Some("okta"), &en());
        let note = card.note.unwrap();
        assert!(note.redirecting);
        assert_eq!(plain(&note.text), "Redirecting you to The okta…");
    }

    #[test]
    fn prompt_label_follows_email_discovery() {
        let by_name = prompt(&req(), &context(false, Vec::new()), "acme", false, &en());
        let p = by_name.prompt.unwrap();
        assert_eq!(
            (p.label.as_str(), p.value.as_str()),
            ("Organization name", "acme")
        );
        let by_email = prompt(&req(), &context(true, Vec::new()), "", false, &en());
        assert_eq!(by_email.prompt.unwrap().label, "Organization name or email");
    }

    // docs/design.md#the-login-flow: "Not your organization?" only where the client may see the prompt
    // (never no_prompt); an `allow` client's prompt offers "Continue without an
    // organization".
    #[test]
    fn the_way_to_the_prompt_and_back_follows_the_client() {
        let mut ctx = context(false, vec![connection("okta", "okta")]);
        let footer = |ctx: &LoginContext| {
            organization_login(&req(), ctx, &organization(None), None, &en())
                .footer
                .map(|b| (plain(&b.text), b.act))
        };
        assert_eq!(
            footer(&ctx),
            Some(("Not your organization?".to_owned(), Act::ToPrompt))
        );
        ctx.client.organization_require_behavior = RequireBehavior::NoPrompt;
        assert_eq!(footer(&ctx), None);
        ctx.client.organization_usage = OrganizationUsage::Allow;
        assert!(footer(&ctx).is_some());
        let back = prompt(&req(), &ctx, "", true, &en()).footer.unwrap();
        assert_eq!(
            (plain(&back.text), back.act),
            (
                "Continue without an organization".to_owned(),
                Act::ToPersonal
            )
        );
        assert!(prompt(&req(), &ctx, "", false, &en()).footer.is_none());
    }

    // docs/design.md#the-login-flow: "The client's logo_uri is shown where no organization branding
    // applies (prompt, personal login)."
    #[test]
    fn the_applications_logo_where_no_organization_branding_applies() {
        let mut ctx = context(false, vec![connection("okta", "okta")]);
        assert_eq!(prompt(&req(), &ctx, "", false, &en()).logo, None);
        ctx.client.logo_uri =
            Some(portico_rules::HttpsUrl::parse("https://app.test/logo.svg").unwrap());
        let logo = Some((
            "https://app.test/logo.svg".to_owned(),
            "Acme \u{5d0}pp".to_owned(),
        ));
        assert_eq!(prompt(&req(), &ctx, "", false, &en()).logo, logo);
        assert_eq!(personal_login(&req(), &ctx, true, &en()).logo, logo);
        // The organization's login shows the organization's logo or none, never the
        // application's.
        assert_eq!(
            organization_login(&req(), &ctx, &organization(None), None, &en()).logo,
            None
        );
    }

    // docs/design.md#the-login-flow: "A database connection whose enabled connection has is_signup_enabled
    // offers 'Sign up', which continues like the login but with screen_hint=signup."
    #[test]
    fn sign_up_only_where_the_database_connection_allows_it() {
        let mut db = connection("Username-Password", "auth0");
        let ctx = context(false, vec![connection("okta", "okta"), db.clone()]);
        assert!(
            organization_login(&req(), &ctx, &organization(None), None, &en())
                .action
                .is_none()
        );
        db.is_signup_enabled = true;
        let ctx = context(false, vec![connection("okta", "okta"), db]);
        let action = organization_login(&req(), &ctx, &organization(None), None, &en())
            .action
            .unwrap();
        assert_eq!(
            (plain(&action.text), action.act),
            ("Sign up".to_owned(), Act::SignUp(1))
        );
    }

    #[test]
    fn personal_login_says_when_there_is_no_way_in() {
        let none = personal_login(&req(), &context(false, Vec::new()), false, &en());
        assert_eq!(none.note.unwrap().role, Some("alert"));
        assert!(none.footer.is_none());
        let some = personal_login(
            &req(),
            &context(false, vec![connection("g", "google-oauth2")]),
            true,
            &en(),
        );
        assert!(some.note.is_none());
        assert_eq!(some.footer.unwrap().act, Act::ToPrompt);
    }

    #[test]
    fn failures_offer_retry_and_problems_do_not() {
        let failed = failure(LookupError::Timeout, &en());
        assert_eq!(failed.role, Some("alert"));
        assert_eq!(failed.action.unwrap().act, Act::Retry);
        let problem = problem(PageError::UnknownClient, &en());
        assert_eq!(problem.role, Some("alert"));
        assert!(problem.action.is_none() && problem.connections.is_empty());
    }
}
