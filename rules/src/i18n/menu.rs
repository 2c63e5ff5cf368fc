//! The language menu's HTML (docs/design.md#languages).

use super::tags::autonym;

/// The language menu (docs/design.md#languages) as HTML, named `label`: the current language's name
/// opens the enabled languages, each named in itself. The menu is one small GET form
/// to this address: the request (`query`, read within `query::read`'s bounds) once, as
/// hidden fields, every parameter but `ui_locales`; each language is a button that
/// submits it with `ui_locales` set to its tag. So the screen reloads in that language
/// (and the authorization server continues in it) with or without a script, and the
/// menu carries the request once, not once per language. Everything from the address
/// is escaped.
///
/// A browser submits the fields form-encoded: each value reaches the server the same
/// after one decode, but for line breaks, which HTML form submission writes as CRLF
/// (no parameter of an OAuth request may hold one, RFC 6749 Appendix A).
pub fn menu_html(label: &str, current: &str, enabled: &[&str], query: &str) -> String {
    use crate::document::{escape_attribute, escape_html};
    let mut html = String::from("<nav class=\"languages\" aria-label=\"");
    html.push_str(&escape_html(label));
    html.push_str("\"><details><summary class=\"languages__current\">");
    html.push_str(autonym(current));
    html.push_str("</summary><form method=\"get\">");
    let pairs = crate::query::read(query).unwrap_or_default();
    for (name, value) in pairs.iter().filter(|(name, _)| name != "ui_locales") {
        for part in [
            "<input type=\"hidden\" name=\"",
            &escape_attribute(name),
            "\" value=\"",
            &escape_attribute(value),
            "\">",
        ] {
            html.push_str(part);
        }
    }
    html.push_str("<ul class=\"languages__list\">");
    for tag in enabled {
        for part in [
            "<li><button class=\"link\" name=\"ui_locales\" value=\"",
            tag,
            "\" lang=\"",
            tag,
            if *tag == current {
                "\" aria-current=\"true\">"
            } else {
                "\">"
            },
            autonym(tag),
            "</button></li>",
        ] {
            html.push_str(part);
        }
    }
    html.push_str("</ul></form></details></nav>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::SHIPPED;

    #[test]
    fn the_menu_carries_the_request_once_and_escapes_it() {
        let html = menu_html(
            "Langue",
            "fr",
            &["en", "fr", "ar"],
            "?client_id=a&state=%22%3E%3Cscript%3Ex%3C%2Fscript%3E%26%27&ui_locales=de+fr&nonce=n+1",
        );
        assert_eq!(
            html,
            "<nav class=\"languages\" aria-label=\"Langue\"><details><summary class=\"languages__current\">Français</summary><form method=\"get\">\
             <input type=\"hidden\" name=\"client_id\" value=\"a\">\
             <input type=\"hidden\" name=\"state\" value=\"&quot;><script>x</script>&amp;'\">\
             <input type=\"hidden\" name=\"nonce\" value=\"n 1\">\
             <ul class=\"languages__list\">\
             <li><button class=\"link\" name=\"ui_locales\" value=\"en\" lang=\"en\">English</button></li>\
             <li><button class=\"link\" name=\"ui_locales\" value=\"fr\" lang=\"fr\" aria-current=\"true\">Français</button></li>\
             <li><button class=\"link\" name=\"ui_locales\" value=\"ar\" lang=\"ar\">العربية</button></li>\
             </ul></form></details></nav>"
        );
    }

    // The measure: a 60 KB query once came back as ~1 MB of HTML, the menu
    // repeating it once per language. Now the request is in the menu once, so the
    // menu grows by at most twice what the query grows (an escaped `"` is six bytes,
    // sent as `%22`, three).
    #[test]
    fn the_menu_grows_with_the_request_not_with_the_languages() {
        let all = SHIPPED;
        let empty = menu_html("Language", "en", all, "").len();
        let worst = ["state=", &"%22".repeat(crate::query::MAX_VALUE_BYTES / 3)].concat();
        let big = menu_html("Language", "en", all, &worst).len();
        assert!(
            big - empty <= 2 * worst.len() + 64,
            "{} bytes of query made the menu {} bytes larger",
            worst.len(),
            big - empty
        );
        // Over the query's bounds, the menu carries nothing of it.
        let over = "a".repeat(crate::query::MAX_QUERY_BYTES + 1);
        assert_eq!(menu_html("Language", "en", all, &over).len(), empty);
    }
}
