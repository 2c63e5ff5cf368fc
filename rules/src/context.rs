//! The public login context (docs/design.md#the-public-login-api): what `GET /login/context` returns and what the
//! server injects into the page. Only public fields live here, so nothing private can
//! be serialized by accident.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::color::{HexColor, Theme};
use crate::url::HttpsUrl;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
        pub enum $name {
            $(#[cfg_attr(feature = "serde", serde(rename = $s))] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum!(
    /// Whether an application's users log in through organizations.
    OrganizationUsage { Deny = "deny", Allow = "allow", Require = "require" }
);
string_enum!(
    /// What happens when a `require` application sends no organization.
    RequireBehavior {
        NoPrompt = "no_prompt",
        PreLoginPrompt = "pre_login_prompt",
        PostLoginPrompt = "post_login_prompt",
    }
);
string_enum!(
    /// How the prompt may find the organization.
    DiscoveryMethod { OrganizationName = "organization_name", Email = "email" }
);
string_enum!(
    /// How the page presents a connection.
    ConnectionKind { Database = "database", Social = "social", Enterprise = "enterprise" }
);

impl ConnectionKind {
    /// `auth0` is the password database; the consumer identity providers are social;
    /// everything else (oidc, samlp, okta, waad, adfs, …) is an enterprise connection.
    pub fn from_strategy(strategy: &str) -> Self {
        match strategy {
            "auth0" => ConnectionKind::Database,
            "google-oauth2" | "github" | "facebook" | "apple" | "windowslive" | "linkedin"
            | "twitter" | "bitbucket" | "gitlab" | "microsoft-account" => ConnectionKind::Social,
            _ => ConnectionKind::Enterprise,
        }
    }
}

string_enum!(
    /// How the authorization server is told what the user chose (docs/design.md#upstream-and-sync,
    /// `--upstream`): `auth0` `organization={id}&connection={name}`; `keycloak`
    /// `kc_idp_hint={connection}` and `organization:{name}` in `scope` (Keycloak 26
    /// organizations); `oidc` `organization={name}&connection={name}`.
    UpstreamProfile { Auth0 = "auth0", Keycloak = "keycloak", Oidc = "oidc" }
);

// Written out: the enum comes from `string_enum!`, which has no `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for UpstreamProfile {
    fn default() -> Self {
        UpstreamProfile::Auth0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ClientInfo {
    pub client_id: String,
    pub name: String,
    /// The application's logo, shown where no organization branding applies.
    pub logo_uri: Option<HttpsUrl>,
    pub organization_usage: OrganizationUsage,
    pub organization_require_behavior: RequireBehavior,
    pub organization_discovery_methods: Vec<DiscoveryMethod>,
}

impl ClientInfo {
    pub fn discovers_by_email(&self) -> bool {
        self.organization_discovery_methods
            .contains(&DiscoveryMethod::Email)
    }

    /// Whether this application's users may see the organization prompt (docs/design.md#the-login-flow):
    /// `allow`, and `require` with `pre_login_prompt`; never `no_prompt`, `deny`, or
    /// the unsupported `post_login_prompt`. "Not your organization?" leads there.
    pub fn may_prompt(&self) -> bool {
        match self.organization_usage {
            OrganizationUsage::Allow => true,
            OrganizationUsage::Require => {
                self.organization_require_behavior == RequireBehavior::PreLoginPrompt
            }
            OrganizationUsage::Deny => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BrandingColors {
    pub primary: HexColor,
    pub page_background: HexColor,
}

/// The theme an organization's colours make (docs/design.md#theming).
impl Theme {
    /// The theme for an organization's colours (already parsed: `BrandingColors`
    /// holds `HexColor`s); the default theme when there are none.
    pub fn from_branding(colors: Option<&BrandingColors>) -> Self {
        colors
            .map(|c| Self::new(c.primary.rgb(), c.page_background.rgb()))
            .unwrap_or_default()
    }

    /// What the document root gets for `colors` (docs/design.md#theming): every property, except that
    /// without an organization's colours the page background is the stylesheet's,
    /// which follows the colour scheme (its value is then empty: unset). The page sets
    /// these with `style.setProperty`; the server writes the same ones into the first
    /// paint's `<style>` (docs/design.md#first-paint), so hydrating changes nothing.
    pub fn root_properties(colors: Option<&BrandingColors>) -> [(&'static str, String); 8] {
        let mut vars = Self::from_branding(colors).css_vars();
        if colors.is_none() {
            for (name, value) in vars.iter_mut() {
                if name.ends_with("page-bg") {
                    value.clear();
                }
            }
        }
        vars
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Branding {
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Option::is_none", default)
    )]
    pub logo_url: Option<HttpsUrl>,
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Option::is_none", default)
    )]
    pub colors: Option<BrandingColors>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PublicOrganization {
    pub id: String,
    pub name: String,
    pub display_name: Option<String>,
    pub branding: Option<Branding>,
}

impl PublicOrganization {
    /// What users see: the display name, or the name when there is none.
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PublicConnection {
    pub name: String,
    pub display_name: String,
    pub strategy: String,
    pub icon_url: Option<HttpsUrl>,
    pub kind: ConnectionKind,
    pub is_signup_enabled: bool,
}

/// An organization that email discovery found (`GET /login/discover`): what the
/// prompt lists for the user to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct DiscoveredOrganization {
    pub name: String,
    pub display_name: Option<String>,
}

impl DiscoveredOrganization {
    /// What users see: the display name, or the name when there is none.
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct LoginContext {
    pub redirect_uri_allowed: bool,
    pub client: ClientInfo,
    pub organization: Option<PublicOrganization>,
    pub connections: Vec<PublicConnection>,
    /// The connection the request's `connection` names when the organization has it
    /// enabled but hidden from buttons (`show_as_button: false`): never drawn, never
    /// listed, yet usable by a request that names it (docs/design.md#the-login-flow, Connections in detail).
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Option::is_none", default)
    )]
    pub hidden_connection: Option<PublicConnection>,
    pub authorize_url: String,
    /// How `authorize_url` expects the choice (`auth0` when absent).
    #[cfg_attr(feature = "serde", serde(default))]
    pub upstream: UpstreamProfile,
}

impl LoginContext {
    /// A connection of this context by name: a visible one or the hidden one the
    /// request named.
    pub fn connection(&self, name: &str) -> Option<&PublicConnection> {
        self.connections
            .iter()
            .chain(&self.hidden_connection)
            .find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgb;

    #[test]
    fn strategies_map_to_kinds() {
        assert_eq!(
            ConnectionKind::from_strategy("auth0"),
            ConnectionKind::Database
        );
        assert_eq!(
            ConnectionKind::from_strategy("google-oauth2"),
            ConnectionKind::Social
        );
        for s in ["oidc", "samlp", "okta", "waad", "adfs"] {
            assert_eq!(ConnectionKind::from_strategy(s), ConnectionKind::Enterprise);
        }
    }

    #[test]
    fn only_allow_and_pre_login_prompt_may_see_the_prompt() {
        let client = |usage, behavior| ClientInfo {
            client_id: "app".into(),
            name: "App".into(),
            logo_uri: None,
            organization_usage: usage,
            organization_require_behavior: behavior,
            organization_discovery_methods: vec![DiscoveryMethod::OrganizationName],
        };
        use OrganizationUsage::*;
        use RequireBehavior::*;
        assert!(client(Allow, NoPrompt).may_prompt());
        assert!(client(Require, PreLoginPrompt).may_prompt());
        assert!(!client(Require, NoPrompt).may_prompt());
        assert!(!client(Require, PostLoginPrompt).may_prompt());
        assert!(!client(Deny, PreLoginPrompt).may_prompt());
    }

    #[test]
    fn enums_round_trip_through_their_strings() {
        for u in OrganizationUsage::ALL {
            assert_eq!(OrganizationUsage::parse(u.as_str()), Some(*u));
        }
        for b in RequireBehavior::ALL {
            assert_eq!(RequireBehavior::parse(b.as_str()), Some(*b));
        }
        assert_eq!(OrganizationUsage::parse("Deny"), None);
    }

    #[test]
    fn branding_colours_make_the_theme_and_keep_their_text() {
        let colors = |p: &str, b: &str| BrandingColors {
            primary: HexColor::parse(p).unwrap(),
            page_background: HexColor::parse(b).unwrap(),
        };
        assert_eq!(Theme::from_branding(None), Theme::default());
        // Invalid colours never become BrandingColors: the page and the server drop
        // them at parse time, so the default theme applies.
        assert!(HexColor::parse("#fff;background:url(x)").is_err());
        assert_eq!(HexColor::parse("#ABC").unwrap().as_str(), "#ABC");
        let t = Theme::from_branding(Some(&colors("#f00", "#000")));
        assert_eq!((t.primary, t.page_bg), (Rgb::new(255, 0, 0), Rgb::BLACK));
        assert_eq!(
            t.css_vars()[0],
            ("--portico-primary", "#ff0000".to_string())
        );
    }

    #[test]
    fn root_properties_leave_the_page_background_to_the_stylesheet_without_colours() {
        let default = Theme::root_properties(None);
        assert_eq!(default[1], ("--portico-page-bg", String::new()));
        assert_eq!(default[0].1, Theme::default().primary.to_hex());
        let colors = BrandingColors {
            primary: HexColor::parse("#ff0000").unwrap(),
            page_background: HexColor::parse("#000000").unwrap(),
        };
        let themed = Theme::root_properties(Some(&colors));
        assert_eq!(themed, Theme::from_branding(Some(&colors)).css_vars());
        assert_eq!(themed[1], ("--portico-page-bg", "#000000".to_string()));
    }
}
