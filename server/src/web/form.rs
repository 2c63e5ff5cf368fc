//! The page's forms, posted without JavaScript (docs/design.md#first-paint): the organization prompt, a
//! connection's button (a database connection's with its email), "Sign up", and the
//! way to the prompt. Each is answered as the page answers the same form, by the same
//! rules (`flow::read_prompt`, `flow::after_prompt`, `flow::forward`): a `303` to
//! the next address, or the prompt rendered again with what was typed and why it was
//! refused.
//!
//! Every form posts to the address of the request it belongs to: the request is the
//! address's query (read within the same bounds as every public query), so the page it
//! gets back is at the address it renders, and the body holds only what was chosen or
//! typed.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use portico_rules::flow::{after_prompt, forward, read_prompt, Discovered, PromptEntry};
use portico_rules::problem::PageError;
use portico_rules::{
    normalize_prompt_input, query, resolve_login_screen, AuthorizeRequest, ConnectionKind,
    LoginContext, OrganizationName, Screen,
};

use super::entry::{
    context_for, host_names_organization, over_bound_page, redirect_with, without_dist,
};
use super::first_paint::{render_first_paint, FirstPaint, PostedPrompt};
use super::lang;
use super::shell::{error_page, unavailable_page};
use crate::login::discover;
use crate::state::AppState;

/// The longest body a form of the page can post: a few short fields (a typed name or
/// email, a connection's name). The request itself is in the address.
pub const MAX_FORM: usize = 4 * 1024;

/// `POST /authorize` and `POST /`.
pub async fn submit(
    State(state): State<AppState>,
    uri: Uri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Read no more of the body than a form of the page can be.
    let body = axum::body::to_bytes(body, MAX_FORM).await;
    let query = query.unwrap_or_default();
    let req = AuthorizeRequest::parse(&query);
    if let Some(e) = req.over_bound() {
        return over_bound_page(&state, e, &headers);
    }
    if req.repeats_a_parameter() {
        let language = lang::for_request(&state.config, req.get("ui_locales"), &headers);
        let e = PageError::RepeatedParameter;
        return error_page(&state, language, StatusCode::BAD_REQUEST, e, &headers);
    }
    let form = match body.as_deref().map(std::str::from_utf8) {
        Ok(Ok(text)) => query::read(text).map_err(|_| StatusCode::BAD_REQUEST),
        Ok(Err(_)) => Err(StatusCode::BAD_REQUEST),
        // Over `MAX_FORM` (or broken off): larger than any form of the page.
        Err(_) => Err(StatusCode::PAYLOAD_TOO_LARGE),
    };
    let form = match form {
        Ok(form) => form,
        Err(status) => {
            let language = lang::for_request(&state.config, req.get("ui_locales"), &headers);
            return error_page(
                &state,
                language,
                status,
                PageError::RequestTooLarge,
                &headers,
            );
        }
    };
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let posted = PostedForm {
        state: &state,
        headers: &headers,
        path: uri.path(),
        query: &query,
        req,
    };
    if let Some(connection) = field("connection") {
        return posted.connect(connection, field("email"), false).await;
    }
    if let Some(connection) = field("signup") {
        return posted.connect(connection, None, true).await;
    }
    if field("step") == Some("prompt") || field("organization").is_some() {
        return posted.prompt(field("organization"), field("choice")).await;
    }
    posted.next(&posted.req)
}

/// One posted form.
struct PostedForm<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    /// Where it was posted: `/authorize` or `/`.
    path: &'a str,
    /// The query of the address it was posted to, as sent: the request.
    query: &'a str,
    req: AuthorizeRequest,
}

impl PostedForm<'_> {
    /// `303` to the page for `req`, on the path the form was posted to.
    fn next(&self, req: &AuthorizeRequest) -> Response {
        let url = [self.path, "?", &req.to_query()].concat();
        redirect_with(self.state, StatusCode::SEE_OTHER, &url)
    }

    /// A connection's button: on to its identity provider, as the page's click
    /// continues — a database connection's with the typed email as `login_hint`,
    /// "Sign up" (`signup`, a database connection) asking for the sign-up screen.
    async fn connect(&self, connection: &str, email: Option<&str>, signup: bool) -> Response {
        let (ctx, requested) = match context_for(self.state, &self.req, self.headers).await {
            Ok(found) => found,
            Err(page) => return page,
        };
        // The same screen the form was on decides whether the organization comes.
        let with_organization = match resolve_login_screen(&self.req, requested, &ctx) {
            Screen::OrganizationLogin { .. } => true,
            Screen::PersonalLogin { .. } => false,
            _ => return self.next(&self.req),
        };
        // Only what the screen offered: one of its connections, sign-up where allowed.
        let Some(c) = ctx
            .connections
            .iter()
            .find(|c| c.name == connection)
            .filter(|c| !signup || (c.kind == ConnectionKind::Database && c.is_signup_enabled))
        else {
            return self.next(&self.req);
        };
        let database = c.kind == ConnectionKind::Database;
        let hint = email.map(str::trim).filter(|e| database && !e.is_empty());
        let req = if signup {
            self.req.for_signup()
        } else {
            self.req.clone()
        };
        let url = forward(&req, &ctx, with_organization, &c.name, hint);
        redirect_with(self.state, StatusCode::SEE_OTHER, &url)
    }

    /// The prompt: shown (`step=prompt`, "Not your organization?"), or its name or
    /// email answered.
    async fn prompt(&self, input: Option<&str>, choice: Option<&str>) -> Response {
        let ctx = match context_for(self.state, &self.req, self.headers).await {
            // The prompt belongs to the application alone.
            Ok((ctx, _)) => LoginContext {
                organization: None,
                ..ctx
            },
            Err(page) => return page,
        };
        if !ctx.client.may_prompt() {
            return self.next(&self.req);
        }
        let Some(input) = input else {
            return self.render(&ctx, String::new(), None, Vec::new(), StatusCode::OK);
        };
        let language =
            lang::for_request(&self.state.config, self.req.get("ui_locales"), self.headers);
        let t = &language.strings;
        // One of the organizations discovery offered, with the email still typed.
        if let Some(choice) = choice {
            let Ok(name) = OrganizationName::parse(choice) else {
                return self.next(&self.req);
            };
            let email = normalize_prompt_input(input);
            let email = email.contains('@').then_some(email.as_str());
            return self.next(&after_prompt(&self.req, name.as_str(), email));
        }
        let refused = |error: String| {
            self.render(
                &ctx,
                input.to_owned(),
                Some(error),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        };
        match read_prompt(input, ctx.client.discovers_by_email()) {
            PromptEntry::Name(name) => self.next(&after_prompt(&self.req, name.as_str(), None)),
            PromptEntry::Invalid(e) => refused(e.in_language(t)),
            PromptEntry::Email(email) => match discover::for_email(self.state, &email).await {
                Err(_) => unavailable_page(self.state, language, self.headers),
                Ok(found) => match Discovered::from_found(found) {
                    Discovered::Nothing => refused(t.invalid_organization().to_owned()),
                    Discovered::One(name) => {
                        self.next(&after_prompt(&self.req, &name, Some(&email)))
                    }
                    Discovered::Several(found) => {
                        self.render(&ctx, input.to_owned(), None, found, StatusCode::OK)
                    }
                },
            },
        }
    }

    /// The prompt for this request, as posted.
    fn render(
        &self,
        ctx: &LoginContext,
        value: String,
        error: Option<String>,
        choices: Vec<portico_rules::DiscoveredOrganization>,
        status: StatusCode,
    ) -> Response {
        let Some(assets) = self.state.assets.as_ref() else {
            return without_dist();
        };
        let first = FirstPaint {
            ctx,
            screen: Screen::Prompt { invalid: false },
            host_names_organization: host_names_organization(&self.state.config, self.headers),
            posted: Some(PostedPrompt {
                value,
                error,
                choices,
            }),
        };
        render_first_paint(
            self.state,
            assets,
            &self.req,
            self.query,
            Some(first),
            status,
            self.headers,
        )
    }
}
