use leptos::prelude::*;

use crate::api::ApiError;

/// A lookup that failed (slow, offline, rate limited, server error, unreadable
/// answer), with a way to try again.
#[component]
pub fn Failure(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="card__body">
            <div role="alert">
                <h1 class="card__title">"We couldn't load this page"</h1>
                <p class="card__text">{error.message()}</p>
            </div>
            <button type="button" class="button button--primary" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
