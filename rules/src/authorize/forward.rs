//! The way on: the request forwarded to the authorization server with what the user
//! chose, in that server's own terms (docs/design.md#upstream-and-sync).

use super::request::{AuthorizeRequest, SET_BY_PORTICO};
use crate::context::UpstreamProfile;
use crate::url::encode_component;

impl AuthorizeRequest {
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
        for (k, v) in self.params().iter().filter(|(k, _)| !replaced(k)) {
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

pub(super) fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
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
pub(super) fn append_query(base: &str, query: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    let sep = match base.find('?') {
        None => "?",
        Some(i) if i + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    };
    [base, sep, query].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::parse_query;

    const AUTHORIZE: &str = "https://tenant.example.com/authorize";

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
