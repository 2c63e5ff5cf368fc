//! The directory's records as the Management API shows them, and the changes a
//! create or update writes. Changes carry the rules' own types where a rule makes one
//! (`OrganizationName`, `Branding` with `HexColor` and `HttpsUrl`), so what reaches
//! the store has been validated; they are built by the API's parsers (`api::*`),
//! which the demo tenant goes through too.

use portico_rules::context::{
    Branding, ConnectionKind, DiscoveryMethod, OrganizationUsage, RequireBehavior,
};
use portico_rules::url::HttpsUrl;
use portico_rules::OrganizationName;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Organization {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branding: Option<Branding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EnabledConnection {
    pub connection_id: String,
    pub assign_membership_on_login: bool,
    pub show_as_button: bool,
    pub is_signup_enabled: bool,
    pub connection: ConnectionSummary,
}

impl EnabledConnection {
    /// Enterprise connections can be hidden from the buttons (`show_as_button:
    /// false`); database and social connections always show.
    pub fn visible(&self) -> bool {
        self.show_as_button
            || ConnectionKind::from_strategy(&self.connection.strategy)
                != ConnectionKind::Enterprise
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConnectionSummary {
    pub name: String,
    pub strategy: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Connection {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub strategy: String,
    pub options: Map<String, Value>,
    pub enabled_clients: Vec<String>,
    pub realms: Vec<String>,
    pub is_domain_connection: bool,
    /// Whether an enterprise connection is a button on the personal login of the
    /// applications in `enabled_clients` (Auth0's field; otherwise it is reachable
    /// only by name or email domain). Database and social connections always are.
    pub show_as_button: bool,
}

impl Connection {
    pub fn kind(&self) -> ConnectionKind {
        ConnectionKind::from_strategy(&self.strategy)
    }

    /// `options.icon_url` when it follows the image URL rule.
    pub fn icon_url(&self) -> Option<HttpsUrl> {
        self.options
            .get("icon_url")
            .and_then(Value::as_str)
            .and_then(|u| HttpsUrl::parse(u).ok())
    }
}

impl Organization {
    /// The record a create writes, under `id` (new, or the sync source's).
    pub fn from_input(id: String, input: OrganizationInput) -> Organization {
        Organization {
            id,
            name: input.name.map(|n| n.into_string()).unwrap_or_default(),
            display_name: input.display_name.flatten(),
            branding: input.branding.flatten(),
            metadata: input.metadata.flatten(),
        }
    }
}

impl Connection {
    /// The record a create writes, under `id` (new, or the sync source's).
    pub fn from_input(id: String, input: ConnectionInput) -> Connection {
        let name = input.name.unwrap_or_default();
        Connection {
            id,
            display_name: input.display_name.unwrap_or_else(|| name.clone()),
            strategy: input.strategy.unwrap_or_default(),
            options: input.options.unwrap_or_default(),
            enabled_clients: input.enabled_clients.unwrap_or_default(),
            is_domain_connection: input.is_domain_connection.unwrap_or(false),
            show_as_button: input.show_as_button.unwrap_or(false),
            realms: vec![name.clone()],
            name,
        }
    }
}

impl Client {
    /// The record a create writes, under `client_id` (new, or the sync source's).
    pub fn from_input(client_id: String, input: ClientInput) -> Client {
        Client {
            client_id,
            name: input.name.unwrap_or_default(),
            description: input.description,
            logo_uri: input.logo_uri.flatten(),
            app_type: input.app_type,
            callbacks: input.callbacks.unwrap_or_default(),
            organization_usage: input.organization_usage.unwrap_or(OrganizationUsage::Deny),
            organization_require_behavior: input
                .organization_require_behavior
                .unwrap_or(RequireBehavior::NoPrompt),
            organization_discovery_methods: input
                .organization_discovery_methods
                .unwrap_or_else(|| vec![DiscoveryMethod::OrganizationName]),
        }
    }
}

/// What `Db::visible_connections` finds for a login page.
#[derive(Default)]
pub struct LoginConnections {
    /// The connections drawn as buttons, in display order.
    pub shown: Vec<(EnabledConnection, Connection)>,
    /// The connection the request named, when it is hidden from buttons.
    pub named_hidden: Option<(EnabledConnection, Connection)>,
}

/// The email domains a connection's options claim (`options.domain_aliases`), for
/// home-realm discovery.
pub fn domain_aliases(options: &Map<String, Value>) -> impl Iterator<Item = &str> {
    options
        .get("domain_aliases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Client {
    pub client_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    pub callbacks: Vec<String>,
    pub organization_usage: OrganizationUsage,
    pub organization_require_behavior: RequireBehavior,
    pub organization_discovery_methods: Vec<DiscoveryMethod>,
}

/// An organization create (`name` set) or update (each `Some` replaces a field;
/// `Some(None)` clears it).
#[derive(Debug, Default)]
pub struct OrganizationInput {
    pub name: Option<OrganizationName>,
    pub display_name: Option<Option<String>>,
    pub branding: Option<Option<Branding>>,
    pub metadata: Option<Option<Map<String, Value>>>,
    /// Only with a create: connections enabled in the same transaction.
    pub enabled_connections: Vec<EnabledConnectionInput>,
}

/// An enabled connection's add (`connection_id` set) or update.
#[derive(Debug, Clone, Default)]
pub struct EnabledConnectionInput {
    pub connection_id: String,
    pub assign_membership_on_login: Option<bool>,
    pub show_as_button: Option<bool>,
    pub is_signup_enabled: Option<bool>,
}

/// A connection create (`name`, `strategy` set) or update.
#[derive(Debug, Default)]
pub struct ConnectionInput {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub strategy: Option<String>,
    pub options: Option<Map<String, Value>>,
    pub enabled_clients: Option<Vec<String>>,
    pub is_domain_connection: Option<bool>,
    pub show_as_button: Option<bool>,
}

/// A client create (`name` set) or update.
#[derive(Debug, Default)]
pub struct ClientInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub logo_uri: Option<Option<String>>,
    pub app_type: Option<String>,
    pub callbacks: Option<Vec<String>>,
    pub organization_usage: Option<OrganizationUsage>,
    pub organization_require_behavior: Option<RequireBehavior>,
    pub organization_discovery_methods: Option<Vec<DiscoveryMethod>>,
}

/// One enabled connection as a sync source lists it, with its organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnabledRow {
    pub organization_id: String,
    pub connection_id: String,
    pub assign_membership_on_login: bool,
    pub show_as_button: bool,
    pub is_signup_enabled: bool,
}

/// A whole directory as a sync source holds it, ids kept: what `Db::replace_directory`
/// makes the local one equal to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    pub organizations: Vec<Organization>,
    pub connections: Vec<Connection>,
    pub clients: Vec<Client>,
    pub enabled: Vec<EnabledRow>,
}
