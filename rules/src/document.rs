//! What the page and the server agree on about the HTML shell, written once.

/// The `id` of the `<script type="application/json">` that carries the injected login
/// context (docs/design.md#the-public-login-api).
pub const CONTEXT_ELEMENT_ID: &str = "portico-context";

/// The `<meta name=…>` whose content is the base domain of organization subdomains;
/// `index.html` ships `localhost` and the server writes its `--base-domain`.
pub const BASE_DOMAIN_META: &str = "portico-base-domain";

/// What `index.html` ships as that meta's content before the server rewrites it.
pub const BASE_DOMAIN_DEFAULT: &str = "localhost";

/// Where the server writes each response's CSP nonce in its template of the page.
pub const NONCE_PLACEHOLDER: &str = "{{PORTICO_NONCE}}";

/// The `id` of the `<script type="application/json">` that carries the chosen
/// language's strings (docs/design.md#languages); `<html lang>` says which language they are.
pub const STRINGS_ELEMENT_ID: &str = "portico-strings";

/// The attribute of the strings element that lists the enabled languages, space
/// separated, the default first (`--languages`): the language menu offers them.
pub const LANGUAGES_ATTRIBUTE: &str = "data-languages";

/// The `id` of the element the page lives in: empty in `index.html` (the page mounts
/// there), holding the first screen when the server rendered it (the page hydrates
/// it, docs/design.md#first-paint).
pub const ROOT_ELEMENT_ID: &str = "portico-root";

/// The `id` of the `<script type="application/json">` with the prompt's state after
/// its form was posted without JavaScript: `{"value": …, "error": …,
/// "organizations": […]}`.
pub const PROMPT_ELEMENT_ID: &str = "portico-prompt";

/// Escapes text for HTML element content and attribute values (the server's pages,
/// and the little HTML the page writes itself: the language menu).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted attribute value: `&` and `"` only, so what a
/// stranger sends costs at most six bytes per byte where it is repeated (`escape_html`
/// writes `'` as five).
pub fn escape_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `json` with everything escaped that could end its `<script>` element early.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}
