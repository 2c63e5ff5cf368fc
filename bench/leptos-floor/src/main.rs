//! A counter: the least a reactive Leptos page can be.
use leptos::prelude::*;

fn main() {
    let count = RwSignal::new(0);
    leptos::mount::mount_to_body(move || {
        view! {
            <button type="button" on:click=move |_| count.update(|n| *n += 1)>
                {move || count.get()}
            </button>
        }
    });
}
