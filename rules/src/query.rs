//! Reading a query string a stranger sent: bounded, and linear in its length. Every
//! public entry point reads its query (and its posted form) here, the page reads its
//! address here, so a request costs at most what its bytes cost and one over a bound
//! is refused before anything else is done with it.
//!
//! The bounds come from what real authorization requests carry. A typical request from
//! an Auth0 SDK is 1–2 KB in 12–18 parameters (`client_id`, `redirect_uri`, `scope`,
//! `state`, `nonce`, PKCE, `audience`, `auth0Client`, `organization`, `ui_locales`…).
//! The largest single values in use are an `id_token_hint` (a signed JWT, 1–3 KB) and a
//! `request` object (RFC 9101; a signed or encrypted JWT, a few KB); anything bigger is
//! what pushed authorization requests (RFC 9126) are for. Proxies and servers in front
//! of an authorization endpoint commonly refuse request lines over 8 KB (nginx's
//! `large_client_header_buffers`, Apache's `LimitRequestLine`). So: a query of at most
//! 16 KB (twice that), at most 64 parameters (the IANA OAuth parameter registry lists
//! about 35 that an authorization request may carry), names of at most 128 bytes (the
//! longest registered name has 21) and values of at most 8 KB, all counted as sent
//! (percent-encoded).

use crate::url::form_decode;

/// The longest query, in bytes as sent (without its `?`).
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// The most parameters a query may carry (empty pairs, `&&`, are not parameters).
pub const MAX_PARAMETERS: usize = 64;
/// The longest parameter name, as sent.
pub const MAX_NAME_BYTES: usize = 128;
/// The longest parameter value, as sent.
pub const MAX_VALUE_BYTES: usize = 8 * 1024;

/// Why a query was refused: which bound it crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Longer than `MAX_QUERY_BYTES`; `bytes` is its length.
    TooLong { bytes: usize },
    /// More than `MAX_PARAMETERS` parameters.
    TooManyParameters,
    /// A name longer than `MAX_NAME_BYTES`.
    NameTooLong,
    /// The value of `name` (decoded, at most `MAX_NAME_BYTES` as sent) is longer than
    /// `MAX_VALUE_BYTES`; `bytes` is its length as sent.
    ValueTooLong { name: String, bytes: usize },
}

impl QueryError {
    /// The HTTP status: 414 for a query that is too long as a whole, else 400.
    pub fn status(&self) -> u16 {
        match self {
            QueryError::TooLong { .. } => 414,
            _ => 400,
        }
    }

    /// The sentence an API client reads (Auth0's query validation style).
    pub fn message(&self) -> String {
        match self {
            QueryError::TooLong { bytes } => format!(
                "Query validation error: 'The query is too long ({bytes} bytes), maximum {MAX_QUERY_BYTES}'."
            ),
            QueryError::TooManyParameters => format!(
                "Query validation error: 'Too many parameters, maximum {MAX_PARAMETERS}'."
            ),
            QueryError::NameTooLong => format!(
                "Query validation error: 'A parameter name is too long, maximum {MAX_NAME_BYTES} bytes'."
            ),
            QueryError::ValueTooLong { name, bytes } => format!(
                "Query validation error: 'String is too long ({bytes} bytes), maximum {MAX_VALUE_BYTES}' on property {name}."
            ),
        }
    }
}

/// One parameter as read: the pair as it was sent (`name=value`, still encoded), and
/// its name and value decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    pub sent: &'a str,
    pub name: String,
    pub value: String,
}

/// The query's decoded pairs, in order, duplicates included — or the first bound it
/// crosses. Nothing over a bound is decoded: the whole length is checked first, then
/// each pair's lengths before it is decoded, so the cost is linear in the bytes
/// actually read and never more than `MAX_QUERY_BYTES` of them.
pub fn read(query: &str) -> Result<Vec<(String, String)>, QueryError> {
    Ok(read_pairs(query)?
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect())
}

/// `read`, keeping each pair as it was sent too.
pub fn read_pairs(query: &str) -> Result<Vec<Pair<'_>>, QueryError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong { bytes: query.len() });
    }
    let mut out = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        if out.len() == MAX_PARAMETERS {
            return Err(QueryError::TooManyParameters);
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.len() > MAX_NAME_BYTES {
            return Err(QueryError::NameTooLong);
        }
        if value.len() > MAX_VALUE_BYTES {
            return Err(QueryError::ValueTooLong {
                name: form_decode(name),
                bytes: value.len(),
            });
        }
        out.push(Pair {
            sent: pair,
            name: form_decode(name),
            value: form_decode(value),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_within_every_bound_reads_in_order() {
        let q = read("?a=1&b=&c&a=2&&d=x%3Dy+z").unwrap();
        let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", ""), ("c", ""), ("a", "2"), ("d", "x=y z")]
        );
        assert_eq!(read(""), Ok(Vec::new()));
    }

    #[test]
    fn exactly_at_each_bound_is_read() {
        let at_bytes = ["v=", &"x".repeat(MAX_VALUE_BYTES)].concat();
        assert_eq!(read(&at_bytes).unwrap()[0].1.len(), MAX_VALUE_BYTES);
        let names: Vec<String> = (0..MAX_PARAMETERS).map(|i| format!("p{i}")).collect();
        assert_eq!(read(&names.join("&")).unwrap().len(), MAX_PARAMETERS);
        let long_name = "n".repeat(MAX_NAME_BYTES);
        assert_eq!(read(&long_name).unwrap()[0].0, long_name);
        let whole: String = (0..2)
            .map(|i| format!("v{i}={}", "y".repeat(MAX_QUERY_BYTES / 2 - 4)))
            .collect::<Vec<_>>()
            .join("&");
        assert!(whole.len() <= MAX_QUERY_BYTES);
        assert!(read(&whole).is_ok());
    }

    #[test]
    fn one_past_each_bound_is_refused_with_its_reason() {
        let long = "a".repeat(MAX_QUERY_BYTES + 1);
        assert_eq!(
            read(&long),
            Err(QueryError::TooLong {
                bytes: MAX_QUERY_BYTES + 1
            })
        );
        // The `?` is not part of the query.
        let half = MAX_QUERY_BYTES / 2;
        let exact = format!("v={}&w={}", "a".repeat(half - 3), "b".repeat(half - 2));
        assert_eq!(exact.len(), MAX_QUERY_BYTES);
        assert!(read(&["?", &exact].concat()).is_ok());
        assert!(read(&[&exact, "c"].concat()).is_err());
        let names: Vec<String> = (0..=MAX_PARAMETERS).map(|i| format!("p{i}")).collect();
        assert_eq!(read(&names.join("&")), Err(QueryError::TooManyParameters));
        // Empty pairs are no parameters.
        let sparse = ["&&&", &names[..MAX_PARAMETERS].join("&&&"), "&&&"].concat();
        assert_eq!(read(&sparse).unwrap().len(), MAX_PARAMETERS);
        assert_eq!(
            read(&"n".repeat(MAX_NAME_BYTES + 1)),
            Err(QueryError::NameTooLong)
        );
        let value = ["state=", &"%41".repeat(MAX_VALUE_BYTES / 3 + 1)].concat();
        assert_eq!(
            read(&value),
            Err(QueryError::ValueTooLong {
                name: "state".into(),
                bytes: (MAX_VALUE_BYTES / 3 + 1) * 3
            })
        );
    }

    #[test]
    fn each_refusal_says_which_bound() {
        assert_eq!(QueryError::TooLong { bytes: 20000 }.status(), 414);
        assert_eq!(
            QueryError::TooLong { bytes: 20000 }.message(),
            "Query validation error: 'The query is too long (20000 bytes), maximum 16384'."
        );
        assert_eq!(QueryError::TooManyParameters.status(), 400);
        assert_eq!(
            QueryError::TooManyParameters.message(),
            "Query validation error: 'Too many parameters, maximum 64'."
        );
        assert_eq!(
            QueryError::NameTooLong.message(),
            "Query validation error: 'A parameter name is too long, maximum 128 bytes'."
        );
        assert_eq!(
            QueryError::ValueTooLong {
                name: "state".into(),
                bytes: 9000
            }
            .message(),
            "Query validation error: 'String is too long (9000 bytes), maximum 8192' on property state."
        );
    }
}
