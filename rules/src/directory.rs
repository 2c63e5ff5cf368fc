//! The directory's own rules (docs/design.md#the-directory) beyond names and colours: identifiers, how a
//! request names an organization, connection strategies and email domains, callbacks,
//! metadata limits and the sign-up rule. The server maps each rule's message onto the
//! field that broke it; nothing here knows about HTTP or storage.

use crate::context::ConnectionKind;
use crate::name::OrganizationName;

/// At most this many enabled connections per organization.
pub const MAX_ENABLED_CONNECTIONS: usize = 10;

/// The most connections a personal login shows (docs/design.md#the-public-login-api): the public context lists at
/// most these, in name order.
pub const MAX_PERSONAL_CONNECTIONS: usize = 20;
/// At most this many metadata keys per organization.
pub const MAX_METADATA_KEYS: usize = 25;
/// Longest metadata key or value, in characters.
pub const MAX_METADATA_LEN: usize = 255;
/// Longest callback URL.
pub const MAX_CALLBACK_LEN: usize = 2048;

/// Whether `s` has the shape of an organization id: `org_` and 16 ASCII letters or
/// digits (Portico's own and Auth0's alike).
pub fn is_organization_id(s: &str) -> bool {
    s.len() == 20 && s.starts_with("org_") && s[4..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What the `organization` request parameter names: "an id or a name" (docs/design.md#the-public-login-api),
/// decided once here, never by the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganizationRef {
    /// An id. `or_name` is set when the same text is also a valid name (`org_` and
    /// 16 lowercase letters or digits): the lookup then falls back to the name.
    Id {
        id: String,
        or_name: Option<OrganizationName>,
    },
    Name(OrganizationName),
}

impl OrganizationRef {
    /// `None` for text that is neither an id nor a name: no organization has it.
    pub fn parse(s: &str) -> Option<Self> {
        let name = OrganizationName::parse(s).ok();
        if is_organization_id(s) {
            Some(OrganizationRef::Id {
                id: s.to_owned(),
                or_name: name,
            })
        } else {
            name.map(OrganizationRef::Name)
        }
    }
}

/// A connection strategy: 1–64 of `a-z 0-9 -` (`auth0`, `oidc`, `google-oauth2`, …).
pub fn validate_strategy(s: &str) -> Result<(), &'static str> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err("must be a strategy name such as auth0, oidc, samlp, okta, waad or google-oauth2")
    }
}

/// An email domain a connection claims for discovery (`options.domain_aliases`):
/// lowercase DNS labels, at least two.
pub fn validate_domain_alias(d: &str) -> Result<(), &'static str> {
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.split('.').count() >= 2
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err("must be a lowercase domain name such as example.com")
    }
}

/// The domain of an email address as discovery compares it: after the last `@`,
/// trimmed and lower-cased; `None` when there is none.
pub fn email_domain(email: &str) -> Option<String> {
    let domain = email.rsplit_once('@')?.1.trim().to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// Callbacks are exact URLs: absolute http(s), no wildcard, no fragment, no spaces.
pub fn validate_callback(cb: &str) -> Result<(), &'static str> {
    if !(cb.starts_with("https://") || cb.starts_with("http://")) {
        return Err("must be an absolute http:// or https:// URL");
    }
    if cb.contains('*') {
        return Err("wildcards are not allowed");
    }
    if cb.contains('#') || cb.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err("must not contain a fragment, spaces or control characters");
    }
    if cb.len() > MAX_CALLBACK_LEN {
        return Err("must be at most 2048 characters");
    }
    Ok(())
}

/// Why an enabled connection may not offer sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupError {
    NotDatabase,
    NeedsMembership,
}

impl SignupError {
    pub fn message(self) -> &'static str {
        match self {
            SignupError::NotDatabase => {
                "is_signup_enabled is only allowed for database connections"
            }
            SignupError::NeedsMembership => {
                "is_signup_enabled requires assign_membership_on_login to be true"
            }
        }
    }
}

/// docs/design.md#the-directory: sign-up only on database connections, and only with auto-membership.
pub fn check_signup(strategy: &str, assign: bool, signup: bool) -> Result<(), SignupError> {
    if !signup {
        Ok(())
    } else if ConnectionKind::from_strategy(strategy) != ConnectionKind::Database {
        Err(SignupError::NotDatabase)
    } else if !assign {
        Err(SignupError::NeedsMembership)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_refs_are_decided_once() {
        assert_eq!(
            OrganizationRef::parse("acme"),
            Some(OrganizationRef::Name(
                OrganizationName::parse("acme").unwrap()
            ))
        );
        assert_eq!(
            OrganizationRef::parse("org_W30rDJzcZFaRYazh"),
            Some(OrganizationRef::Id {
                id: "org_W30rDJzcZFaRYazh".into(),
                or_name: None
            })
        );
        // Lowercase id-shaped text is both: the id first, then the name.
        assert!(matches!(
            OrganizationRef::parse("org_abcdefghijklmnop"),
            Some(OrganizationRef::Id {
                or_name: Some(_),
                ..
            })
        ));
        for bad in [
            "",
            "Acme",
            "a b",
            "x'; DROP TABLE organizations;--",
            &"a".repeat(51),
        ] {
            assert_eq!(OrganizationRef::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ids_strategies_and_domains() {
        assert!(is_organization_id("org_0123456789abcdEF"));
        assert!(!is_organization_id("org_0123456789abcde"));
        assert!(!is_organization_id("org_0123456789abcd-F"));
        assert!(validate_strategy("google-oauth2").is_ok());
        assert!(validate_strategy("Okta").is_err());
        assert!(validate_strategy("").is_err());
        assert!(validate_domain_alias("acme.test").is_ok());
        for bad in ["acme", "Acme.test", "a..b", ".a.b", "a b.c"] {
            assert!(validate_domain_alias(bad).is_err(), "{bad:?}");
        }
        assert_eq!(email_domain(" Jo@Acme.TEST ").as_deref(), Some("acme.test"));
        assert_eq!(email_domain("a@b@acme.test").as_deref(), Some("acme.test"));
        assert_eq!(email_domain("jo"), None);
        assert_eq!(email_domain("jo@ "), None);
    }

    #[test]
    fn callbacks_are_exact_urls() {
        assert!(validate_callback("https://app.test/cb").is_ok());
        assert!(validate_callback("http://localhost:3000/cb").is_ok());
        for bad in [
            "app.test/cb",
            "https://*.app.test/cb",
            "https://a/#x",
            "https://a/ b",
        ] {
            assert!(validate_callback(bad).is_err(), "{bad:?}");
        }
        assert!(validate_callback(&format!("https://a/{}", "x".repeat(2048))).is_err());
    }

    #[test]
    fn signup_needs_a_database_connection_and_membership() {
        assert_eq!(check_signup("okta", false, false), Ok(()));
        assert_eq!(check_signup("auth0", true, true), Ok(()));
        assert_eq!(
            check_signup("okta", true, true),
            Err(SignupError::NotDatabase)
        );
        assert_eq!(
            check_signup("auth0", false, true),
            Err(SignupError::NeedsMembership)
        );
    }
}
