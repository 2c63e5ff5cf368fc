//! Browser-test harness: mounts the real `App` into the test page, scripts `fetch`
//! at the network boundary (the only thing stubbed: it stands for the server and
//! the network, including their failures), and captures navigations through the
//! page's cancelable `portico:navigate` event instead of leaving the test page.
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

#[wasm_bindgen(inline_js = r#"
// The harness's own waits and the stub's delays use the real clock, whatever a test
// does to `window.setTimeout`.
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);
export function stub_fetch(script) {
  // A test that failed with a fake clock installed never got to remove it.
  window.setTimeout = realSetTimeout;
  window.clearTimeout = realClearTimeout;
  const steps = JSON.parse(script);
  window.__requests = [];
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const signal = (init && init.signal) || (typeof input === 'object' ? input.signal : undefined);
    window.__requests.push(new URL(url, location.href).pathname + new URL(url, location.href).search);
    const step = steps.length ? steps.shift() : { status: 599, body: '' };
    return new Promise((resolve, reject) => {
      if (signal) signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      if (step.offline) { reject(new TypeError('Failed to fetch')); return; }
      if (step.hang) return;
      realSetTimeout(() => resolve(new Response(step.body, { status: step.status, headers: step.headers || { 'content-type': 'application/json' } })), step.delay || 0);
    });
  };
}
export function requests() { return JSON.stringify(window.__requests || []); }
export function capture_navigation() {
  window.__navigations = [];
  if (!window.__captureInstalled) {
    window.__captureInstalled = true;
    window.addEventListener('portico:navigate', (e) => { e.preventDefault(); window.__navigations.push(e.detail); });
  }
}
export function navigations() { return JSON.stringify(window.__navigations || []); }
export function set_address(query) { history.replaceState(null, '', location.pathname + query); }
export function address_query() { return location.search; }
export function fire_bfcache_restore() { dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })); }
export function set_online(on) { Object.defineProperty(navigator, 'onLine', { get: () => on, configurable: true }); }
export function sleep_ms(ms) { return new Promise((r) => realSetTimeout(r, ms)); }
// A fake clock for the page's timers: `setTimeout` queues on a virtual time that only
// `advance_clock` moves.
export function install_fake_clock() {
  const clock = { now: 0, next: 1, timers: [] };
  window.__clock = clock;
  window.setTimeout = (f, ms, ...args) => {
    const id = clock.next++;
    clock.timers.push({ id, at: clock.now + (ms || 0), f, args });
    return id;
  };
  window.clearTimeout = (id) => { clock.timers = clock.timers.filter((t) => t.id !== id); };
}
export function advance_clock(ms) {
  const clock = window.__clock;
  const until = clock.now + ms;
  for (;;) {
    const due = clock.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
    if (!due) break;
    clock.timers = clock.timers.filter((t) => t !== due);
    clock.now = due.at;
    due.f(...due.args);
  }
  clock.now = until;
}
export function uninstall_fake_clock() {
  window.setTimeout = realSetTimeout;
  window.clearTimeout = realClearTimeout;
}
// The spinner's opacity with its show-after animation moved to `ms` after it appeared.
export function spinner_opacity_at(ms) {
  const el = document.querySelector('.spinner');
  if (!el) return '';
  for (const a of el.getAnimations()) {
    if (a.animationName === 'spinner-show') { a.pause(); a.currentTime = ms; }
  }
  return getComputedStyle(el).opacity;
}
export function size_of(selector) {
  const r = document.querySelector(selector).getBoundingClientRect();
  return [r.width, r.height].join(',');
}
export function box_of(selector) {
  const r = document.querySelector(selector).getBoundingClientRect();
  return [r.left, r.top, r.width].join(',');
}
export function computed(selector, prop) {
  const el = document.querySelector(selector);
  return el ? getComputedStyle(el).getPropertyValue(prop).trim() : '';
}
export function root_var(name) { return document.documentElement.style.getPropertyValue(name).trim(); }
export function clear_root_style() { document.documentElement.removeAttribute('style'); }
"#)]
extern "C" {
    pub fn stub_fetch(script: &str);
    fn requests() -> String;
    pub fn capture_navigation();
    fn navigations() -> String;
    pub fn set_address(query: &str);
    pub fn address_query() -> String;
    pub fn fire_bfcache_restore();
    pub fn set_online(on: bool);
    fn sleep_ms(ms: u32) -> js_sys::Promise;
    fn install_fake_clock();
    pub fn advance_clock(ms: u32);
    fn uninstall_fake_clock();
    pub fn spinner_opacity_at(ms: u32) -> String;
    /// `left,top,width` of the first element matching `selector`.
    pub fn box_of(selector: &str) -> String;
    /// `width,height` of the first element matching `selector`.
    pub fn size_of(selector: &str) -> String;
    pub fn computed(selector: &str, prop: &str) -> String;
    pub fn root_var(name: &str) -> String;
    pub fn clear_root_style();
}

/// The page's timers on a fake clock until dropped (even when the test panics).
pub struct FakeClock;

impl FakeClock {
    pub fn install() -> Self {
        install_fake_clock();
        FakeClock
    }
}

impl Drop for FakeClock {
    fn drop(&mut self) {
        uninstall_fake_clock();
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub async fn sleep(d: Duration) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep_ms(d.as_millis() as u32)).await;
}

fn parse_list(s: String) -> Vec<String> {
    // The lists are JSON arrays of strings; JSON.parse via js_sys keeps this small.
    let arr = js_sys::JSON::parse(&s).unwrap();
    js_sys::Array::from(&arr)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

pub fn requests_made() -> Vec<String> {
    parse_list(requests())
}

pub fn navigations_made() -> Vec<String> {
    parse_list(navigations())
}

/// A response step for `stub_fetch`.
pub fn ok(body: &str) -> String {
    step(200, body, "")
}

pub fn step(status: u16, body: &str, extra: &str) -> String {
    let body = js_sys::JSON::stringify(&JsValue::from_str(body))
        .unwrap()
        .as_string()
        .unwrap();
    format!(r#"{{"status":{status},"body":{body}{extra}}}"#)
}

pub fn script(steps: &[String]) -> String {
    format!("[{}]", steps.join(","))
}

/// A mounted page; dropping it unmounts and cleans up.
pub struct Page {
    container: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.container.remove();
        for id in ["portico-context", "portico-strings"] {
            if let Some(s) = document().get_element_by_id(id) {
                s.remove();
            }
        }
        // The language the page (or a test, as the server would) set.
        let root = document().document_element().unwrap();
        let _ = root.remove_attribute("lang");
        let _ = root.remove_attribute("dir");
        clear_root_style();
        let _ = web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .clear();
    }
}

/// Sets the address to `query`, optionally injects `context` like the server does,
/// mounts the app, and lets it settle.
pub async fn mount(query: &str, injected: Option<&str>) -> Page {
    set_address(query);
    mount_here(injected).await
}

/// Like `mount`, with the language the server would have chosen: `<html lang dir>`
/// set and that language's file injected with the enabled languages (docs/design.md#languages).
pub async fn mount_in(query: &str, tag: &str, file: &str, enabled: &str) -> Page {
    let root = document().document_element().unwrap();
    root.set_attribute("lang", tag).unwrap();
    root.set_attribute("dir", portico_rules::i18n::dir(tag))
        .unwrap();
    let s = document().create_element("script").unwrap();
    s.set_attribute("type", "application/json").unwrap();
    s.set_id("portico-strings");
    s.set_attribute("data-languages", enabled).unwrap();
    s.set_text_content(Some(file));
    document().head().unwrap().append_child(&s).unwrap();
    mount(query, None).await
}

/// Mounts the app on the address (and history state) as it is: a reload.
pub async fn mount_here(injected: Option<&str>) -> Page {
    use leptos::prelude::*;
    if document().get_element_by_id("portico-style").is_none() {
        // The page's own stylesheet, as Trunk links it, so computed styles are real.
        let style = document().create_element("style").unwrap();
        style.set_id("portico-style");
        style.set_text_content(Some(include_str!("../../style/portico.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
    if let Some(json) = injected {
        let s = document().create_element("script").unwrap();
        s.set_attribute("type", "application/json").unwrap();
        s.set_id("portico-context");
        s.set_text_content(Some(json));
        document().head().unwrap().append_child(&s).unwrap();
    }
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), || portico::App().into_any());
    sleep(Duration::from_millis(30)).await;
    Page {
        container,
        _handle: handle,
    }
}

impl Page {
    pub fn query(&self, selector: &str) -> Option<Element> {
        self.container.query_selector(selector).unwrap()
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.container.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into().ok())
            .collect()
    }

    pub fn text(&self) -> String {
        self.container.text_content().unwrap_or_default()
    }

    /// Waits (up to `secs`) until the page's text contains `needle`.
    pub async fn wait_text(&self, needle: &str, secs: u32) {
        for _ in 0..secs * 50 {
            if self.text().contains(needle) {
                return;
            }
            sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "waited {secs}s for {needle:?}; page says: {:?}; requests: {:?}",
            self.text(),
            requests_made()
        );
    }

    /// The button or the link drawn as one (a connection) named `label`.
    pub fn button(&self, label: &str) -> HtmlElement {
        self.all("button, a.button, a.link")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", self.text()))
            .unchecked_into()
    }

    pub async fn click(&self, label: &str) {
        self.button(label).click();
        sleep(Duration::from_millis(30)).await;
    }

    pub async fn type_into(&self, selector: &str, value: &str) {
        let input: HtmlInputElement = self.query(selector).expect(selector).unchecked_into();
        input.set_value(value);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        sleep(Duration::from_millis(10)).await;
    }
}

// ---- contexts, as the server sends them ---------------------------------------------

pub const CB: &str = "https://app.test/callback";
pub const AUTHORIZE: &str = "https://auth.test/authorize";

pub fn client_json(usage: &str, behavior: &str, email: bool) -> String {
    let methods = if email {
        r#"["organization_name","email"]"#
    } else {
        r#"["organization_name"]"#
    };
    format!(
        r#"{{"client_id":"app","name":"Acme Analytics","logo_uri":null,"organization_usage":"{usage}","organization_require_behavior":"{behavior}","organization_discovery_methods":{methods}}}"#
    )
}

pub const OKTA: &str = r#"{"name":"acme-okta","display_name":"Acme Okta","strategy":"okta","icon_url":null,"kind":"enterprise","is_signup_enabled":false}"#;
pub const DATABASE: &str = r#"{"name":"Username-Password-Authentication","display_name":"Email and password","strategy":"auth0","icon_url":null,"kind":"database","is_signup_enabled":false}"#;
pub const GOOGLE: &str = r#"{"name":"google-oauth2","display_name":"Google","strategy":"google-oauth2","icon_url":null,"kind":"social","is_signup_enabled":false}"#;

pub fn org_json(branding: &str) -> String {
    format!(
        r#"{{"id":"org_abc123","name":"acme","display_name":"Acme Corp","branding":{branding}}}"#
    )
}

pub const BRANDING: &str = r##"{"logo_url":"https://cdn.acme.test/logo.png","colors":{"primary":"#0b5cd5","page_background":"#e6eefb"}}"##;

pub fn context(usage: &str, behavior: &str, org: Option<&str>, connections: &[&str]) -> String {
    format!(
        r#"{{"redirect_uri_allowed":true,"client":{},"organization":{},"connections":[{}],"authorize_url":"{AUTHORIZE}"}}"#,
        client_json(usage, behavior, true),
        org.map_or("null".to_owned(), |o| o.to_owned()),
        connections.join(",")
    )
}

/// `context` (a JSON object, as `context` writes it) with `key` set to the JSON
/// `value`, before `authorize_url`.
pub fn with_field(context: &str, key: &str, value: &str) -> String {
    context.replacen(
        "\"authorize_url\"",
        &format!("\"{key}\":{value},\"authorize_url\""),
        1,
    )
}

pub fn request_query(extra: &str) -> String {
    format!(
        "?client_id=app&redirect_uri={}&response_type=code&scope=openid%20profile&state=a%2Bb%2Fc%3D%3D%25&nonce=n-1&code_challenge=abc_DEF-123&code_challenge_method=S256{extra}",
        portico_rules::url::encode_component(CB)
    )
}

pub const NOT_FOUND_ORG: &str = r#"{"statusCode":404,"error":"Not Found","message":"No organization found by that id or name"}"#;
