//! The problems the page shows itself, redirecting nowhere: a request that cannot be
//! answered safely (docs/design.md#the-login-flow), in the user's language.

use crate::i18n::{fill, Strings};

/// A problem the page shows itself, redirecting nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    MissingClientId,
    UnknownClient,
    RedirectUriNotAllowed,
    PostLoginPromptUnsupported,
    RepeatedParameter,
    /// The query crossed one of `query`'s bounds (its length, its parameters, a
    /// name's or a value's length).
    RequestTooLarge,
}

impl PageError {
    /// The heading, in the language of `t`.
    pub fn title(self, t: &Strings) -> &str {
        match self {
            PageError::MissingClientId | PageError::UnknownClient => {
                t.problem_unknown_application()
            }
            PageError::RedirectUriNotAllowed
            | PageError::RepeatedParameter
            | PageError::RequestTooLarge => t.problem_unusable_link(),
            PageError::PostLoginPromptUnsupported => t.problem_unsupported_setup(),
        }
    }

    /// What happened and what to do, in the language of `t`; the parameter and
    /// setting names stay as the protocol spells them.
    pub fn message(self, t: &Strings) -> String {
        match self {
            PageError::MissingClientId => {
                fill(t.problem_missing_client_id(), &[("parameter", "client_id")])
            }
            PageError::UnknownClient => t.problem_unknown_client().to_owned(),
            PageError::RedirectUriNotAllowed => fill(
                t.problem_unregistered_callback(),
                &[("parameter", "redirect_uri")],
            ),
            PageError::RepeatedParameter => t.problem_repeated_parameter().to_owned(),
            PageError::RequestTooLarge => t.problem_request_too_large().to_owned(),
            PageError::PostLoginPromptUnsupported => fill(
                t.problem_post_login_prompt(),
                &[
                    ("setting", "organization_require_behavior"),
                    ("value", "post_login_prompt"),
                    ("pre_login_prompt", "pre_login_prompt"),
                    ("no_prompt", "no_prompt"),
                ],
            ),
        }
    }
}
