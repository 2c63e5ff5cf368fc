//! The directory's records as the Management API shows them, and the validation of
//! what clients send, rule by rule (SPEC §1). The rules themselves come from
//! `portico_rules`; this module only maps them onto fields and messages.

use portico_rules::context::{
    Branding, BrandingColors, ConnectionKind, DiscoveryMethod, OrganizationUsage, RequireBehavior,
};
use portico_rules::name::{validate_display_name, ConnectionName, OrganizationName};
use portico_rules::url::validate_https_url;
use portico_rules::HexColor;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::body::{as_bool, as_object, as_string, invalid, only_fields, Body};
use crate::error::ApiResult;

pub const MAX_ENABLED_CONNECTIONS: usize = 10;
const MAX_METADATA_KEYS: usize = 25;
const MAX_METADATA_LEN: usize = 255;

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
}

impl Connection {
    pub fn kind(&self) -> ConnectionKind {
        ConnectionKind::from_strategy(&self.strategy)
    }

    /// `options.icon_url` when it is a valid https URL.
    pub fn icon_url(&self) -> Option<String> {
        self.options
            .get("icon_url")
            .and_then(Value::as_str)
            .filter(|u| validate_https_url(u).is_ok())
            .map(str::to_owned)
    }

    /// `options.domain_aliases`: email domains for home-realm discovery.
    pub fn domain_aliases(&self) -> impl Iterator<Item = &str> {
        self.options
            .get("domain_aliases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }
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

// ---- organizations -------------------------------------------------------------

pub const ORGANIZATION_FIELDS: [&str; 5] = [
    "name",
    "display_name",
    "branding",
    "metadata",
    "enabled_connections",
];

pub fn parse_name(v: String) -> ApiResult<String> {
    OrganizationName::parse(&v)
        .map(OrganizationName::into_string)
        .map_err(|_| {
            invalid(
                "name",
                "String does not match pattern ^[a-z0-9_-]{1,50}$ (1-50 characters of lowercase letters, digits, '_' and '-')",
            )
        })
}

pub fn parse_display_name(v: String) -> ApiResult<String> {
    validate_display_name(&v).map_err(|rule| invalid("display_name", rule))?;
    Ok(v)
}

pub fn parse_branding(v: Value) -> ApiResult<Option<Branding>> {
    if v.is_null() {
        return Ok(None);
    }
    let mut map = as_object("branding", v)?;
    only_fields("branding", &map, &["logo_url", "colors"])?;
    let logo_url = match map.remove("logo_url") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let url = as_string("branding.logo_url", v)?;
            validate_https_url(&url).map_err(|rule| invalid("branding.logo_url", rule))?;
            Some(url)
        }
    };
    let colors = match map.remove("colors") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let mut c = as_object("branding.colors", v)?;
            only_fields("branding.colors", &c, &["primary", "page_background"])?;
            let mut color = |key: &str| -> ApiResult<String> {
                let field = format!("branding.colors.{key}");
                let v = c
                    .remove(key)
                    .ok_or_else(|| invalid(&field, &format!("Missing required property: {key}")))?;
                let s = as_string(&field, v)?;
                HexColor::parse(&s).map_err(|rule| invalid(&field, rule))?;
                Ok(s)
            };
            Some(BrandingColors {
                primary: color("primary")?,
                page_background: color("page_background")?,
            })
        }
    };
    Ok(Some(Branding { logo_url, colors }))
}

pub fn parse_metadata(v: Value) -> ApiResult<Option<Map<String, Value>>> {
    if v.is_null() {
        return Ok(None);
    }
    let map = as_object("metadata", v)?;
    if map.len() > MAX_METADATA_KEYS {
        return Err(invalid(
            "metadata",
            "Too many properties defined (at most 25)",
        ));
    }
    for (k, v) in &map {
        if k.chars().count() > MAX_METADATA_LEN {
            return Err(invalid(
                "metadata",
                "Property names must be at most 255 characters",
            ));
        }
        match v {
            Value::Null => {}
            Value::String(s) if s.chars().count() <= MAX_METADATA_LEN => {}
            Value::String(_) => {
                return Err(invalid(
                    &format!("metadata.{k}"),
                    "String is too long (maximum 255 characters)",
                ))
            }
            _ => {
                return Err(invalid(
                    &format!("metadata.{k}"),
                    "Expected type string or null",
                ))
            }
        }
    }
    Ok(Some(map))
}

/// An organization create or update, validated.
#[derive(Debug, Default)]
pub struct OrganizationInput {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub branding: Option<Option<Branding>>,
    pub metadata: Option<Option<Map<String, Value>>>,
    pub enabled_connections: Vec<EnabledConnectionInput>,
}

impl OrganizationInput {
    pub fn parse(bytes: &[u8], creating: bool) -> ApiResult<Self> {
        let allowed: &[&str] = if creating {
            &ORGANIZATION_FIELDS
        } else {
            &ORGANIZATION_FIELDS[..4]
        };
        let mut body = Body::parse(bytes, allowed)?;
        let name = if creating {
            Some(parse_name(body.required_string("name")?)?)
        } else {
            body.string("name")?.map(parse_name).transpose()?
        };
        let display_name = body
            .nullable_string("display_name")?
            .map(|d| d.map(parse_display_name).transpose())
            .transpose()?;
        let branding = body.take("branding").map(parse_branding).transpose()?;
        let metadata = body.take("metadata").map(parse_metadata).transpose()?;
        let enabled_connections = match body.take("enabled_connections") {
            None => Vec::new(),
            Some(v) => {
                let items = crate::body::as_array("enabled_connections", v)?;
                if items.len() > MAX_ENABLED_CONNECTIONS {
                    return Err(invalid(
                        "enabled_connections",
                        "Array is too long (at most 10 connections)",
                    ));
                }
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        EnabledConnectionInput::parse_value(
                            &format!("enabled_connections[{i}]"),
                            item,
                        )
                    })
                    .collect::<ApiResult<_>>()?
            }
        };
        Ok(Self {
            name,
            display_name,
            branding,
            metadata,
            enabled_connections,
        })
    }
}

// ---- enabled connections -----------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct EnabledConnectionInput {
    pub connection_id: String,
    pub assign_membership_on_login: Option<bool>,
    pub show_as_button: Option<bool>,
    pub is_signup_enabled: Option<bool>,
}

const ENABLED_CONNECTION_FIELDS: [&str; 4] = [
    "connection_id",
    "assign_membership_on_login",
    "show_as_button",
    "is_signup_enabled",
];

impl EnabledConnectionInput {
    pub fn parse_value(prefix: &str, v: Value) -> ApiResult<Self> {
        let map = as_object(prefix, v)?;
        only_fields(prefix, &map, &ENABLED_CONNECTION_FIELDS)?;
        Self::from_map(prefix, map, true)
    }

    /// The body of `POST …/enabled_connections` (`creating`) or of a `PATCH`.
    pub fn parse(bytes: &[u8], creating: bool) -> ApiResult<Self> {
        let allowed: &[&str] = if creating {
            &ENABLED_CONNECTION_FIELDS
        } else {
            &ENABLED_CONNECTION_FIELDS[1..]
        };
        let map = Body::parse(bytes, allowed)?.into_map();
        Self::from_map("", map, creating)
    }

    fn from_map(prefix: &str, mut map: Map<String, Value>, creating: bool) -> ApiResult<Self> {
        let field = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        let connection_id = if creating {
            let v = map.remove("connection_id").ok_or_else(|| {
                invalid(
                    &field("connection_id"),
                    "Missing required property: connection_id",
                )
            })?;
            as_string(&field("connection_id"), v)?
        } else {
            String::new()
        };
        let mut flag = |f: &str| map.remove(f).map(|v| as_bool(&field(f), v)).transpose();
        Ok(Self {
            connection_id,
            assign_membership_on_login: flag("assign_membership_on_login")?,
            show_as_button: flag("show_as_button")?,
            is_signup_enabled: flag("is_signup_enabled")?,
        })
    }
}

/// SPEC §1: sign-up only on database connections, and only with auto-membership.
pub fn check_signup(prefix: &str, strategy: &str, assign: bool, signup: bool) -> ApiResult<()> {
    if !signup {
        return Ok(());
    }
    let field = if prefix.is_empty() {
        "is_signup_enabled".to_owned()
    } else {
        format!("{prefix}.is_signup_enabled")
    };
    if ConnectionKind::from_strategy(strategy) != ConnectionKind::Database {
        return Err(invalid(
            &field,
            "is_signup_enabled is only allowed for database connections",
        ));
    }
    if !assign {
        return Err(invalid(
            &field,
            "is_signup_enabled requires assign_membership_on_login to be true",
        ));
    }
    Ok(())
}

// ---- connections -----------------------------------------------------------------

const CONNECTION_FIELDS: [&str; 6] = [
    "name",
    "display_name",
    "strategy",
    "options",
    "enabled_clients",
    "is_domain_connection",
];

#[derive(Debug, Default)]
pub struct ConnectionInput {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub strategy: Option<String>,
    pub options: Option<Map<String, Value>>,
    pub enabled_clients: Option<Vec<String>>,
    pub is_domain_connection: Option<bool>,
}

impl ConnectionInput {
    pub fn parse(bytes: &[u8], creating: bool) -> ApiResult<Self> {
        // name and strategy are fixed once created, as in Auth0.
        let allowed: &[&str] = if creating {
            &CONNECTION_FIELDS
        } else {
            &[
                "display_name",
                "options",
                "enabled_clients",
                "is_domain_connection",
            ]
        };
        let mut body = Body::parse(bytes, allowed)?;
        let name = if creating {
            let n = body.required_string("name")?;
            ConnectionName::parse(&n).map_err(|rule| invalid("name", rule))?;
            Some(n)
        } else {
            None
        };
        let strategy = if creating {
            let s = body.required_string("strategy")?;
            if s.is_empty()
                || s.len() > 64
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(invalid("strategy", "must be a strategy name such as auth0, oidc, samlp, okta, waad or google-oauth2"));
            }
            Some(s)
        } else {
            None
        };
        let display_name = body
            .string("display_name")?
            .map(|d| {
                validate_display_name(&d).map_err(|rule| invalid("display_name", rule))?;
                Ok::<_, crate::error::ApiError>(d)
            })
            .transpose()?;
        let options = body.take("options").map(parse_options).transpose()?;
        let enabled_clients = body.string_array("enabled_clients")?;
        let is_domain_connection = body.bool("is_domain_connection")?;
        Ok(Self {
            name,
            display_name,
            strategy,
            options,
            enabled_clients,
            is_domain_connection,
        })
    }
}

fn parse_options(v: Value) -> ApiResult<Map<String, Value>> {
    let map = as_object("options", v)?;
    for key in ["icon_url", "authorization_endpoint"] {
        if let Some(v) = map.get(key) {
            let field = format!("options.{key}");
            let s = as_string(&field, v.clone())?;
            validate_https_url(&s).map_err(|rule| invalid(&field, rule))?;
        }
    }
    if let Some(v) = map.get("domain_aliases") {
        for (i, d) in crate::body::as_string_array("options.domain_aliases", v.clone())?
            .iter()
            .enumerate()
        {
            let ok = !d.is_empty()
                && d.len() <= 253
                && d.split('.').count() >= 2
                && d.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                });
            if !ok {
                return Err(invalid(
                    &format!("options.domain_aliases[{i}]"),
                    "must be a lowercase domain name such as example.com",
                ));
            }
        }
    }
    Ok(map)
}

// ---- clients -----------------------------------------------------------------------

const CLIENT_FIELDS: [&str; 8] = [
    "name",
    "description",
    "logo_uri",
    "app_type",
    "callbacks",
    "organization_usage",
    "organization_require_behavior",
    "organization_discovery_methods",
];

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

fn one_of<T: Copy>(
    field: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> ApiResult<T> {
    parse(s).ok_or_else(|| {
        invalid(
            field,
            &format!(
                "No enum match for: \"{s}\" (expected one of {})",
                all.join(", ")
            ),
        )
    })
}

impl ClientInput {
    pub fn parse(bytes: &[u8], creating: bool) -> ApiResult<Self> {
        let mut body = Body::parse(bytes, &CLIENT_FIELDS)?;
        let name = if creating {
            Some(body.required_string("name")?)
        } else {
            body.string("name")?
        };
        if let Some(n) = &name {
            validate_display_name(n).map_err(|rule| invalid("name", rule))?;
        }
        let description = body.string("description")?;
        let logo_uri = body.nullable_string("logo_uri")?;
        if let Some(Some(u)) = &logo_uri {
            validate_https_url(u).map_err(|rule| invalid("logo_uri", rule))?;
        }
        let app_type = body.string("app_type")?;
        let callbacks = body.string_array("callbacks")?;
        if let Some(cbs) = &callbacks {
            for (i, cb) in cbs.iter().enumerate() {
                validate_callback(cb).map_err(|rule| invalid(&format!("callbacks[{i}]"), rule))?;
            }
        }
        let organization_usage = body
            .string("organization_usage")?
            .map(|s| {
                one_of(
                    "organization_usage",
                    &s,
                    OrganizationUsage::parse,
                    &["deny", "allow", "require"],
                )
            })
            .transpose()?;
        let organization_require_behavior = body
            .string("organization_require_behavior")?
            .map(|s| {
                one_of(
                    "organization_require_behavior",
                    &s,
                    RequireBehavior::parse,
                    &["no_prompt", "pre_login_prompt", "post_login_prompt"],
                )
            })
            .transpose()?;
        let organization_discovery_methods = body
            .string_array("organization_discovery_methods")?
            .map(|methods| {
                let mut out = Vec::new();
                for (i, m) in methods.iter().enumerate() {
                    let method = one_of(
                        &format!("organization_discovery_methods[{i}]"),
                        m,
                        DiscoveryMethod::parse,
                        &["organization_name", "email"],
                    )?;
                    if !out.contains(&method) {
                        out.push(method);
                    }
                }
                if out.is_empty() {
                    return Err(invalid(
                        "organization_discovery_methods",
                        "Array is too short (at least 1 method)",
                    ));
                }
                Ok(out)
            })
            .transpose()?;
        Ok(Self {
            name,
            description,
            logo_uri,
            app_type,
            callbacks,
            organization_usage,
            organization_require_behavior,
            organization_discovery_methods,
        })
    }
}

/// Callbacks are exact URLs: absolute http(s), no wildcard, no fragment, no spaces.
fn validate_callback(cb: &str) -> Result<(), &'static str> {
    if !(cb.starts_with("https://") || cb.starts_with("http://")) {
        return Err("must be an absolute http:// or https:// URL");
    }
    if cb.contains('*') {
        return Err("wildcards are not allowed");
    }
    if cb.contains('#') || cb.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err("must not contain a fragment, spaces or control characters");
    }
    if cb.len() > 2048 {
        return Err("must be at most 2048 characters");
    }
    Ok(())
}
