//! The page's entry points: `/authorize` and `/` apply the SPEC §4 flow table before
//! answering and inject the login context so the page renders with zero lookups;
//! `/index.html` is the page as static files serve it.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_rules::authorize::error_fields;
use portico_rules::flow::PageError;
use portico_rules::page::{
    BASE_DOMAIN_DEFAULT, BASE_DOMAIN_META, CONTEXT_ELEMENT_ID, LANGUAGES_ATTRIBUTE,
    NONCE_PLACEHOLDER, STRINGS_ELEMENT_ID,
};
use portico_rules::{
    organization_from_host, resolve_login_screen, AuthorizeRequest, LoginContext, OrganizationRef,
    Screen,
};

use super::assets::Assets;
use super::lang;
use super::shell::{
    error_page, escape_html, form_post_page, html, html_headers, new_nonce, script_json,
    unavailable_page,
};
use crate::error::ApiError;
use crate::login::context::{context_or_client, Wanted};
use crate::request;
use crate::state::{AppState, Config};

/// Query parameters that make a URL part of a login transaction: never cached.
fn is_transaction(req: &AuthorizeRequest) -> bool {
    [
        "client_id",
        "state",
        "nonce",
        "code_challenge",
        "login_hint",
        "redirect_uri",
        "invitation",
    ]
    .iter()
    .any(|p| req.get(p).is_some())
}

/// Whether the request names an organization, and which: the parameter (`None`
/// inside when its text can name none), else the host's subdomain.
pub fn requested_organization(
    config: &Config,
    req: &AuthorizeRequest,
    headers: &HeaderMap,
) -> Option<Option<OrganizationRef>> {
    if let Some(param) = req.organization() {
        return Some(OrganizationRef::parse(param));
    }
    let base = config.base_domain.as_deref()?;
    let host = request::host(headers, config.trust_proxy)?;
    organization_from_host(host, base).map(|name| Some(OrganizationRef::Name(name)))
}

fn without_dist() -> Response {
    (
        StatusCode::NOT_FOUND,
        "this server was started without --dist",
    )
        .into_response()
}

/// `/authorize` and `/`: the flow table, then the page with its context.
pub async fn entry(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let req = AuthorizeRequest::parse(&query);
    let language = || lang::for_request(&state.config, req.get("ui_locales"), &headers);
    let Some(client_id) = req.client_id() else {
        return error_page(
            &state,
            language(),
            StatusCode::BAD_REQUEST,
            PageError::MissingClientId,
            &headers,
        );
    };
    let organization = requested_organization(&state.config, &req, &headers);
    let wanted = Wanted {
        client_id,
        organization: organization.as_ref().and_then(Option::as_ref),
        redirect_uri: req.redirect_uri(),
        connection: req.connection(),
    };
    let ctx = match context_or_client(&state, wanted).await {
        Ok(ctx) => ctx,
        Err(ApiError::NotFound { .. }) => {
            return error_page(
                &state,
                language(),
                StatusCode::BAD_REQUEST,
                PageError::UnknownClient,
                &headers,
            )
        }
        Err(_) => return unavailable_page(&state, language(), &headers),
    };
    match resolve_login_screen(&req, organization.is_some(), &ctx) {
        Screen::ErrorRedirect(url) => redirect(&state, &url),
        Screen::ErrorPost {
            action,
            description,
        } => {
            let fields = error_fields("invalid_request", description, req.state());
            form_post_page(
                &state,
                language(),
                &action,
                &fields,
                &ctx.client.name,
                &headers,
            )
        }
        Screen::Error(e) => error_page(&state, language(), StatusCode::BAD_REQUEST, e, &headers),
        // SPEC §4, Silent requests: never UI (OIDC Core §3.1.2.1); what the flow table
        // does not reject goes upstream at once, and the authorization server, which
        // holds the session, decides.
        _ if req.is_silent() => {
            let found = ctx
                .organization
                .as_ref()
                .map(|o| (o.id.as_str(), o.name.as_str()));
            redirect(
                &state,
                &req.build_silent_redirect(&ctx.authorize_url, ctx.upstream, found),
            )
        }
        _ => match state.assets.as_ref() {
            Some(assets) => render_page(&state, assets, &req, Some(&ctx), &headers),
            None => without_dist(),
        },
    }
}

/// A `302` to `url`, with the headers (CSP, no-store) of the page it stands in for.
fn redirect(state: &AppState, url: &str) -> Response {
    let mut res = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    html_headers(res.headers_mut(), &new_nonce(), &state.config, true);
    res
}

/// The built page with a fresh nonce on its scripts, the configured base domain, the
/// request's language (`<html lang dir>`, and its strings with the enabled languages
/// for the menu, SPEC §9) and the login context, before `</head>`, when given one.
fn render_page(
    state: &AppState,
    assets: &Assets,
    req: &AuthorizeRequest,
    ctx: Option<&LoginContext>,
    headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let mut body = with_base_domain(
        &assets.template.replace(NONCE_PLACEHOLDER, &nonce),
        &state.config,
    );
    // Static files carry neither: the page then chooses and fetches its language
    // itself (`static_page`, SPEC §9).
    if let Some(ctx) = ctx {
        let language = lang::for_request(&state.config, req.get("ui_locales"), headers);
        body = body.replacen(
            "<html lang=\"en\">",
            &format!("<html lang=\"{}\" dir=\"{}\">", language.tag, language.dir),
            1,
        );
        // What shows with JavaScript off (index.html's <noscript>), in the language too.
        body = body.replacen(
            lang::english().strings.javascript_needed(),
            &escape_html(language.strings.javascript_needed()),
            1,
        );
        let head = format!(
            "<script type=\"application/json\" id=\"{STRINGS_ELEMENT_ID}\" {LANGUAGES_ATTRIBUTE}=\"{}\">{}</script><script type=\"application/json\" id=\"{CONTEXT_ELEMENT_ID}\">{}</script></head>",
            lang::enabled(&state.config).join(" "),
            language.script,
            script_json(ctx)
        );
        body = body.replacen("</head>", &head, 1);
    }
    html(
        StatusCode::OK,
        body,
        &nonce,
        &state.config,
        is_transaction(req),
        headers,
    )
}

/// The page as static files serve it: no flow table, no injected context, so the page
/// fetches `/login/context` itself (one lookup). Same headers as every HTML response.
pub async fn static_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(assets) = state.assets.as_ref() else {
        return without_dist();
    };
    let req = AuthorizeRequest::parse(query.as_deref().unwrap_or(""));
    render_page(&state, assets, &req, None, &headers)
}

fn with_base_domain(html: &str, config: &Config) -> String {
    let base_domain = escape_html(config.base_domain.as_deref().unwrap_or(""));
    html.replace(
        &format!("<meta name=\"{BASE_DOMAIN_META}\" content=\"{BASE_DOMAIN_DEFAULT}\">"),
        &format!("<meta name=\"{BASE_DOMAIN_META}\" content=\"{base_domain}\">"),
    )
}
