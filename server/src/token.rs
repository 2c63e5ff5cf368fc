//! Management API tokens: HS256 JWTs with `iss`, `aud`, `exp`, `iat` and `scope`,
//! signed with the tenant's key (kept in the database, created on first start, so the
//! `token` command and every server instance agree without extra configuration).
//! Signing and checking are `jsonwebtoken`'s; anything but a well-formed, correctly
//! signed, unexpired HS256 token for our issuer and audience is rejected.

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "portico";
pub const AUDIENCE: &str = "portico-management-api";

#[derive(Clone)]
pub struct TokenKey {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
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
        // Exactly HS256 (never `none`, never another algorithm), our issuer and
        // audience, and no leeway on expiry.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = 0;
        Some(TokenKey {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
        })
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
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The token's scopes, if it is valid.
    pub fn verify(&self, token: &str) -> Option<HashSet<String>> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        Some(
            data.claims
                .scope
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        )
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
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

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
        let expired = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: "x".into(),
            iat: 1,
            exp: epoch() - 1,
            scope: "read:organizations".into(),
        };
        let expired =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &expired, &k.encoding).unwrap();
        assert!(k.verify(&expired).is_none(), "expired");
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
