//! The organization a request names: its `organization` parameter, else its host's
//! subdomain (`acme.login.example.com` under the base domain `login.example.com` is
//! `acme`). The page and the server both ask here.

use crate::name::OrganizationName;

/// Labels that are never an organization, whatever the directory holds.
const RESERVED_LABELS: [&str; 1] = ["www"];

/// The organization name in `host` (a `Host` header value or `location.host`, port
/// allowed) under `base_domain`: exactly one extra label that is a valid organization
/// name. The bare base domain, deeper subdomains, `www`, IP addresses and other
/// domains mean "no organization".
pub fn organization_from_host(host: &str, base_domain: &str) -> Option<OrganizationName> {
    let base = base_domain.trim_end_matches('.').to_ascii_lowercase();
    if base.is_empty() || host.starts_with('[') {
        return None; // no base domain configured, or an IPv6 literal
    }
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let label = host.strip_suffix(&base)?.strip_suffix('.')?;
    if label.contains('.') || RESERVED_LABELS.contains(&label) {
        return None;
    }
    OrganizationName::parse(label).ok()
}

/// Which organization a request names (docs/design.md#the-login-flow): its
/// `organization` parameter (`param`, its text as the request has it), else the
/// subdomain of `host` under `base_domain`. The page looks its context up with this
/// text; the server reads it as an id or a name (`OrganizationRef::parse`).
pub fn requested_organization(
    param: Option<&str>,
    host: Option<&str>,
    base_domain: Option<&str>,
) -> Option<String> {
    match param {
        Some(named) => Some(named.to_owned()),
        None => organization_from_host(host?, base_domain?).map(OrganizationName::into_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_comes_before_the_subdomain() {
        let base = Some("login.test");
        let host = Some("acme.login.test:8080");
        assert_eq!(
            requested_organization(Some("Not A Name"), host, base).as_deref(),
            Some("Not A Name"),
            "the parameter as it is, for the lookup to judge"
        );
        assert_eq!(
            requested_organization(None, host, base).as_deref(),
            Some("acme")
        );
        assert_eq!(requested_organization(None, host, None), None);
        assert_eq!(requested_organization(None, Some("login.test"), base), None);
        assert_eq!(requested_organization(None, None, base), None);
    }

    fn org(host: &str, base: &str) -> Option<String> {
        organization_from_host(host, base).map(OrganizationName::into_string)
    }

    #[test]
    fn subdomains_under_the_base_domain() {
        assert_eq!(
            org("acme.login.example.com", "login.example.com").as_deref(),
            Some("acme")
        );
        assert_eq!(
            org("ACME.Login.Example.com:8443", "login.example.com").as_deref(),
            Some("acme")
        );
        assert_eq!(
            org("acme.localhost:8080", "localhost").as_deref(),
            Some("acme")
        );
        assert_eq!(org("acme.localhost.", "localhost").as_deref(), Some("acme"));
    }

    #[test]
    fn no_organization() {
        for (host, base) in [
            ("login.example.com", "login.example.com"),
            ("www.login.example.com", "login.example.com"),
            ("a.b.login.example.com", "login.example.com"),
            ("acme.evil.com", "login.example.com"),
            ("acmelogin.example.com", "login.example.com"),
            ("127.0.0.1:8080", "0.1"),
            ("127.0.0.1", "localhost"),
            ("[::1]:8080", "localhost"),
            ("acme.localhost", ""),
            ("ac_me!.localhost", "localhost"),
        ] {
            assert_eq!(org(host, base), None, "{host} under {base}");
        }
    }
}
