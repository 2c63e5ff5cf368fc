//! The top of the page: reads the request from the address, gets the context
//! (injected or fetched), asks the flow table which screen to show, shows it as a
//! `Card` (built by `screens`), and carries out what its buttons ask (`Act`).
//!
//! `login` is the state; `show` shows the screen for the address; `acts` carries out
//! what buttons ask; `departure` leaves the page (once) and holds back what must wait
//! for the first render.

mod acts;
mod departure;
mod login;
mod show;

use leptos::prelude::*;

use crate::{browser, card};
use departure::{hold_until_first_render, run_waiting};
use login::Login;

pub use departure::{continue_to, use_navigation};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    hold_until_first_render();
    let login = Login::new();
    login.load();
    let _ = window_event_listener(leptos::ev::popstate, move |_| login.load());
    let _ = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            login.signals.navigating.set(false);
        }
    });
    let on = Callback::new(move |act| login.act(act));
    // After the first render (hydrated, when the server rendered it): what waited.
    Effect::new(move |_| {
        run_waiting();
        browser::hide_already_failed();
    });
    card::frame(login.card, login.signals, on)
}
