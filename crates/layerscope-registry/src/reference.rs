//! Image references as users type them, normalised by Docker's rules.

use std::fmt;

use crate::text::one_line;

/// The registry that names without a host refer to.
pub const DOCKER_HUB: &str = "docker.io";

/// Longest `host/path` a reference may have (Docker's limit).
const MAX_NAME: usize = 255;

/// An image in a registry: `docker.io/library/nginx:latest`, `ghcr.io/o/r@sha256:…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// `host[:port]` as the user named it; `docker.io` for Docker Hub.
    pub registry: String,
    /// The path inside the registry, `library/nginx` for Hub's official images.
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`; when set it wins over the tag.
    pub digest: Option<String>,
}

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad image reference `{input}`: {reason}")]
pub struct RefError {
    pub input: String,
    pub reason: &'static str,
}

impl ImageRef {
    /// Parses a reference the way `docker pull` does: `nginx` is `docker.io/library/nginx:latest`,
    /// `user/app` is on Docker Hub, a first component with a `.` or `:` or `localhost` is a
    /// registry host, `index.docker.io` is `docker.io`.
    pub fn parse(input: &str) -> Result<ImageRef, RefError> {
        let fail = |reason| RefError {
            input: one_line(input),
            reason,
        };
        if input.is_empty() {
            return Err(fail("empty"));
        }
        let (name_tag, digest) = match input.split_once('@') {
            Some((name, digest)) => {
                check_digest(digest).map_err(fail)?;
                (name, Some(digest.to_owned()))
            }
            None => (input, None),
        };
        // A tag's colon comes after the last slash; one before it belongs to a host's port.
        let (name, tag) = match name_tag.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
            _ => (name_tag, None),
        };
        if let Some(tag) = tag {
            check_tag(tag).map_err(fail)?;
        }
        let (registry, path) = split_registry(name);
        check_host(registry).map_err(fail)?;
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB
        } else {
            registry
        };
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_owned()
        };
        if repository.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(fail("repository name must be lowercase"));
        }
        if !repository.split('/').all(valid_component) {
            return Err(fail(
                "each part of the repository must be lowercase letters and digits, \
                 joined by `.`, `_`, `__` or dashes",
            ));
        }
        if registry.len() + 1 + repository.len() > MAX_NAME {
            return Err(fail("name longer than 255 characters"));
        }
        Ok(ImageRef {
            registry: registry.to_owned(),
            repository,
            tag: tag.map(str::to_owned),
            digest,
        })
    }

    /// What to ask the registry for: the digest if set, else the tag, else `latest`.
    pub fn reference(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// The host and port to speak the distribution API to: Hub's API lives on
    /// `registry-1.docker.io`, every other registry on its own name.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }
}

/// Fully qualified: `docker.io/library/nginx:latest`, `host/repo@sha256:…`, or both tag and digest.
impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        match (&self.tag, &self.digest) {
            (Some(tag), Some(digest)) => write!(f, ":{tag}@{digest}"),
            (None, Some(digest)) => write!(f, "@{digest}"),
            (Some(tag), None) => write!(f, ":{tag}"),
            (None, None) => f.write_str(":latest"),
        }
    }
}

fn split_registry(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first, rest)
        }
        _ => (DOCKER_HUB, name),
    }
}

pub(crate) fn check_host(host: &str) -> Result<(), &'static str> {
    const BAD: &str = "bad registry host";
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']').ok_or(BAD)?;
        if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(BAD);
        }
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':').ok_or(BAD)?),
        };
        (None, port)
    } else {
        match host.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        }
    };
    if let Some(name) = name {
        let label_ok = |l: &str| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if !name.split('.').all(label_ok) {
            return Err(BAD);
        }
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err("bad registry port");
    }
    Ok(())
}

fn check_tag(tag: &str) -> Result<(), &'static str> {
    let mut chars = tag.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if first_ok
        && tag.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        Ok(())
    } else {
        Err("a tag is up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`")
    }
}

/// Accepts the digests layerscope can check: `sha256:` and 64 or `sha512:` and 128 lowercase hex.
pub(crate) fn check_digest(digest: &str) -> Result<(), &'static str> {
    let ok = match digest.split_once(':') {
        Some(("sha256", hex)) => is_hex(hex, 64),
        Some(("sha512", hex)) => is_hex(hex, 128),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err("a digest is sha256: and 64 or sha512: and 128 lowercase hex digits")
    }
}

/// Refuses what could not be a tag or digest before it goes into a URL path.
pub(crate) fn check_reference(reference: &str) -> Result<(), &'static str> {
    if reference.contains(':') {
        check_digest(reference)
    } else {
        check_tag(reference)
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// One part of a repository path: `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
fn valid_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &part[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: &str) -> String {
        ImageRef::parse(s).map(|r| r.to_string()).unwrap()
    }

    #[test]
    fn docker_hub_names() {
        assert_eq!(full("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(full("nginx:1.25"), "docker.io/library/nginx:1.25");
        assert_eq!(full("user/app"), "docker.io/user/app:latest");
        assert_eq!(full("docker.io/nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            full("index.docker.io/library/nginx"),
            "docker.io/library/nginx:latest"
        );
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.api_host(), "registry-1.docker.io");
        assert_eq!(r.reference(), "latest");
    }

    #[test]
    fn hosts_ports_and_digests() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("localhost:5000/a/b:t@{d}")).unwrap();
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.repository, "a/b");
        assert_eq!(r.tag.as_deref(), Some("t"));
        assert_eq!(r.reference(), d);
        assert_eq!(r.to_string(), format!("localhost:5000/a/b:t@{d}"));
        assert_eq!(full("127.0.0.1:5000/tiny"), "127.0.0.1:5000/tiny:latest");
        assert_eq!(full("localhost/x"), "localhost/x:latest");
        assert_eq!(full("[::1]:5000/x:y"), "[::1]:5000/x:y");
        assert_eq!(
            full("ghcr.io/o/r-a_b.c__d---e"),
            "ghcr.io/o/r-a_b.c__d---e:latest"
        );
        assert_eq!(
            ImageRef::parse(&format!("x@{d}")).unwrap().to_string(),
            format!("docker.io/library/x@{d}")
        );
    }

    #[test]
    fn refused() {
        let err = |s: &str| ImageRef::parse(s).unwrap_err().to_string();
        assert_eq!(
            err("Nginx"),
            "bad image reference `Nginx`: repository name must be lowercase"
        );
        assert!(err("").contains("empty"));
        assert!(ImageRef::parse("a:b:c").is_err());
        assert!(err("x@sha256:abc").contains("digest"));
        assert!(err("host:99999/x").contains("port"));
        assert!(err("a//b").contains("part of the repository"));
        assert!(err("a/b_").contains("part of the repository"));
        assert!(err("x:.tag").contains("tag"));
        assert!(err("bad\nname").starts_with("bad image reference `bad\\nname`"));
    }
}
