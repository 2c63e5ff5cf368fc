//! Names: the organization name a user types, display names shown to users, and
//! connection names. Each rule lives here once; the server's API errors and the page's
//! inline messages both use these messages.

use core::fmt;

/// Longest organization name (docs/design.md#the-directory).
pub const ORGANIZATION_NAME_MAX: usize = 50;
/// Longest display name, in characters (docs/design.md#the-directory).
pub const DISPLAY_NAME_MAX: usize = 255;
/// Longest connection name (docs/design.md#the-directory).
pub const CONNECTION_NAME_MAX: usize = 128;

/// The organization name rule as a pattern, for API messages:
/// `^[a-z0-9_-]{1,50}$`.
pub fn organization_name_pattern() -> String {
    format!("^[a-z0-9_-]{{1,{ORGANIZATION_NAME_MAX}}}$")
}

/// Why a string is not a valid organization name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    InvalidCharacter,
}

impl NameError {
    /// The message a user or an API client reads.
    pub fn message(self) -> &'static str {
        match self {
            NameError::Empty => "Enter your organization name.",
            NameError::TooLong => "Organization names are at most 50 characters.",
            NameError::InvalidCharacter => {
                "Organization names use only lowercase letters, digits, '_' and '-'."
            }
        }
    }
}

impl NameError {
    /// The message for the prompt, in the language of `t` (`message` is the
    /// Management API's English).
    pub fn in_language(self, t: &crate::i18n::Strings) -> String {
        match self {
            NameError::Empty => t.name_empty().to_owned(),
            NameError::TooLong => crate::i18n::fill(t.name_too_long(), &[("max", "50")]),
            NameError::InvalidCharacter => t.name_characters().to_owned(),
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A valid organization name: 1–50 characters of `a-z 0-9 _ -`, may start with a digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(s: &str) -> Result<Self, NameError> {
        if s.is_empty() {
            return Err(NameError::Empty);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(NameError::InvalidCharacter);
        }
        // All ASCII from here, so bytes are characters.
        if s.len() > ORGANIZATION_NAME_MAX {
            return Err(NameError::TooLong);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for OrganizationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the prompt does to what a user typed before validating it: trim, lower-case.
///
/// Lower-casing is ASCII only, like the server's rules (names and discovery domains
/// are ASCII). Full Unicode lower-casing would map look-alikes into valid names (the
/// Kelvin sign U+212A becomes `k`), so "\u{212A}acme" would log in to `kacme`; it also
/// costs the page an 11 KB case-mapping table.
pub fn normalize_prompt_input(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

/// True for the characters a display name must not hold: C0/C1 controls, the Unicode
/// bidi embedding/override/isolate controls and the invisible direction marks. They
/// would let a tenant reorder the text around its name on the login page.
pub fn is_forbidden_display_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Validates a display name: 1–255 characters, no control or bidi characters.
pub fn validate_display_name(s: &str) -> Result<(), &'static str> {
    let count = s.chars().count();
    if count == 0 {
        return Err("must be at least 1 character");
    }
    if count > DISPLAY_NAME_MAX {
        return Err("must be at most 255 characters");
    }
    if s.chars().any(is_forbidden_display_char) {
        return Err("must not contain control or bidirectional formatting characters");
    }
    Ok(())
}

/// A valid connection name: 1–128 of `A-Z a-z 0-9 -`, no leading or trailing `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConnectionName(String);

impl ConnectionName {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        if s.is_empty() || s.len() > CONNECTION_NAME_MAX {
            return Err("must be 1-128 characters");
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("may contain only letters, digits and '-'");
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err("must not start or end with '-'");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_names_follow_the_spec_rule() {
        for ok in ["acme", "0day", "a", "a_b-c", &"x".repeat(50)] {
            assert!(OrganizationName::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(OrganizationName::parse(""), Err(NameError::Empty));
        assert_eq!(
            OrganizationName::parse(&"x".repeat(51)),
            Err(NameError::TooLong)
        );
        for bad in [
            "Acme", "ac me", "acme!", "ａcme", "acme\n", "é", "a.b", "a/b",
        ] {
            assert_eq!(
                OrganizationName::parse(bad),
                Err(NameError::InvalidCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_pattern_states_the_rule() {
        assert_eq!(organization_name_pattern(), "^[a-z0-9_-]{1,50}$");
    }

    #[test]
    fn prompt_input_is_trimmed_and_lowercased() {
        assert_eq!(normalize_prompt_input("  AcMe \t"), "acme");
        assert!(OrganizationName::parse(&normalize_prompt_input(" ACME ")).is_ok());
        // Look-alikes are not folded into a valid name.
        assert_eq!(normalize_prompt_input("\u{212A}ACME"), "\u{212A}acme");
        assert!(OrganizationName::parse(&normalize_prompt_input("\u{212A}ACME")).is_err());
        assert_eq!(normalize_prompt_input("ÄCME"), "Äcme");
    }

    #[test]
    fn display_names_reject_controls_and_bidi() {
        assert!(validate_display_name("Acme, Inc.").is_ok());
        assert!(validate_display_name("شركة أكمي").is_ok());
        assert!(validate_display_name("<b>Acme</b>").is_ok()); // rendered as text
        assert!(validate_display_name(&"x".repeat(255)).is_ok());
        assert!(validate_display_name(&"é".repeat(255)).is_ok());
        assert!(validate_display_name(&"x".repeat(256)).is_err());
        assert!(validate_display_name("").is_err());
        for bad in [
            "a\u{202E}b",
            "a\u{2066}b",
            "a\u{2069}",
            "a\nb",
            "a\u{0}b",
            "\u{200F}x",
        ] {
            assert!(validate_display_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn connection_names() {
        assert!(ConnectionName::parse("acme-okta").is_ok());
        assert!(ConnectionName::parse("Username-Password-Authentication").is_ok());
        for bad in ["", "-a", "a-", "a_b", "a b", &"a".repeat(129)] {
            assert!(ConnectionName::parse(bad).is_err(), "{bad:?}");
        }
    }
}
