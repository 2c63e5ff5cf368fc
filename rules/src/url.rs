//! URL pieces Portico needs, without a URL crate in the wasm: form-style query
//! decoding, strict percent-encoding, and the https-URL rule for logos and icons.

/// Decodes one `application/x-www-form-urlencoded` component, as browsers and
/// authorization servers do: `+` is a space, `%XX` is a byte, a malformed `%` stays as
/// it is. Bytes that are not UTF-8 become U+FFFD.
pub fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|b| hex_val(*b)),
                bytes.get(i + 2).and_then(|b| hex_val(*b)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so the result is
/// safe in any query position and decodes (once, form-style) to exactly `s`.
pub fn encode_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// Splits a query string (with or without its leading `?`) into decoded pairs, in
/// order, duplicates included.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

/// The origin of an absolute URL (`https://host:port`), for a CSP source; `None`
/// for a URL without `scheme://`.
pub fn origin(url: &str) -> Option<&str> {
    let after_scheme = url.find("://")? + 3;
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    Some(&url[..end])
}

/// Longest logo or icon URL (docs/design.md#the-directory).
pub const MAX_URL_LEN: usize = 2048;

/// Whether an image URL may be `http://` to a loopback host (`localhost`,
/// `*.localhost`, `127.0.0.1`): the one exception browsers make for secure contexts,
/// since such a URL never leaves the user's machine. The demo's logos are served so;
/// a production directory stores `https://` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageUrls {
    HttpsOnly,
    AlsoLoopback,
}

/// The rule for tenant-supplied image URLs: absolute `https://`, a plain DNS host (an
/// optional port), no userinfo, no backslash, no whitespace or control characters,
/// at most 2048 bytes. Stricter than browsers on purpose: every value it accepts means
/// the same thing to every parser.
pub fn validate_https_url(s: &str) -> Result<(), &'static str> {
    validate_image_url(s, ImageUrls::HttpsOnly)
}

/// `validate_https_url`, and with `ImageUrls::AlsoLoopback` also `http://` to a
/// loopback host.
pub fn validate_image_url(s: &str, allowed: ImageUrls) -> Result<(), &'static str> {
    if s.len() > MAX_URL_LEN {
        return Err("must be at most 2048 characters");
    }
    let (rest, loopback_only) = match (s.strip_prefix("https://"), s.strip_prefix("http://")) {
        (Some(rest), _) => (rest, false),
        (None, Some(rest)) => (rest, true),
        _ => return Err("must be an absolute https:// URL"),
    };
    if s.bytes()
        .any(|b| b <= b' ' || b == 0x7f || b == b'\\' || !b.is_ascii())
    {
        return Err("must not contain spaces, backslashes, control or non-ASCII characters");
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err("must not contain a username or password");
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err("must have a valid port");
        }
    }
    let labels_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if !labels_ok {
        return Err("must have a valid host name");
    }
    // `localhost` or a name under it (the host is ASCII here), or 127.0.0.1.
    let under_localhost = host.len() >= 9
        && host[host.len() - 9..].eq_ignore_ascii_case("localhost")
        && (host.len() == 9 || host.as_bytes()[host.len() - 10] == b'.');
    let loopback = under_localhost || host == "127.0.0.1";
    if loopback_only && !(loopback && allowed == ImageUrls::AlsoLoopback) {
        return Err("must be an absolute https:// URL");
    }
    Ok(())
}

/// An image URL a page may show: what tenant logos and icons are made of. Read from
/// a context it may be `http://` to loopback (a demo's directory); written to a
/// directory, the writer says which (`parse_with`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    /// An image URL to show: https, or http to loopback.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        Self::parse_with(s, ImageUrls::AlsoLoopback)
    }

    pub fn parse_with(s: &str, allowed: ImageUrls) -> Result<Self, &'static str> {
        validate_image_url(s, allowed)?;
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HttpsUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for HttpsUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        HttpsUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_keep_their_text_and_follow_the_rule() {
        let u = HttpsUrl::parse("https://cdn.acme.test/l.png").unwrap();
        assert_eq!(u.as_str(), "https://cdn.acme.test/l.png");
        assert!(HttpsUrl::parse("javascript:alert(1)").is_err());
        assert!(HttpsUrl::parse("http://cdn.acme.test/l.png").is_err());
        // Loopback is the one http exception (it never leaves the machine).
        for local in [
            "http://localhost:8080/demo/logos/acme.svg",
            "http://globex.localhost:8080/l.svg",
            "http://127.0.0.1/l.svg",
        ] {
            assert!(HttpsUrl::parse(local).is_ok(), "{local}");
        }
        // Unless only https is allowed: what a production directory stores.
        for local in ["http://localhost:8080/l.svg", "http://127.0.0.1/l.svg"] {
            assert_eq!(
                validate_https_url(local),
                Err("must be an absolute https:// URL"),
                "{local}"
            );
            assert!(HttpsUrl::parse_with(local, ImageUrls::HttpsOnly).is_err());
        }
        for remote in [
            "http://notlocalhost/l.svg",
            "http://localhost.evil.test/l.svg",
            "http://127.0.0.1.evil.test/l.svg",
            "http://10.0.0.1/l.svg",
            "http://localhost@evil.test/l.svg",
        ] {
            assert_eq!(
                validate_image_url(remote, ImageUrls::AlsoLoopback),
                Err(if remote.contains('@') {
                    "must not contain a username or password"
                } else {
                    "must be an absolute https:// URL"
                }),
                "{remote}"
            );
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://a.test:8443/authorize?x=1"),
            Some("https://a.test:8443")
        );
        assert_eq!(
            origin("http://localhost:3000"),
            Some("http://localhost:3000")
        );
        assert_eq!(
            origin("http://127.0.0.1:9/cb#f"),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(origin("/handoff"), None);
    }

    #[test]
    fn form_decoding() {
        assert_eq!(form_decode("a+b%20c"), "a b c");
        assert_eq!(form_decode("%2B%2F%3D%25"), "+/=%");
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz%4"), "%zz%4");
        assert_eq!(form_decode("%C3%A9"), "é");
        assert_eq!(form_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn encoding_round_trips() {
        for s in ["a b", "+/=%&#?", "é漢字", "\r\n", "", "~-._"] {
            assert_eq!(form_decode(&encode_component(s)), s);
        }
        assert_eq!(encode_component("a b&c"), "a%20b%26c");
    }

    #[test]
    fn query_parsing_keeps_order_and_duplicates() {
        let q = parse_query("?a=1&b=&c&a=2&&d=x%3Dy");
        let expected = [("a", "1"), ("b", ""), ("c", ""), ("a", "2"), ("d", "x=y")];
        assert_eq!(q.len(), expected.len());
        for ((k, v), (ek, ev)) in q.iter().zip(expected) {
            assert_eq!((k.as_str(), v.as_str()), (ek, ev));
        }
    }

    #[test]
    fn https_url_rule() {
        for ok in [
            "https://cdn.example.com/logo.png",
            "https://example.com",
            "https://example.com:8443/a?b=c#d",
            "https://a-b.example.com/x%20y",
        ] {
            assert!(validate_https_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "//host/x",
            "https://u:p@host/x",
            "https://good\\@evil/x",
            "https://",
            "https://host:/x",
            "https://host:99999999/x",
            "https://-bad.com/",
            "https://exa mple.com/",
            "https://example.com/\n",
            "https://ex\u{430}mple.com/",
            "HTTPS://example.com/",
            &format!("https://example.com/{}", "a".repeat(2048)),
        ] {
            assert!(validate_https_url(bad).is_err(), "{bad:?}");
        }
    }
}
