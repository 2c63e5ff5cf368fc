//! The page's entry points: `/authorize` and `/` apply the docs/design.md#the-login-flow flow table before
//! answering, inject the login context so the page needs no lookup, and render the
//! screen for the first paint (`page`); `/index.html` is the page as static files
//! serve it.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_rules::authorize::error_fields;
use portico_rules::problem::PageError;
use portico_rules::query::QueryError;
use portico_rules::{
    organization_from_host, resolve_login_screen, AuthorizeRequest, LoginContext, OrganizationRef,
    Screen,
};

use super::first_paint::{render_first_paint, FirstPaint};
use super::lang;
use super::shell::{error_page, form_post_page, html_headers, new_nonce, unavailable_page};
use crate::error::ApiError;
use crate::login::context::{context_or_client, ContextQuery};
use crate::request;
use crate::state::{AppState, Config};

/// Whether the request names an organization, and which
/// (`rules::host::requested_organization`), read as an id or a name (`None` inside
/// when its text can name none).
pub fn requested_organization(
    config: &Config,
    req: &AuthorizeRequest,
    headers: &HeaderMap,
) -> Option<Option<OrganizationRef>> {
    let named = portico_rules::host::requested_organization(
        req.organization(),
        request::host(headers),
        config.base_domain.as_deref(),
    )?;
    Some(OrganizationRef::parse(&named))
}

pub fn without_dist() -> Response {
    (
        StatusCode::NOT_FOUND,
        "this server was started without --dist",
    )
        .into_response()
}

/// The context for `req` (its organization, when it names one and it is found), and
/// whether it named one; or the page that says why there is none (no `client_id`,
/// an unknown application, the directory unreadable).
pub async fn context_for(
    state: &AppState,
    req: &AuthorizeRequest,
    headers: &HeaderMap,
) -> Result<(LoginContext, bool), Response> {
    let language = || lang::for_request(&state.config, req.get("ui_locales"), headers);
    let Some(client_id) = req.client_id() else {
        return Err(error_page(
            state,
            language(),
            StatusCode::BAD_REQUEST,
            PageError::MissingClientId,
            headers,
        ));
    };
    let organization = requested_organization(&state.config, req, headers);
    let asked = ContextQuery {
        client_id,
        organization: organization.as_ref().and_then(Option::as_ref),
        redirect_uri: req.redirect_uri(),
        connection: req.connection(),
    };
    match context_or_client(state, asked).await {
        Ok(ctx) => Ok((ctx, organization.is_some())),
        Err(ApiError::NotFound { .. }) => Err(error_page(
            state,
            language(),
            StatusCode::BAD_REQUEST,
            PageError::UnknownClient,
            headers,
        )),
        Err(_) => Err(unavailable_page(state, language(), headers)),
    }
}

/// The page for a request whose query crossed one of its bounds (`rules::query`):
/// the error page, 414 or 400, in the language the request's headers ask for (its
/// `ui_locales` was never read), redirecting nowhere. Answered before anything is
/// looked up.
pub fn over_bound_page(state: &AppState, e: &QueryError, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let language = lang::for_request(&state.config, None, headers);
    error_page(state, language, status, PageError::RequestTooLarge, headers)
}

/// Whether the host itself names an organization (under `--base-domain`).
pub fn host_names_organization(config: &Config, headers: &HeaderMap) -> bool {
    let host = request::host(headers);
    match (config.base_domain.as_deref(), host) {
        (Some(base), Some(host)) => organization_from_host(host, base).is_some(),
        _ => false,
    }
}

/// `/authorize` and `/`: the flow table, then the page with its context and the
/// screen rendered (docs/design.md#first-paint).
pub async fn entry(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let req = AuthorizeRequest::parse(&query);
    if let Some(e) = req.over_bound() {
        return over_bound_page(&state, e, &headers);
    }
    let language = || lang::for_request(&state.config, req.get("ui_locales"), &headers);
    let (ctx, requested) = match context_for(&state, &req, &headers).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    match resolve_login_screen(&req, requested, &ctx) {
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
        // docs/design.md#the-login-flow, Silent requests: never UI (OIDC Core §3.1.2.1); what the flow table
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
        screen => match state.assets.as_ref() {
            Some(assets) => {
                let first = FirstPaint {
                    ctx: &ctx,
                    screen,
                    host_names_organization: host_names_organization(&state.config, &headers),
                    posted: None,
                };
                render_first_paint(
                    &state,
                    assets,
                    &req,
                    &query,
                    Some(first),
                    StatusCode::OK,
                    &headers,
                )
            }
            None => without_dist(),
        },
    }
}

/// A `302` to `url`, with the headers (CSP, no-store) of the page it stands in for.
fn redirect(state: &AppState, url: &str) -> Response {
    redirect_with(state, StatusCode::FOUND, url)
}

/// A redirect (`status`) to `url`, with the headers of the page it stands in for.
pub fn redirect_with(state: &AppState, status: StatusCode, url: &str) -> Response {
    let mut res = status.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    html_headers(res.headers_mut(), &new_nonce(), &state.config, true);
    res
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
    let query = query.unwrap_or_default();
    let req = AuthorizeRequest::parse(&query);
    if let Some(e) = req.over_bound() {
        return over_bound_page(&state, e, &headers);
    }
    render_first_paint(&state, assets, &req, &query, None, StatusCode::OK, &headers)
}
