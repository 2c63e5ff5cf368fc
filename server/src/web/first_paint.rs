//! The page as the server sends it: the built `index.html` with a fresh nonce on its
//! scripts, the configured base domain, the request's language (docs/design.md#languages), the login
//! context, and the first paint (docs/design.md#first-paint): the screen the flow table chose, rendered
//! into `#portico-root` by the page's own components (`portico::card`, feature
//! `ssr`), themed by a nonce'd `<style>`. The page's script hydrates it; without a
//! script it works as it is (links and forms).

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use portico::card::{self, ScreenSignals};
use portico::screens;
use portico_rules::context::DiscoveredOrganization;
use portico_rules::document::{
    BASE_DOMAIN_DEFAULT, BASE_DOMAIN_META, CONTEXT_ELEMENT_ID, LANGUAGES_ATTRIBUTE,
    NONCE_PLACEHOLDER, PROMPT_ELEMENT_ID, ROOT_ELEMENT_ID, STRINGS_ELEMENT_ID,
};
use portico_rules::{flow, i18n};
use portico_rules::{AuthorizeRequest, LoginContext, Screen, Theme};
use serde::Serialize;

use super::assets::Assets;
use super::lang::{self, Language};
use super::shell::{escape_html, html, new_nonce, script_json, script_safe};
use crate::state::{AppState, Config};

/// What the server renders for the first paint.
pub struct FirstPaint<'a> {
    pub ctx: &'a LoginContext,
    /// The personal login, the prompt or the organization login.
    pub screen: Screen,
    /// The host itself names the organization (no address without one).
    pub host_names_organization: bool,
    /// The prompt after its form was posted (docs/design.md#first-paint), when it was.
    pub posted: Option<PostedPrompt>,
}

/// The prompt's state after its form was posted: what was typed, why it was refused,
/// the organizations discovery offered. The page reads the same from
/// `#portico-prompt` (`lookup::posted_prompt`) so that it hydrates the same tree.
#[derive(Serialize)]
pub struct PostedPrompt {
    pub value: String,
    pub error: Option<String>,
    #[serde(rename = "organizations")]
    pub choices: Vec<DiscoveredOrganization>,
}

/// Whether a request is part of a login transaction: never stored by a cache.
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

/// The page for `req` at the address whose query is `query`, with `first` rendered
/// in it when given; without it (static files) the page chooses its language and
/// looks up its context itself.
pub fn render_first_paint(
    state: &AppState,
    assets: &Assets,
    req: &AuthorizeRequest,
    query: &str,
    first: Option<FirstPaint>,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let mut body = with_base_domain(
        &assets.template.replace(NONCE_PLACEHOLDER, &nonce),
        &state.config,
    );
    if let Some(first) = first {
        let language = lang::for_request(&state.config, req.get("ui_locales"), headers);
        body = body.replacen(
            "<html lang=\"en\">",
            &format!("<html lang=\"{}\" dir=\"{}\">", language.tag, language.dir),
            1,
        );
        let enabled = lang::enabled(&state.config);
        if let Some(screen) = first_screen(req, &first, language, enabled, query) {
            body = into_root(&body, &screen);
            // It works without a script: "JavaScript is needed" would be untrue.
            body = without_noscript(&body);
            // The screen paints and works from the HTML and CSS alone; the wasm must
            // not take their bandwidth (or a script-less visitor's at all). The
            // loader fetches it when it runs.
            body = without_wasm_preload(&body);
        }
        let mut head = format!(
            "<script type=\"application/json\" id=\"{STRINGS_ELEMENT_ID}\" {LANGUAGES_ATTRIBUTE}=\"{}\">{}</script><script type=\"application/json\" id=\"{CONTEXT_ELEMENT_ID}\">{}</script>",
            enabled.join(" "),
            language.script,
            script_json(first.ctx)
        );
        if let Some(posted) = &first.posted {
            let json = serde_json::to_string(posted).unwrap_or_else(|_| "null".into());
            head.push_str(&format!(
                "<script type=\"application/json\" id=\"{PROMPT_ELEMENT_ID}\">{}</script>",
                script_safe(&json)
            ));
        }
        head.push_str(&theme_style(&first, &nonce));
        body = body.replacen("</head>", &[&head, "</head>"].concat(), 1);
    }
    html(
        status,
        body,
        &nonce,
        &state.config,
        is_transaction(req),
        headers,
    )
}

/// The screen's HTML, as `portico::App` renders it first for the same request and
/// context: the card `screens::for_screen` builds, the language menu, the prompt's
/// error. `None` for a screen with nothing to render.
fn first_screen(
    req: &AuthorizeRequest,
    first: &FirstPaint,
    language: &Language,
    enabled: &[&str],
    query: &str,
) -> Option<String> {
    let t = &language.strings;
    let mut card = screens::for_screen(
        req,
        first.ctx,
        &first.screen,
        first.host_names_organization,
        t,
    )?;
    if enabled.len() > 1 {
        card.languages = i18n::menu_html(t.language_menu(), language.tag, enabled, query);
    }
    let mut error = flow::prompt_error(&first.screen, t);
    let mut choices = Vec::new();
    if let Some(posted) = &first.posted {
        if let Some(prompt) = card.prompt.as_mut() {
            prompt.value = posted.value.clone();
        }
        error = posted.error.clone();
        choices = posted.choices.clone();
    }
    // As leptos_axum renders: an owner whose shared context writes the hydration
    // markers the page's `hydrate_from` walks.
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    Some(owner.with(|| {
        let signals = ScreenSignals {
            busy: RwSignal::new(false),
            error: RwSignal::new(error),
            choices: RwSignal::new(choices),
            remembered: RwSignal::new(None),
            navigating: RwSignal::new(false),
        };
        card::frame(RwSignal::new(card), signals, Callback::new(|_| {})).to_html()
    }))
}

/// `screen` as the content of the root element, with no whitespace around it: the
/// hydration cursor walks the root's children as they are.
fn into_root(body: &str, screen: &str) -> String {
    let marker = ["id=\"", ROOT_ELEMENT_ID, "\""].concat();
    let Some(open_end) = body
        .find(&marker)
        .and_then(|at| body[at..].find('>').map(|end| at + end + 1))
    else {
        return body.to_owned();
    };
    [&body[..open_end], screen, &body[open_end..]].concat()
}

fn without_noscript(body: &str) -> String {
    match (body.find("<noscript>"), body.find("</noscript>")) {
        (Some(start), Some(end)) if start < end => {
            [&body[..start], &body[end + "</noscript>".len()..]].concat()
        }
        _ => body.to_owned(),
    }
}

/// `body` without the `<link rel=preload>` of the wasm that Trunk writes.
fn without_wasm_preload(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<link ") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        out.push_str(&rest[..start]);
        let preload = tag.contains("rel=preload") || tag.contains("rel=\"preload\"");
        if !(preload && tag.contains(".wasm")) {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The theme the page would set on the document root (`theme::apply`), as a nonce'd
/// `<style>`: the organization login wears the organization's colours, every other
/// screen the default theme.
fn theme_style(first: &FirstPaint, nonce: &str) -> String {
    let colors = flow::branding(first.ctx, &first.screen).and_then(|b| b.colors.as_ref());
    let declarations: String = Theme::root_properties(colors)
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}:{value};"))
        .collect();
    format!("<style nonce=\"{nonce}\">:root{{{declarations}}}</style>")
}

pub fn with_base_domain(html: &str, config: &Config) -> String {
    let base_domain = escape_html(config.base_domain.as_deref().unwrap_or(""));
    html.replace(
        &format!("<meta name=\"{BASE_DOMAIN_META}\" content=\"{BASE_DOMAIN_DEFAULT}\">"),
        &format!("<meta name=\"{BASE_DOMAIN_META}\" content=\"{base_domain}\">"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wasm_preload_goes() {
        let head = "<link href=/p.css rel=stylesheet><link crossorigin href=/p.js rel=modulepreload><link as=fetch crossorigin href=/p_bg.wasm integrity=sha384-x rel=preload type=application/wasm></head>";
        assert_eq!(
            without_wasm_preload(head),
            "<link href=/p.css rel=stylesheet><link crossorigin href=/p.js rel=modulepreload></head>"
        );
        assert_eq!(without_wasm_preload("<p>no links</p>"), "<p>no links</p>");
    }
}
