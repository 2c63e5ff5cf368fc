use std::sync::Arc;

use leptos::prelude::*;
use portico_rules::{AuthorizeRequest, LoginContext};

use super::connection_list::ConnectionList;
use crate::app::continue_to;

/// Login without an organization: the application's own connections, and for
/// `allow` applications a way to the organization prompt. Both are fixed for the
/// life of the screen, so plain `Option` views rather than `<Show>` (which would
/// re-evaluate reactively and costs about 1 KB of wasm per use).
#[component]
pub fn PersonalLogin(
    req: AuthorizeRequest,
    ctx: Arc<LoginContext>,
    offer_organization: bool,
    #[prop(into)] on_prompt: Callback<()>,
) -> impl IntoView {
    let client = ctx.client.name.clone();
    let empty = ctx.connections.is_empty();
    let authorize_url = ctx.authorize_url.clone();
    let on_continue = move |(connection, hint): (String, Option<String>)| {
        continue_to(req.build_redirect(&authorize_url, None, &connection, hint.as_deref()));
    };
    view! {
        <div class="card__body">
            <h1 class="card__title">"Log in to continue to "<bdi>{client}</bdi></h1>
            {empty.then(|| view! {
                <p class="card__text" role="alert">"This application has no way to log in yet."</p>
            })}
            <div class="connections">
                <ConnectionList connections=ctx.connections.clone() on_continue=on_continue/>
            </div>
            {offer_organization.then(|| view! {
                <p class="card__footer">
                    <button type="button" class="link" on:click=move |_| on_prompt.run(())>
                        "Sign in with your organization"
                    </button>
                </p>
            })}
        </div>
    }
}
