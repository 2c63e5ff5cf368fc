//! Management API tokens: HS256 JWTs with `iss`, `aud`, `exp`, `iat` and `scope`,
//! signed with the tenant's key (kept in the database, created on first start, so the
//! `token` command and every server instance agree without extra configuration).
//! Anything but a well-formed, correctly signed, unexpired HS256 token for our
//! audience is `401 Invalid token.`

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::ApiError;
use crate::state::AppState;

pub const ISSUER: &str = "portico";
pub const AUDIENCE: &str = "portico-management-api";
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[derive(Clone)]
pub struct TokenKey {
    secret: Vec<u8>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    iat: u64,
    exp: u64,
    scope: String,
}

fn epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl TokenKey {
    /// A fresh random key, base64 (what the database stores).
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        STANDARD.encode(bytes)
    }

    pub fn from_base64(s: &str) -> Option<TokenKey> {
        let secret = STANDARD.decode(s).ok().filter(|k| k.len() >= 32)?;
        Some(TokenKey { secret })
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length")
    }

    pub fn issue(&self, scopes: &str, ttl: Duration) -> String {
        let now = epoch();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: "portico-cli".into(),
            iat: now,
            exp: now + ttl.as_secs(),
            scope: scopes.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        let payload = serde_json::to_vec(&claims).expect("claims serialize");
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let sig = mac.finalize().into_bytes();
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    /// The token's scopes, if it is valid.
    pub fn verify(&self, token: &str) -> Option<HashSet<String>> {
        let mut parts = token.split('.');
        let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        // The header must say exactly HS256: never `none`, never another algorithm.
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
        if header.get("alg")?.as_str()? != "HS256" {
            return None;
        }
        let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
        let mut mac = self.mac();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(p.as_bytes());
        mac.verify_slice(&sig).ok()?;
        let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()?;
        if claims.aud != AUDIENCE || claims.iss != ISSUER || claims.exp <= epoch() {
            return None;
        }
        Some(claims.scope.split_whitespace().map(str::to_owned).collect())
    }
}

/// A request's verified token: the scopes it grants.
pub struct Auth {
    scopes: HashSet<String>,
}

impl Auth {
    /// `403 insufficient_scope` unless the token grants `scope`.
    pub fn need(&self, scope: &'static str) -> Result<(), ApiError> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope))
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .ok_or(ApiError::InvalidToken)?;
        let scopes = state
            .token_key
            .verify(token.trim())
            .ok_or(ApiError::InvalidToken)?;
        Ok(Auth { scopes })
    }
}

/// Parses `1h`, `30m`, `90s`, `2d` or plain seconds.
pub fn parse_ttl(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::from_base64(&TokenKey::generate()).unwrap()
    }

    #[test]
    fn issued_tokens_verify_with_their_scopes() {
        let k = key();
        let t = k.issue(
            "read:organizations  create:organizations",
            Duration::from_secs(60),
        );
        let scopes = k.verify(&t).unwrap();
        assert!(scopes.contains("read:organizations") && scopes.contains("create:organizations"));
    }

    #[test]
    fn forged_tokens_fail() {
        let k = key();
        let t = k.issue("read:organizations", Duration::from_secs(60));
        assert!(key().verify(&t).is_none(), "other key");
        let (h, rest) = t.split_once('.').unwrap();
        let (p, _s) = rest.split_once('.').unwrap();
        let none = format!(
            "{}.{p}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
        );
        assert!(k.verify(&none).is_none(), "alg none");
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap();
        claims["scope"] = "delete:organizations".into();
        let tampered = format!("{h}.{}.{_s}", URL_SAFE_NO_PAD.encode(claims.to_string()));
        assert!(k.verify(&tampered).is_none(), "tampered");
        assert!(k.verify("garbage").is_none());
        assert!(k.verify(&format!("{t}.x")).is_none());
    }

    #[test]
    fn ttl_parsing() {
        assert_eq!(parse_ttl("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_ttl("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_ttl("2d"), Some(Duration::from_secs(172800)));
        assert_eq!(parse_ttl("1y"), None);
        assert_eq!(parse_ttl("0s"), None);
    }
}
