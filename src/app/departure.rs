//! Leaving the page, and what waits for its first render: the one "navigating away"
//! flag that makes double clicks harmless, and the queue of what may not run before
//! the tree the server rendered has hydrated (docs/design.md#first-paint).

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use portico_rules::{AuthorizeRequest, LoginContext};

use crate::browser;

/// Something to do once the page has started.
type Deferred = Box<dyn FnOnce()>;

thread_local! {
    static NAVIGATION: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
    /// While the page starts, what waits until its first render is on screen:
    /// navigating away and reading storage. The first render must be the tree the
    /// server rendered (docs/design.md#first-paint), so nothing only the browser knows may change it;
    /// hydration is done when these run. `None` once the page has started.
    static WAITING: RefCell<Option<Vec<Deferred>>> = const { RefCell::new(None) };
}

/// Runs `f` now, or once the page has started (see `WAITING`).
pub fn after_first_render(f: impl FnOnce() + 'static) {
    let f: Deferred = Box::new(f);
    let now = WAITING.with(|l| match l.borrow_mut().as_mut() {
        Some(waiting) => {
            waiting.push(f);
            None
        }
        None => Some(f),
    });
    if let Some(f) = now {
        f();
    }
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

/// A fresh "navigating away" flag for a new mount: the previous one went with the
/// previous owner.
pub fn new_navigation_flag() -> RwSignal<bool> {
    let navigating = RwSignal::new(false);
    NAVIGATION.with(|n| n.set(Some(navigating)));
    navigating
}

/// Leaves for `url`, once: a second call before the page is shown again does nothing.
pub fn continue_to(url: String) {
    after_first_render(move || {
        let navigating = use_navigation();
        if navigating.get_untracked() {
            return;
        }
        navigating.set(true);
        browser::navigate(&url);
    })
}

/// Starts holding back what `after_first_render` is given, until `run_waiting`.
pub fn hold_until_first_render() {
    WAITING.with(|l| *l.borrow_mut() = Some(Vec::new()));
}

/// Runs what waited for the first render, and runs what comes after at once.
pub fn run_waiting() {
    for f in WAITING
        .with(|l| l.borrow_mut().take())
        .into_iter()
        .flatten()
    {
        f();
    }
}

/// Leaves for `connection`, with the organization when `with_organization`
/// (remembering it for next time).
pub fn continue_with(
    req: &AuthorizeRequest,
    ctx: &LoginContext,
    with_organization: bool,
    connection: &str,
    hint: Option<&str>,
) {
    if let Some(org) = ctx.organization.as_ref().filter(|_| with_organization) {
        browser::remember_organization(&org.name, org.label());
    }
    continue_to(portico_rules::flow::forward(
        req,
        ctx,
        with_organization,
        connection,
        hint,
    ));
}
