//! The HTML shell of every page the server sends: escaping, the injected context's
//! JSON, the CSP with a fresh nonce and the headers HTML responses carry (docs/design.md#security),
//! compression, and the pages the server writes itself (errors, handoff, demo).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine;
use portico_rules::problem::PageError;
use portico_rules::LoginContext;

use super::assets::{brotli, gzip};
use super::lang::Language;
use crate::state::{AppState, Config};

pub use portico_rules::document::{escape_html, script_safe};

/// JSON that is safe inside `<script type="application/json">`: nothing in it can
/// close the element or start a comment, and JS line separators are escaped.
pub fn script_json(ctx: &LoginContext) -> String {
    script_safe(&serde_json::to_string(ctx).unwrap_or_else(|_| "null".into()))
}

pub fn new_nonce() -> String {
    let mut bytes = [0u8; 18];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn csp(nonce: &str, config: &Config) -> String {
    csp_posting_to(nonce, config, None)
}

/// The CSP, with `form_action` (an application's callback origin, for a
/// `form_post` response) allowed as a form target too.
fn csp_posting_to(nonce: &str, config: &Config, form_action: Option<&str>) -> String {
    let form_action = ["'self'"]
        .into_iter()
        .chain(config.authorize_origin())
        .chain(form_action)
        .collect::<Vec<_>>()
        .join(" ");
    // The demo's logos come from this server under the name `localhost`, which an
    // organization subdomain (`acme.localhost`) does not count as 'self'.
    let img_src = if config.demo {
        "'self' https: http://localhost:*"
    } else {
        "'self' https:"
    };
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; img-src {img_src}; connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action {form_action}"
    )
}

/// Whether the request accepts `encoding` (not with `q=0`).
pub fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';');
            let name = parts.next().unwrap_or("").trim();
            let q_zero = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            name.eq_ignore_ascii_case(encoding) && !q_zero
        })
}

/// The CSP and caching of an HTML response; the headers every response carries
/// come from `middleware::security_headers`.
pub fn html_headers(headers: &mut HeaderMap, nonce: &str, config: &Config, no_store: bool) {
    policy_headers(headers, &csp(nonce, config), no_store);
}

fn policy_headers(headers: &mut HeaderMap, csp: &str, no_store: bool) {
    if let Ok(v) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if no_store { "no-store" } else { "no-cache" }),
    );
}

/// An HTML response, compressed as the browser accepts.
pub fn html(
    status: StatusCode,
    body: String,
    nonce: &str,
    config: &Config,
    no_store: bool,
    req_headers: &HeaderMap,
) -> Response {
    html_with_csp(status, body, &csp(nonce, config), no_store, req_headers)
}

fn html_with_csp(
    status: StatusCode,
    body: String,
    csp: &str,
    no_store: bool,
    req_headers: &HeaderMap,
) -> Response {
    let (bytes, encoding) = if accepts(req_headers, "br") {
        (brotli(body.as_bytes(), 5), Some("br"))
    } else if accepts(req_headers, "gzip") {
        // A moderate level: this runs per response, on what a stranger sent too.
        (gzip(body.as_bytes(), 6), Some("gzip"))
    } else {
        (body.into_bytes(), None)
    };
    let mut res = Response::new(Body::from(bytes));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    policy_headers(h, csp, no_store);
    res
}

/// A page the server writes itself (errors, the handoff, the demo's index), in the
/// page's own stylesheet and with the same headers.
pub fn server_page(
    state: &AppState,
    lang: &Language,
    status: StatusCode,
    title: &str,
    inner_html: &str,
    req_headers: &HeaderMap,
) -> Response {
    server_page_styled(state, lang, status, title, "", inner_html, req_headers)
}

/// `server_page` with `css` of its own, in a nonce'd `<style>` after the page's
/// stylesheet.
pub fn server_page_styled(
    state: &AppState,
    lang: &Language,
    status: StatusCode,
    title: &str,
    css: &str,
    inner_html: &str,
    req_headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let style = if css.is_empty() {
        String::new()
    } else {
        format!("<style nonce=\"{nonce}\">{css}</style>")
    };
    let body = document(state, lang, title, &style, inner_html, "");
    html(status, body, &nonce, &state.config, true, req_headers)
}

/// The document of a page the server writes: the page's stylesheet and `head`,
/// `inner_html` in the card, and `after` (a nonce'd script, or nothing) after it, in
/// `lang` (`<html lang dir>`).
fn document(
    state: &AppState,
    lang: &Language,
    title: &str,
    head: &str,
    inner_html: &str,
    after: &str,
) -> String {
    let stylesheet = state
        .assets
        .as_ref()
        .map(|a| a.stylesheet.as_str())
        .unwrap_or("");
    format!(
        "<!doctype html>\n<html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light dark\"><title>{}</title>{stylesheet}{head}</head><body><main class=\"page\"><div class=\"card\"><div class=\"card__body\">{inner_html}</div></div></main>{after}</body></html>",
        lang.tag,
        lang.dir,
        escape_html(title)
    )
}

/// An OAuth response as an auto-posted form (`response_mode=form_post`): `fields` as
/// hidden inputs to `action` (a registered callback), submitted by a nonce'd script,
/// or by the user's click without JavaScript. The CSP lets this one response post
/// to the callback's origin.
pub fn form_post_page(
    state: &AppState,
    lang: &Language,
    action: &str,
    fields: &[(String, String)],
    client_name: &str,
    req_headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape_html(k),
                escape_html(v)
            )
        })
        .collect();
    let t = &lang.strings;
    let inner = format!(
        "<p class=\"card__text\" role=\"status\">{}</p><form method=\"post\" action=\"{}\">{inputs}<noscript><button class=\"button button--primary\" type=\"submit\">{}</button></noscript></form>",
        phrase(t.returning(), &[("application", client_name)], "bdi"),
        escape_html(action),
        escape_html(t.continue_button()),
    );
    let script = format!("<script nonce=\"{nonce}\">document.forms[0].submit()</script>");
    let body = document(state, lang, t.returning_title(), "", &inner, &script);
    let csp = csp_posting_to(&nonce, &state.config, portico_rules::url::origin(action));
    html_with_csp(StatusCode::OK, body, &csp, true, req_headers)
}

/// A problem shown on the page itself, redirecting nowhere.
pub fn error_page(
    state: &AppState,
    lang: &Language,
    status: StatusCode,
    e: PageError,
    req_headers: &HeaderMap,
) -> Response {
    let title = e.title(&lang.strings);
    let inner = format!(
        "<div role=\"alert\"><h1 class=\"card__title\">{}</h1><p class=\"card__text\">{}</p></div>",
        escape_html(title),
        escape_html(&e.message(&lang.strings))
    );
    server_page(state, lang, status, title, &inner, req_headers)
}

/// 503 when the directory cannot be read: never a 404, which would read as "no such
/// organization".
pub fn unavailable_page(state: &AppState, lang: &Language, req_headers: &HeaderMap) -> Response {
    let t = &lang.strings;
    let inner = format!(
        "<div role=\"alert\"><h1 class=\"card__title\">{}</h1><p class=\"card__text\">{}</p></div>",
        escape_html(t.load_failed_title()),
        escape_html(t.unavailable())
    );
    server_page(
        state,
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        t.unavailable_title(),
        &inner,
        req_headers,
    )
}

/// A translated `template` as HTML: our words escaped, each `{placeholder}` named
/// in `args` filled with its value escaped inside `<tag>` — `bdi` for a tenant's
/// text (a right-to-left name cannot reorder the sentence), `code` for a protocol
/// name — and other placeholders left as they are.
pub fn phrase(template: &str, args: &[(&str, &str)], tag: &str) -> String {
    use portico_rules::i18n::{segments, Segment};
    segments(template)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => escape_html(t),
            Segment::Placeholder(p) => match args.iter().find(|(k, _)| *k == p) {
                Some((_, v)) => format!("<{tag}>{}</{tag}>", escape_html(v)),
                None => escape_html(&["{", p, "}"].concat()),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_break_out() {
        let mut ctx: LoginContext =
            serde_json::from_str(include_str!("../../tests/fixtures/context.json")).unwrap();
        ctx.client.name = "</script><script>alert(1)</script>\u{2028}".into();
        let s = script_json(&ctx);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('\u{2028}'));
        let back: LoginContext = serde_json::from_str(&s).unwrap();
        assert_eq!(back.client.name, ctx.client.name);
    }

    #[test]
    fn html_escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
