//! Layer tars from a list of entries.

/// One tar entry.
pub enum Entry<'a> {
    /// A regular file with this content and mode, owned by root.
    File(&'a str, &'a [u8], u32),
    /// A regular file with an owner (`uid`, `gid`).
    Owned(&'a str, &'a [u8], u32, u64, u64),
    /// A directory with a mode.
    Dir(&'a str, u32),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
    /// A regular file whose name is written into the header byte for byte, so hostile names
    /// (control characters, `..`) go in unchanged; with its mode.
    RawName(&'a [u8], &'a [u8], u32),
    /// A header of this type flag that claims `size` bytes without holding any: what a forged
    /// archive writes for a directory, link or device.
    Lying(&'a str, u8, u64),
}

/// A layer's tar, in the GNU format, mtime fixed so the bytes never change.
pub fn layer(entries: &[Entry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_704_067_200);
        match *e {
            Entry::File(p, data, mode) => file(&mut b, &mut h, p, data, mode, 0, 0),
            Entry::Owned(p, data, mode, uid, gid) => file(&mut b, &mut h, p, data, mode, uid, gid),
            Entry::Dir(p, mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(mode);
                h.set_size(0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            Entry::Symlink(p, t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
            Entry::Hardlink(p, t) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
            Entry::RawName(name, data, mode) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(mode);
                h.set_size(data.len() as u64);
                h.as_old_mut().name[..name.len()].copy_from_slice(name);
                h.set_cksum();
                b.append(&h, data).unwrap();
            }
            Entry::Lying(p, flag, size) => {
                h.set_entry_type(tar::EntryType::new(flag));
                h.set_mode(0o755);
                h.set_path(p).unwrap();
                if flag == b'1' || flag == b'2' {
                    h.set_link_name("target").unwrap();
                }
                // Sizes past 8 GiB are written base-256, as GNU tar writes them.
                h.set_size(size);
                h.set_cksum();
                // No data follows: a header-only entry holds none, whatever it claims.
                b.append(&h, std::io::empty()).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn file(
    b: &mut tar::Builder<Vec<u8>>,
    h: &mut tar::Header,
    p: &str,
    data: &[u8],
    mode: u32,
    uid: u64,
    gid: u64,
) {
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(mode);
    h.set_uid(uid);
    h.set_gid(gid);
    h.set_size(data.len() as u64);
    b.append_data(h, p, data).unwrap();
}
