//! What the page and the server agree on about the HTML shell, written once.

/// The `id` of the `<script type="application/json">` that carries the injected login
/// context (SPEC §3).
pub const CONTEXT_ELEMENT_ID: &str = "portico-context";

/// The `<meta name=…>` whose content is the base domain of organization subdomains;
/// `index.html` ships `localhost` and the server writes its `--base-domain`.
pub const BASE_DOMAIN_META: &str = "portico-base-domain";

/// What `index.html` ships as that meta's content before the server rewrites it.
pub const BASE_DOMAIN_DEFAULT: &str = "localhost";

/// Where the server writes each response's CSP nonce in its template of the page.
pub const NONCE_PLACEHOLDER: &str = "{{PORTICO_NONCE}}";
