//! docs/design.md#languages on the server: each request gets its language (`ui_locales`, else
//! `Accept-Language`, else the first of `--languages`); the server's own pages (errors,
//! the auto-posted error, `/handoff`) speak it with `<html lang dir>`, and what goes to
//! the application's callback stays English (protocol, not UI).

mod common;

use axum::http::StatusCode;
use common::*;
use portico_server::state::Config;
use serde_json::{json, Value};

const CB: &str = "https://app.test/callback";

/// The app, a `require`/`pre_login_prompt` client and a `deny` one.
async fn tenant(languages: Vec<&'static str>) -> (TestApp, String, String) {
    let app = app_with(Options {
        config: Config {
            languages,
            ..Config::default()
        },
        ..Options::default()
    })
    .await;
    let okta = app.connection("acme-okta", "okta", json!({})).await;
    app.organization(json!({"name": "acme", "display_name": "Acme",
        "enabled_connections": [{"connection_id": okta}]}))
        .await;
    let client = app
        .client(json!({"name": "Zeta <App>", "callbacks": [CB],
            "organization_usage": "require", "organization_require_behavior": "pre_login_prompt"}))
        .await;
    let deny = app
        .client(json!({"name": "Zeta <App>", "callbacks": [CB], "organization_usage": "deny"}))
        .await;
    (app, client, deny)
}

fn authorize(client: &str, extra: &str) -> String {
    format!(
        "/authorize?client_id={client}&redirect_uri={}&response_type=code&state=s{extra}",
        enc(CB)
    )
}

fn file(tag: &str) -> Value {
    let path = format!("{}/../i18n/{tag}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A request whose `redirect_uri` is not registered: the server's error page.
fn unregistered(client: &str, extra: &str) -> String {
    format!("/authorize?client_id={client}&redirect_uri=https%3A%2F%2Fevil.test%2F{extra}")
}

fn text(tag: &str, key: &str) -> String {
    file(tag)[key].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_request_gets_its_language() {
    let (app, client, _) = tenant(Vec::new()).await;
    // ui_locales first (regional tags fall back to their language)…
    let r = app
        .get_with(
            &unregistered(&client, "&ui_locales=xx%20de-CH%20fr"),
            &[("accept-language", "ja")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\">"), "{html}");
    assert!(html.contains(&format!(
        "<title>{}</title>",
        text("de", "problem_unusable_link")
    )));
    // …then Accept-Language by q-value…
    let r = app
        .get_with(
            &unregistered(&client, ""),
            &[("accept-language", "fr;q=0.5, he;q=0.9")],
        )
        .await;
    let html = r.text();
    assert!(html.contains("<html lang=\"he\" dir=\"rtl\">"));
    assert!(html.contains(&text("he", "problem_unusable_link")));
    // …then the default; a hostile header changes nothing.
    let hostile = format!(
        "{}\t\"<>, *;q=abc, {}",
        "x".repeat(5000),
        "fr;q=0,".repeat(200)
    );
    for headers in [vec![], vec![("accept-language", hostile.as_str())]] {
        let r = app
            .get_with(&unregistered(&client, "&ui_locales=%00"), &headers)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let html = r.text();
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(
            html.contains("This link can&#39;t be used to log in"),
            "{html}"
        );
    }
}

#[tokio::test]
async fn languages_limits_and_orders_the_set() {
    let (app, client, _) = tenant(vec!["ar", "fr"]).await;
    // Not enabled, though shipped: the first enabled one is the default.
    let r = app
        .get_with(
            &unregistered(&client, "&ui_locales=ja"),
            &[("accept-language", "de")],
        )
        .await;
    assert!(r.text().contains("<html lang=\"ar\" dir=\"rtl\">"));
    let r = app
        .get_with(&unregistered(&client, ""), &[("accept-language", "fr-CA")])
        .await;
    assert!(r.text().contains("<html lang=\"fr\" dir=\"ltr\">"));
}

#[tokio::test]
async fn handoff_speaks_the_language_the_request_carries_on() {
    let (app, _, _) = tenant(Vec::new()).await;
    let r = app.get("/handoff?client_id=x&ui_locales=ko&state=s").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<html lang=\"ko\" dir=\"ltr\">"));
    let intro = text("ko", "handoff_intro").replace("{flag}", "<code>--authorize-url</code>");
    assert!(html.contains(&intro), "{html}");
    assert!(
        html.contains("<code>ui_locales</code>"),
        "the parameters are listed as received"
    );
}

#[tokio::test]
async fn the_servers_own_pages_speak_the_language_and_the_callback_stays_english() {
    let (app, client, deny) = tenant(Vec::new()).await;
    let ja = file("ja");
    // An error page (an unregistered callback)…
    let r = app
        .get_with(
            &format!("/authorize?client_id={client}&redirect_uri=https%3A%2F%2Fevil.test%2F&ui_locales=ja"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("<html lang=\"ja\" dir=\"ltr\">"), "{html}");
    assert!(html.contains(ja["problem_unusable_link"].as_str().unwrap()));
    let message = ja["problem_unregistered_callback"]
        .as_str()
        .unwrap()
        .replace("{parameter}", "redirect_uri");
    assert!(html.contains(&message), "{html}");
    // …an unknown application, in Arabic, right to left…
    let r = app
        .get_with(
            "/authorize?client_id=nope&redirect_uri=x",
            &[("accept-language", "ar")],
        )
        .await;
    let html = r.text();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains(file("ar")["problem_unknown_application"].as_str().unwrap()));
    // …the auto-posted error (form_post): its words translated, the tenant's name
    // escaped in <bdi>, the fields it posts in English.
    let r = app
        .get_with(
            &authorize(
                &deny,
                "&organization=acme&response_mode=form_post&ui_locales=fr",
            ),
            &[],
        )
        .await;
    let html = r.text();
    let fr = file("fr");
    let returning = fr["returning"]
        .as_str()
        .unwrap()
        .replace("{application}", "<bdi>Zeta &lt;App&gt;</bdi>");
    assert!(html.contains(&returning), "{html}");
    assert!(
        html.contains("value=\"parameter organization is not allowed for this client\""),
        "{html}"
    );
    // The redirect to the callback carries the protocol's English.
    let r = app
        .get(&format!(
            "/authorize?client_id={deny}&redirect_uri={}&organization=acme&ui_locales=fr",
            enc(CB)
        ))
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(r.header("location").contains(
        "error_description=parameter%20organization%20is%20not%20allowed%20for%20this%20client"
    ));
}

/// The JSON in `<script type="application/json" id="{id}" …>` of `html`, with the
/// element's opening tag.
fn script(html: &str, id: &str) -> (String, Value) {
    let start = html
        .find(&format!("<script type=\"application/json\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let open_end = start + html[start..].find('>').unwrap();
    let close = open_end + html[open_end..].find("</script>").unwrap();
    (
        html[start..=open_end].to_owned(),
        serde_json::from_str(&html[open_end + 1..close]).unwrap(),
    )
}

#[tokio::test]
async fn the_page_carries_its_languages_strings_and_the_menus_languages() {
    let (app, client, _) = tenant(Vec::new()).await;
    let r = app
        .get_with(
            &authorize(&client, "&ui_locales=fr-CA"),
            &[("accept-language", "ja")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<html lang=\"fr\" dir=\"ltr\">"), "{html}");
    let (tag, strings) = script(&html, "portico-strings");
    assert_eq!(strings, file("fr"), "the whole file, and only that one");
    assert!(tag.contains(&format!(
        "data-languages=\"{}\"",
        portico_rules::i18n::SHIPPED.join(" ")
    )));
    assert!(!html.contains(text("ja", "prompt_title").as_str()));
    // The screen the server rendered is in the language too (docs/design.md#first-paint), and works
    // without JavaScript, so there is no "JavaScript is needed".
    assert!(html.contains(&format!(
        "<h1 class=\"card__title\">{}",
        text("fr", "prompt_title")
    )));
    assert!(!html.contains("<noscript>"));
    let (_, ctx) = script(&html, "portico-context");
    assert_eq!(ctx["client"]["name"], "Zeta <App>");

    // `--languages ar,fr`: the menu offers those two, the default is Arabic.
    let (app, client, _) = tenant(vec!["ar", "fr"]).await;
    let r = app
        .get_with(&authorize(&client, ""), &[("accept-language", "he")])
        .await;
    let html = r.text();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    let (tag, strings) = script(&html, "portico-strings");
    assert_eq!(strings, file("ar"));
    assert!(tag.contains("data-languages=\"ar fr\""), "{tag}");
    // A translation cannot close the script it is carried in.
    assert!(!html.contains("</script></script>"));
}

#[tokio::test]
async fn served_as_static_files_the_page_chooses_and_fetches_its_own_language() {
    let (app, _, _) = tenant(Vec::new()).await;
    let r = app
        .get_with("/index.html?client_id=x&ui_locales=fr", &[])
        .await;
    let html = r.text();
    assert!(
        html.contains("<html lang=\"en\">"),
        "left to the page: {html}"
    );
    assert!(!html.contains("portico-strings"));
    let r = app.get("/i18n/fr.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.header("cache-control"), "public, max-age=3600");
    assert_eq!(r.json()["language_name"], "Français");
    assert_eq!(
        app.get("/i18n/README.md").await.status,
        StatusCode::NOT_FOUND
    );
}
