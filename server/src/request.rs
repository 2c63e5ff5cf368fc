//! What a request says about itself: the client's address and the host it was sent
//! to. Only a peer among the configured proxies (`--trust-proxy CIDR,…`) is believed
//! about `X-Forwarded-For` and `X-Forwarded-Host`; from anyone else they are ignored,
//! so they can neither dodge a rate limit nor pick another organization's subdomain.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::http::{header, HeaderMap};
use ipnet::IpNet;

/// The proxies in front of this server, by address range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// `--trust-proxy`: comma-separated ranges (`10.0.0.0/8`) or addresses (`10.0.0.7`).
    pub fn parse(s: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "{item:?} is not an address or a range (10.0.0.0/8, fd00::/8, 10.0.0.7)"
                    )
                })?;
            nets.push(net);
        }
        if nets.is_empty() {
            return Err("name the proxies: --trust-proxy 10.0.0.0/8,…".into());
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` is one of the proxies (an IPv4 address mapped into IPv6 counts as
    /// itself).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// The values of header `name` across all its lines, in order (RFC 9110 §5.3: several
/// lines are one comma-separated list).
fn list<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect()
}

/// The address a request counts against: the peer; or, when the peer is a trusted
/// proxy, the right-most address in `X-Forwarded-For` that is not one of the proxies
/// (each proxy appends the address it received from; what is left of the first
/// untrusted one is whatever the client wrote).
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trusted: &TrustedProxies,
) -> IpAddr {
    let peer = peer
        .map(|p| p.ip().to_canonical())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !trusted.contains(peer) {
        return peer;
    }
    let mut client = peer;
    for hop in list(headers, "x-forwarded-for").into_iter().rev() {
        // Something that is no address ends the chain: the last good hop stands.
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip.to_canonical();
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// Makes what the request says about its host believable: from a trusted proxy,
/// `X-Forwarded-Host` becomes the one value that proxy wrote (the right-most); from
/// anyone else, the forwarded headers are removed. Run once per request, at the edge
/// (`middleware::edge`), so that nothing after it can read a forged one.
pub fn sanitize(headers: &mut HeaderMap, peer: Option<SocketAddr>, trusted: &TrustedProxies) {
    let from_proxy = peer.is_some_and(|p| trusted.contains(p.ip()));
    if !from_proxy {
        headers.remove("x-forwarded-for");
        headers.remove("x-forwarded-host");
        return;
    }
    let wrote = list(headers, "x-forwarded-host")
        .pop()
        .filter(|h| !h.is_empty())
        .and_then(|h| header::HeaderValue::from_str(h).ok());
    match wrote {
        Some(h) => {
            headers.insert("x-forwarded-host", h);
        }
        None => {
            headers.remove("x-forwarded-host");
        }
    }
}

/// The host the request was sent to: `X-Forwarded-Host` where `sanitize` left one
/// (a trusted proxy wrote it), else `Host`.
pub fn host(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.0.2.7").unwrap();
        let proxy = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        let stranger = Some(SocketAddr::from(([198, 51, 100, 4], 4000)));
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 203.0.113.9"),
            ("x-forwarded-host", "acme.login.test"),
            ("host", "evil.login.test"),
        ]);
        let none = TrustedProxies::default();
        assert_eq!(client_ip(&h, proxy, &none), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(
            client_ip(&h, proxy, &proxies),
            IpAddr::from([203, 0, 113, 9])
        );
        assert_eq!(
            client_ip(&h, stranger, &proxies),
            IpAddr::from([198, 51, 100, 4]),
            "a peer that is no proxy is believed about nothing"
        );
        let seen = |peer, trusted: &TrustedProxies| {
            let mut h = h.clone();
            sanitize(&mut h, peer, trusted);
            host(&h).map(str::to_owned)
        };
        assert_eq!(seen(proxy, &none).as_deref(), Some("evil.login.test"));
        assert_eq!(seen(proxy, &proxies).as_deref(), Some("acme.login.test"));
        assert_eq!(seen(stranger, &proxies).as_deref(), Some("evil.login.test"));
        let bad = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(
            client_ip(&bad, proxy, &proxies),
            IpAddr::from([10, 0, 0, 1])
        );
    }

    // Behind proxies that append (a new header line, or to the list), the client's
    // own `X-Forwarded-For` comes first: it must not be believed.
    #[test]
    fn the_client_is_the_right_most_address_that_is_no_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8,192.0.2.7").unwrap();
        let proxy = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9, 192.0.2.7"),
            ("x-forwarded-for", "10.1.2.3"),
        ]);
        assert_eq!(
            client_ip(&h, proxy, &proxies),
            IpAddr::from([203, 0, 113, 9])
        );
        // Every hop a proxy: the farthest one.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(client_ip(&h, proxy, &proxies), IpAddr::from([10, 9, 9, 9]));
        // No header at all: the proxy itself.
        assert_eq!(
            client_ip(&HeaderMap::new(), proxy, &proxies),
            IpAddr::from([10, 0, 0, 1])
        );
        // The host a proxy wrote last.
        let mut h = headers(&[
            ("x-forwarded-host", "evil.login.test"),
            ("x-forwarded-host", "acme.login.test"),
        ]);
        sanitize(&mut h, proxy, &proxies);
        assert_eq!(host(&h), Some("acme.login.test"));
        assert_eq!(h.get_all("x-forwarded-host").iter().count(), 1);
    }

    #[test]
    fn proxies_are_ranges_or_addresses() {
        let p = TrustedProxies::parse("fd00::/8, 127.0.0.1").unwrap();
        assert!(p.contains("fd12::1".parse().unwrap()));
        assert!(p.contains("127.0.0.1".parse().unwrap()));
        assert!(p.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!p.contains("127.0.0.2".parse().unwrap()));
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33").unwrap_err(),
            "\"10.0.0.0/33\" is not an address or a range (10.0.0.0/8, fd00::/8, 10.0.0.7)"
        );
        assert_eq!(
            TrustedProxies::parse(" , ").unwrap_err(),
            "name the proxies: --trust-proxy 10.0.0.0/8,…"
        );
    }
}
