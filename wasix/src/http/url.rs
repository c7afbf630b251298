//! The URLs the clients take: `scheme://host[:port][/path][?query][#fragment]`, as much of RFC 3986 as an
//! HTTP or WebSocket request needs (no user information, which a request must not carry).

use super::Error;

/// A URL's scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    Http,
    Https,
    Ws,
    Wss,
}

impl Scheme {
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http | Scheme::Ws => 80,
            Scheme::Https | Scheme::Wss => 443,
        }
    }

    /// Whether the scheme needs TLS.
    pub fn secure(self) -> bool {
        matches!(self, Scheme::Https | Scheme::Wss)
    }
}

/// A parsed URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    pub scheme: Scheme,
    /// The host, an IPv6 address without its brackets.
    pub host: String,
    pub port: u16,
    /// Path and query, `/` at least.
    pub target: String,
}

impl Url {
    /// Parses `s`; `schemes` are the ones the caller speaks (another is [`Error::Scheme`]).
    pub fn parse(s: &str, schemes: &[Scheme]) -> Result<Url, Error> {
        if s.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(Error::Url);
        }
        let (scheme, rest) = s.split_once("://").ok_or(Error::Url)?;
        if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
            return Err(Error::Url);
        }
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            "ws" => Scheme::Ws,
            "wss" => Scheme::Wss,
            _ => return Err(Error::Scheme),
        };
        if !schemes.contains(&scheme) {
            return Err(Error::Scheme);
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(Error::Url);
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or(Error::Url)?;
            host.parse::<std::net::Ipv6Addr>().map_err(|_| Error::Url)?;
            (host, after.strip_prefix(':').map(Some).unwrap_or(if after.is_empty() { None } else { Some("x") }))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() || host.contains([':', '[', ']']) && !authority.starts_with('[') {
            return Err(Error::Url);
        }
        let port = match port {
            None | Some("") => scheme.default_port(),
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().map_err(|_| Error::Url)?,
            Some(_) => return Err(Error::Url),
        };
        let tail = tail.split('#').next().unwrap_or_default();
        let target = if tail.starts_with('/') { tail.to_owned() } else { format!("/{tail}") };
        Ok(Url { scheme, host: host.to_ascii_lowercase(), port, target })
    }

    /// The `Host` header's value.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        if self.port == self.scheme.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// The URL a redirect's `Location` names, relative to this one.
    pub fn join(&self, location: &str) -> Result<Url, Error> {
        if location.contains("://") {
            return Url::parse(location, &[self.scheme])
                .or_else(|_| Url::parse(location, &[Scheme::Http, Scheme::Https]));
        }
        if let Some(rest) = location.strip_prefix("//") {
            return Url::parse(&format!("{}://{rest}", self.scheme_name()), &[self.scheme]);
        }
        let target = if location.starts_with('/') {
            location.to_owned()
        } else {
            let path = self.target.split('?').next().unwrap_or("/");
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            format!("{dir}{location}")
        };
        Url::parse(&format!("{}://{}{target}", self.scheme_name(), self.host_header()), &[self.scheme])
    }

    fn scheme_name(&self) -> &'static str {
        match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &[Scheme] = &[Scheme::Http, Scheme::Https];

    #[test]
    fn urls_parse_into_their_parts() {
        let u = Url::parse("http://Example.com:8080/a/b?c=d#frag", WEB).unwrap();
        assert_eq!((u.host.as_str(), u.port, u.target.as_str()), ("example.com", 8080, "/a/b?c=d"));
        let u = Url::parse("https://[::1]/", WEB).unwrap();
        assert_eq!((u.host.as_str(), u.port, u.host_header().as_str()), ("::1", 443, "[::1]"));
        assert_eq!(Url::parse("http://h?q", WEB).unwrap().target, "/?q");
        assert_eq!(Url::parse("ftp://h/", WEB), Err(Error::Scheme));
        for bad in
            ["http://", "http//h", "http://u@h/", "http://h:99999/", "http://h:x/", "http://a b/", "http://[::1/"]
        {
            assert_eq!(Url::parse(bad, WEB), Err(Error::Url), "{bad}");
        }
    }

    #[test]
    fn locations_resolve_against_the_url() {
        let u = Url::parse("http://h:81/a/b?q", WEB).unwrap();
        assert_eq!(u.join("/x").unwrap().target, "/x");
        assert_eq!(u.join("c").unwrap().target, "/a/c");
        assert_eq!(u.join("http://o/p").unwrap().host, "o");
        assert_eq!(u.join("//o2/p").unwrap().host, "o2");
    }
}
