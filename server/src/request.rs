//! What a request says about itself: the client's address and the host it was sent
//! to. Behind a trusted proxy (`--trust-proxy`) the proxy's `X-Forwarded-For` and
//! `X-Forwarded-Host` count; otherwise they are ignored, so they can neither dodge a
//! rate limit nor pick another organization's subdomain.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::http::{header, HeaderMap};

/// The address a request counts against: the peer, or behind a trusted proxy the
/// address the proxy appended last to `X-Forwarded-For`.
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> IpAddr {
    if trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.map(|p| p.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// The host the request was sent to: `X-Forwarded-Host` only behind a trusted proxy.
pub fn host(headers: &HeaderMap, trust_proxy: bool) -> Option<&str> {
    let forwarded = trust_proxy
        .then(|| {
            headers
                .get("x-forwarded-host")
                .and_then(|v| v.to_str().ok())
        })
        .flatten();
    forwarded.or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_behind_a_trusted_proxy() {
        let peer = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 203.0.113.9"),
            ("x-forwarded-host", "acme.login.test"),
            ("host", "evil.login.test"),
        ]);
        assert_eq!(client_ip(&h, peer, false), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(client_ip(&h, peer, true), IpAddr::from([203, 0, 113, 9]));
        assert_eq!(host(&h, false), Some("evil.login.test"));
        assert_eq!(host(&h, true), Some("acme.login.test"));
        let bad = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(client_ip(&bad, peer, true), IpAddr::from([10, 0, 0, 1]));
    }
}
