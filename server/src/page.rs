//! Serving the page: Trunk's `dist/` from memory with precompressed variants, and the
//! HTML entry points `/authorize` and `/`, which apply the SPEC §4 flow table before
//! answering and inject the login context so the page renders with zero lookups.
//! Every HTML response carries the SPEC §6 security headers with a fresh CSP nonce.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use portico_rules::flow::PageError;
use portico_rules::{
    organization_from_host, resolve_login_screen, AuthorizeRequest, LoginContext, Screen,
};

use crate::error::ApiError;
use crate::login;
use crate::state::{AppState, Config};

/// One file of the built page, with its compressed forms.
struct Asset {
    content_type: &'static str,
    // Bytes: serving a file shares the buffer instead of copying it per request.
    raw: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

/// The built page, loaded once at start.
pub struct Assets {
    files: HashMap<String, Asset>,
    /// `index.html`, with the nonce placeholder on its scripts.
    template: String,
    /// The `<link rel="stylesheet">` tag, reused by server-rendered pages.
    stylesheet: String,
}

const NONCE: &str = "{{PORTICO_NONCE}}";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        let _ = w.write_all(bytes);
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

impl Assets {
    pub fn load(dir: &Path) -> std::io::Result<Assets> {
        let mut files = HashMap::new();
        let mut template = None;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let raw = std::fs::read(entry.path())?;
            if name == "index.html" {
                template = Some(String::from_utf8_lossy(&raw).into_owned());
                continue;
            }
            let asset = Asset {
                content_type: content_type(&name),
                gzip: gzip(&raw).into(),
                brotli: brotli(&raw, 11).into(),
                raw: raw.into(),
            };
            files.insert(format!("/{name}"), asset);
        }
        let template = template.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "{}/index.html is missing: build the page with scripts/build-page.sh",
                    dir.display()
                ),
            )
        })?;
        Ok(Self::from_parts(files, template))
    }

    fn from_parts(files: HashMap<String, Asset>, index: String) -> Assets {
        let template = index
            .replace(
                "<script type=\"module\">",
                &format!("<script type=\"module\" nonce=\"{NONCE}\">"),
            )
            .replace("<script>", &format!("<script nonce=\"{NONCE}\">"));
        let stylesheet = index
            .find("<link rel=\"stylesheet\"")
            .and_then(|start| {
                index[start..]
                    .find('>')
                    .map(|end| index[start..=start + end].to_owned())
            })
            .unwrap_or_default();
        Assets {
            files,
            template,
            stylesheet,
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script type="application/json">`: nothing in it can
/// close the element or start a comment, and JS line separators are escaped.
pub fn script_json(ctx: &LoginContext) -> String {
    serde_json::to_string(ctx)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn new_nonce() -> String {
    let mut bytes = [0u8; 18];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn csp(nonce: &str, config: &Config) -> String {
    let form_action = match config.authorize_origin() {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; img-src 'self' https:; connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action {form_action}"
    )
}

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

fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
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

/// The security headers every HTML response carries.
fn secure_headers(headers: &mut HeaderMap, nonce: &str, config: &Config, no_store: bool) {
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set("content-security-policy", &csp(nonce, config));
    set("x-frame-options", "DENY");
    set("referrer-policy", "no-referrer");
    set("x-content-type-options", "nosniff");
    set(
        "cache-control",
        if no_store { "no-store" } else { "no-cache" },
    );
}

fn html(
    status: StatusCode,
    body: String,
    nonce: &str,
    config: &Config,
    no_store: bool,
    req_headers: &HeaderMap,
) -> Response {
    let (bytes, encoding) = if accepts(req_headers, "br") {
        (brotli(body.as_bytes(), 5), Some("br"))
    } else if accepts(req_headers, "gzip") {
        (gzip(body.as_bytes()), Some("gzip"))
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
    secure_headers(h, nonce, config, no_store);
    res
}

/// A page the server writes itself (errors, the handoff, the demo's index), in the
/// page's own stylesheet and with the same headers.
pub fn server_page(
    state: &AppState,
    status: StatusCode,
    title: &str,
    inner_html: &str,
    req_headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let stylesheet = state
        .assets
        .as_ref()
        .map(|a| a.stylesheet.as_str())
        .unwrap_or("");
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light dark\"><title>{}</title>{stylesheet}</head><body><main class=\"page\"><div class=\"card\"><div class=\"card__body\">{inner_html}</div></div></main></body></html>",
        escape_html(title)
    );
    html(status, body, &nonce, &state.config, true, req_headers)
}

fn error_page(
    state: &AppState,
    status: StatusCode,
    e: PageError,
    req_headers: &HeaderMap,
) -> Response {
    let inner = format!(
        "<div role=\"alert\"><h1 class=\"card__title\">{}</h1><p class=\"card__text\">{}</p></div>",
        escape_html(e.title()),
        escape_html(e.message())
    );
    server_page(state, status, e.title(), &inner, req_headers)
}

fn unavailable_page(state: &AppState, req_headers: &HeaderMap) -> Response {
    let inner = "<div role=\"alert\"><h1 class=\"card__title\">We couldn't load this page</h1><p class=\"card__text\">The login service is temporarily unavailable. Please try again in a moment.</p></div>";
    server_page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        "Temporarily unavailable",
        inner,
        req_headers,
    )
}

/// The host the request was sent to: `X-Forwarded-Host` only behind a trusted proxy.
fn request_host<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    let forwarded = state
        .config
        .trust_proxy
        .then(|| {
            headers
                .get("x-forwarded-host")
                .and_then(|v| v.to_str().ok())
        })
        .flatten();
    forwarded.or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))
}

/// The organization the request names: the parameter, else the host's subdomain.
pub fn requested_organization(
    state: &AppState,
    req: &AuthorizeRequest,
    headers: &HeaderMap,
) -> Option<String> {
    req.organization().map(str::to_owned).or_else(|| {
        let base = state.config.base_domain.as_deref()?;
        organization_from_host(request_host(state, headers)?, base).map(|n| n.into_string())
    })
}

/// `/authorize` and `/`: the flow table, then the page with its context.
pub async fn entry(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let req = AuthorizeRequest::parse(&query);
    let Some(assets) = state.assets.as_ref() else {
        return (
            StatusCode::NOT_FOUND,
            "this server was started without --dist",
        )
            .into_response();
    };
    let Some(client_id) = req.client_id() else {
        if state.config.demo && query.is_empty() {
            return crate::demo::index_page(&state, &headers);
        }
        return error_page(
            &state,
            StatusCode::BAD_REQUEST,
            PageError::MissingClientId,
            &headers,
        );
    };
    let organization = requested_organization(&state, &req, &headers);
    let ctx = match login::context_or_client(
        &state,
        client_id,
        organization.as_deref(),
        req.redirect_uri(),
    )
    .await
    {
        Ok(ctx) => ctx,
        Err(ApiError::NotFound { .. }) => {
            return error_page(
                &state,
                StatusCode::BAD_REQUEST,
                PageError::UnknownClient,
                &headers,
            )
        }
        Err(_) => return unavailable_page(&state, &headers),
    };
    match resolve_login_screen(&req, organization.is_some(), &ctx) {
        Screen::ErrorRedirect(url) => {
            let mut res = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&url) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            secure_headers(res.headers_mut(), &new_nonce(), &state.config, true);
            res
        }
        Screen::Error(e) => error_page(&state, StatusCode::BAD_REQUEST, e, &headers),
        _ => render_page(&state, assets, &req, Some(&ctx), &headers),
    }
}

/// The built page with a fresh nonce on its scripts, the configured base domain, and
/// (when given) the login context injected before `</head>`.
fn render_page(
    state: &AppState,
    assets: &Assets,
    req: &AuthorizeRequest,
    ctx: Option<&LoginContext>,
    headers: &HeaderMap,
) -> Response {
    let nonce = new_nonce();
    let mut body = with_base_domain(&assets.template.replace(NONCE, &nonce), &state.config);
    if let Some(ctx) = ctx {
        let script = format!(
            "<script type=\"application/json\" id=\"portico-context\">{}</script></head>",
            script_json(ctx)
        );
        body = body.replacen("</head>", &script, 1);
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
        return (
            StatusCode::NOT_FOUND,
            "this server was started without --dist",
        )
            .into_response();
    };
    let req = AuthorizeRequest::parse(query.as_deref().unwrap_or(""));
    render_page(&state, assets, &req, None, &headers)
}

fn with_base_domain(html: &str, config: &Config) -> String {
    let base_domain = escape_html(config.base_domain.as_deref().unwrap_or(""));
    html.replace(
        "<meta name=\"portico-base-domain\" content=\"localhost\">",
        &format!("<meta name=\"portico-base-domain\" content=\"{base_domain}\">"),
    )
}

/// A page listing a request's parameters, as received.
fn request_page(
    state: &AppState,
    title: &str,
    intro: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
) -> Response {
    let rows: String = portico_rules::url::parse_query(query)
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
    server_page(state, StatusCode::OK, title, &inner, headers)
}

/// The demo's stand-in for an authorization server: shows exactly the request that
/// would have gone upstream.
pub async fn handoff(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let intro = "No authorization server is configured (<code>--authorize-url</code>), so the login ends here. This is the request that would continue upstream:";
    request_page(
        &state,
        "Handoff",
        intro,
        "/handoff",
        &query.unwrap_or_default(),
        &headers,
    )
}

/// The demo applications' callback: shows what the application would receive.
pub async fn callback(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let intro = "The demo application's redirect_uri. This is what the application received:";
    request_page(
        &state,
        "Back at the application",
        intro,
        "/callback",
        &query.unwrap_or_default(),
        &headers,
    )
}

/// Everything else: a file of the built page, compressed when the browser accepts it.
pub async fn asset(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    let Some(asset) = state.assets.as_ref().and_then(|a| a.files.get(path)) else {
        return ApiError::NotFound {
            code: None,
            message: "Not Found",
        }
        .into_response();
    };
    let headers = req.headers();
    let (bytes, encoding) = if accepts(headers, "br") {
        (asset.brotli.clone(), Some("br"))
    } else if accepts(headers, "gzip") {
        (asset.gzip.clone(), Some("gzip"))
    } else {
        (asset.raw.clone(), None)
    };
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // Trunk names files by content hash, so they never change.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_break_out() {
        let mut ctx: LoginContext =
            serde_json::from_str(include_str!("../tests/fixtures/context.json")).unwrap();
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
