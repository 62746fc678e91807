//! Image references as users type them: a path, or a transport prefix from skopeo or dive.

use std::path::PathBuf;

/// How the user named the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub path: PathBuf,
    /// `oci:DIR:REF`, `oci-archive:PATH:REF` or `docker-archive:PATH:NAME` picks one image.
    pub image: Option<String>,
    /// The transport the user named, if any (`docker-archive`, `oci`, `oci-archive`).
    pub transport: Option<&'static str>,
}

const TRANSPORTS: [&str; 5] = ["docker-archive", "oci-archive", "oci", "docker-tar", "dir"];

/// Parses `PATH`, `TRANSPORT:PATH[:REF]` (skopeo) or `TRANSPORT://PATH` (dive).
pub fn parse(input: &str) -> Reference {
    for transport in TRANSPORTS {
        let rest = input
            .strip_prefix(transport)
            .and_then(|r| r.strip_prefix("://").or_else(|| r.strip_prefix(':')));
        let Some(rest) = rest else { continue };
        let canonical = if transport == "docker-tar" {
            "docker-archive"
        } else {
            transport
        };
        // A trailing `:REF` only when what precedes it exists as a path, so `a:b.tar` stays whole.
        if let Some((path, image)) = rest.rsplit_once(':')
            && !image.contains('/')
            && !std::path::Path::new(rest).exists()
            && std::path::Path::new(path).exists()
        {
            return Reference {
                path: PathBuf::from(path),
                image: Some(image.to_owned()),
                transport: Some(canonical),
            };
        }
        return Reference {
            path: PathBuf::from(rest),
            image: None,
            transport: Some(canonical),
        };
    }
    Reference {
        path: PathBuf::from(input),
        image: None,
        transport: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transports() {
        assert_eq!(parse("x.tar").path, PathBuf::from("x.tar"));
        assert_eq!(parse("docker-archive://x.tar").path, PathBuf::from("x.tar"));
        assert_eq!(
            parse("docker-archive:x.tar").transport,
            Some("docker-archive")
        );
        assert_eq!(parse("oci:some/dir").path, PathBuf::from("some/dir"));
        let r = parse("oci:.:latest");
        assert_eq!(
            (r.path, r.image.as_deref()),
            (PathBuf::from("."), Some("latest"))
        );
    }
}
