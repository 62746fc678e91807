//! The little URL handling a registry client needs: split an absolute http(s) URL, resolve a
//! redirect's `Location`, escape a query value.

use std::fmt::Write as _;

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    pub scheme: &'static str,
    /// `host[:port]`, lowercased.
    pub authority: String,
    /// From the first `/` on, query included; `/` when empty.
    pub path: String,
}

impl Url {
    pub(crate) fn parse(s: &str) -> Option<Url> {
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(s, "https://") {
            ("https", rest)
        } else {
            ("http", strip_prefix_ignore_case(s, "http://")?)
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        // User info in a URL would be a credential the user never configured: refuse it.
        if authority.is_empty()
            || authority.contains('@')
            || authority.bytes().any(|b| b.is_ascii_control() || b == b' ')
        {
            return None;
        }
        let path = &rest[end..];
        let path = path.split('#').next().unwrap_or("");
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Some(Url {
            scheme,
            authority: authority.to_ascii_lowercase(),
            path,
        })
    }

    /// The target of a redirect from this URL: absolute, scheme-relative, absolute-path or
    /// relative, as RFC 3986 resolves them (without dot-segment removal, which registries and
    /// their storage never need).
    pub(crate) fn join(&self, location: &str) -> Option<Url> {
        let location = location.trim();
        if location.bytes().any(|b| b.is_ascii_control()) {
            return None;
        }
        if let Some(url) = Url::parse(location) {
            return Some(url);
        }
        if let Some(rest) = location.strip_prefix("//") {
            return Url::parse(&format!("{}://{rest}", self.scheme));
        }
        if location.contains("://") {
            return None;
        }
        let path = if location.starts_with('/') {
            location.to_owned()
        } else {
            let base = self.path.split('?').next().unwrap_or("/");
            let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
            format!("{dir}/{location}")
        };
        Some(Url {
            scheme: self.scheme,
            authority: self.authority.clone(),
            path,
        })
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.path)
    }
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Percent-encodes all but RFC 3986's unreserved characters.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_join() {
        let u = Url::parse("https://Reg.example:5000/v2/a/blobs/x?q=1#f").unwrap();
        assert_eq!(u.authority, "reg.example:5000");
        assert_eq!(u.path, "/v2/a/blobs/x?q=1");
        assert_eq!(Url::parse("http://h").unwrap().to_string(), "http://h/");
        assert!(Url::parse("ftp://h/").is_none());
        assert!(Url::parse("https://user:pw@h/").is_none());
        assert_eq!(
            u.join("/other").unwrap().to_string(),
            "https://reg.example:5000/other"
        );
        assert_eq!(
            u.join("c").unwrap().to_string(),
            "https://reg.example:5000/v2/a/blobs/c"
        );
        assert_eq!(
            u.join("//cdn.example/b").unwrap().to_string(),
            "https://cdn.example/b"
        );
        assert_eq!(
            u.join("http://cdn.example/b?sig=1").unwrap().to_string(),
            "http://cdn.example/b?sig=1"
        );
        assert!(u.join("javascript://x").is_none());
        assert!(u.join("/a\r\nb").is_none());
    }

    #[test]
    fn escape() {
        assert_eq!(
            query_escape("repository:library/nginx:pull"),
            "repository%3Alibrary%2Fnginx%3Apull"
        );
    }
}
