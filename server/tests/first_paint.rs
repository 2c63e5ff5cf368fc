//! docs/design.md#first-paint on the server: the screen the flow table chose, rendered into the page
//! by the page's own components (escaped, themed by a nonce'd style, links and forms
//! that work without a script), and the forms posted without JavaScript answered as
//! the page answers them.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use serde_json::{json, Value};

const CB: &str = "https://app.test/callback";
const HOSTILE: &str = "Acme <script>alert(1)</script> & \"Co\"";

/// One organization (branded, hostile display name, Okta and a database), and a
/// client per behaviour; `disc` discovers by email.
async fn tenant() -> (TestApp, String) {
    let mut opts = Options::default();
    opts.config.authorize_url = Some("https://auth.test/authorize".into());
    let app = app_with(opts).await;
    let okta = app
        .connection(
            "acme-okta",
            "okta",
            json!({"display_name": "Acme Okta", "options": {"domain_aliases": ["acme.test", "shared.test"]}}),
        )
        .await;
    let db = app
        .connection(
            "Username-Password-Authentication",
            "auth0",
            json!({"display_name": "Email"}),
        )
        .await;
    let globex = app
        .connection(
            "globex-okta",
            "okta",
            json!({"options": {"domain_aliases": ["shared.test"]}}),
        )
        .await;
    let org = app
        .organization(json!({"name": "acme", "display_name": HOSTILE,
            "branding": {"colors": {"primary": "#0059d6", "page_background": "#eeeeee"}},
            "enabled_connections": [{"connection_id": db}, {"connection_id": okta}]}))
        .await;
    app.organization(json!({"name": "globex", "display_name": "Globex",
        "enabled_connections": [{"connection_id": globex}]}))
        .await;
    for (id, usage, behavior) in [
        ("allow", "allow", "no_prompt"),
        ("req-prompt", "require", "pre_login_prompt"),
        ("disc", "require", "pre_login_prompt"),
    ] {
        let methods = if id == "disc" {
            json!(["organization_name", "email"])
        } else {
            json!(["organization_name"])
        };
        let input = portico_server::records::ClientInput::parse(
            json!({"name": format!("App {id}"), "callbacks": [CB],
                "organization_usage": usage, "organization_require_behavior": behavior,
                "organization_discovery_methods": methods})
            .to_string()
            .as_bytes(),
            true,
        )
        .unwrap();
        use portico_server::api::Input;
        let c = app.state.db.create_client(input).await.unwrap();
        let fixed = portico_server::records::Client {
            client_id: id.into(),
            ..c
        };
        app.state.db.insert_client(&fixed).await.unwrap();
    }
    let r = app
        .api(
            Method::PATCH,
            &format!("/connections/{db}"),
            Some(json!({"enabled_clients": ["allow"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    (app, org["id"].as_str().unwrap().to_owned())
}

fn query(client: &str, extra: &str) -> String {
    format!(
        "client_id={client}&redirect_uri={}&response_type=code&state=a%2Bb%2Fc%3D%3D&nonce=n-1{extra}",
        enc(CB)
    )
}

/// The content of `#portico-root`.
fn root(html: &str) -> &str {
    let start = html.find("<div id=\"portico-root\">").expect("a root") + 23;
    let end = html
        .rfind("</div><noscript>")
        .or_else(|| html.rfind("</div></body>"));
    &html[start..end.expect("the root closes")]
}

fn param(url: &str, name: &str) -> Vec<String> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    portico_rules::url::parse_query(q)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

/// The CSP's nonce, and that every executable script and every style carries it,
/// and nothing is styled inline.
fn assert_nonces(reply: &Reply) {
    let csp = reply.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the CSP");
    let html = reply.text();
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        if !tag.contains("application/json") {
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
        }
    }
    for (i, _) in html.match_indices("<style") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
    assert!(!html.contains(" style="), "no inline style attribute");
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Reply {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    app.request(
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_organization_login_is_rendered_themed_escaped_and_usable_without_a_script() {
    let (app, org_id) = tenant().await;
    let q = query("req-prompt", "&organization=acme&foo=%E2%9C%93");
    let r = app.get(&format!("/authorize?{q}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_nonces(&r);
    let html = r.text();
    let card = root(&html);
    assert!(
        card.starts_with("<main aria-busy=\"false\" class=\"page\">"),
        "{card}"
    );
    // The hostile display name is text, in <bdi>.
    assert!(
        card.contains("<bdi>Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Co\"</bdi>"),
        "{card}"
    );
    assert!(!html.contains("<script>alert"));
    // Okta is a button of the screen's one form, posted to this address: the request
    // rides in that form's action once, whatever the number of connections.
    let action = format!("?{}", q.replace('&', "&amp;"));
    assert!(
        card.contains(&format!(
            "<form id=\"portico-post\" method=\"post\" action=\"{action}\"></form>"
        )),
        "{card}"
    );
    assert!(
        card.contains("<button type=\"submit\" form=\"portico-post\" name=\"connection\" value=\"acme-okta\" class=\"button button--connection\">"),
        "{card}"
    );
    assert!(!card.contains("href=\"https://auth.test"), "{card}");
    // Posted, it leads to the upstream with every parameter, as the page's click.
    let r = post(
        &app,
        &format!("/authorize?{q}"),
        &[("connection", "acme-okta")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let okta = r.header("location");
    assert!(okta.starts_with("https://auth.test/authorize?"), "{okta}");
    for (name, value) in [
        ("client_id", "req-prompt"),
        ("redirect_uri", CB),
        ("state", "a+b/c=="),
        ("nonce", "n-1"),
        ("foo", "✓"),
        ("organization", org_id.as_str()),
        ("connection", "acme-okta"),
    ] {
        assert_eq!(param(okta, name), [value], "{name} in {okta}");
    }
    // The database connection is a form of its own posted here, with its email field.
    assert!(
        card.contains(&format!(
            "<form method=\"post\" action=\"{action}\" class=\"connection connection--database\"><input type=\"hidden\" name=\"connection\" value=\"Username-Password-Authentication\">"
        )),
        "{card}"
    );
    assert!(card.contains("type=\"email\" name=\"email\""));
    // "Not your organization?" posts for the prompt, to the request without the
    // organization.
    assert!(card.contains("name=\"step\" value=\"prompt\""));
    // Nothing carries the request in a field of its own any more.
    assert!(!card.contains("name=\"query\""), "{card}");
    assert_eq!(card.matches("state=a%2Bb%2Fc%3D%3D").count(), 3, "{card}");
    // Themed before any script, with the organization's colours.
    assert!(html.contains(":root{--portico-primary:#0059d6;--portico-page-bg:#eeeeee;"));
    // It works without a script: no "JavaScript is needed", and the wasm is not
    // preloaded against the HTML and CSS (the loader fetches it when it runs).
    assert!(!html.contains("<noscript>"));
    assert!(!html.contains("rel=\"preload\""));
    assert!(html.contains("import init"));
    // The page still gets its context and strings, to hydrate.
    assert!(html.contains("id=\"portico-context\""));
    assert!(html.contains("id=\"portico-strings\""));
}

#[tokio::test]
async fn the_prompt_and_the_personal_login_are_rendered() {
    let (app, _) = tenant().await;
    let r = app
        .get(&format!("/authorize?{}", query("req-prompt", "")))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_nonces(&r);
    let html = r.text();
    let card = root(&html);
    assert!(card.contains("Enter your organization"), "{card}");
    assert!(
        card.contains(&format!(
            "<form method=\"post\" action=\"?{}\" novalidate",
            query("req-prompt", "").replace('&', "&amp;")
        )),
        "{card}"
    );
    assert!(card.contains("class=\"prompt\""));
    assert!(card.contains("name=\"organization\""));
    // Default theme; the page background is left to the stylesheet.
    assert!(html.contains(":root{--portico-primary:"));
    assert!(!html.contains("--portico-page-bg:"));
    // An unknown organization: the prompt says so, with the name in the field.
    let r = app
        .get(&format!(
            "/authorize?{}",
            query("req-prompt", "&organization=nope")
        ))
        .await;
    let html = r.text();
    let card = root(&html);
    assert!(
        card.contains("The organization you entered is invalid"),
        "{card}"
    );
    assert!(card.contains("value=\"nope\""), "{card}");
    assert!(card.contains("aria-invalid=\"true\""), "{card}");
    // `allow`: the personal login, with its connections as links and the way to the
    // prompt as a form.
    let r = app.get(&format!("/authorize?{}", query("allow", ""))).await;
    let html = r.text();
    let card = root(&html);
    assert!(
        card.contains("Log in to continue to <bdi>App allow</bdi>"),
        "{card}"
    );
    assert!(card.contains("Sign in with your organization"));
    assert!(card.contains("name=\"step\" value=\"prompt\""));
    assert!(card.contains("name=\"connection\" value=\"Username-Password-Authentication\""));
}

#[tokio::test]
async fn the_prompt_posted_without_a_script_is_answered_as_the_page_answers_it() {
    let (app, _) = tenant().await;
    let q = query("req-prompt", "");
    // A mistake: the prompt again, 422, with the message, what was typed and the
    // state the page hydrates from.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", "Acme Corp")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_nonces(&r);
    let html = r.text();
    let card = root(&html);
    assert!(
        card.contains(
            "Organization names use only lowercase letters, digits, &#39;_&#39; and &#39;-&#39;."
        ) || card.contains("Organization names use only lowercase letters, digits, '_' and '-'."),
        "{card}"
    );
    assert!(card.contains("value=\"Acme Corp\""), "{card}");
    assert!(html.contains(
        "<script type=\"application/json\" id=\"portico-prompt\">{\"value\":\"Acme Corp\",\"error\":\"Organization names use only lowercase letters, digits, '_' and '-'.\",\"organizations\":[]}</script>"
    ));
    let r = post(&app, &format!("/authorize?{}", &q), &[("organization", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(root(&r.text()).contains("Enter your organization name."));
    let long = "a".repeat(51);
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", &long)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(root(&r.text()).contains("Organization names are at most 50 characters."));
    // A name: on to its address, on the path it was posted to (an unknown one too:
    // the flow table answers it with the prompt, marked).
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", " Acme ")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        format!("/authorize?{q}&organization=acme")
    );
    let r = post(&app, &format!("/?{}", &q), &[("organization", "nope")]).await;
    assert_eq!(r.header("location"), format!("/?{q}&organization=nope"));
    // Without a client: the same page as the GET.
    let r = post(
        &app,
        &format!("/authorize?{}", "state=x"),
        &[("organization", "acme")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post(
        &app,
        &format!("/authorize?{}", "client_id=who"),
        &[("organization", "acme")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Far too long a form is refused whole: the error page, in the request's
    // language.
    let big = "x".repeat(40_000);
    let q_fr = format!("{q}&ui_locales=fr");
    let r = post(
        &app,
        &format!("/authorize?{q_fr}"),
        &[("organization", &big)],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("<html lang=\"fr\""), "{}", r.text());
    assert!(
        r.text()
            .contains("Le lien que vous avez suivi contient plus de données"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn email_discovery_posted_without_a_script() {
    let (app, _) = tenant().await;
    let q = query("disc", "");
    // One organization: on to it, the email as login_hint.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", "Jane@Acme.test")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        format!("/authorize?{q}&organization=acme&login_hint=jane%40acme.test")
    );
    // None: the prompt says so.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", "jane@nowhere.test")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(root(&r.text()).contains("The organization you entered is invalid"));
    // Several: offered as buttons of the same form.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", "jane@shared.test")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    let card = root(&html);
    assert!(card.contains("name=\"choice\" value=\"acme\""), "{card}");
    assert!(card.contains("name=\"choice\" value=\"globex\""), "{card}");
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("organization", "jane@shared.test"), ("choice", "globex")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        format!("/authorize?{q}&organization=globex&login_hint=jane%40shared.test")
    );
    // Without discovery an email is a mistaken name.
    let r = post(
        &app,
        &format!("/authorize?{}", &query("req-prompt", "")),
        &[("organization", "jane@acme.test")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_database_connection_posted_without_a_script_continues_with_the_email() {
    let (app, org_id) = tenant().await;
    let q = query("req-prompt", "&organization=acme&login_hint=old%40x.test");
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[
            ("connection", "Username-Password-Authentication"),
            ("email", " jane@acme.test "),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.header("location").to_owned();
    assert!(to.starts_with("https://auth.test/authorize?"), "{to}");
    assert_eq!(param(&to, "login_hint"), ["jane@acme.test"]);
    assert_eq!(
        param(&to, "connection"),
        ["Username-Password-Authentication"]
    );
    assert_eq!(param(&to, "organization"), [org_id.as_str()]);
    assert_eq!(param(&to, "state"), ["a+b/c=="]);
    // An empty field keeps the request's own login_hint.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[
            ("connection", "Username-Password-Authentication"),
            ("email", ""),
        ],
    )
    .await;
    assert_eq!(param(r.header("location"), "login_hint"), ["old@x.test"]);
    // A connection the organization does not have goes nowhere but back.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("connection", "globex-okta")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/authorize?{q}"));
    // "Sign up" only where the connection allows it: here it does not.
    let r = post(
        &app,
        &format!("/authorize?{}", &q),
        &[("signup", "Username-Password-Authentication")],
    )
    .await;
    assert_eq!(r.header("location"), format!("/authorize?{q}"));
    // "Not your organization?": the prompt for the request without it.
    let r = post(
        &app,
        &format!("/authorize?{}", &query("req-prompt", "")),
        &[("step", "prompt")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(root(&r.text()).contains("Enter your organization"));
}

#[tokio::test]
async fn static_files_carry_no_screen() {
    let (app, _) = tenant().await;
    let r = app
        .get(&format!("/index.html?{}", query("req-prompt", "")))
        .await;
    let html: Value = json!(r.text());
    assert!(html
        .as_str()
        .unwrap()
        .contains("<div id=\"portico-root\"></div>"));
    assert!(html.as_str().unwrap().contains("<noscript>"));
    assert!(html.as_str().unwrap().contains("rel=\"preload\""));
}
