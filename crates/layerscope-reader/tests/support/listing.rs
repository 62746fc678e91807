//! GNU tar's verbose listing (`tar --numeric-owner --full-time --quoting-style=c -tvf`), read
//! back into fields.

/// One line of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The first character of the mode string: `-` `d` `l` `h` `c` `b` `p`, or `V` `M`.
    pub kind: char,
    /// Permission bits with setuid, setgid and sticky (`0o7777` at most).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// The size, or for a device its numbers as `Device`.
    pub size: Size,
    /// Whole seconds since 1970 (the listing is in UTC).
    pub mtime: i64,
    pub name: Vec<u8>,
    /// A symlink's or hard link's target.
    pub link: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Bytes(u64),
    Device(u64, u64),
}

pub fn parse(text: &[u8]) -> Vec<Listed> {
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            line(l).unwrap_or_else(|| panic!("unreadable line {:?}", String::from_utf8_lossy(l)))
        })
        .collect()
}

fn line(l: &[u8]) -> Option<Listed> {
    let mut rest = l;
    let mut field = || {
        let start = rest.iter().position(|&b| b != b' ')?;
        let len = rest[start..].iter().position(|&b| b == b' ')?;
        let f = std::str::from_utf8(&rest[start..start + len])
            .ok()?
            .to_owned();
        rest = &rest[start + len..];
        Some(f)
    };
    let mode = field()?;
    let owner = field()?;
    let size = field()?;
    let date = field()?;
    let time = field()?;
    let start = rest.iter().position(|&b| b != b' ')?;
    let (name, after) = quoted(&rest[start..])?;
    let link = if let Some(t) = after.strip_prefix(b" -> ") {
        Some(quoted(t)?.0)
    } else if let Some(t) = after.strip_prefix(b" link to ") {
        Some(quoted(t)?.0)
    } else {
        None
    };
    let (uid, gid) = owner.split_once('/')?;
    let size = match size.split_once(',') {
        Some((major, minor)) => Size::Device(major.parse().ok()?, minor.parse().ok()?),
        None => Size::Bytes(size.parse().ok()?),
    };
    Some(Listed {
        kind: mode.chars().next()?,
        mode: permissions(&mode)?,
        uid: uid.parse().ok()?,
        gid: gid.parse().ok()?,
        size,
        mtime: epoch(&date, &time)?,
        name,
        link,
    })
}

/// A C-quoted string (`"a\303\251\"b"`) and what follows it.
fn quoted(text: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut at = 1;
    if text.first() != Some(&b'"') {
        return None;
    }
    while at < text.len() {
        match text[at] {
            b'"' => return Some((out, &text[at + 1..])),
            b'\\' => {
                let escaped = *text.get(at + 1)?;
                at += 2;
                match escaped {
                    b'0'..=b'7' => {
                        let mut value = u32::from(escaped - b'0');
                        for _ in 0..2 {
                            match text.get(at) {
                                Some(&digit @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(digit - b'0');
                                    at += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(u8::try_from(value).ok()?);
                    }
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    other => out.push(other),
                }
            }
            plain => {
                out.push(plain);
                at += 1;
            }
        }
    }
    None
}

fn permissions(mode: &str) -> Option<u32> {
    let c: Vec<char> = mode.chars().collect();
    if c.len() != 10 {
        return None;
    }
    let mut bits = 0;
    for (i, shift) in [(1, 6), (4, 3), (7, 0)] {
        if c[i] == 'r' {
            bits |= 4 << shift;
        }
        if c[i + 1] == 'w' {
            bits |= 2 << shift;
        }
        if matches!(c[i + 2], 'x' | 's' | 't') {
            bits |= 1 << shift;
        }
    }
    if matches!(c[3], 's' | 'S') {
        bits |= 0o4000;
    }
    if matches!(c[6], 's' | 'S') {
        bits |= 0o2000;
    }
    if matches!(c[9], 't' | 'T') {
        bits |= 0o1000;
    }
    Some(bits)
}

/// `2024-01-01` and `00:00:00[.frac]` (UTC) as seconds since 1970.
fn epoch(date: &str, time: &str) -> Option<i64> {
    let mut d = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let whole = time.split('.').next()?;
    let mut t = whole.splitn(3, ':').map(str::parse::<i64>);
    let (hh, mm, ss) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}
