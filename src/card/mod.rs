//! Every screen is one `Card`: plain data (built in `screens`) rendered by one view
//! function. One view type for the whole page instead of one per screen and branch
//! is what keeps the wasm small: each distinct Leptos view type is compiled into its
//! own build/rebuild/mount code (docs/size.md#size).
//!
//! Buttons carry an `Act`, not a closure; `app` decides what an act does. Fields are
//! read from the DOM when their form is submitted, so typing re-renders nothing.
//! What changes inside a screen (busy, the field's error, discovery choices, the
//! remembered organization, "navigating away") lives in `ScreenSignals`.
//!
//! `data` is the card as data; `view` draws it (`body`) in its frame (`frame`).

mod data;
mod view;

pub use data::{
    fixed, phrase, tenant, Act, Button, Card, Note, Part, Prompt, ScreenSignals, Target, Text,
    POST_FORM_ID,
};
pub use view::{body, frame};
