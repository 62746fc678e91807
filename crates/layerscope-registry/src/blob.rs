//! A blob's body as it arrives: counted for progress, and never silently short.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::RegistryError;

/// Where a blob comes from, for the errors its reader returns.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub image: String,
    pub host: String,
    pub what: String,
}

/// Reads a blob body. A connection that ends before `Content-Length` bytes, or fails midway, is
/// an `io::Error` wrapping a [`RegistryError`] that names the blob (see
/// [`RegistryError::from_io`]).
pub(crate) struct BlobReader {
    body: Box<dyn Read + Send>,
    expected: Option<u64>,
    read: u64,
    counter: Arc<AtomicU64>,
    origin: Origin,
}

impl BlobReader {
    pub(crate) fn new(
        body: Box<dyn Read + Send>,
        expected: Option<u64>,
        counter: Arc<AtomicU64>,
        origin: Origin,
    ) -> Self {
        BlobReader {
            body,
            expected,
            read: 0,
            counter,
            origin,
        }
    }

    fn cut_short(&self, reason: Option<&io::Error>) -> io::Error {
        let Origin { image, host, what } = self.origin.clone();
        let error = match (self.expected, reason) {
            (Some(expected), _) if self.read < expected => RegistryError::Truncated {
                image,
                host,
                what,
                read: self.read,
                expected,
            },
            (_, Some(reason)) => RegistryError::Body {
                image,
                host,
                what,
                read: self.read,
                reason: reason.to_string(),
            },
            (expected, None) => RegistryError::Body {
                image,
                host,
                what,
                read: self.read,
                reason: format!(
                    "more bytes than the {} announced",
                    expected.unwrap_or_default()
                ),
            },
        };
        io::Error::other(error)
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.body.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(self.cut_short(Some(&e))),
        };
        self.read += n as u64;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        match self.expected {
            Some(expected) if n == 0 && self.read < expected => Err(self.cut_short(None)),
            Some(expected) if self.read > expected => Err(self.cut_short(None)),
            _ => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(data: &'static [u8], expected: Option<u64>) -> BlobReader {
        BlobReader::new(
            Box::new(data),
            expected,
            Arc::new(AtomicU64::new(0)),
            Origin {
                image: "r/x:1".into(),
                host: "r".into(),
                what: "blob sha256:ab".into(),
            },
        )
    }

    #[test]
    fn short_and_long_bodies_are_errors() {
        let mut out = Vec::new();
        let err = reader(b"abc", Some(5)).read_to_end(&mut out).unwrap_err();
        assert_eq!(
            err.to_string(),
            "r/x:1: r cut blob sha256:ab short: the connection ended after 3 of 5 bytes"
        );
        assert!(RegistryError::from_io(&err).is_some());
        let err = reader(b"abcdef", Some(5))
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(
            err.to_string().contains("more bytes than the 5 announced"),
            "{err}"
        );
        let mut out = Vec::new();
        reader(b"abc", Some(3)).read_to_end(&mut out).unwrap();
        reader(b"abc", None).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abcabc");
    }
}
