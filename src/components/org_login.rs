use std::sync::Arc;

use leptos::prelude::*;
use portico_rules::url::validate_https_url;
use portico_rules::{AuthorizeRequest, LoginContext};

use super::connection_list::ConnectionList;
use crate::app::{continue_to, use_navigation};
use crate::browser;

/// The organization's themed login: logo, heading, one button per connection, and
/// the automatic redirect when there is only one way in.
#[component]
pub fn OrgLogin(
    req: AuthorizeRequest,
    ctx: Arc<LoginContext>,
    auto_redirect: Option<String>,
    #[prop(into)] on_not_mine: Callback<()>,
) -> impl IntoView {
    let Some(org) = ctx.organization.clone() else {
        return ().into_any();
    };
    let label = org.label().to_owned();
    let client = ctx.client.name.clone();
    // A logo that breaks the URL rule (old data, another backend) is not shown.
    let logo = org
        .branding
        .as_ref()
        .and_then(|b| b.logo_url.clone())
        .filter(|u| validate_https_url(u).is_ok());

    let go = {
        let (req, ctx, org) = (req.clone(), ctx.clone(), org.clone());
        move |connection: &str, hint: Option<&str>| {
            browser::remember_organization(&org.name, org.label());
            continue_to(req.build_redirect(&ctx.authorize_url, Some(&org.id), connection, hint));
        }
    };

    // Redirect at once, but only the first time this history entry is shown: coming
    // back (bfcache or a fresh load) shows the buttons instead.
    let navigating = use_navigation();
    let redirecting = auto_redirect
        .filter(|_| !browser::was_auto_redirected())
        .map(|name| {
            browser::mark_auto_redirected();
            go(&name, None);
            ctx.connections
                .iter()
                .find(|c| c.name == name)
                .map_or(name, |c| c.display_name.clone())
        });
    let redirect_message = redirecting.map(|to| {
        view! {
            <p class="card__text redirecting" role="status" class:redirecting--done=move || !navigating.get()>
                "Redirecting you to "<bdi>{to}</bdi>"…"
            </p>
        }
    });
    let on_continue =
        move |(connection, hint): (String, Option<String>)| go(&connection, hint.as_deref());

    view! {
        <div class="card__body">
            // The box is there only for a logo that will load, and keeps its height
            // while it does.
            {logo.map(|src| view! {
                <div class="logo">
                    <img class="logo__img" src=src alt=label.clone() referrerpolicy="no-referrer"/>
                </div>
            })}
            <h1 class="card__title">
                "Log in to "<bdi>{label.clone()}</bdi>" to continue to "<bdi>{client}</bdi>
            </h1>
            {redirect_message}
            <div class="connections">
                <ConnectionList connections=ctx.connections.clone() on_continue=on_continue/>
            </div>
            <p class="card__footer">
                <button type="button" class="link" on:click=move |_| on_not_mine.run(())>
                    "Not your organization?"
                </button>
            </p>
        </div>
    }
    .into_any()
}
