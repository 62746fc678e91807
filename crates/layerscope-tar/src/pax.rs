//! PAX extended header records (`len key=value\n`), as GNU tar and Go's archive/tar read them.

use crate::TarError;
use crate::block::cstr;
use crate::number::{decimal, pax_time};

/// What one extended header says about the entry that follows it; unknown keys are dropped.
#[derive(Debug, Default)]
pub(crate) struct Pax {
    pub path: Option<Vec<u8>>,
    pub link: Option<Vec<u8>>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub mtime: Option<i64>,
    /// `SCHILY.xattr.NAME` records: the name and the raw value, NUL bytes and all.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    pub sparse: PaxSparse,
}

/// The `GNU.sparse.*` records, kept raw: Go parses them only when they make the entry sparse,
/// so a stray record on a plain file is not an error.
#[derive(Debug, Default)]
pub(crate) struct PaxSparse {
    pub major: Option<Vec<u8>>,
    pub minor: Option<Vec<u8>>,
    pub name: Option<Vec<u8>>,
    pub size: Option<Vec<u8>>,
    pub realsize: Option<Vec<u8>>,
    pub numblocks: Option<Vec<u8>>,
    /// Format 0.1's `GNU.sparse.map`, or format 0.0's `GNU.sparse.offset` and
    /// `GNU.sparse.numbytes` records joined the same way (Go converts 0.0 to 0.1 likewise).
    pub map: Option<Vec<u8>>,
}

const XATTR: &[u8] = b"SCHILY.xattr.";

impl Pax {
    /// Parses the records of one extended header at `offset`. A record that is not
    /// `len key=value\n` is an error, as in GNU tar and Go; NUL padding after the last record is
    /// accepted.
    pub(crate) fn parse(mut data: &[u8], offset: u64) -> Result<Self, TarError> {
        let bad = |reason| TarError::BadPax { offset, reason };
        let mut pax = Pax::default();
        // Format 0.0 spells the map as alternating offset and numbytes records.
        let mut pairs: Vec<u8> = Vec::new();
        let mut pair_count: usize = 0;
        while !data.is_empty() {
            if data.iter().all(|&b| b == 0) {
                break;
            }
            let space = data
                .iter()
                .position(|&b| b == b' ')
                .ok_or(bad("no space after the length"))?;
            let len = decimal(&data[..space])
                .and_then(|n| usize::try_from(n).ok())
                .ok_or(bad("the length is not a number"))?;
            if len <= space + 1 || len > data.len() {
                return Err(bad("the length runs past the header"));
            }
            if data[len - 1] != b'\n' {
                return Err(bad("a record does not end in a newline"));
            }
            let record = &data[space + 1..len - 1];
            let eq = record
                .iter()
                .position(|&b| b == b'=')
                .ok_or(bad("a record has no `=`"))?;
            // GNU tar reads keys as C strings; a NUL ends one.
            let key = cstr(&record[..eq]);
            if key.is_empty() {
                return Err(bad("a record has an empty key"));
            }
            let value = &record[eq + 1..];
            data = &data[len..];
            // An empty value keeps what the header block says, as in GNU tar and Go.
            if value.is_empty() && !key.starts_with(XATTR) {
                continue;
            }
            let number = || decimal(value).ok_or(bad("a numeric record is not a number"));
            match key {
                // Names are C strings to GNU tar: a NUL ends them.
                b"path" => pax.path = Some(cstr(value).to_vec()),
                b"linkpath" => pax.link = Some(cstr(value).to_vec()),
                b"size" => pax.size = Some(number()?),
                b"uid" => pax.uid = Some(number()?),
                b"gid" => pax.gid = Some(number()?),
                b"mtime" => pax.mtime = Some(pax_time(value).ok_or(bad("mtime is not a time"))?),
                b"GNU.sparse.major" => pax.sparse.major = Some(value.to_vec()),
                b"GNU.sparse.minor" => pax.sparse.minor = Some(value.to_vec()),
                b"GNU.sparse.name" => pax.sparse.name = Some(cstr(value).to_vec()),
                b"GNU.sparse.size" => pax.sparse.size = Some(value.to_vec()),
                b"GNU.sparse.realsize" => pax.sparse.realsize = Some(value.to_vec()),
                b"GNU.sparse.numblocks" => pax.sparse.numblocks = Some(value.to_vec()),
                b"GNU.sparse.map" => pax.sparse.map = Some(value.to_vec()),
                b"GNU.sparse.offset" | b"GNU.sparse.numbytes" => {
                    let want_offset = pair_count.is_multiple_of(2);
                    if want_offset != (key == b"GNU.sparse.offset") || value.contains(&b',') {
                        return Err(bad("GNU.sparse.offset and numbytes records out of order"));
                    }
                    if pair_count > 0 {
                        pairs.push(b',');
                    }
                    pairs.extend_from_slice(value);
                    pair_count += 1;
                }
                _ => {
                    if let Some(name) = key.strip_prefix(XATTR) {
                        pax.xattrs.push((name.to_vec(), value.to_vec()));
                    }
                }
            }
        }
        if pair_count > 0 {
            pax.sparse.map = Some(pairs);
        }
        Ok(pax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, value: &[u8]) -> Vec<u8> {
        let body = key.len() + value.len() + 3;
        let mut len = body + 1;
        while len != body + len.to_string().len() {
            len = body + len.to_string().len();
        }
        let mut out = format!("{len} {key}=").into_bytes();
        out.extend_from_slice(value);
        out.push(b'\n');
        out
    }

    #[test]
    fn reads_the_records_layers_use() {
        let mut data = record("path", b"a/b");
        data.extend(record("uid", b"3000000"));
        data.extend(record("mtime", b"-1.5"));
        data.extend(record("SCHILY.xattr.user.bin", b"a\0b"));
        data.extend(record("comment", b"ignored"));
        data.extend([0u8; 40]);
        let pax = Pax::parse(&data, 0).unwrap();
        assert_eq!(pax.path.as_deref(), Some(&b"a/b"[..]));
        assert_eq!(pax.uid, Some(3_000_000));
        assert_eq!(pax.mtime, Some(-2));
        assert_eq!(pax.xattrs, vec![(b"user.bin".to_vec(), b"a\0b".to_vec())]);
    }

    #[test]
    fn a_nul_ends_a_path_as_in_gnu_tar() {
        let pax = Pax::parse(&record("path", b"cut\0tail"), 0).unwrap();
        assert_eq!(pax.path.as_deref(), Some(&b"cut"[..]));
    }

    #[test]
    fn joins_format_0_0_pairs() {
        let mut data = record("GNU.sparse.offset", b"4096");
        data.extend(record("GNU.sparse.numbytes", b"100"));
        data.extend(record("GNU.sparse.offset", b"8192"));
        data.extend(record("GNU.sparse.numbytes", b"0"));
        let pax = Pax::parse(&data, 0).unwrap();
        assert_eq!(pax.sparse.map.as_deref(), Some(&b"4096,100,8192,0"[..]));
        let mut wrong = record("GNU.sparse.numbytes", b"1");
        wrong.extend(record("GNU.sparse.offset", b"1"));
        assert!(Pax::parse(&wrong, 0).is_err());
    }

    #[test]
    fn refuses_malformed_records() {
        for bad in [
            &b"5 a=b"[..],
            b"x a=b\n",
            b"30 path=short\n",
            b"8 path\n",
            b"6 =ab\n",
            b"9 size=x\n",
        ] {
            assert!(
                Pax::parse(bad, 7).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
