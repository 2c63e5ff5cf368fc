//! The top of the page: reads the request from the address, gets the context
//! (injected or fetched), asks the flow table which screen to show, and renders it.
//! Also owns the one "navigating away" flag that makes double clicks harmless.

use std::cell::Cell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_rules::flow::PageError;
use portico_rules::{
    organization_from_host, resolve_login_screen, AuthorizeRequest, LoginContext, Screen,
};

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::{ErrorPage, Failure, OrgLogin, PersonalLogin, Prompt};
use crate::theme;

#[derive(Clone)]
enum View {
    Loading,
    Failed(ApiError),
    Problem(PageError),
    Ready {
        req: AuthorizeRequest,
        ctx: Arc<LoginContext>,
        screen: Screen,
    },
}

thread_local! {
    static NAVIGATION: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
}

/// True from the moment the page starts navigating away until it is shown again
/// (bfcache). Buttons are disabled meanwhile.
pub fn use_navigation() -> RwSignal<bool> {
    NAVIGATION.with(|n| match n.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(false);
            n.set(Some(s));
            s
        }
    })
}

/// Leaves for `url`, once: a second call before the page is shown again does nothing.
pub fn continue_to(url: String) {
    let navigating = use_navigation();
    if navigating.get_untracked() {
        return;
    }
    navigating.set(true);
    browser::navigate(&url);
}

/// The organization the address names: the `organization` parameter, else the host's
/// first label under the configured base domain.
fn requested_organization(req: &AuthorizeRequest) -> Option<String> {
    req.organization().map(str::to_owned).or_else(|| {
        let base = browser::meta("portico-base-domain")?;
        organization_from_host(&browser::host(), &base).map(|n| n.into_string())
    })
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let navigating = RwSignal::new(false);
    NAVIGATION.with(|n| n.set(Some(navigating)));
    let current = RwSignal::new(View::Loading);
    let generation = StoredValue::new(0u32);
    // The server's context belongs to the address it served; history moves fetch.
    let injected = StoredValue::new(api::injected_context().map(|c| (browser::query(), c)));

    let show = move |req: AuthorizeRequest, requested: bool, ctx: Arc<LoginContext>| {
        let screen = resolve_login_screen(&req, requested, &ctx);
        let branding = match screen {
            Screen::OrganizationLogin { .. } => {
                ctx.organization.as_ref().and_then(|o| o.branding.as_ref())
            }
            _ => None,
        };
        theme::apply(branding);
        if let Screen::ErrorRedirect(url) = &screen {
            continue_to(url.clone());
        }
        current.set(View::Ready { req, ctx, screen });
    };

    let load = move || {
        generation.update_value(|g| *g += 1);
        let this_load = generation.get_value();
        let query = browser::query();
        let req = AuthorizeRequest::parse(&query);
        if req.client_id().is_none() {
            theme::apply(None);
            return current.set(View::Problem(PageError::MissingClientId));
        }
        let organization = requested_organization(&req);
        let from_server = injected
            .try_update_value(|i| {
                if i.as_ref().is_some_and(|(q, _)| *q == query) {
                    i.take()
                } else {
                    None
                }
            })
            .flatten();
        if let Some((_, Ok(ctx))) = from_server {
            return show(req, organization.is_some(), Arc::new(ctx));
        }
        current.set(View::Loading);
        spawn_local(async move {
            let result = api::login_context(&req, organization.as_deref()).await;
            if generation.get_value() != this_load {
                return; // the address moved on while this lookup ran
            }
            match result {
                Ok(ctx) => show(req, organization.is_some(), Arc::new(ctx)),
                Err(ApiError::UnknownClient) => {
                    current.set(View::Problem(PageError::UnknownClient))
                }
                Err(e) => current.set(View::Failed(e)),
            }
        });
    };

    let to_prompt = move |req: AuthorizeRequest, ctx: Arc<LoginContext>| {
        let req = req.with_organization(None);
        let query = req.to_query();
        if browser::query().trim_start_matches('?') != query {
            browser::push_query(&query);
        }
        theme::apply(None);
        let ctx = Arc::new(LoginContext {
            organization: None,
            ..(*ctx).clone()
        });
        current.set(View::Ready {
            req,
            ctx,
            screen: Screen::Prompt { invalid: false },
        });
    };

    load();
    let _ = window_event_listener(leptos::ev::popstate, move |_| load());
    let _ = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            navigating.set(false);
        }
    });

    let body = move || {
        match current.get() {
        View::Loading => view! {
            <div class="card__body card__body--loading">
                <div class="spinner" role="status" aria-label="Loading"></div>
            </div>
        }
        .into_any(),
        View::Failed(error) => view! { <Failure error=error on_retry=move |_| load()/> }.into_any(),
        View::Problem(p) => view! { <ErrorPage title=p.title() message=p.message()/> }.into_any(),
        View::Ready { req, ctx, screen } => match screen {
            Screen::Error(p) => view! { <ErrorPage title=p.title() message=p.message()/> }.into_any(),
            Screen::ErrorRedirect(_) => view! {
                <div class="card__body">
                    <p class="card__text" role="status">"Returning you to "<bdi>{ctx.client.name.clone()}</bdi>"…"</p>
                </div>
            }
            .into_any(),
            Screen::PersonalLogin { offer_organization } => {
                let (r, c) = (req.clone(), ctx.clone());
                view! {
                    <PersonalLogin req=req ctx=ctx offer_organization=offer_organization
                        on_prompt=move |_| to_prompt(r.clone(), c.clone())/>
                }
                .into_any()
            }
            Screen::Prompt { invalid } => view! {
                <Prompt req=req ctx=ctx invalid=invalid on_found=move |(req, ctx)| show(req, true, ctx)/>
            }
            .into_any(),
            Screen::OrganizationLogin { auto_redirect } => {
                let (r, c) = (req.clone(), ctx.clone());
                view! {
                    <OrgLogin req=req ctx=ctx auto_redirect=auto_redirect
                        on_not_mine=move |_| to_prompt(r.clone(), c.clone())/>
                }
                .into_any()
            }
        },
    }
    };

    view! {
        <main class="page" aria-busy=move || if matches!(current.get(), View::Loading) { "true" } else { "false" }>
            <div class="card">{body}</div>
        </main>
    }
}
