//! The page's languages in a real browser (docs/design.md#languages): the strings the server injects,
//! the file the page fetches itself when served as static files (and English when
//! that fails), right to left, plurals by `Intl.PluralRules`, and the language menu.
#![cfg(target_arch = "wasm32")]

mod support;

use portico_rules::url::encode_component;
use portico_rules::AuthorizeRequest;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FR: &str = include_str!("../i18n/fr.json");
const AR: &str = include_str!("../i18n/ar.json");

fn text(file: &str, key: &str) -> String {
    let v = js_sys::JSON::parse(file).unwrap();
    js_sys::Reflect::get(&v, &key.into())
        .unwrap()
        .as_string()
        .unwrap()
}

fn root_attribute(name: &str) -> Option<String> {
    document().document_element().unwrap().get_attribute(name)
}

fn prompt() -> String {
    context("require", "pre_login_prompt", None, &[])
}

#[wasm_bindgen_test]
async fn the_prompt_in_the_french_the_server_injected() {
    stub_fetch(&script(&[ok(&prompt())]));
    let page = mount_in(&request_query(""), "fr", FR, "en fr").await;
    page.wait_text(&text(FR, "prompt_title"), 2).await;
    assert!(page
        .text()
        .contains(&text(FR, "prompt_label_name_or_email")));
    page.button(&text(FR, "continue_button"));
    // Validation speaks French too, before any request.
    page.click(&text(FR, "continue_button")).await;
    page.wait_text(&text(FR, "name_empty"), 1).await;
    assert_eq!(requests_made().len(), 1, "{:?}", requests_made());
    assert_eq!(computed(".card", "direction"), "ltr");
}

#[wasm_bindgen_test]
async fn served_as_static_files_the_page_fetches_arabic_and_turns_right_to_left() {
    stub_fetch(&script(&[ok(AR), ok(&prompt())]));
    let page = mount(&request_query("&ui_locales=ar-EG%20fr"), None).await;
    page.wait_text(&text(AR, "prompt_title"), 2).await;
    // One file, fetched alongside the context lookup (started first, not after it).
    assert_eq!(
        requests_made(),
        [
            "/i18n/ar.json".to_owned(),
            "/login/context?client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcallback"
                .to_owned()
        ]
    );
    assert_eq!(root_attribute("lang").as_deref(), Some("ar"));
    assert_eq!(root_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(computed(".card", "direction"), "rtl");
    assert_eq!(computed(".card__title", "direction"), "rtl");
}

#[wasm_bindgen_test]
async fn a_language_file_that_fails_to_load_leaves_the_page_in_english() {
    for failure in [
        step(404, "", ""),
        r#"{"offline":true}"#.to_owned(),
        ok(r#"{"retry":"Réessayer"}"#),
    ] {
        stub_fetch(&script(&[failure, ok(&prompt())]));
        let page = mount(&request_query("&ui_locales=fr"), None).await;
        page.wait_text("Enter your organization", 2).await;
        assert_eq!(requests_made()[0], "/i18n/fr.json");
        assert_ne!(root_attribute("lang").as_deref(), Some("fr"));
        assert!(page.button("Continue").is_connected());
    }
}

#[wasm_bindgen_test]
async fn counts_take_the_plural_form_of_the_language() {
    let wait = |n: &str| step(429, "{}", &format!(r#","headers":{{"retry-after":"{n}"}}"#));
    for (n, expected) in [
        (
            "1",
            "Too many attempts. Please wait 1 second, then try again.",
        ),
        (
            "30",
            "Too many attempts. Please wait 30 seconds, then try again.",
        ),
    ] {
        stub_fetch(&script(&[wait(n), wait(n)]));
        let page = mount(&request_query(""), None).await;
        page.wait_text(expected, 4).await;
    }
    // Arabic has six forms; 3 is "few" (a form English does not have).
    let few = js_sys::JSON::parse(AR).unwrap();
    let few = js_sys::Reflect::get(&few, &"error_rate_limited".into()).unwrap();
    let few = js_sys::Reflect::get(&few, &"few".into())
        .unwrap()
        .as_string()
        .unwrap()
        .replace("{seconds}", "3");
    stub_fetch(&script(&[wait("3"), wait("3")]));
    let page = mount_in(&request_query(""), "ar", AR, "ar").await;
    page.wait_text(&few, 10).await;
}

#[wasm_bindgen_test]
async fn the_menu_offers_this_address_in_each_language() {
    capture_navigation();
    stub_fetch(&script(&[
        ok(&prompt()),
        ok(&context(
            "require",
            "pre_login_prompt",
            Some(&org_json(BRANDING)),
            &[DATABASE, OKTA],
        )),
    ]));
    let page = mount_in(&request_query(""), "fr", FR, "en fr ar").await;
    page.wait_text(&text(FR, "prompt_title"), 2).await;
    let nav = page.query("nav.languages").expect("the menu");
    assert_eq!(
        nav.get_attribute("aria-label"),
        Some(text(FR, "language_menu"))
    );
    // One GET form: the request once, as hidden fields, and a button per language
    // that submits it with `ui_locales`.
    let buttons = page.all("nav.languages form[method=get] button[name=ui_locales]");
    let names: Vec<_> = buttons.iter().map(|b| b.text_content().unwrap()).collect();
    assert_eq!(names, ["English", "Français", "العربية"]);
    let tags: Vec<_> = buttons
        .iter()
        .map(|b| b.get_attribute("value").unwrap())
        .collect();
    assert_eq!(tags, ["en", "fr", "ar"]);
    assert_eq!(
        buttons[1].get_attribute("aria-current").as_deref(),
        Some("true")
    );
    assert_eq!(buttons[2].get_attribute("lang").as_deref(), Some("ar"));
    let fields = |page: &Page| -> String {
        page.all("nav.languages input[type=hidden]")
            .iter()
            .map(|i| {
                let (name, value) = (
                    i.get_attribute("name").unwrap(),
                    i.get_attribute("value").unwrap(),
                );
                [encode_component(&name), encode_component(&value)].join("=")
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    assert_eq!(
        fields(&page),
        AuthorizeRequest::parse(&request_query("")).to_query()
    );
    // The address moves with the screens; so does the form.
    page.type_into("#organization", "acme").await;
    page.click(&text(FR, "continue_button")).await;
    page.wait_text("Acme Corp", 2).await;
    assert_eq!(
        fields(&page),
        AuthorizeRequest::parse(&request_query("&organization=acme")).to_query()
    );
    drop(page);

    // One language enabled: no menu.
    stub_fetch(&script(&[ok(&prompt())]));
    let page = mount_in(&request_query(""), "fr", FR, "fr").await;
    page.wait_text(&text(FR, "prompt_title"), 2).await;
    assert!(page.query("nav.languages").is_none());
}
