//! Serving the page: the built files from memory (`assets`), the HTML shell and its
//! headers (`shell`), the entry points that apply the flow table (`entry`), the page
//! with its first screen rendered (`first_paint`), and its forms posted without JavaScript
//! (`form`).

pub mod assets;
pub mod entry;
pub mod first_paint;
pub mod form;
pub mod lang;
pub mod shell;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// `/authorize`, `/index.html` and the built files. `/` is the entry too; `app`
/// routes it, since the demo answers a bare `/` with its list of flows.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/authorize", get(entry::entry).post(form::submit))
        .route("/index.html", get(entry::static_page))
        .route("/favicon.ico", get(favicon))
        .fallback(asset)
}

/// Portico's own icon (a portico, 32 px), for every page the server answers, with or
/// without `--dist`. Organizations' branding has no icon of its own (Auth0's shape
/// has none), so the tab shows Portico's.
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/x-icon"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        &include_bytes!("favicon.ico")[..],
    )
        .into_response()
}

/// Everything else: a file of the built page, compressed when the browser accepts it.
async fn asset(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    let Some(asset) = state.assets.as_ref().and_then(|a| a.file(path)) else {
        return ApiError::NotFound {
            code: None,
            message: "Not Found",
        }
        .into_response();
    };
    let headers = req.headers();
    let (bytes, encoding) = if shell::accepts(headers, "br") {
        (asset.brotli.clone(), Some("br"))
    } else if shell::accepts(headers, "gzip") {
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
    // Trunk names files by content hash, so they never change; the language files
    // keep their names (`i18n/fr.json`) and may change with a new release.
    let cache = if path.starts_with("/i18n/") {
        "public, max-age=3600"
    } else {
        "public, max-age=31536000, immutable"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    res
}
