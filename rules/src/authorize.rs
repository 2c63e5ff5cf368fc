//! The `/authorize` request an application sent (`request`), and the two URLs Portico
//! builds from it: the redirect to the authorization server (`forward`) and the error
//! redirect back to the application (`response`) (docs/design.md#the-login-flow).

mod forward;
mod request;
mod response;

pub use forward::Choice;
pub use request::{plain_url_text, AuthorizeRequest};
pub use response::{error_fields, error_fragment, error_redirect, ResponseMode};
