//! The one view that draws any `Card`, and the frame around it: what the browser
//! mounts or hydrates and what the server renders for the first paint.

use leptos::either::Either;
use leptos::prelude::*;

use super::data::{
    fixed, phrase, tenant, Act, Button, Card, Prompt, ScreenSignals, Target, Text, POST_FORM_ID,
};
use crate::rebuild::Rebuilt;

fn text(parts: Text) -> impl IntoView {
    parts
        .into_iter()
        .map(|p| {
            if p.tenant {
                Either::Left(view! { <bdi>{p.text}</bdi> })
            } else {
                Either::Right(p.text)
            }
        })
        .collect_view()
}

/// `b` as a link or a button; `post_to` is the address `Target::Post` goes to.
fn button(b: Button, post_to: &str, live: ScreenSignals, on: Callback<Act>) -> impl IntoView {
    // A custom icon hides the built-in one after it (stylesheet), which comes back if
    // the image fails (`hide_failed`).
    let image = b.icon_url.map(|src| {
        view! {
            <img class="button__icon" src=src alt="" referrerpolicy="no-referrer"
                on:error=crate::browser::hide_failed/>
        }
    });
    let icon = b.icon.map(|d| {
        view! {
            <svg class="button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d=d></path>
            </svg>
        }
    });
    let act = b.act;
    let content = view! { {image}{icon}<span>{text(b.text)}</span> };
    let disabled = move || live.navigating.get();
    // The page does the act; the browser's own handling (follow the link, submit
    // the form) is what happens without a script. Implicit submission (Enter in a
    // form's field) clicks its submit button, so it lands here too.
    let run = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        on.run(act)
    };
    // A form of its own: a database connection's (its email field) or `PostTo`.
    let own_form = match &b.target {
        Target::Post(field, value) if b.email_field.is_some() => {
            Some((post_to.to_owned(), (*field, value.clone())))
        }
        Target::PostTo { query, field } => Some((["?", query].concat(), field.clone())),
        _ => None,
    };
    // One <button> for all but links, so its code is built once.
    let (kind, form, name, value) = match &b.target {
        Target::Submit(name, value) => ("submit", None, Some(*name), Some(value.clone())),
        Target::Post(name, value) if own_form.is_none() => (
            "submit",
            Some(POST_FORM_ID),
            Some(*name),
            Some(value.clone()),
        ),
        Target::Post(..) | Target::PostTo { .. } => ("submit", None, None, None),
        _ => ("button", None, None, None),
    };
    let control = move |content| {
        view! {
            <button type=kind form=form class=b.class name=name value=value disabled=disabled
                on:click=run>
                {content}
            </button>
        }
    };
    if let Some((action, (field, field_value))) = own_form {
        let database = b.email_field.is_some();
        let email = b.email_field.map(|(id, label)| {
            view! {
                <label class="field__label" for=id.clone()>{label}</label>
                <input id=id class="field__input" type="email" name="email"
                    autocomplete="username" inputmode="email"/>
            }
        });
        return Either::Right(Either::Left(view! {
            <form method="post" action=action class:connection=database
                class:connection--database=database>
                <input type="hidden" name=field value=field_value/>
                {email}{control(content)}
            </form>
        }));
    }
    match b.target {
        Target::Link(href) => Either::Left(view! {
            <a class=b.class href=href aria-disabled=move || disabled().then_some("true")
                on:click=run>
                {content}
            </a>
        }),
        _ => Either::Right(Either::Right(control(content))),
    }
}

fn prompt(p: Prompt, live: ScreenSignals, on: Callback<Act>) -> impl IntoView {
    let remembered = p.remembered.map(|(continue_as, forget)| {
        move || {
            // Built afresh when it changes, as the card is (`Rebuilt`).
            Rebuilt(live.remembered.get().map(|label| {
                let continue_as = Button::new(
                    phrase(&continue_as, &[("organization", &label)]),
                    "button button--primary",
                    Target::Script,
                    Act::ContinueAs,
                );
                let forget = Button::new(vec![fixed(&forget)], "link", Target::Script, Act::Forget);
                view! {
                    <div class="remembered">
                        {button(continue_as, "", live, on)}
                        {button(forget, "", live, on)}
                    </div>
                }
            }))
        }
    });
    let choices = move || {
        let found = live
            .choices
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, found)| {
                // Without JavaScript the prompt's form posts the choice, with the
                // email still in the field.
                let choose = Button::new(
                    vec![tenant(found.label())],
                    "button button--connection",
                    Target::Submit("choice", found.name.clone()),
                    Act::Choose(i),
                );
                view! { <li>{button(choose, "", live, on)}</li> }
            })
            .collect_view();
        Rebuilt(found)
    };
    let action = ["?", &p.query].concat();
    view! {
        {remembered}
        <form class="prompt" method="post" action=action novalidate
            aria-busy=move || if live.busy.get() { "true" } else { "false" }
            on:submit=move |ev| {
                ev.prevent_default();
                on.run(Act::Submit);
            }>
            <div class="field">
                <label class="field__label" for="organization">{p.label}</label>
                <input id="organization" class="field__input" name="organization" type="text"
                    autocomplete="organization" autocapitalize="none" spellcheck="false"
                    aria-invalid=move || if live.error.get().is_some() { "true" } else { "false" }
                    aria-describedby="organization-error" value=p.value/>
                <p id="organization-error" class="field__error" role="alert">
                    {move || live.error.get()}
                </p>
            </div>
            <ul class="choices" hidden=move || live.choices.get().is_empty()>{choices}</ul>
            <button type="submit" class="button button--primary" disabled=move || live.busy.get()>
                {p.submit}
            </button>
        </form>
    }
}

/// The card's content for `card`.
pub fn body(card: Card, live: ScreenSignals, on: Callback<Act>) -> impl IntoView {
    let Card {
        loading,
        role,
        logo,
        title,
        note,
        prompt: form,
        connections,
        action,
        footer,
        languages,
        request,
    } = card;
    let post_to = request.map(|q| ["?", &q].concat());
    let at = post_to.clone().unwrap_or_default();
    let spinner = loading
        .as_ref()
        .map(|label| view! { <div class="spinner" role="status" aria-label=label.clone()></div> });
    let loading = loading.is_some();
    // The box is there only for a logo that will load, and keeps its height while it
    // does.
    // A logo that fails to load gives way to the name's initial on the primary
    // colour, in the same box: never a broken-image icon, never a shift.
    let logo = logo.map(|(src, alt)| {
        // Upper-cased by the stylesheet (Unicode case tables would cost the wasm KBs).
        let initial: String = alt.chars().take(1).collect();
        view! {
            <div class="logo">
                <img class="logo__img" src=src alt=alt referrerpolicy="no-referrer"
                    on:error=crate::browser::hide_failed/>
                <span class="logo__initial" aria-hidden="true">{initial}</span>
            </div>
        }
    });
    let title = (!title.is_empty()).then(|| view! { <h1 class="card__title">{text(title)}</h1> });
    let note = note.map(|n| {
        let redirecting = n.redirecting;
        view! {
            <p class="card__text" role=n.role class:redirecting=redirecting
                class:redirecting--done=move || redirecting && !live.navigating.get()>
                {text(n.text)}
            </p>
        }
    });
    let form = form.map(|p| prompt(p, live, on));
    let connections = (!connections.is_empty()).then(|| {
        let buttons = connections
            .into_iter()
            .map(|b| button(b, &at, live, on))
            .collect_view();
        view! { <div class="connections">{buttons}</div> }
    });
    let action = action.map(|b| button(b, &at, live, on));
    // A <div>: the footer may hold a form, which a <p> cannot (the parser would
    // close it, and the server's HTML would no longer be the tree that hydrates).
    let footer =
        footer.map(|b| view! { <div class="card__footer">{button(b, &at, live, on)}</div> });
    // The screen's shared form: empty, its buttons name it (`form=`) wherever they are.
    let shared = post_to.map(|action| {
        view! { <form id=POST_FORM_ID method="post" action=action></form> }
    });
    view! {
        <div class="card__body" class:card__body--loading=loading role=role>
            {spinner}{logo}{title}{note}{form}{connections}{action}{footer}{shared}
        </div>
        <div inner_html=languages></div>
    }
}

/// The whole page: `card` in its frame. The browser mounts or hydrates it (`App`);
/// the server renders it for the first paint (docs/design.md#first-paint).
pub fn frame(card: RwSignal<Card>, live: ScreenSignals, on: Callback<Act>) -> impl IntoView {
    view! {
        <main class="page" aria-busy=move || if card.with(|c| c.loading.is_some()) { "true" } else { "false" }>
            <div class="card">
                {move || Rebuilt(body(card.get(), live, on))}
            </div>
        </main>
    }
}
