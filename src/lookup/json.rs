//! The JSON reader: the browser parses (`JSON.parse`), and the page reads field by
//! field, which costs the wasm far less than serde_json. Unknown fields are ignored; a
//! missing or mistyped required field is `LookupError::Malformed`. The shapes are the
//! wire contract (`rules/contract/login-context.json`).

use js_sys::{Array, Reflect, JSON};
use portico_rules::context::UpstreamProfile;
use portico_rules::i18n::{Plural, StringSource};
use portico_rules::{
    Branding, BrandingColors, ClientInfo, ConnectionKind, DiscoveredOrganization, DiscoveryMethod,
    HexColor, HttpsUrl, LoginContext, OrganizationUsage, PublicConnection, PublicOrganization,
    RequireBehavior,
};
use wasm_bindgen::JsValue;

use super::error::LookupError;

/// A login context from its JSON (`rules/contract/login-context.json` is the
/// contract): what the server injects, and what `/login/context` answers.
pub fn context_from_json(text: &str) -> Result<LoginContext, LookupError> {
    parse_json(text).and_then(|v| decode_context(&JsonObject(v)))
}

/// `organizations`, as `/login/discover` and `#portico-prompt` hold them.
pub(super) fn organizations(o: &JsonObject) -> Result<Vec<DiscoveredOrganization>, LookupError> {
    o.array("organizations")?
        .iter()
        .map(|o| {
            let o = JsonObject(o);
            Ok(DiscoveredOrganization {
                name: o.str("name")?,
                display_name: o.opt_str("display_name")?,
            })
        })
        .collect()
}

pub(super) fn parse_json(text: &str) -> Result<JsValue, LookupError> {
    JSON::parse(text).map_err(|_| LookupError::Malformed)
}

/// A parsed JSON object, read field by field.
pub(super) struct JsonObject(pub(super) JsValue);

impl JsonObject {
    fn get(&self, key: &str) -> JsValue {
        if !self.0.is_object() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    pub(super) fn opt_str(&self, key: &str) -> Result<Option<String>, LookupError> {
        let v = self.get(key);
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or(LookupError::Malformed)
    }

    fn str(&self, key: &str) -> Result<String, LookupError> {
        self.opt_str(key)?.ok_or(LookupError::Malformed)
    }

    fn bool(&self, key: &str) -> Result<bool, LookupError> {
        self.get(key).as_bool().ok_or(LookupError::Malformed)
    }

    fn obj(&self, key: &str) -> Option<JsonObject> {
        let v = self.get(key);
        (v.is_object() && !Array::is_array(&v)).then_some(JsonObject(v))
    }

    fn array(&self, key: &str) -> Result<Array, LookupError> {
        let v = self.get(key);
        if Array::is_array(&v) {
            Ok(Array::from(&v))
        } else {
            Err(LookupError::Malformed)
        }
    }

    /// An image URL (logo, icon): decoration, so one that is missing, not a string or
    /// breaks the URL rule is simply absent, never a reason to fail the page.
    fn https_url(&self, key: &str) -> Option<HttpsUrl> {
        HttpsUrl::parse(&self.opt_str(key).ok()??).ok()
    }

    fn parsed<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Result<T, LookupError> {
        parse(&self.str(key)?).ok_or(LookupError::Malformed)
    }
}

pub(super) fn decode_context(body: &JsonObject) -> Result<LoginContext, LookupError> {
    let client = body.obj("client").ok_or(LookupError::Malformed)?;
    let organization = match body.get("organization") {
        v if v.is_null() || v.is_undefined() => None,
        v => Some(decode_organization(&JsonObject(v))?),
    };
    Ok(LoginContext {
        redirect_uri_allowed: body.bool("redirect_uri_allowed")?,
        client: ClientInfo {
            client_id: client.str("client_id")?,
            name: client.str("name")?,
            logo_uri: client.https_url("logo_uri"),
            organization_usage: client.parsed("organization_usage", OrganizationUsage::parse)?,
            organization_require_behavior: client
                .parsed("organization_require_behavior", RequireBehavior::parse)?,
            // Methods this page does not know are ignored, not an error.
            organization_discovery_methods: client
                .array("organization_discovery_methods")
                .map(|a| {
                    a.iter()
                        .filter_map(|m| m.as_string().and_then(|m| DiscoveryMethod::parse(&m)))
                        .collect()
                })
                .unwrap_or_default(),
        },
        organization,
        connections: body
            .array("connections")?
            .iter()
            .map(|c| decode_connection(&JsonObject(c)))
            .collect::<Result<_, _>>()?,
        hidden_connection: body
            .obj("hidden_connection")
            .map(|c| decode_connection(&c))
            .transpose()?,
        authorize_url: body.str("authorize_url")?,
        upstream: body
            .opt_str("upstream")?
            .and_then(|p| UpstreamProfile::parse(&p))
            .unwrap_or_default(),
    })
}

fn decode_organization(o: &JsonObject) -> Result<PublicOrganization, LookupError> {
    Ok(PublicOrganization {
        id: o.str("id")?,
        name: o.str("name")?,
        display_name: o.opt_str("display_name")?,
        branding: o.obj("branding").map(|b| decode_branding(&b)),
    })
}

/// Branding is decoration: a malformed part (a logo URL or a colour that breaks its
/// rule) is dropped — default theme, no logo — never a reason to fail the page.
fn decode_branding(b: &JsonObject) -> Branding {
    let color = |c: &JsonObject, key| HexColor::parse(&c.str(key).ok()?).ok();
    Branding {
        logo_url: b.https_url("logo_url"),
        colors: b.obj("colors").and_then(|c| {
            Some(BrandingColors {
                primary: color(&c, "primary")?,
                page_background: color(&c, "page_background")?,
            })
        }),
    }
}

fn decode_connection(c: &JsonObject) -> Result<PublicConnection, LookupError> {
    let name = c.str("name")?;
    let strategy = c.str("strategy")?;
    let kind = c
        .opt_str("kind")?
        .and_then(|k| ConnectionKind::parse(&k))
        .unwrap_or_else(|| ConnectionKind::from_strategy(&strategy));
    Ok(PublicConnection {
        display_name: c.opt_str("display_name")?.unwrap_or_else(|| name.clone()),
        name,
        strategy,
        // Like branding, a malformed icon is dropped (the built-in icon is drawn).
        icon_url: c.https_url("icon_url"),
        kind,
        is_signup_enabled: c.get("is_signup_enabled").as_bool().unwrap_or(false),
    })
}

impl StringSource for JsonObject {
    fn text(&mut self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    fn plural(&mut self, key: &str) -> Option<Plural> {
        let forms = self.obj(key)?;
        let [zero, one, two, few, many, other] =
            ["zero", "one", "two", "few", "many", "other"].map(|k| forms.get(k).as_string());
        Some(Plural {
            zero,
            one,
            two,
            few,
            many,
            other: other?,
        })
    }
}
