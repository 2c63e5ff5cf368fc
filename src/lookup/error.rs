//! Why a lookup failed, in words the user can act on.

use portico_rules::i18n::{fill, Strings};

use crate::browser;

/// Why a lookup failed. Every variant has a message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupError {
    Timeout,
    Offline,
    Unreachable,
    RateLimited { retry_after: u32 },
    Server(u16),
    Malformed,
    UnknownClient,
}

impl LookupError {
    pub fn message(self, t: &Strings) -> String {
        match self {
            LookupError::Timeout => t.error_timeout().to_owned(),
            LookupError::Offline => t.error_offline().to_owned(),
            LookupError::Unreachable => t.error_unreachable().to_owned(),
            LookupError::RateLimited { retry_after } => {
                let form = t
                    .error_rate_limited()
                    .form(&browser::plural_category(retry_after));
                fill(form, &[("seconds", &decimal(retry_after))])
            }
            LookupError::Server(status) => {
                fill(t.error_server(), &[("status", &decimal(status.into()))])
            }
            LookupError::Malformed => t.error_malformed().to_owned(),
            LookupError::UnknownClient => t.error_unknown_client().to_owned(),
        }
    }
}

/// `n` in decimal, without pulling `core::fmt` into the wasm.
fn decimal(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| d as char).collect()
}
