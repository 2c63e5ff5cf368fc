//! The page in a real browser: every row of the docs/design.md#the-login-flow flow table, the prompt, the
//! redirect, theming by computed style, remembering, and every failure state.
#![cfg(target_arch = "wasm32")]

mod support;

use std::time::Duration;

use portico_rules::url::parse_query;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn param(url: &str, name: &str) -> Vec<String> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    parse_query(q)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

// ---- the flow table ---------------------------------------------------------------

// docs/design.md#the-login-flow row: deny | no org → personal login: the client's connections. Seed 001:
// "deny: (Default) Users cannot log in using an organization."
#[wasm_bindgen_test]
async fn deny_without_organization_is_the_personal_login() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "deny",
        "no_prompt",
        None,
        &[DATABASE, GOOGLE],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Log in to continue to Acme Analytics", 2)
        .await;
    assert!(page.text().contains("Continue with Google"));
    assert!(!page.text().contains("Sign in with your organization"));
    assert_eq!(
        requests_made(),
        vec![format!(
            "/login/context?client_id=app&redirect_uri={}",
            portico_rules::url::encode_component(CB)
        )]
    );
}

// docs/design.md#the-login-flow row: deny | org known → error redirect `invalid_request` / `parameter
// organization is not allowed for this client`. Seed 001: "deny: (Default) Users
// cannot log in using an organization."
#[wasm_bindgen_test]
async fn deny_with_organization_returns_the_error_to_the_application() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "deny",
        "no_prompt",
        Some(&org_json("null")),
        &[OKTA],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Returning you to", 2).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert!(nav[0].starts_with("https://app.test/callback?error=invalid_request&error_description=parameter%20organization%20is%20not%20allowed%20for%20this%20client&state="));
    assert_eq!(param(&nav[0], "state"), ["a+b/c==%"]);
}

// docs/design.md#the-login-flow row: allow | no org → personal login, plus a "Sign in with your
// organization" link to the prompt. Seed 001: "allow: Users can log in either with an
// organization or without one."
#[wasm_bindgen_test]
async fn allow_without_organization_offers_the_prompt() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "allow",
        "no_prompt",
        None,
        &[GOOGLE],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Sign in with your organization", 2).await;
    page.click("Sign in with your organization").await;
    page.wait_text("Enter your organization", 1).await;
    assert_eq!(root_var("--portico-primary"), "#4f46e5");
}

// docs/design.md#the-login-flow row: allow / require | found → organization login, themed. Seed 000: the
// login page shows the organization's branding when an organization is given.
#[wasm_bindgen_test]
async fn organization_found_is_the_themed_organization_login() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "no_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, OKTA, GOOGLE],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Log in to Acme Corp to continue to Acme Analytics", 2)
        .await;
    // Theme: custom properties set, and the computed colours follow them.
    assert_eq!(root_var("--portico-primary"), "#0b5cd5");
    assert_eq!(root_var("--portico-page-bg"), "#e6eefb");
    assert_eq!(root_var("--portico-on-primary"), "#ffffff");
    assert_eq!(
        computed(".button--primary", "background-color"),
        "rgb(11, 92, 213)"
    );
    assert_eq!(computed(".button--primary", "color"), "rgb(255, 255, 255)");
    assert_eq!(computed("body", "background-color"), "rgb(230, 238, 251)");
    // Logo: alt is the display name, no referrer, in a reserved box.
    let img = page.query(".logo img").expect("logo");
    assert_eq!(img.get_attribute("alt").as_deref(), Some("Acme Corp"));
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(computed(".logo", "height"), "64px");
    // Tenant text is isolated.
    let bdis: Vec<_> = page
        .all("bdi")
        .iter()
        .map(|b| b.text_content().unwrap())
        .collect();
    assert!(
        bdis.contains(&"Acme Corp".to_owned()) && bdis.contains(&"Acme Okta".to_owned()),
        "{bdis:?}"
    );
    // One button per connection with an icon, the database one with an email field.
    for label in [
        "Continue with Email and password",
        "Continue with Acme Okta",
        "Continue with Google",
    ] {
        assert!(
            page.button(label).query_selector("svg").unwrap().is_some(),
            "{label}"
        );
    }
    assert!(page.query("input[type=email]").is_some());
    assert!(
        navigations_made().is_empty(),
        "no auto-redirect with several connections"
    );
}

// docs/design.md#the-login-flow row: allow / require | not found | pre_login_prompt (or allow) → prompt
// again with "The organization you entered is invalid" (never says whether it exists
// elsewhere).
#[wasm_bindgen_test]
async fn organization_not_found_prompts_again_without_saying_more() {
    capture_navigation();
    stub_fetch(&script(&[
        step(404, NOT_FOUND_ORG, ""),
        ok(&context("require", "pre_login_prompt", None, &[])),
    ]));
    let page = mount(&request_query("&organization=nope"), None).await;
    page.wait_text("The organization you entered is invalid", 2)
        .await;
    assert!(page.text().contains("Enter your organization"));
    assert_eq!(requests_made().len(), 2);
    let alert = page.query("[role=alert]").unwrap();
    assert_eq!(
        alert.text_content().unwrap(),
        "The organization you entered is invalid"
    );
}

// docs/design.md#the-login-flow row: require | no org | no_prompt → error redirect `invalid_request` /
// `parameter organization is required for this client`. Seed 001: "no_prompt:
// (Default) Display no prompt. Requests without a valid organization parameter will
// be rejected."
#[wasm_bindgen_test]
async fn require_no_prompt_without_organization_returns_the_error() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context("require", "no_prompt", None, &[]))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Returning you to", 2).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert_eq!(param(&nav[0], "error"), ["invalid_request"]);
    assert_eq!(
        param(&nav[0], "error_description"),
        ["parameter organization is required for this client"]
    );
    assert_eq!(param(&nav[0], "state"), ["a+b/c==%"]);
}

// docs/design.md#the-login-flow: require + not found + no_prompt → error redirect `parameter organization is
// invalid`. Seeds 001/002: "requests without a valid organization parameter will be
// rejected"; no prompt is ever shown to a no_prompt client.
#[wasm_bindgen_test]
async fn require_no_prompt_with_an_unknown_organization_returns_the_error() {
    capture_navigation();
    stub_fetch(&script(&[
        step(404, NOT_FOUND_ORG, ""),
        ok(&context("require", "no_prompt", None, &[])),
    ]));
    let page = mount(&request_query("&organization=nope"), None).await;
    page.wait_text("Returning you to", 2).await;
    assert!(!page.text().contains("Enter your organization"));
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert_eq!(param(&nav[0], "error"), ["invalid_request"]);
    assert_eq!(
        param(&nav[0], "error_description"),
        ["parameter organization is invalid"]
    );
    assert_eq!(param(&nav[0], "state"), ["a+b/c==%"]);
}

// docs/design.md#the-login-flow row: require | no org | pre_login_prompt → organization prompt. Seed 001:
// "pre_login_prompt: Display Auth0's out-of-box pre-login Organization prompt."
#[wasm_bindgen_test]
async fn require_pre_login_prompt_shows_the_prompt() {
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        None,
        &[],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    let label = page.query("label[for=organization]").unwrap();
    assert_eq!(label.text_content().unwrap(), "Organization name or email");
    assert!(page.query("form input#organization").is_some());
    assert_eq!(
        page.button("Continue").get_attribute("type").as_deref(),
        Some("submit")
    );
}

// docs/design.md#the-login-flow row: require | no org | post_login_prompt → unsupported here: clear error
// page naming the setting.
#[wasm_bindgen_test]
async fn post_login_prompt_is_a_clear_error() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "post_login_prompt",
        None,
        &[],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("post_login_prompt", 2).await;
    assert!(navigations_made().is_empty());
}

// docs/design.md#the-login-flow: error redirects go to `redirect_uri` "only when `client_id` is known and
// `redirect_uri` is exactly one of its callbacks"; otherwise the page shows the error
// itself and redirects nowhere.
#[wasm_bindgen_test]
async fn unregistered_redirect_uri_goes_nowhere() {
    capture_navigation();
    let ctx = context("require", "no_prompt", None, &[]).replace(
        "\"redirect_uri_allowed\":true",
        "\"redirect_uri_allowed\":false",
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("not one of its registered callback URLs", 2)
        .await;
    assert!(navigations_made().is_empty());
}

// docs/design.md#the-login-flow: "A request that repeats a parameter is rejected with an error page (RFC
// 6749 §3.1), never redirected."
#[wasm_bindgen_test]
async fn a_repeated_parameter_is_an_error_page() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context("require", "no_prompt", None, &[]))]));
    let page = mount(&request_query("&state=again"), None).await;
    page.wait_text("names a parameter more than once", 2).await;
    assert!(page.text().contains("This link can't be used to log in"));
    assert!(navigations_made().is_empty(), "redirected nowhere");
}

// docs/design.md#the-login-flow, Silent requests: "`prompt=none` … must never show UI". Served as static
// files the page shows none either: what the table does not reject goes to the
// server's entry, which sends it upstream; what it rejects goes back as usual.
#[wasm_bindgen_test]
async fn a_silent_request_shows_nothing_and_goes_to_the_server() {
    capture_navigation();
    let ctx = context(
        "require",
        "pre_login_prompt",
        Some(&org_json("null")),
        &[OKTA, GOOGLE],
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query("&prompt=none&organization=acme"), None).await;
    sleep(Duration::from_millis(100)).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1, "{nav:?}");
    assert!(
        nav[0].starts_with("/authorize?client_id=app&"),
        "{}",
        nav[0]
    );
    assert_eq!(param(&nav[0], "prompt"), ["none"]);
    assert_eq!(param(&nav[0], "organization"), ["acme"]);
    assert!(
        !page.text().contains("Log in to"),
        "no screen: {}",
        page.text()
    );
    drop(page);
    // Rejected by the table: back to the application, as without prompt=none.
    stub_fetch(&script(&[ok(&context("require", "no_prompt", None, &[]))]));
    let _page = mount(&request_query("&prompt=none"), None).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 2, "{nav:?}");
    assert_eq!(
        param(&nav[1], "error_description"),
        ["parameter organization is required for this client"]
    );
}

#[wasm_bindgen_test]
async fn unknown_and_missing_client() {
    stub_fetch(&script(&[step(
        404,
        r#"{"statusCode":404,"error":"Not Found","message":"Client not found.","errorCode":"inexistent_client"}"#,
        "",
    )]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("is not registered", 2).await;
    drop(page);
    stub_fetch("[]");
    let page = mount("?redirect_uri=x", None).await;
    page.wait_text("has no client_id", 1).await;
    assert!(requests_made().is_empty());
}

// ---- the injected context -----------------------------------------------------------

#[wasm_bindgen_test]
async fn injected_context_renders_with_zero_requests() {
    capture_navigation();
    stub_fetch("[]");
    let ctx = context(
        "require",
        "no_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, GOOGLE],
    );
    let page = mount(&request_query("&organization=acme"), Some(&ctx)).await;
    page.wait_text("Log in to Acme Corp", 1).await;
    assert_eq!(root_var("--portico-primary"), "#0b5cd5");
    assert!(requests_made().is_empty());
}

// ---- the prompt ---------------------------------------------------------------------

#[wasm_bindgen_test]
async fn prompt_validates_before_any_request() {
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        None,
        &[],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    for (input, message) in [
        ("", "Enter your organization name."),
        (
            "acme corp",
            "Organization names use only lowercase letters, digits, '_' and '-'.",
        ),
        (
            &"x".repeat(51),
            "Organization names are at most 50 characters.",
        ),
    ] {
        page.type_into("#organization", input).await;
        page.click("Continue").await;
        page.wait_text(message, 1).await;
        assert_eq!(
            page.query("#organization")
                .unwrap()
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true")
        );
        // The error re-renders the card in place: the field is the same element,
        // still holding what was typed, and keeps the focus it had.
        let field: web_sys::HtmlInputElement =
            wasm_bindgen::JsCast::unchecked_into(page.query("#organization").unwrap());
        assert_eq!(field.value(), input);
    }
    let field: web_sys::HtmlElement =
        wasm_bindgen::JsCast::unchecked_into(page.query("#organization").unwrap());
    field.focus().unwrap();
    page.type_into("#organization", "Acme Corp").await;
    page.query("form.prompt")
        .map(wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlFormElement>)
        .unwrap()
        .request_submit()
        .unwrap();
    page.wait_text("Organization names use only", 1).await;
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.id());
    assert_eq!(active.as_deref(), Some("organization"));
    assert_eq!(requests_made().len(), 1, "only the initial context");
}

#[wasm_bindgen_test]
async fn prompt_looks_up_and_keeps_the_url_in_step() {
    capture_navigation();
    stub_fetch(&script(&[
        ok(&context("require", "pre_login_prompt", None, &[])),
        step(404, NOT_FOUND_ORG, ""),
        ok(&context(
            "require",
            "pre_login_prompt",
            Some(&org_json(BRANDING)),
            &[DATABASE, OKTA],
        )),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    page.type_into("#organization", "  NoPe ").await;
    let field: web_sys::HtmlElement =
        wasm_bindgen::JsCast::unchecked_into(page.query("#organization").unwrap());
    field.focus().unwrap();
    page.click("Continue").await;
    page.wait_text("The organization you entered is invalid", 2)
        .await;
    // The prompt drawn again keeps the focus in its field.
    sleep(Duration::from_millis(30)).await;
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(focused.map(|e| e.id()).as_deref(), Some("organization"));
    assert!(
        address_query().ends_with("&organization=nope"),
        "{}",
        address_query()
    );
    // What was typed is still there.
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(page.query("#organization").unwrap());
    assert_eq!(input.value(), "nope");
    page.type_into("#organization", "ACME").await;
    page.click("Continue").await;
    page.wait_text("Log in to Acme Corp", 2).await;
    assert!(address_query().ends_with("&organization=acme"));
    let reqs = requests_made();
    assert_eq!(reqs.len(), 3);
    assert!(
        reqs[1].ends_with("&organization=nope") && reqs[2].ends_with("&organization=acme"),
        "{reqs:?}"
    );
    // Back shows the previous step's screen again (looked up afresh: the invalid
    // name's prompt), Forward the organization's login, and a reload the same.
    let history = web_sys::window().unwrap().history().unwrap();
    stub_fetch(&script(&[
        step(404, NOT_FOUND_ORG, ""),
        ok(&context("require", "pre_login_prompt", None, &[])),
    ]));
    history.back().unwrap();
    page.wait_text("The organization you entered is invalid", 2)
        .await;
    assert!(address_query().ends_with("&organization=nope"));
    assert!(!page.text().contains("Log in to Acme Corp"));
    assert_eq!(requests_made().len(), 2, "{:?}", requests_made());
    let acme = ok(&context(
        "require",
        "pre_login_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, OKTA],
    ));
    stub_fetch(&script(std::slice::from_ref(&acme)));
    history.forward().unwrap();
    page.wait_text("Log in to Acme Corp", 2).await;
    assert!(address_query().ends_with("&organization=acme"));
    assert!(!page.text().contains("Enter your organization"));
    drop(page);
    stub_fetch(&script(&[acme]));
    let page = mount_here(None).await;
    page.wait_text("Log in to Acme Corp", 2).await;
    assert!(page.text().contains("Continue with Acme Okta"));
    assert_eq!(requests_made().len(), 1);
}

// docs/design.md#the-login-flow, Connections in detail: a connection hidden from buttons "is never drawn
// and never listed publicly, yet it stays usable: a request whose `connection` names
// one of the organization's connections, hidden or not, continues to it at once".
#[wasm_bindgen_test]
async fn a_hidden_connection_the_request_names_continues_at_once() {
    capture_navigation();
    let hidden = OKTA
        .replace("acme-okta", "acme-saml")
        .replace("Acme Okta", "Acme SAML");
    let ctx = with_field(
        &context("require", "no_prompt", Some(&org_json("null")), &[DATABASE]),
        "hidden_connection",
        &hidden,
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(
        &request_query("&organization=acme&connection=acme-saml"),
        None,
    )
    .await;
    page.wait_text("Redirecting you to Acme SAML", 2).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert!(nav[0].starts_with(AUTHORIZE), "{}", nav[0]);
    assert_eq!(param(&nav[0], "connection"), ["acme-saml"]);
    assert_eq!(param(&nav[0], "organization"), ["org_abc123"]);
    // The lookup named it; the hidden connection is never drawn as a button.
    assert!(requests_made()[0].ends_with("&organization=acme&connection=acme-saml"));
    assert!(!page.text().contains("Continue with Acme SAML"));
    assert!(page.text().contains("Continue with Email and password"));
}

// docs/design.md#the-login-flow, Connections in detail: "a connection's `icon_url` (https) is drawn on its
// button (`referrerpolicy="no-referrer"`, built-in icon by strategy when absent or
// failing)".
#[wasm_bindgen_test]
async fn a_connection_icon_is_drawn_and_falls_back_when_it_fails() {
    capture_navigation();
    // Nothing listens on port 9: the image fails to load.
    let broken = GOOGLE.replace(
        "\"icon_url\":null",
        "\"icon_url\":\"http://127.0.0.1:9/g.png\"",
    );
    let ctx = context(
        "require",
        "no_prompt",
        Some(&org_json("null")),
        &[&broken, OKTA],
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Continue with Google", 2).await;
    let google = page.button("Continue with Google");
    let img = google
        .query_selector("img.button__icon")
        .unwrap()
        .expect("the custom icon");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("http://127.0.0.1:9/g.png")
    );
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(img.get_attribute("alt").as_deref(), Some(""));
    let builtin = google.query_selector("svg.button__icon").unwrap().unwrap();
    for _ in 0..100 {
        if img.has_attribute("hidden") {
            break;
        }
        sleep(Duration::from_millis(20)).await;
    }
    assert!(img.has_attribute("hidden"), "the failed image is hidden");
    assert!(
        !builtin.has_attribute("hidden"),
        "the built-in icon is back"
    );
    // In the same 20 px box: the image takes no room, the built-in icon is drawn.
    assert_eq!(size_of(".connections img.button__icon"), "0,0");
    assert_eq!(
        size_of(".connections > :first-child svg.button__icon"),
        "20,20"
    );
    // Without icon_url: only the built-in icon, never an image.
    let okta = page.button("Continue with Acme Okta");
    assert!(okta.query_selector("img").unwrap().is_none());
    assert!(!okta
        .query_selector("svg")
        .unwrap()
        .unwrap()
        .has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn email_discovery_one_and_several() {
    capture_navigation();
    stub_fetch(&script(&[
        ok(&context("require", "pre_login_prompt", None, &[])),
        ok(r#"{"organizations":[{"name":"acme","display_name":"Acme Corp"}]}"#),
        ok(&context(
            "require",
            "pre_login_prompt",
            Some(&org_json(BRANDING)),
            &[DATABASE, OKTA],
        )),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    page.type_into("#organization", "Jane@Acme.test").await;
    page.click("Continue").await;
    page.wait_text("Log in to Acme Corp", 2).await;
    assert!(requests_made()[1].starts_with("/login/discover?client_id=app&email=jane%40acme.test"));
    // The email typed is the login hint from here on: in the address (so reload and
    // Back keep it) and on to the authorization server.
    assert!(
        address_query().ends_with("&organization=acme&login_hint=jane%40acme.test"),
        "{}",
        address_query()
    );
    page.click("Continue with Acme Okta").await;
    let nav = navigations_made();
    assert_eq!(param(&nav[0], "login_hint"), ["jane@acme.test"]);
    assert_eq!(param(&nav[0], "connection"), ["acme-okta"]);
    drop(page);

    stub_fetch(&script(&[
        ok(&context("require", "pre_login_prompt", None, &[])),
        ok(
            r#"{"organizations":[{"name":"acme","display_name":"Acme Corp"},{"name":"acme-eu","display_name":"Acme Europe"}],"extra":1}"#,
        ),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    page.type_into("#organization", "jane@acme.test").await;
    page.click("Continue").await;
    page.wait_text("Acme Europe", 2).await;
    assert!(page.text().contains("Acme Corp"));
}

// ---- the redirect -------------------------------------------------------------------

// docs/design.md#upstream-and-sync: "`keycloak` → `kc_idp_hint={connection name}` and `organization:{organization
// name}` added to `scope` (Keycloak 26 organizations)"; the page forwards as the
// context's `upstream` says.
#[wasm_bindgen_test]
async fn continuing_speaks_the_upstream_profile() {
    capture_navigation();
    let ctx = with_field(
        &context(
            "require",
            "no_prompt",
            Some(&org_json("null")),
            &[DATABASE, OKTA],
        ),
        "upstream",
        "\"keycloak\"",
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Continue with Acme Okta", 2).await;
    page.click("Continue with Acme Okta").await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert_eq!(param(&nav[0], "kc_idp_hint"), ["acme-okta"]);
    assert_eq!(
        param(&nav[0], "scope"),
        ["openid profile organization:acme"]
    );
    assert!(param(&nav[0], "organization").is_empty(), "{}", nav[0]);
    assert!(param(&nav[0], "connection").is_empty(), "{}", nav[0]);
    assert_eq!(param(&nav[0], "state"), ["a+b/c==%"]);
}

#[wasm_bindgen_test]
async fn continuing_builds_the_redirect_once() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "no_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, OKTA],
    ))]));
    let page = mount(
        &request_query("&organization=acme&prompt=login&foo=%E2%9C%93"),
        None,
    )
    .await;
    page.wait_text("Continue with Acme Okta", 2).await;
    let okta = page.button("Continue with Acme Okta");
    okta.click();
    okta.click();
    sleep(Duration::from_millis(50)).await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1, "a double click navigates once");
    let url = &nav[0];
    assert!(url.starts_with("https://auth.test/authorize?"), "{url}");
    for (name, value) in [
        ("client_id", "app"),
        ("redirect_uri", CB),
        ("response_type", "code"),
        ("scope", "openid profile"),
        ("state", "a+b/c==%"),
        ("nonce", "n-1"),
        ("code_challenge", "abc_DEF-123"),
        ("code_challenge_method", "S256"),
        ("prompt", "login"),
        ("foo", "✓"),
        ("organization", "org_abc123"),
        ("connection", "acme-okta"),
    ] {
        assert_eq!(param(url, name), [value], "{name} in {url}");
    }
    // A button of the screen's form: disabled while the page leaves.
    assert!(okta.has_attribute("disabled"));
    // Back from the identity provider (bfcache): usable again.
    fire_bfcache_restore();
    sleep(Duration::from_millis(30)).await;
    assert!(!okta.has_attribute("disabled"));
    // Remembered: only the organization's name and label.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(
        storage.get_item("portico.organization").unwrap().as_deref(),
        Some("acme")
    );
    assert_eq!(storage.length().unwrap(), 2);
}

#[wasm_bindgen_test]
async fn database_connection_continues_with_login_hint() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "no_prompt",
        Some(&org_json("null")),
        &[DATABASE, OKTA],
    ))]));
    let page = mount(
        &request_query("&organization=acme&login_hint=old%40x.test"),
        None,
    )
    .await;
    page.wait_text("Email address", 2).await;
    page.type_into("input[type=email]", " jane@acme.test ")
        .await;
    page.click("Continue with Email and password").await;
    let nav = navigations_made();
    assert_eq!(param(&nav[0], "login_hint"), ["jane@acme.test"]);
    assert_eq!(
        param(&nav[0], "connection"),
        ["Username-Password-Authentication"]
    );
}

#[wasm_bindgen_test]
async fn single_enterprise_connection_redirects_at_once_but_only_once() {
    capture_navigation();
    // pre_login_prompt: the way back to the prompt is offered (never to no_prompt).
    let ctx = context(
        "require",
        "pre_login_prompt",
        Some(&org_json("null")),
        &[OKTA],
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Redirecting you to Acme Okta", 2).await;
    assert_eq!(navigations_made().len(), 1);
    assert!(page.text().contains("Not your organization?"));
    // Back via bfcache: the page is usable, no second redirect.
    fire_bfcache_restore();
    sleep(Duration::from_millis(30)).await;
    assert!(!page
        .button("Continue with Acme Okta")
        .has_attribute("aria-disabled"));
    assert_eq!(
        computed(".redirecting", "display"),
        "none",
        "no longer says it is redirecting"
    );
    drop(page);
    // Back without bfcache (a fresh load of the same history entry): no redirect.
    stub_fetch(&script(&[ok(&ctx)]));
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state(
            &wasm_bindgen::JsValue::from_str("portico:auto-redirected"),
            "",
        )
        .unwrap();
    let page = mount_here(None).await;
    page.wait_text("Continue with Acme Okta", 2).await;
    assert_eq!(navigations_made().len(), 1);
    // The note is there (the server renders it too, docs/design.md#first-paint) but not shown.
    assert_eq!(computed(".redirecting", "display"), "none");
}

#[wasm_bindgen_test]
async fn not_your_organization_returns_to_the_prompt() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, GOOGLE],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Not your organization?", 2).await;
    page.click("Not your organization?").await;
    page.wait_text("Enter your organization", 1).await;
    assert!(!address_query().contains("organization="));
    assert_eq!(
        root_var("--portico-primary"),
        "#4f46e5",
        "default theme again"
    );
}

// docs/design.md#the-login-flow: "Not your organization?" returns to the prompt — offered only where the
// client may see the prompt (never for no_prompt).
#[wasm_bindgen_test]
async fn no_prompt_clients_are_never_offered_the_prompt() {
    capture_navigation();
    stub_fetch(&script(&[ok(&context(
        "require",
        "no_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, GOOGLE],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Continue with Google", 2).await;
    assert!(page.text().contains("Log in to Acme Corp"));
    assert!(!page.text().contains("Not your organization?"));
    assert!(
        page.query(".card__body .link").is_none(),
        "no link to the prompt at all"
    );
}

// docs/design.md#the-login-flow: "For an allow client the prompt also offers 'Continue without an
// organization' (back to personal login)."
#[wasm_bindgen_test]
async fn allow_prompt_leads_back_to_the_personal_login() {
    capture_navigation();
    let personal = context("allow", "no_prompt", None, &[GOOGLE]);
    stub_fetch(&script(&[ok(&personal), ok(&personal)]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Sign in with your organization", 2).await;
    page.click("Sign in with your organization").await;
    page.wait_text("Continue without an organization", 1).await;
    assert!(page.text().contains("Enter your organization"));
    page.click("Continue without an organization").await;
    page.wait_text("Log in to continue to Acme Analytics", 2)
        .await;
    assert!(page.text().contains("Continue with Google"));
    assert!(!page.text().contains("Enter your organization"));
    assert!(!address_query().contains("organization="));
    assert_eq!(
        requests_made().len(),
        2,
        "the personal context, looked up again"
    );
    // require + pre_login_prompt: the prompt has no way around it.
    drop(page);
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        None,
        &[],
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    assert!(!page.text().contains("Continue without an organization"));
}

// docs/design.md#the-login-flow: "The client's logo_uri is shown where no organization branding applies
// (prompt, personal login)."
#[wasm_bindgen_test]
async fn the_applications_logo_on_the_prompt_and_the_personal_login() {
    let with_logo = |ctx: String, uri: &str| {
        ctx.replace(r#""logo_uri":null"#, &format!(r#""logo_uri":"{uri}""#))
    };
    let logo = "https://app.test/logo.svg";
    for (usage, behavior, screen) in [
        ("require", "pre_login_prompt", "Enter your organization"),
        ("deny", "no_prompt", "Log in to continue to Acme Analytics"),
    ] {
        stub_fetch(&script(&[ok(&with_logo(
            context(usage, behavior, None, &[GOOGLE]),
            logo,
        ))]));
        let page = mount(&request_query(""), None).await;
        page.wait_text(screen, 2).await;
        let img = page.query(".logo img").expect("the application's logo");
        assert_eq!(img.get_attribute("src").as_deref(), Some(logo), "{screen}");
        assert_eq!(img.get_attribute("alt").as_deref(), Some("Acme Analytics"));
        assert_eq!(
            img.get_attribute("referrerpolicy").as_deref(),
            Some("no-referrer")
        );
    }
    // A logo_uri that breaks the URL rule is not drawn.
    stub_fetch(&script(&[ok(&with_logo(
        context("require", "pre_login_prompt", None, &[]),
        "javascript:alert(1)",
    ))]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Enter your organization", 2).await;
    assert!(page.query(".logo").is_none());
}

// docs/design.md#the-login-flow: "A database connection whose enabled connection has is_signup_enabled
// offers 'Sign up', which continues like the login but with screen_hint=signup."
#[wasm_bindgen_test]
async fn sign_up_continues_with_screen_hint_signup() {
    capture_navigation();
    let signup = DATABASE.replace(
        r#""is_signup_enabled":false"#,
        r#""is_signup_enabled":true"#,
    );
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        Some(&org_json(BRANDING)),
        &[&signup, GOOGLE],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Sign up", 2).await;
    page.type_into("input[type=email]", "new@acme.test").await;
    page.click("Sign up").await;
    let nav = navigations_made();
    assert_eq!(nav.len(), 1);
    assert_eq!(param(&nav[0], "screen_hint"), ["signup"]);
    assert_eq!(
        param(&nav[0], "connection"),
        ["Username-Password-Authentication"]
    );
    assert_eq!(param(&nav[0], "login_hint"), ["new@acme.test"]);
    drop(page);
    // Not offered where the enabled connection does not allow it.
    stub_fetch(&script(&[ok(&context(
        "require",
        "pre_login_prompt",
        Some(&org_json(BRANDING)),
        &[DATABASE, GOOGLE],
    ))]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Continue with Google", 2).await;
    assert!(!page.text().contains("Sign up"));
}

// ---- remember -----------------------------------------------------------------------

#[wasm_bindgen_test]
async fn remembered_organization_offers_continue_and_forget() {
    capture_navigation();
    stub_fetch(&script(&[
        ok(&context("require", "pre_login_prompt", None, &[])),
        ok(&context(
            "require",
            "pre_login_prompt",
            Some(&org_json(BRANDING)),
            &[DATABASE, GOOGLE],
        )),
    ]));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("portico.organization", "acme").unwrap();
    storage
        .set_item("portico.organization_label", "Acme Corp")
        .unwrap();
    let page = mount(&request_query(""), None).await;
    page.wait_text("Continue as Acme Corp", 2).await;
    page.click("Forget this organization").await;
    assert!(!page.text().contains("Continue as"));
    assert_eq!(storage.get_item("portico.organization").unwrap(), None);
    storage.set_item("portico.organization", "acme").unwrap();
    drop(page);
    stub_fetch(&script(&[
        ok(&context("require", "pre_login_prompt", None, &[])),
        ok(&context(
            "require",
            "pre_login_prompt",
            Some(&org_json(BRANDING)),
            &[DATABASE, GOOGLE],
        )),
    ]));
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item("portico.organization", "acme")
        .unwrap();
    let page = mount(&request_query(""), None).await;
    page.wait_text("Continue as acme", 2).await;
    page.click("Continue as acme").await;
    page.wait_text("Log in to Acme Corp", 2).await;
}

// ---- failure states ------------------------------------------------------------------

#[wasm_bindgen_test]
async fn server_error_then_retry() {
    stub_fetch(&script(&[
        step(503, "{}", ""),
        ok(&context("deny", "no_prompt", None, &[GOOGLE])),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Something went wrong on our side (error 503)", 2)
        .await;
    assert!(page.query("[role=alert]").is_some());
    page.click("Retry").await;
    page.wait_text("Continue with Google", 2).await;
}

#[wasm_bindgen_test]
async fn malformed_json_and_wrong_types() {
    stub_fetch(&script(&[
        ok("{not json"),
        ok(r#"{"redirect_uri_allowed":"yes","client":{}}"#),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("The login server sent an answer we couldn't read.", 2)
        .await;
    page.click("Retry").await;
    page.wait_text("The login server sent an answer we couldn't read.", 2)
        .await;
    assert_eq!(requests_made().len(), 2);
}

#[wasm_bindgen_test]
async fn unknown_fields_are_ignored_and_invalid_branding_falls_back() {
    capture_navigation();
    let org = org_json(
        r##"{"logo_url":"javascript:alert(1)","colors":{"primary":"#fff;background:url(https://x)","page_background":"#000}</style>"},"font":"x"}"##,
    );
    let ctx = context("require", "no_prompt", Some(&org), &[DATABASE, GOOGLE]).replacen(
        '{',
        r#"{"future_field":[1,2,{"a":null}],"#,
        1,
    );
    stub_fetch(&script(&[ok(&ctx)]));
    let page = mount(&request_query("&organization=acme"), None).await;
    page.wait_text("Log in to Acme Corp", 2).await;
    assert_eq!(root_var("--portico-primary"), "#4f46e5");
    // The default page background is the stylesheet's (light, or dark in dark mode).
    assert_eq!(root_var("--portico-page-bg"), "");
    assert_eq!(computed("body", "background-color"), "rgb(238, 240, 244)");
    assert!(
        page.query(".logo").is_none(),
        "an invalid logo URL is not rendered, nor its box"
    );
}

#[wasm_bindgen_test]
async fn rate_limited_retries_once_after_retry_after() {
    stub_fetch(&script(&[
        step(429, "{}", r#","headers":{"retry-after":"1"}"#),
        ok(&context("deny", "no_prompt", None, &[GOOGLE])),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text("Continue with Google", 3).await;
    assert_eq!(requests_made().len(), 2);
    drop(page);
    stub_fetch(&script(&[
        step(429, "{}", r#","headers":{"retry-after":"1"}"#),
        step(429, "{}", r#","headers":{"retry-after":"1"}"#),
    ]));
    let page = mount(&request_query(""), None).await;
    page.wait_text(
        "Too many attempts. Please wait 1 second, then try again.",
        4,
    )
    .await;
    assert_eq!(requests_made().len(), 2, "one automatic retry at most");
}

#[wasm_bindgen_test]
async fn offline_and_unreachable() {
    stub_fetch(&script(&[
        r#"{"offline":true}"#.to_owned(),
        r#"{"offline":true}"#.to_owned(),
    ]));
    set_online(false);
    let page = mount(&request_query(""), None).await;
    page.wait_text("You appear to be offline", 2).await;
    set_online(true);
    page.click("Retry").await;
    page.wait_text("We couldn't reach the login server.", 2)
        .await;
}

// docs/design.md#the-login-flow, states: "loading (`aria-busy`, a spinner after 300 ms, no layout shift),
// slow lookup (abort after 8 s with Retry)". Time is a fake clock: the spinner's
// animation is moved by hand and the page's timers run on a virtual clock, so nothing
// here depends on the machine's speed.
#[wasm_bindgen_test]
async fn slow_lookup_aborts_at_eight_seconds_with_retry() {
    // What arrives is taller than the loading card: it grows downwards, never moves.
    stub_fetch(&script(&[
        r#"{"hang":true}"#.to_owned(),
        ok(&context(
            "deny",
            "no_prompt",
            None,
            &[DATABASE, GOOGLE, OKTA],
        )),
    ]));
    let clock = FakeClock::install();
    let page = mount(&request_query(""), None).await;
    assert_eq!(
        page.query("main")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    // No spinner before 300 ms, a spinner after.
    assert_eq!(spinner_opacity_at(0), "0");
    assert_eq!(spinner_opacity_at(299), "0");
    assert_eq!(spinner_opacity_at(301), "1");
    let loading = box_of(".card");
    let loading_height: f64 = size_of(".card").split(',').nth(1).unwrap().parse().unwrap();
    // Not aborted before 8 s …
    advance_clock(7_999);
    sleep(Duration::from_millis(50)).await;
    assert!(
        !page.text().contains("taking too long"),
        "aborted before 8 s: {}",
        page.text()
    );
    assert!(page.query(".spinner").is_some());
    // … and aborted at 8 s, with Retry.
    advance_clock(1);
    page.wait_text("The server is taking too long to answer.", 2)
        .await;
    assert_eq!(
        page.query("main")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("false")
    );
    drop(clock);
    page.click("Retry").await;
    page.wait_text("Continue with Google", 2).await;
    // No layout shift: the card's box stays where the loading card was.
    let height = |size: String| -> f64 { size.split(',').nth(1).unwrap().parse().unwrap() };
    assert!(
        height(size_of(".card")) > loading_height,
        "the content is taller"
    );
    assert_eq!(box_of(".card"), loading);
}
