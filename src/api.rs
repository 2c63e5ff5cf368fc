//! The one module that talks HTTP. Everything the page asks the server goes through
//! here: the login context (injected into the page or fetched, docs/design.md#the-public-login-api) and email
//! discovery. Components never build URLs or read responses.
//!
//! JSON is parsed by the browser (`JSON.parse`) and read field by field, which costs
//! the wasm far less than serde_json. Unknown fields are ignored; a missing or
//! mistyped required field is `LookupError::Malformed`.

use std::time::Duration;

use gloo_net::http::Request;
use js_sys::{Array, Promise, Reflect, JSON};
use leptos::prelude::set_timeout_with_handle;
use portico_rules::context::UpstreamProfile;
use portico_rules::flow::context_for_screen;
use portico_rules::i18n::{fill, Plural, StringSource, Strings};
use portico_rules::page::{CONTEXT_ELEMENT_ID, PROMPT_ELEMENT_ID, STRINGS_ELEMENT_ID};
use portico_rules::{
    AuthorizeRequest, Branding, BrandingColors, ClientInfo, ConnectionKind, DiscoveredOrganization,
    DiscoveryMethod, HexColor, HttpsUrl, LoginContext, OrganizationUsage, PublicConnection,
    PublicOrganization, RequireBehavior,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use crate::browser;

/// A lookup gives up after this long and offers Retry (docs/design.md#the-login-flow).
pub const TIMEOUT: Duration = Duration::from_secs(8);
/// The longest `Retry-After` the page waits out by itself, once.
const MAX_AUTO_RETRY_WAIT: u32 = 10;

/// Why a lookup failed. Every variant has a message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupError {
    Timeout,
    Offline,
    Unreachable,
    RateLimited { retry_after: u32 },
    Server(u16),
    Malformed,
    UnknownClient,
}

impl LookupError {
    pub fn message(self, t: &Strings) -> String {
        match self {
            LookupError::Timeout => t.error_timeout().to_owned(),
            LookupError::Offline => t.error_offline().to_owned(),
            LookupError::Unreachable => t.error_unreachable().to_owned(),
            LookupError::RateLimited { retry_after } => {
                let form = t
                    .error_rate_limited()
                    .form(&browser::plural_category(retry_after));
                fill(form, &[("seconds", &decimal(retry_after))])
            }
            LookupError::Server(status) => {
                fill(t.error_server(), &[("status", &decimal(status.into()))])
            }
            LookupError::Malformed => t.error_malformed().to_owned(),
            LookupError::UnknownClient => t.error_unknown_client().to_owned(),
        }
    }
}

/// `n` in decimal, without pulling `core::fmt` into the wasm.
fn decimal(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| d as char).collect()
}

/// The strings the server put into the page, in the language of `<html lang>`
/// (`None` when served as static files, or when they lack a key).
pub fn injected_strings() -> Option<Strings> {
    read_strings(&browser::element_text(STRINGS_ELEMENT_ID)?)
}

/// English, which the page carries (`i18n/en.json`, the file the server serves): the
/// language when nothing else is chosen or a language file fails, never a blank.
pub fn english() -> Strings {
    read_strings(include_str!("../i18n/en.json"))
        .expect("i18n/en.json has every key (portico-rules' tests)")
}

/// A language file on its way (`i18n/{tag}.json` next to the page, when it is served
/// as static files). The request starts at once, so it runs alongside the context
/// lookup; `strings` waits for it.
pub struct LanguageFile(Promise);

/// Starts fetching the language file of `tag` (the lookups' timeout applies).
pub fn language_file(tag: &str) -> LanguageFile {
    let path = ["i18n/", tag, ".json"].concat();
    // A promise runs from the moment it is made: the fetch starts now.
    LanguageFile(wasm_bindgen_futures::future_to_promise(async move {
        match get_text(&path, &[]).await {
            Ok((200, _, text)) => Ok(JsValue::from_str(&text)),
            _ => Err(JsValue::NULL),
        }
    }))
}

impl LanguageFile {
    /// The file's strings; `None` when it failed to load or lacks a key.
    pub async fn strings(self) -> Option<Strings> {
        read_strings(&JsFuture::from(self.0).await.ok()?.as_string()?)
    }
}

fn read_strings(text: &str) -> Option<Strings> {
    Strings::read(&mut Obj(parse_json(text).ok()?))
}

impl StringSource for Obj {
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

/// The context the server put into the page, if it did (`None` when served as static
/// files, or when the script holds nothing).
pub fn injected_context() -> Option<Result<LoginContext, LookupError>> {
    let text = browser::element_text(CONTEXT_ELEMENT_ID)?;
    if text.trim().is_empty() {
        return None;
    }
    Some(context_from_json(&text))
}

/// A login context from its JSON (`rules/contract/login-context.json` is the
/// contract): what the server injects, and what `/login/context` answers.
pub fn context_from_json(text: &str) -> Result<LoginContext, LookupError> {
    parse_json(text).and_then(|v| decode_context(&Obj(v)))
}

/// The prompt as the server rendered it after its form was posted without
/// JavaScript (docs/design.md#first-paint): what was typed, the field's error, and the organizations
/// discovery offered. The server rendered it as `Screen::Prompt` for the address's
/// request, with the client's context.
pub struct PostedPrompt {
    /// What was typed.
    pub value: String,
    pub error: Option<String>,
    pub choices: Vec<DiscoveredOrganization>,
}

/// What the server put in `#portico-prompt`, if anything.
pub fn posted_prompt() -> Option<PostedPrompt> {
    let o = Obj(parse_json(&browser::element_text(PROMPT_ELEMENT_ID)?).ok()?);
    Some(PostedPrompt {
        value: o.opt_str("value").ok()?.unwrap_or_default(),
        error: o.opt_str("error").ok()?,
        choices: organizations(&o).ok()?,
    })
}

/// `organizations`, as `/login/discover` and `#portico-prompt` hold them.
fn organizations(o: &Obj) -> Result<Vec<DiscoveredOrganization>, LookupError> {
    o.array("organizations")?
        .iter()
        .map(|o| {
            let o = Obj(o);
            Ok(DiscoveredOrganization {
                name: o.str("name")?,
                display_name: o.opt_str("display_name")?,
            })
        })
        .collect()
}

/// The context for `req`, for `organization` when given. An organization that is
/// unknown, disabled or has no visible connection comes back as a context whose
/// `organization` is `None` (a second request, only on that path), so the flow table
/// can still apply the client's rules.
pub async fn login_context(
    req: &AuthorizeRequest,
    organization: Option<&str>,
) -> Result<LoginContext, LookupError> {
    context_for_screen(organization, |org| organization_context(req, org))
        .await?
        .ok_or(LookupError::Malformed)
}

/// The context for `req` with `organization`; `Ok(None)` when that organization is
/// not one the user can log in to.
pub async fn organization_context(
    req: &AuthorizeRequest,
    organization: Option<&str>,
) -> Result<Option<LoginContext>, LookupError> {
    let params: Vec<(&str, &str)> = [
        Some(("client_id", req.client_id().unwrap_or_default())),
        req.redirect_uri().map(|uri| ("redirect_uri", uri)),
        organization.map(|org| ("organization", org)),
        // A hidden connection is in the context only when the request names it.
        organization
            .and(req.connection())
            .map(|c| ("connection", c)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (status, body) = get_json("/login/context", &params).await?;
    let body = Obj(body);
    match status {
        200 => decode_context(&body).map(Some),
        404 if body.opt_str("errorCode")?.as_deref() == Some("inexistent_client") => {
            Err(LookupError::UnknownClient)
        }
        404 if organization.is_some() => Ok(None),
        404 => Err(LookupError::UnknownClient),
        other => Err(LookupError::Server(other)),
    }
}

/// Organizations whose connections claim the domain of `email`.
pub async fn discover(
    client_id: &str,
    email: &str,
) -> Result<Vec<DiscoveredOrganization>, LookupError> {
    let params = [("client_id", client_id), ("email", email)];
    let (status, body) = get_json("/login/discover", &params).await?;
    if status != 200 {
        return Err(LookupError::Server(status));
    }
    organizations(&Obj(body))
}

/// GETs `path` with the query `params` and parses its JSON body, with the 8 s abort and at most one automatic
/// retry after a 429's `Retry-After`. 5xx and unparseable bodies are errors; other
/// statuses come back with their body for the caller to read.
async fn get_json(path: &str, params: &[(&str, &str)]) -> Result<(u16, JsValue), LookupError> {
    let mut retried = false;
    loop {
        let (status, retry_after, text) = get_text(path, params).await?;
        match status {
            429 => {
                let wait = retry_after.unwrap_or(1);
                if retried || wait > MAX_AUTO_RETRY_WAIT {
                    return Err(LookupError::RateLimited { retry_after: wait });
                }
                retried = true;
                sleep(wait).await;
            }
            500..=599 => return Err(LookupError::Server(status)),
            _ => return Ok((status, parse_json(&text)?)),
        }
    }
}

async fn get_text(
    path: &str,
    params: &[(&str, &str)],
) -> Result<(u16, Option<u32>, String), LookupError> {
    let controller = AbortController::new().map_err(|_| LookupError::Unreachable)?;
    let signal = controller.signal();
    let abort = controller.clone();
    let timer = set_timeout_with_handle(move || abort.abort(), TIMEOUT).ok();
    let network_error = |signal: &web_sys::AbortSignal| {
        if signal.aborted() {
            LookupError::Timeout
        } else if !browser::is_online() {
            LookupError::Offline
        } else {
            LookupError::Unreachable
        }
    };
    let result = async {
        let res = Request::get(path)
            .query(params.iter().copied())
            .abort_signal(Some(&signal))
            .send()
            .await
            .map_err(|_| network_error(&signal))?;
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        let text = res.text().await.map_err(|_| network_error(&signal))?;
        Ok((res.status(), retry_after, text))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    result
}

async fn sleep(seconds: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = browser::window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            (seconds * 1000) as i32,
        );
    });
    let _ = JsFuture::from(promise).await;
}

fn parse_json(text: &str) -> Result<JsValue, LookupError> {
    JSON::parse(text).map_err(|_| LookupError::Malformed)
}

/// A parsed JSON object, read field by field.
struct Obj(JsValue);

impl Obj {
    fn get(&self, key: &str) -> JsValue {
        if !self.0.is_object() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, LookupError> {
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

    fn obj(&self, key: &str) -> Option<Obj> {
        let v = self.get(key);
        (v.is_object() && !Array::is_array(&v)).then_some(Obj(v))
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

fn decode_context(body: &Obj) -> Result<LoginContext, LookupError> {
    let client = body.obj("client").ok_or(LookupError::Malformed)?;
    let organization = match body.get("organization") {
        v if v.is_null() || v.is_undefined() => None,
        v => Some(decode_organization(&Obj(v))?),
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
            .map(|c| decode_connection(&Obj(c)))
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

fn decode_organization(o: &Obj) -> Result<PublicOrganization, LookupError> {
    Ok(PublicOrganization {
        id: o.str("id")?,
        name: o.str("name")?,
        display_name: o.opt_str("display_name")?,
        branding: o.obj("branding").map(|b| decode_branding(&b)),
    })
}

/// Branding is decoration: a malformed part (a logo URL or a colour that breaks its
/// rule) is dropped — default theme, no logo — never a reason to fail the page.
fn decode_branding(b: &Obj) -> Branding {
    let color = |c: &Obj, key| HexColor::parse(&c.str(key).ok()?).ok();
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

fn decode_connection(c: &Obj) -> Result<PublicConnection, LookupError> {
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
