//! The page's language (docs/design.md#languages). Served by Portico, the server has chosen it: its
//! strings are in the page and `<html lang dir>` is set. Served as static files, the
//! page chooses among the shipped languages itself (`ui_locales`, then
//! `navigator.languages`, by the same rule as the server) and fetches that one file
//! alongside the context lookup; until it arrives, or if it never does, the page
//! speaks English.
//!
//! Kept in one thread-local, reset by each mount: the language is the page's, not a
//! screen's, and plain state here costs the wasm less than reactive handles would.

use std::cell::RefCell;

use portico_rules::document::{LANGUAGES_ATTRIBUTE, STRINGS_ELEMENT_ID};
use portico_rules::i18n::{self, Strings, SHIPPED};

use crate::browser;
use crate::lookup::{self, LanguageFile};

struct Language {
    strings: &'static Strings,
    /// The languages the menu offers, the default first.
    enabled: Vec<&'static str>,
    /// Served as static files: the language is yet to be chosen (`choose`).
    undecided: bool,
    /// The language file on its way, with its tag.
    pending: Option<(&'static str, LanguageFile)>,
}

thread_local! {
    static LANGUAGE: RefCell<Option<Language>> = const { RefCell::new(None) };
}

/// Strings live as long as the page: one set per mount, one more when a file arrives.
fn keep(strings: Strings) -> &'static Strings {
    Box::leak(Box::new(strings))
}

/// Works out the page's language as it starts (a mount): the injected strings, else
/// English until `choose` has picked one.
pub fn start() {
    let language = match lookup::injected_strings() {
        Some(strings) => {
            let enabled: &'static str = Box::leak(
                browser::element_attribute(STRINGS_ELEMENT_ID, LANGUAGES_ATTRIBUTE)
                    .unwrap_or_default()
                    .into_boxed_str(),
            );
            Language {
                strings: keep(strings),
                enabled: enabled.split(' ').filter(|t| !t.is_empty()).collect(),
                undecided: false,
                pending: None,
            }
        }
        None => Language {
            strings: keep(lookup::english()),
            enabled: SHIPPED.to_vec(),
            undecided: true,
            pending: None,
        },
    };
    LANGUAGE.with(|l| *l.borrow_mut() = Some(language));
}

/// Served as static files, on the first load: picks the language for `ui_locales`,
/// then `navigator.languages`, and starts fetching its file (unless it is English).
pub fn choose(ui_locales: Option<&str>) {
    LANGUAGE.with(|l| {
        let mut l = l.borrow_mut();
        let Some(l) = l.as_mut().filter(|l| l.undecided) else {
            return;
        };
        l.undecided = false;
        let wanted = [
            ui_locales.unwrap_or_default(),
            &browser::preferred_languages(),
        ]
        .join(" ");
        let tag = i18n::first_served(SHIPPED, &wanted).unwrap_or("en");
        if tag != "en" {
            l.pending = Some((tag, lookup::language_file(tag)));
        }
    });
}

/// Every string the page shows, in the page's language.
pub fn strings() -> &'static Strings {
    LANGUAGE.with(|l| match &*l.borrow() {
        Some(l) => l.strings,
        None => unreachable!("start() runs first"),
    })
}

/// Waits for the language file on its way, if one is (static files, the first load),
/// and speaks its language from then on (`<html lang dir>` too); English stays if it
/// failed.
pub async fn arrived() {
    let Some((tag, file)) = LANGUAGE.with(|l| l.borrow_mut().as_mut()?.pending.take()) else {
        return;
    };
    if let Some(strings) = file.strings().await {
        browser::set_language(tag, i18n::dir(tag));
        LANGUAGE.with(|l| {
            if let Some(l) = l.borrow_mut().as_mut() {
                l.strings = keep(strings);
            }
        });
    }
}

/// The language menu's HTML (`i18n::menu_html`) for the current address; empty where
/// only one language is enabled.
pub fn menu() -> String {
    LANGUAGE.with(|l| {
        let l = l.borrow();
        let Some(l) = l.as_ref() else {
            return String::new();
        };
        if l.enabled.len() < 2 {
            return String::new();
        }
        i18n::menu_html(
            l.strings.language_menu(),
            &browser::language(),
            &l.enabled,
            &browser::query(),
        )
    })
}
