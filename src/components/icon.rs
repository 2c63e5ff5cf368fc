use leptos::prelude::*;
use portico_rules::ConnectionKind;

/// The small icon beside "Continue with …", chosen by strategy.
#[component]
pub fn StrategyIcon(kind: ConnectionKind, strategy: String) -> impl IntoView {
    let path = match (kind, strategy.as_str()) {
        (_, "google-oauth2") => "M12 11v3h5c-.4 2-2.3 4-5 4a6 6 0 1 1 4-10.5l2.2-2.2A9 9 0 1 0 21 12c0-.4 0-.7-.1-1z",
        (_, "github") => "M12 2a10 10 0 0 0-3.2 19.5c.5.1.7-.2.7-.5v-1.7c-2.8.6-3.4-1.3-3.4-1.3-.4-1.1-1.1-1.4-1.1-1.4-.9-.6.1-.6.1-.6 1 .1 1.5 1 1.5 1 .9 1.5 2.3 1.1 2.9.8.1-.6.3-1.1.6-1.3-2.2-.3-4.6-1.1-4.6-5a3.9 3.9 0 0 1 1-2.7c-.1-.2-.4-1.3.1-2.7 0 0 .8-.3 2.8 1a9.5 9.5 0 0 1 5 0c1.9-1.3 2.8-1 2.8-1 .5 1.4.2 2.5.1 2.7a3.9 3.9 0 0 1 1 2.7c0 3.9-2.3 4.7-4.6 5 .4.3.7.9.7 1.9V21c0 .3.2.6.7.5A10 10 0 0 0 12 2z",
        (ConnectionKind::Database, _) => "M4 5h16v14H4zm1.5 1.5v.6l6.5 4.6 6.5-4.6v-.6zm0 2.4v8.6h13V8.9L12 13.5z",
        _ => "M4 21V3h10v5h6v13zm2-2h2v-2H6zm0-4h2v-2H6zm0-4h2V9H6zm0-4h2V5H6zm4 12h2v-2h-2zm0-4h2v-2h-2zm0-4h2V9h-2zm0-4h2V5h-2zm4 12h4v-2h-4zm0-4h4v-2h-4zm0-4h4v-1h-4z",
    };
    view! {
        <svg class="button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path></path>
        </svg>
    }
}
