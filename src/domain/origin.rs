//! Web origins (RFC 6454: scheme, host and port), as browsers send them in `Origin` and operators
//! list them in `CORS_ALLOWED_ORIGINS`: which pages may call the API from a browser.

/// `scheme://host[:port]`, lower-cased, the default port written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

/// The origin `text` names: `http` or `https`, a host of letters, digits, dots and hyphens (or an
/// IPv6 address in brackets), an optional port, and nothing after it (no path, no slash).
pub fn parse(text: &str) -> Option<Origin> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            let digits = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
            (host, if digits { port.parse().ok()? } else { return None })
        }
        _ => (rest, default_port),
    };
    let plain = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-']);
    let bracketed = host.len() > 2
        && host.starts_with('[')
        && host.ends_with(']')
        && host[1..host.len() - 1].bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    (plain || bracketed).then(|| Origin { scheme, host: host.to_ascii_lowercase(), port })
}

/// The origin of a URL such as `PUBLIC_URL` (`https://portal.example.com/some/path`).
pub fn of_url(url: &str) -> Option<Origin> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    parse(&format!("{scheme}://{authority}"))
}

impl Origin {
    /// A page served by this machine to a developer: `localhost` or `127.0.0.1` over plain HTTP,
    /// any port.
    pub fn is_local_development(&self) -> bool {
        self.scheme == "http" && (self.host == "localhost" || self.host == "127.0.0.1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        let origin = parse("https://Portal.Example.com").unwrap();
        assert_eq!(
            (origin.scheme.as_str(), origin.host.as_str(), origin.port),
            ("https", "portal.example.com", 443)
        );
        assert_eq!(parse("http://localhost:5173").unwrap().port, 5173);
        assert_eq!(parse("http://[::1]:8080").unwrap().host, "[::1]");
        for refused in [
            "portal.example.com",
            "ftp://portal.example.com",
            "https://portal.example.com/",
            "https://portal.example.com/app",
            "https://user@portal.example.com",
            "http://localhost:",
            "http://localhost:99999",
            "http://localhost:5173.evil.example",
            "null",
            "https://",
        ] {
            assert_eq!(parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn a_url_s_origin_drops_its_path() {
        assert_eq!(of_url("https://portal.example.com/billing"), parse("https://portal.example.com:443"));
    }

    #[test]
    fn only_plain_http_on_this_machine_is_local_development() {
        assert!(parse("http://localhost:5173").unwrap().is_local_development());
        assert!(parse("http://127.0.0.1:3000").unwrap().is_local_development());
        assert!(!parse("https://localhost:5173").unwrap().is_local_development());
        assert!(!parse("http://localhost.evil.example").unwrap().is_local_development());
        assert!(!parse("http://127.0.0.2").unwrap().is_local_development());
    }
}
