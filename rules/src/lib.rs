//! Portico's domain rules, in one place, shared by the page (wasm) and the server.
//!
//! Everything here is plain Rust with no I/O and no framework: validation of the
//! tenant's data (names, display names, colours, URLs), the theme derived from
//! branding, parsing the `/authorize` query, resolving the organization from the host,
//! the docs/design.md#the-login-flow flow table, and building the outgoing redirect. Nothing in this crate
//! may depend on Leptos, axum or a database.

pub mod authorize;
pub mod color;
pub mod context;
pub mod directory;
pub mod document;
pub mod flow;
pub mod host;
pub mod i18n;
pub mod name;
pub mod problem;
pub mod query;
pub mod url;

pub use authorize::AuthorizeRequest;
pub use color::{contrast_ratio, HexColor, Rgb, Theme};
pub use context::{
    Branding, BrandingColors, ClientInfo, ConnectionKind, DiscoveredOrganization, DiscoveryMethod,
    LoginContext, OrganizationUsage, PublicConnection, PublicOrganization, RequireBehavior,
};
pub use directory::OrganizationRef;
pub use flow::{resolve_login_screen, Screen};
pub use host::organization_from_host;
pub use name::{normalize_prompt_input, validate_display_name, ConnectionName, OrganizationName};
pub use url::HttpsUrl;
