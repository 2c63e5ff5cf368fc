//! The `/authorize` request an application sent, and the two URLs Portico builds from
//! it: the redirect to the authorization server and the error redirect back to the
//! application (docs/design.md#the-login-flow).

use crate::context::UpstreamProfile;
use crate::flow::PageError;
use crate::query::{self, QueryError};
use crate::url::encode_component;

/// The parameters Portico itself sets on the outgoing redirect; originals of these are
/// replaced, never repeated.
const SET_BY_PORTICO: [&str; 2] = ["organization", "connection"];

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

    /// Where a silent request goes (docs/design.md#the-login-flow, Silent requests): `authorize_url` with the
    /// request as it came, byte-identical after one decode, but for the organization,
    /// `found` (id, name) when the request or the host named a valid one, else the
    /// request's own value for the server to judge, and the connection only as the
    /// request named it; both expressed as `profile` says.
    pub fn build_silent_redirect(
        &self,
        authorize_url: &str,
        profile: UpstreamProfile,
        found: Option<(&str, &str)>,
    ) -> String {
        let choice = Choice {
            organization: found.or(self.organization().map(|o| (o, o))),
            connection: self.connection(),
            login_hint: None,
        };
        self.forward(authorize_url, profile, &choice)
    }

    /// The URL the user continues to: `authorize_url` with every original parameter
    /// (decoded once, re-encoded), `organization` replaced by the organization id and
    /// `connection` by the chosen connection, and `login_hint` when the user typed one.
    /// Each parameter appears once; the origin and path are `authorize_url`'s.
    pub fn build_redirect(
        &self,
        authorize_url: &str,
        organization_id: Option<&str>,
        connection: &str,
        login_hint: Option<&str>,
    ) -> String {
        let choice = Choice {
            organization: organization_id.map(|id| (id, id)),
            connection: Some(connection),
            login_hint,
        };
        self.forward(authorize_url, UpstreamProfile::Auth0, &choice)
    }

    /// The URL the user continues to, in the authorization server's own terms
    /// (`profile`, docs/design.md#upstream-and-sync): every original parameter (decoded once, re-encoded) but
    /// those Portico sets, then the organization and connection as the profile
    /// expresses them, and `login_hint` when the user typed one. Each parameter
    /// appears once; the origin and path are `authorize_url`'s.
    pub fn forward(
        &self,
        authorize_url: &str,
        profile: UpstreamProfile,
        choice: &Choice,
    ) -> String {
        use UpstreamProfile::*;
        let (organization, connection_key) = match profile {
            Auth0 => (choice.organization.map(|(id, _)| id), "connection"),
            Oidc => (choice.organization.map(|(_, name)| name), "connection"),
            Keycloak => (None, "kc_idp_hint"),
        };
        // Keycloak 26 asks for an organization as a scope value.
        let scope = match (profile, choice.organization) {
            (Keycloak, Some((_, name))) => Some(["organization:", name].concat()),
            _ => None,
        };
        let hint = choice.login_hint;
        let replaced = |k: &str| {
            SET_BY_PORTICO.contains(&k)
                || k == connection_key
                || (hint.is_some() && k == "login_hint")
        };
        let mut scoped = false;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in self.params.iter().filter(|(k, _)| !replaced(k)) {
            match &scope {
                Some(org) if k == "scope" => {
                    scoped = true;
                    pairs.push((k, [v.as_str(), " ", org].concat()));
                }
                _ => pairs.push((k, v.clone())),
            }
        }
        if let Some(org) = scope.filter(|_| !scoped) {
            pairs.push(("scope", org));
        }
        let added = organization
            .map(|o| ("organization", o))
            .into_iter()
            .chain(choice.connection.map(|c| (connection_key, c)))
            .chain(hint.map(|h| ("login_hint", h)));
        let query = encode_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())).chain(added));
        append_query(authorize_url, &query)
    }
}

/// What the user chose, for `AuthorizeRequest::forward`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choice<'a> {
    /// The organization: its id and its name.
    pub organization: Option<(&'a str, &'a str)>,
    pub connection: Option<&'a str>,
    pub login_hint: Option<&'a str>,
}

fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
    }
    out
}

/// `base` (fragment dropped) with `query` appended after its own query, if any.
fn append_query(base: &str, query: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    let sep = match base.find('?') {
        None => "?",
        Some(i) if i + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    };
    [base, sep, query].concat()
}

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
    use crate::url::parse_query;

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

    const AUTHORIZE: &str = "https://tenant.example.com/authorize";

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
    fn redirect_preserves_every_parameter_and_sets_org_and_connection() {
        let state = "a+b/c=d%e&f";
        let query = format!(
            "client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid%20profile&state={}&nonce=n1&code_challenge=abc-_&code_challenge_method=S256&organization=acme&connection=evil&foo=bar",
            encode_component(state)
        );
        let r = AuthorizeRequest::parse(&query);
        let url = r.build_redirect(AUTHORIZE, Some("org_123"), "acme-okta", None);
        let (base, q) = url.split_once('?').unwrap();
        assert_eq!(base, AUTHORIZE);
        let out = parse_query(q);
        let get = |n: &str| {
            let all: Vec<_> = out.iter().filter(|(k, _)| k == n).collect();
            assert_eq!(all.len(), 1, "{n} appears once");
            all[0].1.clone()
        };
        assert_eq!(get("state"), state);
        assert_eq!(get("redirect_uri"), "https://app.example/cb");
        assert_eq!(get("scope"), "openid profile");
        assert_eq!(get("organization"), "org_123");
        assert_eq!(get("connection"), "acme-okta");
        assert_eq!(get("foo"), "bar");
        assert_eq!(out.len(), 11);
    }

    #[test]
    fn hostile_parameters_stay_inside_their_value() {
        let r = AuthorizeRequest::parse(
            "organization=acme%26redirect_uri%3Dhttps%3A%2F%2Fevil&connection=a%0D%0ALocation:%20x&state=s",
        );
        assert_eq!(r.organization(), Some("acme&redirect_uri=https://evil"));
        let url = r.build_redirect(AUTHORIZE, Some("org_1"), "okta", None);
        assert!(!url.contains('\r') && !url.contains('\n'));
        let out = parse_query(url.split_once('?').unwrap().1);
        assert_eq!(out.iter().filter(|(k, _)| k == "redirect_uri").count(), 0);
        assert_eq!(out.iter().filter(|(k, _)| k == "connection").count(), 1);
    }

    #[test]
    fn signup_asks_for_the_signup_screen_once() {
        let r = AuthorizeRequest::parse("client_id=c&screen_hint=login&state=s").for_signup();
        let url = r.build_redirect(AUTHORIZE, Some("org_1"), "db", Some("jo@x.test"));
        assert_eq!(url.matches("screen_hint=").count(), 1);
        assert!(url.contains("screen_hint=signup"));
        assert!(url.contains("connection=db") && url.contains("login_hint=jo%40x.test"));
    }

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
    fn discovery_keeps_the_typed_email_as_the_login_hint() {
        let r = AuthorizeRequest::parse("client_id=c&login_hint=old%40x.com&state=s")
            .with_login_hint("jane@acme.test");
        assert_eq!(
            r.to_query(),
            "client_id=c&state=s&login_hint=jane%40acme.test"
        );
        let url = r.build_redirect(AUTHORIZE, Some("org_1"), "okta", None);
        assert_eq!(url.matches("login_hint=").count(), 1);
        assert!(url.contains("login_hint=jane%40acme.test"));
    }

    #[test]
    fn login_hint_replaces_the_original_only_when_given() {
        let r = AuthorizeRequest::parse("login_hint=old%40x.com&client_id=c");
        let with = r.build_redirect(AUTHORIZE, None, "db", Some("new@x.com"));
        assert!(
            with.ends_with("connection=db&login_hint=new%40x.com"),
            "{with}"
        );
        assert_eq!(with.matches("login_hint").count(), 1);
        let without = r.build_redirect(AUTHORIZE, None, "db", None);
        assert!(without.contains("login_hint=old%40x.com"));
    }

    #[test]
    fn authorize_url_with_its_own_query() {
        let r = AuthorizeRequest::parse("a=1");
        assert_eq!(
            r.build_redirect("https://h/authorize?x=y#frag", None, "c", None),
            "https://h/authorize?x=y&a=1&connection=c"
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

    #[test]
    fn with_organization_replaces_it() {
        let r = AuthorizeRequest::parse("client_id=c&organization=old&state=s");
        assert_eq!(
            r.with_organization(Some("acme")).to_query(),
            "client_id=c&state=s&organization=acme"
        );
        assert_eq!(r.with_organization(None).to_query(), "client_id=c&state=s");
    }

    // docs/design.md#the-login-flow, Silent requests: "the server answers `/authorize` with a `302` straight
    // to `authorize_url`, every parameter byte-identical plus the organization when the
    // request or the subdomain names a valid one (and its connection only when the
    // request named it)".
    #[test]
    fn silent_requests_go_upstream_as_they_came() {
        let q = "client_id=app&prompt=none&state=a%2Bb&organization=acme&response_mode=web_message";
        let req = AuthorizeRequest::parse(q);
        assert!(req.is_silent());
        let (to, auth0) = ("https://t.test/authorize", UpstreamProfile::Auth0);
        assert_eq!(
            req.build_silent_redirect(to, auth0, Some(("org_1", "acme"))),
            "https://t.test/authorize?client_id=app&prompt=none&state=a%2Bb&response_mode=web_message&organization=org_1"
        );
        // Not found: the request's own value goes on, for the server to judge.
        assert_eq!(
            req.build_silent_redirect(to, auth0, None),
            "https://t.test/authorize?client_id=app&prompt=none&state=a%2Bb&response_mode=web_message&organization=acme"
        );
        // Only the host named it: added. A connection the request named stays.
        let req = AuthorizeRequest::parse("client_id=app&prompt=none&connection=okta");
        assert_eq!(
            req.build_silent_redirect(to, auth0, Some(("org_1", "acme"))),
            "https://t.test/authorize?client_id=app&prompt=none&organization=org_1&connection=okta"
        );
        // No connection is added that the request did not name.
        let req = AuthorizeRequest::parse("client_id=app&prompt=none");
        assert_eq!(
            req.build_silent_redirect(to, auth0, None),
            "https://t.test/authorize?client_id=app&prompt=none"
        );
        for not_silent in ["prompt=login", "prompt=none%20login", "prompt=", ""] {
            assert!(
                !AuthorizeRequest::parse(not_silent).is_silent(),
                "{not_silent}"
            );
        }
    }

    // docs/design.md#upstream-and-sync, upstream profiles: "`auth0` → `organization={id}&connection={name}`;
    // `keycloak` → `kc_idp_hint={connection name}` and `organization:{organization
    // name}` added to `scope` (Keycloak 26 organizations); `oidc` →
    // `organization={name}&connection={name}`. All other parameters stay
    // byte-identical."
    #[test]
    fn each_upstream_profile_expresses_the_choice_its_way() {
        let q = "client_id=app&scope=openid%20profile&state=s%2B1&organization=acme&connection=evil&kc_idp_hint=evil&login_hint=a%40b";
        let req = AuthorizeRequest::parse(q);
        let choice = Choice {
            organization: Some(("org_1", "acme")),
            connection: Some("acme-okta"),
            login_hint: None,
        };
        let to = |p| req.forward("https://as.test/authorize", p, &choice);
        assert_eq!(
            to(UpstreamProfile::Auth0),
            "https://as.test/authorize?client_id=app&scope=openid%20profile&state=s%2B1&kc_idp_hint=evil&login_hint=a%40b&organization=org_1&connection=acme-okta"
        );
        assert_eq!(
            to(UpstreamProfile::Oidc),
            "https://as.test/authorize?client_id=app&scope=openid%20profile&state=s%2B1&kc_idp_hint=evil&login_hint=a%40b&organization=acme&connection=acme-okta"
        );
        assert_eq!(
            to(UpstreamProfile::Keycloak),
            "https://as.test/authorize?client_id=app&scope=openid%20profile%20organization%3Aacme&state=s%2B1&login_hint=a%40b&kc_idp_hint=acme-okta"
        );
        // Keycloak without a scope in the request: one is added; without an
        // organization, only the identity provider hint.
        let bare = AuthorizeRequest::parse("client_id=app");
        assert_eq!(
            bare.forward("https://as.test/a", UpstreamProfile::Keycloak, &choice),
            "https://as.test/a?client_id=app&scope=organization%3Aacme&kc_idp_hint=acme-okta"
        );
        let personal = Choice {
            organization: None,
            ..choice
        };
        assert_eq!(
            bare.forward("https://as.test/a", UpstreamProfile::Keycloak, &personal),
            "https://as.test/a?client_id=app&kc_idp_hint=acme-okta"
        );
        // The login hint typed by the user replaces the request's, in every profile.
        let typed = Choice {
            login_hint: Some("jo@acme.test"),
            ..choice
        };
        for p in UpstreamProfile::ALL {
            let url = req.forward("https://as.test/authorize", *p, &typed);
            let hints: Vec<_> = parse_query(url.split_once('?').unwrap().1)
                .into_iter()
                .filter(|(k, _)| k == "login_hint")
                .collect();
            assert_eq!(
                hints,
                [("login_hint".to_owned(), "jo@acme.test".to_owned())],
                "{p:?}"
            );
        }
        assert_eq!(
            UpstreamProfile::parse("keycloak"),
            Some(UpstreamProfile::Keycloak)
        );
        assert_eq!(UpstreamProfile::default(), UpstreamProfile::Auth0);
    }
}
