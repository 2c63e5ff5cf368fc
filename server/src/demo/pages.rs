//! The pages the demo shows, and its routes: `/handoff`, the stand-in for an
//! authorization server that shows exactly the request that would have gone upstream
//! (served only while no `--authorize-url` is set, demo or not: with one, users
//! continue there and nothing goes to `/handoff`), `/callback` (the demo
//! applications' `redirect_uri`, with `--demo`), and the list of flows to try that a
//! bare `/` shows with `--demo`.

use std::net::SocketAddr;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use portico_rules::i18n::Strings;
use portico_rules::query;
use portico_rules::url::encode_component;

use super::CALLBACK;
use crate::state::AppState;
use crate::web::entry::over_bound_page;
use crate::web::lang;
use crate::web::shell::{escape_html, phrase, server_page, server_page_styled};

pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    if state.config.authorize_url.is_none() {
        router = router.route("/handoff", get(handoff));
    }
    if state.config.demo {
        router
            .route("/callback", get(callback))
            .route("/demo/logos/{file}", get(logo))
    } else {
        router
    }
}

/// The demo organizations' logos (`branding.logo_url` points here), so the demo
/// looks as designed without reaching any other host.
async fn logo(Path(file): Path<String>) -> Response {
    let svg = match file.as_str() {
        "acme.svg" => include_str!("logos/acme.svg"),
        "globex.svg" => include_str!("logos/globex.svg"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response()
}

fn try_urls(origin: &str, base_domain: Option<&str>, port: u16) -> Vec<(String, String)> {
    let authorize = |client: &str, extra: &str| {
        format!(
            "{origin}/authorize?client_id={client}&redirect_uri={}&response_type=code&scope=openid%20profile&state=demo-state{extra}",
            encode_component(CALLBACK)
        )
    };
    let mut urls = vec![
        (
            "Organization prompt (require + pre_login_prompt)".into(),
            authorize("demo-require-prompt", ""),
        ),
        (
            "Acme: single enterprise connection, auto-redirect".into(),
            authorize("demo-require-prompt", "&organization=acme"),
        ),
        (
            "Globex: Google + database + enterprise, yellow on dark".into(),
            authorize("demo-require-prompt", "&organization=globex"),
        ),
        (
            "Initech: no branding (default theme)".into(),
            authorize("demo-require-prompt", "&organization=initech"),
        ),
        (
            "Personal login with organization link (allow)".into(),
            authorize("demo-allow", ""),
        ),
        (
            "Personal login only (deny)".into(),
            authorize("demo-deny", ""),
        ),
        (
            "require + no_prompt without organization: error back to the app".into(),
            authorize("demo-require-no-prompt", ""),
        ),
        (
            "Globex in Arabic, right to left (ui_locales=ar; or your browser's language)".into(),
            authorize("demo-require-prompt", "&organization=globex&ui_locales=ar"),
        ),
    ];
    if let Some(base) = base_domain {
        urls.push((
            format!("Subdomain: globex.{base}"),
            format!(
                "http://globex.{base}:{port}/?client_id=demo-require-prompt&redirect_uri={}&response_type=code&state=demo-state",
                encode_component(CALLBACK)
            ),
        ));
    }
    urls
}

/// The command that prints a management token for this server's database. A URL
/// with a password is not printed (stdout ends up in terminals and logs); the command
/// then names the variable to put there instead.
pub fn token_command(database: &str) -> String {
    let has_password = database
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .is_some_and(|(userinfo, _)| userinfo.contains(':'));
    let database = if has_password {
        "\"$DATABASE_URL\"".to_owned()
    } else {
        format!("'{database}'")
    };
    format!("cargo run -q -p portico-server -- token --database {database} --scopes \"read:organizations create:organizations\"")
}

pub fn print_urls(addr: &SocketAddr, base_domain: Option<&str>, database: &str) {
    let origin = format!("http://localhost:{}", addr.port());
    println!("\nPortico is running with the demo tenant on {origin}\n");
    for (what, url) in try_urls(&origin, base_domain, addr.port()) {
        println!("  {what}\n    {url}\n");
    }
    println!(
        "  Management token (same database, so the server accepts it):\n    {}\n",
        token_command(database)
    );
}

/// `/` with no query in demo mode: the list of things to try.
pub fn index(state: &AppState, headers: &HeaderMap) -> Response {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:8080");
    let port = host
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(80);
    let links: String = try_urls("", state.config.base_domain.as_deref(), port)
        .iter()
        .map(|(what, url)| {
            format!(
                "<li><a class=\"link\" href=\"{}\">{}</a></li>",
                escape_html(url),
                escape_html(what)
            )
        })
        .collect();
    let inner = format!("<h1 class=\"card__title\">Portico demo</h1><p class=\"card__text\">Pick a flow to try:</p><ul class=\"demo__links\">{links}</ul>");
    // The demo's own list is for developers trying Portico: English.
    let lang = lang::english();
    server_page(state, lang, StatusCode::OK, "Portico demo", &inner, headers)
}

/// A page listing a request's parameters, as received, in the language the request
/// asks for (its `ui_locales`, else `Accept-Language`).
fn request_page(
    state: &AppState,
    title: impl Fn(&Strings) -> &str,
    intro: impl Fn(&Strings) -> String,
    path: &str,
    query: &str,
    headers: &HeaderMap,
) -> Response {
    let params = match query::read(query) {
        Ok(params) => params,
        Err(e) => return over_bound_page(state, &e, headers),
    };
    let ui_locales = params
        .iter()
        .find(|(k, _)| k == "ui_locales")
        .map(|(_, v)| v.as_str());
    let lang = lang::for_request(&state.config, ui_locales, headers);
    let (title, intro) = (title(&lang.strings), intro(&lang.strings));
    let rows: String = params
        .iter()
        .map(|(k, v)| {
            format!(
                "<tr><th scope=\"row\"><code>{}</code></th><td><code>{}</code></td></tr>",
                escape_html(k),
                escape_html(v)
            )
        })
        .collect();
    let inner = format!(
        "<h1 class=\"card__title\">{}</h1><p class=\"card__text\">{intro}</p><p class=\"request__url\"><code>{path}?{}</code></p><table class=\"request__params\"><tbody>{rows}</tbody></table>",
        escape_html(title),
        escape_html(query)
    );
    let css = include_str!("request.css");
    server_page_styled(state, lang, StatusCode::OK, title, css, &inner, headers)
}

/// The demo's stand-in for an authorization server: shows exactly the request that
/// would have gone upstream.
async fn handoff(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    request_page(
        &state,
        |t| t.handoff_title(),
        |t| phrase(t.handoff_intro(), &[("flag", "--authorize-url")], "code"),
        "/handoff",
        &query.unwrap_or_default(),
        &headers,
    )
}

/// The demo applications' callback: shows what the application would receive.
async fn callback(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    request_page(
        &state,
        |t| t.callback_title(),
        |t| phrase(t.callback_intro(), &[("parameter", "redirect_uri")], "code"),
        "/callback",
        &query.unwrap_or_default(),
        &headers,
    )
}
