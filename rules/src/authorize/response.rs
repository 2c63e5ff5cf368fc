//! The way back: how a response, and an error response, reach the application
//! (docs/design.md#the-login-flow).

use super::forward::{append_query, encode_pairs};
use super::request::AuthorizeRequest;

/// How a response goes back to the application: in the query (the default for
/// `code`), in the fragment (`response_mode=fragment`) or as an auto-posted form
/// (`response_mode=form_post`, OAuth 2.0 Form Post Response Mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

impl AuthorizeRequest {
    /// The request's `response_mode`; anything else (absent, `query`, modes Portico
    /// does not answer in) is the query.
    pub fn response_mode(&self) -> ResponseMode {
        match self.get("response_mode") {
            Some("fragment") => ResponseMode::Fragment,
            Some("form_post") => ResponseMode::FormPost,
            _ => ResponseMode::Query,
        }
    }
}

/// The fields of an OAuth error response, in order: `error`, `error_description`,
/// and `state` when the request had one.
pub fn error_fields(error: &str, description: &str, state: Option<&str>) -> Vec<(String, String)> {
    [("error", error), ("error_description", description)]
        .into_iter()
        .chain(state.map(|s| ("state", s)))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The error response in the fragment: `redirect_uri` (its own fragment dropped),
/// `#`, the fields.
pub fn error_fragment(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let base = redirect_uri.split('#').next().unwrap_or(redirect_uri);
    let fields = error_fields(error, description, state);
    let pairs = encode_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    [base, "#", &pairs].concat()
}

/// The OAuth error redirect back to the application (RFC 6749 §4.1.2.1): only ever
/// called with a `redirect_uri` that is exactly one of the client's callbacks.
pub fn error_redirect(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let pairs = [("error", error), ("error_description", description)]
        .into_iter()
        .chain(state.map(|s| ("state", s)));
    append_query(redirect_uri, &encode_pairs(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_modes() {
        let mode = |q: &str| AuthorizeRequest::parse(q).response_mode();
        assert_eq!(mode(""), ResponseMode::Query);
        assert_eq!(mode("response_mode=query"), ResponseMode::Query);
        assert_eq!(mode("response_mode=fragment"), ResponseMode::Fragment);
        assert_eq!(mode("response_mode=form_post"), ResponseMode::FormPost);
        assert_eq!(mode("response_mode=web_message"), ResponseMode::Query);
        assert_eq!(
            error_fragment("https://app/cb?v=1#old", "e", "d x", Some("s&t")),
            "https://app/cb?v=1#error=e&error_description=d%20x&state=s%26t"
        );
        assert_eq!(
            error_fields("e", "d", None),
            [
                ("error".to_owned(), "e".to_owned()),
                ("error_description".to_owned(), "d".to_owned())
            ]
        );
    }

    #[test]
    fn error_redirects() {
        assert_eq!(
            error_redirect("https://app/cb", "invalid_request", "parameter organization is required for this client", Some("x y")),
            "https://app/cb?error=invalid_request&error_description=parameter%20organization%20is%20required%20for%20this%20client&state=x%20y"
        );
        assert_eq!(
            error_redirect("https://app/cb?v=1", "e", "d", None),
            "https://app/cb?v=1&error=e&error_description=d"
        );
    }
}
