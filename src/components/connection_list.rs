use leptos::prelude::*;
use portico_rules::{ConnectionKind, PublicConnection};

use super::icon::StrategyIcon;
use crate::app::use_navigation;

/// One "Continue with {connection}" per connection; a database connection gets an
/// email field whose value continues as `login_hint`. `on_continue` receives the
/// connection name and the hint.
#[component]
pub fn ConnectionList(
    connections: Vec<PublicConnection>,
    #[prop(into)] on_continue: Callback<(String, Option<String>)>,
) -> impl IntoView {
    let navigating = use_navigation();
    connections
        .into_iter()
        .map(|c| {
            let label = c.display_name.clone();
            let name = c.name.clone();
            let icon = view! { <StrategyIcon kind=c.kind strategy=c.strategy.clone()/> };
            if c.kind == ConnectionKind::Database {
                let email = RwSignal::new(String::new());
                let input_id = ["email-", &c.name].concat();
                view! {
                    <form class="connection connection--database" on:submit=move |ev| {
                        ev.prevent_default();
                        let hint = email.get_untracked().trim().to_owned();
                        on_continue.run((name.clone(), (!hint.is_empty()).then_some(hint)));
                    }>
                        <label class="field__label" for=input_id.clone()>"Email address"</label>
                        <input id=input_id class="field__input" type="email" name="email"
                            autocomplete="username" inputmode="email"
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))/>
                        <button type="submit" class="button button--primary" disabled=move || navigating.get()>
                            {icon}<span>"Continue with "<bdi>{label}</bdi></span>
                        </button>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="button button--connection"
                        disabled=move || navigating.get()
                        on:click=move |_| on_continue.run((name.clone(), None))>
                        {icon}<span>"Continue with "<bdi>{label}</bdi></span>
                    </button>
                }
                .into_any()
            }
        })
        .collect_view()
}
