use leptos::prelude::*;

/// A problem the page explains itself, going nowhere (unknown application, an
/// unregistered callback, an unsupported setting).
#[component]
pub fn ErrorPage(title: &'static str, message: &'static str) -> impl IntoView {
    view! {
        <div class="card__body" role="alert">
            <h1 class="card__title">{title}</h1>
            <p class="card__text">{message}</p>
        </div>
    }
}
