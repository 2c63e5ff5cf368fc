//! The page's screens and their parts, one component per file. Components stay thin:
//! rules come from `portico_rules`, HTTP from `crate::api`, the browser from
//! `crate::browser`.

mod connection_list;
mod error_page;
mod failure;
mod icon;
mod org_login;
mod personal_login;
mod prompt;

pub use error_page::ErrorPage;
pub use failure::Failure;
pub use org_login::OrgLogin;
pub use personal_login::PersonalLogin;
pub use prompt::Prompt;
