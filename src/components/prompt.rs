use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_rules::{normalize_prompt_input, AuthorizeRequest, LoginContext, OrganizationName};

use crate::api::{self, DiscoveredOrganization};
use crate::browser;

/// The message for a name that is valid but not an organization the user can log in
/// to. It never says whether the organization exists elsewhere.
pub const INVALID_ORGANIZATION: &str = "The organization you entered is invalid";

/// "Enter your organization": the name (or, when the application allows it, an email
/// address), validated before any request, then looked up. `on_found` receives the
/// request with `organization` set and the context for it (its `organization` is
/// `None` when the lookup found nothing).
#[component]
pub fn Prompt(
    req: AuthorizeRequest,
    ctx: Arc<LoginContext>,
    invalid: bool,
    #[prop(into)] on_found: Callback<(AuthorizeRequest, Arc<LoginContext>)>,
) -> impl IntoView {
    let by_email = ctx.client.discovers_by_email();
    let value = RwSignal::new(req.organization().unwrap_or_default().to_owned());
    let error = RwSignal::new(invalid.then(|| INVALID_ORGANIZATION.to_owned()));
    let busy = RwSignal::new(false);
    let choices = RwSignal::new(Vec::<DiscoveredOrganization>::new());
    let remembered = RwSignal::new(browser::remembered_organization());

    let look_up = {
        let (req, ctx) = (req.clone(), ctx.clone());
        move |name: String| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let (req, ctx) = (req.with_organization(Some(&name)), ctx.clone());
            spawn_local(async move {
                let result = api::organization_context(&req, Some(&name)).await;
                busy.set(false);
                match result {
                    Ok(found) => {
                        browser::push_query(&req.to_query());
                        let ctx = found.map(Arc::new).unwrap_or_else(|| {
                            Arc::new(LoginContext {
                                organization: None,
                                ..(*ctx).clone()
                            })
                        });
                        on_found.run((req, ctx));
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        }
    };

    let discover = {
        let look_up = look_up.clone();
        let client_id = ctx.client.client_id.clone();
        move |email: String| {
            busy.set(true);
            let (look_up, client_id) = (look_up.clone(), client_id.clone());
            spawn_local(async move {
                let result = api::discover(&client_id, &email).await;
                busy.set(false);
                match result {
                    Ok(found) if found.len() == 1 => look_up(found[0].name.clone()),
                    Ok(found) if found.is_empty() => error.set(Some(INVALID_ORGANIZATION.into())),
                    Ok(found) => choices.set(found),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        }
    };

    let submit = {
        let look_up = look_up.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            choices.set(Vec::new());
            let input = normalize_prompt_input(&value.get_untracked());
            if by_email && input.contains('@') {
                error.set(None);
                return discover(input);
            }
            match OrganizationName::parse(&input) {
                Ok(name) => {
                    error.set(None);
                    look_up(name.into_string());
                }
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        }
    };

    let field_label = if by_email {
        "Organization name or email"
    } else {
        "Organization name"
    };
    let choose = look_up.clone();
    let continue_as = look_up;
    view! {
        <form class="card__body" novalidate on:submit=submit aria-busy=move || if busy.get() { "true" } else { "false" }>
            <h1 class="card__title">"Enter your organization"</h1>
            {move || remembered.get().map(|(name, label)| {
                let continue_as = continue_as.clone();
                view! {
                    <div class="remembered">
                        <button type="button" class="button button--primary"
                            on:click=move |_| continue_as(name.clone())>
                            "Continue as "<bdi>{label}</bdi>
                        </button>
                        <button type="button" class="link" on:click=move |_| {
                            browser::forget_organization();
                            remembered.set(None);
                        }>"Forget this organization"</button>
                    </div>
                }
            })}
            <div class="field">
                <label class="field__label" for="organization">{field_label}</label>
                <input id="organization" class="field__input" name="organization" type="text"
                    autocomplete="organization" autocapitalize="none" spellcheck="false"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby="organization-error"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
                <p id="organization-error" class="field__error" role="alert">
                    {move || error.get()}
                </p>
            </div>
            <ul class="choices" hidden=move || choices.get().is_empty()>
                {move || choices.get().into_iter().map(|o| {
                    let choose = choose.clone();
                    view! {
                        <li><button type="button" class="button button--connection"
                            on:click=move |_| choose(o.name.clone())><bdi>{o.label}</bdi></button></li>
                    }
                }).collect_view()}
            </ul>
            <button type="submit" class="button button--primary" disabled=move || busy.get()>
                "Continue"
            </button>
        </form>
    }
}
