//! The docs/design.md#the-login-flow flow table as one pure function: from the authorization request and
//! the public context to the screen the user sees. The page renders it; the server
//! applies the same function before answering `/authorize` and `/`.

use crate::authorize::{error_fragment, error_redirect, AuthorizeRequest, Choice, ResponseMode};
use crate::context::{
    Branding, ConnectionKind, DiscoveredOrganization, LoginContext, OrganizationUsage,
    RequireBehavior,
};
use crate::i18n::Strings;
use crate::name::{normalize_prompt_input, NameError, OrganizationName};
use crate::problem::PageError;

/// What the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Shown on the page; nothing is redirected.
    Error(PageError),
    /// Back to the application with an OAuth error (a registered callback only), in
    /// the query or the fragment as the request's `response_mode` asks.
    ErrorRedirect(String),
    /// The same as an auto-posted form (`response_mode=form_post`) to `action`:
    /// `error_fields("invalid_request", description, state)`. The server writes the
    /// form; the page hands the request to it.
    ErrorPost {
        action: String,
        description: &'static str,
    },
    /// The client's own connections; `offer_organization` adds "Sign in with your
    /// organization" (usage `allow`).
    PersonalLogin { offer_organization: bool },
    /// "Enter your organization"; `invalid` after an organization that was not found.
    Prompt { invalid: bool },
    /// The organization's themed login. `auto_redirect` names the connection to go to
    /// at once: the one the request asked for, or the only (enterprise) one.
    OrganizationLogin { auto_redirect: Option<String> },
}

pub const ORGANIZATION_NOT_ALLOWED: &str = "parameter organization is not allowed for this client";
pub const ORGANIZATION_REQUIRED: &str = "parameter organization is required for this client";
pub const ORGANIZATION_INVALID: &str = "parameter organization is invalid";

/// The flow table. `organization_requested` is true when the request or the host
/// named an organization; `ctx.organization` is that organization when it was found.
pub fn resolve_login_screen(
    req: &AuthorizeRequest,
    organization_requested: bool,
    ctx: &LoginContext,
) -> Screen {
    // RFC 6749 §3.1: a parameter must not appear twice. Never redirected anywhere:
    // which of the two values would be the application's? Nor is a request over the
    // query's bounds: it was never read.
    if let Some(refused) = req.refusal() {
        return Screen::Error(refused);
    }
    if req.client_id().is_none() {
        return Screen::Error(PageError::MissingClientId);
    }
    let redirect_uri = match req.redirect_uri() {
        Some(uri) if ctx.redirect_uri_allowed => uri,
        _ => return Screen::Error(PageError::RedirectUriNotAllowed),
    };
    let fail = |description: &'static str| {
        let (error, state) = ("invalid_request", req.state());
        match req.response_mode() {
            ResponseMode::Query => {
                Screen::ErrorRedirect(error_redirect(redirect_uri, error, description, state))
            }
            ResponseMode::Fragment => {
                Screen::ErrorRedirect(error_fragment(redirect_uri, error, description, state))
            }
            ResponseMode::FormPost => Screen::ErrorPost {
                action: redirect_uri.to_owned(),
                description,
            },
        }
    };
    let client = &ctx.client;
    match (client.organization_usage, organization_requested) {
        (OrganizationUsage::Deny, true) => fail(ORGANIZATION_NOT_ALLOWED),
        (OrganizationUsage::Deny, false) => Screen::PersonalLogin {
            offer_organization: false,
        },
        (_, true) => match &ctx.organization {
            Some(_) => Screen::OrganizationLogin {
                auto_redirect: auto_redirect(req, ctx),
            },
            // Seeds 001/002: with no_prompt, "requests without a valid organization
            // parameter will be rejected"; no prompt is ever shown to such a client.
            None if client.organization_usage == OrganizationUsage::Require
                && client.organization_require_behavior == RequireBehavior::NoPrompt =>
            {
                fail(ORGANIZATION_INVALID)
            }
            None => Screen::Prompt { invalid: true },
        },
        (OrganizationUsage::Allow, false) => Screen::PersonalLogin {
            offer_organization: true,
        },
        (OrganizationUsage::Require, false) => match client.organization_require_behavior {
            RequireBehavior::NoPrompt => fail(ORGANIZATION_REQUIRED),
            RequireBehavior::PreLoginPrompt => Screen::Prompt { invalid: false },
            RequireBehavior::PostLoginPrompt => {
                Screen::Error(PageError::PostLoginPromptUnsupported)
            }
        },
    }
}

/// A connection to continue to without asking: the one the request names, if the
/// organization has it enabled, shown or hidden (Auth0 behaves so: docs/design.md#the-login-flow,
/// "Connections in detail"); otherwise the organization's only connection when that
/// is an enterprise one. Never when a database or social option would be hidden.
fn auto_redirect(req: &AuthorizeRequest, ctx: &LoginContext) -> Option<String> {
    if let Some(asked) = req.connection() {
        if let Some(c) = ctx.connection(asked) {
            return Some(c.name.clone());
        }
    }
    match ctx.connections.as_slice() {
        [only] if only.kind == ConnectionKind::Enterprise => Some(only.name.clone()),
        _ => None,
    }
}

/// What was typed into the organization prompt, read the same way whether the page
/// handles the form or the server answers it posted without JavaScript (docs/design.md#first-paint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptEntry {
    /// An email address, where the application discovers organizations by email.
    Email(String),
    /// A valid name: its login is the next address, whether the organization exists
    /// or not (the flow table answers an unknown one with the prompt, marked).
    Name(OrganizationName),
    /// Not a name: the field says why, and nothing is looked up.
    Invalid(NameError),
}

/// Reads the prompt's `input` (trimmed, lowercased) for an application that does or
/// does not discover organizations by email.
pub fn read_prompt(input: &str, discovers_by_email: bool) -> PromptEntry {
    let input = normalize_prompt_input(input);
    if discovers_by_email && input.contains('@') {
        return PromptEntry::Email(input);
    }
    match OrganizationName::parse(&input) {
        Ok(name) => PromptEntry::Name(name),
        Err(e) => PromptEntry::Invalid(e),
    }
}

/// The context a screen is decided on (docs/design.md#the-public-login-api): the named
/// organization's when it is one to log in to, else the application's own, so the flow
/// table can apply the application's rules (an unknown organization, the prompt).
/// `look_up(Some(organization))` or `look_up(None)` asks for one context, `Ok(None)`
/// when that organization is not one to log in to; the page asks over HTTP, the server
/// its database.
pub async fn context_for_screen<O, E, F, Fut>(
    organization: Option<O>,
    look_up: F,
) -> Result<Option<LoginContext>, E>
where
    F: Fn(Option<O>) -> Fut,
    Fut: core::future::Future<Output = Result<Option<LoginContext>, E>>,
{
    if let Some(named) = organization {
        if let Some(ctx) = look_up(Some(named)).await? {
            return Ok(Some(ctx));
        }
    }
    look_up(None).await
}

/// What the prompt does with the organizations email discovery found
/// (docs/design.md#the-login-flow), on the page and on the server alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    /// None: the same answer as an unknown name.
    Nothing,
    /// One: on to it, the email as `login_hint` (`after_prompt`).
    One(String),
    /// Several: offered to choose from.
    Several(Vec<DiscoveredOrganization>),
}

impl Discovered {
    pub fn from_found(mut found: Vec<DiscoveredOrganization>) -> Self {
        match found.len() {
            0 => Discovered::Nothing,
            1 => Discovered::One(found.remove(0).name),
            _ => Discovered::Several(found),
        }
    }
}

/// The prompt's error as `screen` first shows it: the organization the request named
/// was not found. The page and the server's first paint start from the same one.
pub fn prompt_error(screen: &Screen, t: &Strings) -> Option<String> {
    matches!(screen, Screen::Prompt { invalid: true }).then(|| t.invalid_organization().to_owned())
}

/// The branding `screen` wears (docs/design.md#theming): the organization's on its
/// login, none elsewhere (the default theme).
pub fn branding<'a>(ctx: &'a LoginContext, screen: &Screen) -> Option<&'a Branding> {
    match screen {
        Screen::OrganizationLogin { .. } => ctx.organization.as_ref()?.branding.as_ref(),
        _ => None,
    }
}

/// Where continuing with `connection` leads (docs/design.md#the-login-flow, the way
/// on): `AuthorizeRequest::forward` to the context's `authorize_url`, with the
/// context's organization when `with_organization` (the organization login) and
/// `hint` as `login_hint`. The page's click and the server's answer to a posted
/// connection button both go here.
pub fn forward(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    with_organization: bool,
    connection: &str,
    hint: Option<&str>,
) -> String {
    let org = ctx.organization.as_ref().filter(|_| with_organization);
    let choice = Choice {
        organization: org.map(|o| (o.id.as_str(), o.name.as_str())),
        connection: Some(connection),
        login_hint: hint,
    };
    req.forward(&ctx.authorize_url, ctx.upstream, &choice)
}

/// The address the prompt leads to for organization `name`: the same request with
/// `organization` set, and the email it was discovered by as `login_hint`.
pub fn after_prompt(req: &AuthorizeRequest, name: &str, email: Option<&str>) -> AuthorizeRequest {
    let next = req.with_organization(Some(name));
    match email {
        Some(email) => next.with_login_hint(email),
        None => next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::*;

    fn ctx(usage: OrganizationUsage, behavior: RequireBehavior, org: bool) -> LoginContext {
        LoginContext {
            redirect_uri_allowed: true,
            client: ClientInfo {
                client_id: "app".into(),
                name: "App".into(),
                logo_uri: None,
                organization_usage: usage,
                organization_require_behavior: behavior,
                organization_discovery_methods: vec![DiscoveryMethod::OrganizationName],
            },
            organization: org.then(|| PublicOrganization {
                id: "org_1".into(),
                name: "acme".into(),
                display_name: Some("Acme".into()),
                branding: None,
            }),
            connections: vec![conn("acme-okta", ConnectionKind::Enterprise)],
            hidden_connection: None,
            upstream: Default::default(),
            authorize_url: "https://t/authorize".into(),
        }
    }

    fn conn(name: &str, kind: ConnectionKind) -> PublicConnection {
        PublicConnection {
            name: name.into(),
            display_name: name.into(),
            strategy: "oidc".into(),
            icon_url: None,
            kind,
            is_signup_enabled: false,
        }
    }

    const REQ: &str = "client_id=app&redirect_uri=https%3A%2F%2Fapp%2Fcb&state=xyz";

    fn screen(
        usage: OrganizationUsage,
        behavior: RequireBehavior,
        requested: bool,
        found: bool,
    ) -> Screen {
        let req = AuthorizeRequest::parse(REQ);
        resolve_login_screen(&req, requested, &ctx(usage, behavior, found))
    }

    use OrganizationUsage::*;
    use RequireBehavior::*;

    #[test]
    fn every_row_of_the_flow_table() {
        assert_eq!(
            screen(Deny, NoPrompt, false, false),
            Screen::PersonalLogin {
                offer_organization: false
            }
        );
        assert_eq!(
            screen(Deny, NoPrompt, true, true),
            Screen::ErrorRedirect("https://app/cb?error=invalid_request&error_description=parameter%20organization%20is%20not%20allowed%20for%20this%20client&state=xyz".into())
        );
        assert_eq!(
            screen(Allow, NoPrompt, false, false),
            Screen::PersonalLogin {
                offer_organization: true
            }
        );
        for usage in [Allow, Require] {
            assert_eq!(
                screen(usage, NoPrompt, true, true),
                Screen::OrganizationLogin {
                    auto_redirect: Some("acme-okta".into())
                }
            );
            assert_eq!(
                screen(usage, PreLoginPrompt, true, false),
                Screen::Prompt { invalid: true }
            );
        }
        assert_eq!(
            screen(Require, NoPrompt, false, false),
            Screen::ErrorRedirect("https://app/cb?error=invalid_request&error_description=parameter%20organization%20is%20required%20for%20this%20client&state=xyz".into())
        );
        // docs/design.md#the-login-flow, require + not found + no_prompt ("requests without a
        // valid organization parameter will be rejected"): back to the application,
        // never the prompt; allow + not found still prompts.
        assert_eq!(
            screen(Require, NoPrompt, true, false),
            Screen::ErrorRedirect("https://app/cb?error=invalid_request&error_description=parameter%20organization%20is%20invalid&state=xyz".into())
        );
        assert_eq!(
            screen(Allow, NoPrompt, true, false),
            Screen::Prompt { invalid: true }
        );
        assert_eq!(
            screen(Require, PreLoginPrompt, false, false),
            Screen::Prompt { invalid: false }
        );
        assert_eq!(
            screen(Require, PostLoginPrompt, false, false),
            Screen::Error(PageError::PostLoginPromptUnsupported)
        );
    }

    // docs/design.md#the-login-flow: error redirects "in the query, or in the fragment or as an auto-posted
    // form when the request's response_mode is fragment or form_post".
    #[test]
    fn error_responses_follow_the_response_mode() {
        let c = ctx(Require, NoPrompt, false);
        let base = "client_id=app&redirect_uri=https%3A%2F%2Fapp%2Fcb&state=xyz";
        let screen = |extra: &str| {
            resolve_login_screen(
                &AuthorizeRequest::parse(&format!("{base}{extra}")),
                false,
                &c,
            )
        };
        assert_eq!(
            screen("&response_mode=fragment"),
            Screen::ErrorRedirect("https://app/cb#error=invalid_request&error_description=parameter%20organization%20is%20required%20for%20this%20client&state=xyz".into())
        );
        assert_eq!(
            screen("&response_mode=form_post"),
            Screen::ErrorPost {
                action: "https://app/cb".into(),
                description: ORGANIZATION_REQUIRED,
            }
        );
        assert!(
            matches!(screen(""), Screen::ErrorRedirect(u) if u.starts_with("https://app/cb?error="))
        );
    }

    // docs/design.md#the-login-flow: "A request that repeats a parameter is rejected with an error page
    // (RFC 6749 §3.1), never redirected."
    #[test]
    fn a_repeated_parameter_is_an_error_page() {
        let c = ctx(Require, NoPrompt, false);
        for query in [
            "client_id=app&redirect_uri=https%3A%2F%2Fapp%2Fcb&state=a&state=b",
            "client_id=app&client_id=other&redirect_uri=https%3A%2F%2Fapp%2Fcb",
            "client_id=app&redirect_uri=https%3A%2F%2Fapp%2Fcb&organization=a&organization=b",
        ] {
            assert_eq!(
                resolve_login_screen(&AuthorizeRequest::parse(query), true, &c),
                Screen::Error(PageError::RepeatedParameter),
                "{query}"
            );
        }
    }

    #[test]
    fn never_redirects_to_an_unregistered_callback() {
        let mut c = ctx(Require, NoPrompt, false);
        c.redirect_uri_allowed = false;
        let req = AuthorizeRequest::parse(REQ);
        assert_eq!(
            resolve_login_screen(&req, false, &c),
            Screen::Error(PageError::RedirectUriNotAllowed)
        );
        let req = AuthorizeRequest::parse("client_id=app");
        assert_eq!(
            resolve_login_screen(&req, false, &ctx(Require, NoPrompt, false)),
            Screen::Error(PageError::RedirectUriNotAllowed)
        );
        let req = AuthorizeRequest::parse("redirect_uri=x");
        assert_eq!(
            resolve_login_screen(&req, false, &c),
            Screen::Error(PageError::MissingClientId)
        );
    }

    #[test]
    fn auto_redirect_only_when_nothing_is_hidden() {
        let req = AuthorizeRequest::parse(REQ);
        let mut c = ctx(Require, NoPrompt, true);
        c.connections
            .push(conn("google-oauth2", ConnectionKind::Social));
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: None
            }
        );
        c.connections = vec![conn("db", ConnectionKind::Database)];
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: None
            }
        );
        // The request may name one of the organization's connections.
        c.connections = vec![
            conn("db", ConnectionKind::Database),
            conn("okta", ConnectionKind::Enterprise),
        ];
        let req = AuthorizeRequest::parse(&format!("{REQ}&connection=okta"));
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: Some("okta".into())
            }
        );
        let req = AuthorizeRequest::parse(&format!("{REQ}&connection=other"));
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: None
            }
        );
    }

    // docs/design.md#the-login-flow, Connections in detail: "A connection hidden from buttons … stays
    // usable: a request whose `connection` names one of the organization's
    // connections, hidden or not, continues to it at once (Auth0 behaves so)."
    #[test]
    fn a_hidden_connection_the_request_names_continues_at_once() {
        let mut c = ctx(Require, NoPrompt, true);
        c.connections = vec![conn("db", ConnectionKind::Database)];
        c.hidden_connection = Some(conn("secret-saml", ConnectionKind::Enterprise));
        let req = AuthorizeRequest::parse(&format!("{REQ}&connection=secret-saml"));
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: Some("secret-saml".into())
            }
        );
        // Without the request naming it, the hidden one is neither drawn nor chosen.
        c.connections.clear();
        let req = AuthorizeRequest::parse(REQ);
        assert_eq!(
            resolve_login_screen(&req, true, &c),
            Screen::OrganizationLogin {
                auto_redirect: None
            }
        );
    }

    #[test]
    fn the_prompt_reads_names_emails_and_mistakes() {
        let name = |s: &str| PromptEntry::Name(OrganizationName::parse(s).unwrap());
        assert_eq!(read_prompt("  Acme ", false), name("acme"));
        assert_eq!(
            read_prompt("", true),
            PromptEntry::Invalid(NameError::Empty)
        );
        assert_eq!(
            read_prompt("acme corp", false),
            PromptEntry::Invalid(NameError::InvalidCharacter)
        );
        assert_eq!(
            read_prompt(&"a".repeat(51), false),
            PromptEntry::Invalid(NameError::TooLong)
        );
        // An email address is one only where the application discovers by email.
        assert_eq!(
            read_prompt(" Jane@Acme.test", true),
            PromptEntry::Email("jane@acme.test".into())
        );
        assert_eq!(
            read_prompt("jane@acme.test", false),
            PromptEntry::Invalid(NameError::InvalidCharacter)
        );
    }

    #[test]
    fn after_the_prompt_the_request_names_the_organization_and_keeps_the_rest() {
        let req = AuthorizeRequest::parse("client_id=a&organization=old&state=s%2F1&login_hint=x");
        assert_eq!(
            after_prompt(&req, "acme", None).to_query(),
            "client_id=a&state=s%2F1&login_hint=x&organization=acme"
        );
        assert_eq!(
            after_prompt(&req, "acme", Some("jane@acme.test")).to_query(),
            "client_id=a&state=s%2F1&organization=acme&login_hint=jane%40acme.test"
        );
    }

    // The page and the server's first paint start a screen from these
    // (docs/design.md#first-paint).
    #[test]
    fn only_the_organization_login_wears_branding() {
        let mut c = ctx(
            OrganizationUsage::Require,
            RequireBehavior::PreLoginPrompt,
            true,
        );
        let colors = BrandingColors {
            primary: crate::HexColor::parse("#0059d6").unwrap(),
            page_background: crate::HexColor::parse("#eee").unwrap(),
        };
        c.organization.as_mut().unwrap().branding = Some(Branding {
            logo_url: None,
            colors: Some(colors),
        });
        let login = Screen::OrganizationLogin {
            auto_redirect: None,
        };
        assert_eq!(
            branding(&c, &login),
            c.organization.as_ref().unwrap().branding.as_ref()
        );
        let personal = Screen::PersonalLogin {
            offer_organization: true,
        };
        assert!(branding(&c, &personal).is_none());
        assert!(branding(&c, &Screen::Prompt { invalid: true }).is_none());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn only_an_unknown_name_starts_the_prompt_in_error() {
        let en: Strings = serde_json::from_str(include_str!("../../i18n/en.json")).unwrap();
        assert_eq!(
            prompt_error(&Screen::Prompt { invalid: true }, &en).as_deref(),
            Some("The organization you entered is invalid")
        );
        assert_eq!(prompt_error(&Screen::Prompt { invalid: false }, &en), None);
        let login = Screen::OrganizationLogin {
            auto_redirect: None,
        };
        assert_eq!(prompt_error(&login, &en), None);
    }

    #[test]
    fn discovery_continues_with_one_and_offers_several() {
        let found = |names: &[&str]| {
            names
                .iter()
                .map(|n| DiscoveredOrganization {
                    name: (*n).into(),
                    display_name: None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(Discovered::from_found(Vec::new()), Discovered::Nothing);
        assert_eq!(
            Discovered::from_found(found(&["acme"])),
            Discovered::One("acme".into())
        );
        assert_eq!(
            Discovered::from_found(found(&["acme", "globex"])),
            Discovered::Several(found(&["acme", "globex"]))
        );
    }

    #[test]
    fn the_way_on_carries_the_organization_only_from_its_login() {
        let c = ctx(
            OrganizationUsage::Require,
            RequireBehavior::PreLoginPrompt,
            true,
        );
        let req = AuthorizeRequest::parse("client_id=app&state=s");
        assert_eq!(
            forward(&req, &c, true, "acme-okta", Some("jo@acme.test")),
            "https://t/authorize?client_id=app&state=s&organization=org_1&connection=acme-okta&login_hint=jo%40acme.test"
        );
        assert_eq!(
            forward(&req, &c, false, "acme-okta", None),
            "https://t/authorize?client_id=app&state=s&connection=acme-okta"
        );
    }

    /// Runs a future that is ready at once (the lookups below answer without waiting).
    fn ready<T>(f: impl core::future::Future<Output = T>) -> T {
        let mut f = core::pin::pin!(f);
        let mut cx = core::task::Context::from_waker(core::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            core::task::Poll::Ready(v) => v,
            core::task::Poll::Pending => panic!("the lookup waited"),
        }
    }

    #[test]
    fn an_organization_not_found_falls_back_to_the_application() {
        let asked = core::cell::RefCell::new(Vec::new());
        let look_up = |org: Option<&'static str>| {
            asked.borrow_mut().push(org);
            let found = match org {
                Some("acme") | None => Some(ctx(Require, PreLoginPrompt, org.is_some())),
                Some(_) => None,
            };
            async move { Ok::<_, ()>(found) }
        };
        let found = ready(context_for_screen(Some("acme"), look_up))
            .unwrap()
            .unwrap();
        assert!(found.organization.is_some());
        assert_eq!(*asked.borrow(), [Some("acme")], "one lookup when found");
        asked.borrow_mut().clear();
        let fallback = ready(context_for_screen(Some("nope"), look_up))
            .unwrap()
            .unwrap();
        assert!(fallback.organization.is_none());
        assert_eq!(*asked.borrow(), [Some("nope"), None]);
        asked.borrow_mut().clear();
        ready(context_for_screen(None, look_up)).unwrap();
        assert_eq!(*asked.borrow(), [None], "no organization, one lookup");
        let failing = |_: Option<&str>| async { Err::<Option<LoginContext>, _>("down") };
        assert_eq!(
            ready(context_for_screen(Some("acme"), failing)),
            Err("down")
        );
    }
}
