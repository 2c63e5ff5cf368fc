//! The request as the application sent it: read once, bounded, each name once, and
//! written back byte for byte (docs/design.md#the-login-flow).

use crate::problem::PageError;
use crate::query::{self, QueryError};
use crate::url::encode_component;

/// The parameters Portico itself sets on the outgoing redirect; originals of these are
/// replaced, never repeated.
pub(super) const SET_BY_PORTICO: [&str; 2] = ["organization", "connection"];

/// An authorization request: the decoded query parameters, in order, each name once.
///
/// A request that repeats a parameter is not a valid OAuth request (RFC 6749 §3.1:
/// "Request and response parameters MUST NOT be included more than once"); the flow
/// table rejects it with an error page (`refusal`). The first occurrence is what
/// `params` keeps, so nothing built from such a request could ever differ from what
/// was checked. A query over one of `query`'s bounds is refused too, and keeps no
/// parameter at all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorizeRequest {
    params: Vec<(String, String)>,
    /// Each parameter as it was sent (`name=value`), where that is plain URL text;
    /// `None` for what Portico set, or text it must encode. `to_query` writes these as
    /// they came, so the request in the page's own forms and address is the one the
    /// application sent, byte for byte, and never grows: re-encoding a value sent
    /// with raw `/` or `:` triples it, which could take a request near its bounds past
    /// them.
    sent: Vec<Option<String>>,
    refused: Option<Refused>,
}

/// Whether `pair`, as sent, is text a URL carries as it is: printable ASCII but `#`
/// (what an HTTP request line or `location.search` can hold; `&` separates pairs), so
/// it can go back into an address, a `Location` header or an attribute unchanged, and
/// reads back the same — but for a leading `?`, which would read as the query's own.
pub fn plain_url_text(pair: &str) -> bool {
    !pair.starts_with('?')
        && pair
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'#')
}

/// Why a request cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refused {
    Repeated,
    OverBound(QueryError),
}

impl AuthorizeRequest {
    /// Reads a query (with or without its `?`) within `query`'s bounds, in one pass
    /// and a set of the names seen: linear in its length.
    ///
    /// The set is a table of 128 slots holding indices into `params`, probed from a
    /// hash of the name (FNV-1a): a query holds at most 64 names, so a probe always
    /// ends, and even names made to collide cost at most 64 comparisons each. A
    /// `HashSet` or `BTreeSet` would do the same and cost the page's wasm a kilobyte.
    pub fn parse(query: &str) -> Self {
        let pairs = match query::read_pairs(query) {
            Ok(pairs) => pairs,
            Err(e) => {
                return Self {
                    params: Vec::new(),
                    sent: Vec::new(),
                    refused: Some(Refused::OverBound(e)),
                }
            }
        };
        const SLOTS: usize = 2 * query::MAX_PARAMETERS;
        // Indices fit a byte, and a free slot is always left.
        const _: () = assert!(SLOTS < u8::MAX as usize && query::MAX_PARAMETERS < SLOTS);
        let mut seen = [u8::MAX; SLOTS];
        let mut repeated = false;
        let mut params: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        let mut sent = Vec::with_capacity(pairs.len());
        for query::Pair {
            sent: as_sent,
            name: k,
            value: v,
        } in pairs
        {
            let hash = k.bytes().fold(0x811c_9dc5_u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            let mut slot = hash as usize % SLOTS;
            loop {
                match seen[slot] {
                    u8::MAX => {
                        seen[slot] = params.len() as u8;
                        params.push((k, v));
                        sent.push(plain_url_text(as_sent).then(|| as_sent.to_owned()));
                        break;
                    }
                    i if params[usize::from(i)].0 == k => {
                        repeated = true;
                        break;
                    }
                    _ => slot = (slot + 1) % SLOTS,
                }
            }
        }
        Self {
            params,
            sent,
            refused: repeated.then_some(Refused::Repeated),
        }
    }

    /// Whether the query named some parameter more than once.
    pub fn repeats_a_parameter(&self) -> bool {
        self.refused == Some(Refused::Repeated)
    }

    /// The bound the query crossed, when it crossed one (it then has no parameters).
    pub fn over_bound(&self) -> Option<&QueryError> {
        match &self.refused {
            Some(Refused::OverBound(e)) => Some(e),
            _ => None,
        }
    }

    /// Why no screen may be built from this request, as the page says it: a repeated
    /// parameter, or a query over its bounds. Checked before anything is looked up.
    pub fn refusal(&self) -> Option<PageError> {
        self.refused.as_ref().map(|r| match r {
            Refused::Repeated => PageError::RepeatedParameter,
            Refused::OverBound(_) => PageError::RequestTooLarge,
        })
    }

    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that is present and not empty.
    fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    pub fn client_id(&self) -> Option<&str> {
        self.non_empty("client_id")
    }

    pub fn redirect_uri(&self) -> Option<&str> {
        self.non_empty("redirect_uri")
    }

    pub fn organization(&self) -> Option<&str> {
        self.non_empty("organization")
    }

    pub fn connection(&self) -> Option<&str> {
        self.non_empty("connection")
    }

    pub fn state(&self) -> Option<&str> {
        self.get("state")
    }

    /// The same request with `organization` set to `name` (or removed): what the
    /// prompt puts in the address bar so refresh, back and forward work.
    pub fn with_organization(&self, name: Option<&str>) -> Self {
        let mut out = self.without("organization");
        if let Some(n) = name {
            out.params.push(("organization".into(), n.into()));
            out.sent.push(None);
        }
        out
    }

    /// The same request without parameter `name`.
    fn without(&self, name: &str) -> Self {
        let (params, sent) = self
            .params
            .iter()
            .zip(&self.sent)
            .filter(|((k, _), _)| k != name)
            .map(|(p, s)| (p.clone(), s.clone()))
            .unzip();
        Self {
            params,
            sent,
            refused: self.refused.clone(),
        }
    }

    /// The same request with `login_hint` set to `hint` (replacing any other): what
    /// email discovery keeps, so the address typed in the prompt reaches the
    /// authorization server.
    pub fn with_login_hint(&self, hint: &str) -> Self {
        self.with_param("login_hint", hint)
    }

    /// The same request with `screen_hint=signup`: "Sign up" continues like the
    /// login, asking the authorization server for its sign-up screen.
    pub fn for_signup(&self) -> Self {
        self.with_param("screen_hint", "signup")
    }

    fn with_param(&self, name: &str, value: &str) -> Self {
        let mut out = self.without(name);
        out.params.push((name.into(), value.into()));
        out.sent.push(None);
        out
    }

    /// The request as a query string (without `?`): each parameter as it was sent
    /// where that was plain URL text, else encoded (and what Portico set, encoded).
    /// Reading it back gives the same parameters; it is never longer than the query
    /// it was read from, but for what Portico set and text it had to encode.
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        for ((k, v), sent) in self.params.iter().zip(&self.sent) {
            if !out.is_empty() {
                out.push('&');
            }
            match sent {
                Some(pair) => out.push_str(pair),
                None => {
                    out.push_str(&encode_component(k));
                    out.push('=');
                    out.push_str(&encode_component(v));
                }
            }
        }
        out
    }

    /// `prompt=none`: an application renewing its session where no page can be shown
    /// (a hidden iframe). OIDC Core §3.1.2.1: `none` never comes with another value.
    pub fn is_silent(&self) -> bool {
        self.get("prompt") == Some("none")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_goes_back_as_it_was_sent() {
        // Raw `/` and `:` (an application that does not encode its redirect_uri), `+`
        // for spaces, `%` as sent: what the page's forms and address carry is the
        // application's text, which would triple if it were re-encoded.
        let sent = "client_id=app&redirect_uri=https://app.example/cb&scope=openid+profile&state=a%2Bb&odd=%zz&flag";
        let r = AuthorizeRequest::parse(sent);
        assert_eq!(r.to_query(), sent);
        assert_eq!(r.redirect_uri(), Some("https://app.example/cb"));
        assert_eq!(AuthorizeRequest::parse(&r.to_query()).params(), r.params());
        // What Portico sets is encoded; what it removes goes, the rest stays.
        let changed = r
            .with_organization(Some("acme corp"))
            .with_login_hint("jo@x.test");
        assert_eq!(
            changed.to_query(),
            "client_id=app&redirect_uri=https://app.example/cb&scope=openid+profile&state=a%2Bb&odd=%zz&flag&organization=acme%20corp&login_hint=jo%40x.test"
        );
        assert_eq!(
            r.with_organization(None).to_query(),
            sent,
            "nothing to remove"
        );
        // Text a URL cannot carry as it is (space, control, non-ASCII) is encoded.
        let r = AuthorizeRequest::parse("a=b c&d=\u{e9}");
        assert_eq!(r.to_query(), "a=b%20c&d=%C3%A9");
    }

    #[test]
    fn a_query_over_a_bound_is_refused_and_keeps_nothing() {
        let long = [
            "client_id=a&state=",
            &"x".repeat(query::MAX_VALUE_BYTES + 1),
        ]
        .concat();
        let r = AuthorizeRequest::parse(&long);
        assert_eq!(r.refusal(), Some(PageError::RequestTooLarge));
        assert!(matches!(
            r.over_bound(),
            Some(QueryError::ValueTooLong { name, .. }) if name == "state"
        ));
        assert_eq!(r.params(), &[]);
        assert_eq!(r.to_query(), "");
        assert!(!r.repeats_a_parameter());
        // Refused stays refused whatever is set on it.
        assert!(r.with_organization(Some("acme")).refusal().is_some());
        assert_eq!(AuthorizeRequest::parse("client_id=a").refusal(), None);
        assert_eq!(
            AuthorizeRequest::parse("a=1&a=2").refusal(),
            Some(PageError::RepeatedParameter)
        );
    }

    #[test]
    fn the_set_of_seen_names_agrees_with_comparing_every_pair() {
        // Names that collide in a 128-slot table and names that do not, duplicates
        // anywhere, up to the most a query may hold.
        for n in [1, 2, 5, 63, 64] {
            for repeat_every in [0, 1, 3, 7] {
                let names: Vec<String> = (0..n)
                    .map(|i| match repeat_every {
                        0 => format!("n{}", i * 128),
                        r => format!("n{}", (i / r) * 128),
                    })
                    .collect();
                let r = AuthorizeRequest::parse(&names.join("&"));
                let mut first: Vec<&str> = Vec::new();
                for name in &names {
                    if !first.contains(&name.as_str()) {
                        first.push(name);
                    }
                }
                let kept: Vec<&str> = r.params().iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(kept, first, "{n} {repeat_every}");
                assert_eq!(r.repeats_a_parameter(), first.len() < names.len());
            }
        }
    }

    // The cost the issue measured: 15,000 distinct names once took 0.7 s of CPU; now
    // the query is refused by its length before a single pair is read, and the most
    // names a query may hold are compared through a set.
    #[test]
    fn many_distinct_names_are_refused_or_read_once() {
        let names: Vec<String> = (0..15_000).map(|i| format!("n{i:x}")).collect();
        let r = AuthorizeRequest::parse(&names.join("&"));
        assert!(matches!(r.over_bound(), Some(QueryError::TooLong { .. })));
        let within = names[..query::MAX_PARAMETERS].join("&");
        let r = AuthorizeRequest::parse(&within);
        assert_eq!(r.params().len(), query::MAX_PARAMETERS);
        assert_eq!(r.refusal(), None);
        let over = names[..query::MAX_PARAMETERS + 1].join("&");
        assert_eq!(
            AuthorizeRequest::parse(&over).over_bound(),
            Some(&QueryError::TooManyParameters)
        );
    }

    #[test]
    fn a_repeated_parameter_is_noticed() {
        let r = AuthorizeRequest::parse(
            "client_id=a&redirect_uri=https%3A%2F%2Fok&redirect_uri=https%3A%2F%2Fevil",
        );
        assert!(r.repeats_a_parameter());
        assert_eq!(r.redirect_uri(), Some("https://ok"));
        assert_eq!(r.params().len(), 2);
        assert!(!AuthorizeRequest::parse("client_id=a&state=").repeats_a_parameter());
        // Empty values count too: `state=&state=x` names state twice.
        assert!(AuthorizeRequest::parse("state=&state=x").repeats_a_parameter());
    }

    #[test]
    fn with_organization_replaces_it() {
        let r = AuthorizeRequest::parse("client_id=c&organization=old&state=s");
        assert_eq!(
            r.with_organization(Some("acme")).to_query(),
            "client_id=c&state=s&organization=acme"
        );
        assert_eq!(r.with_organization(None).to_query(), "client_id=c&state=s");
    }
}
