//! File modes as `ls -l` shows them.

/// `drwxr-xr-x`: `kind` first (`d`, `-`, `l`, …), then the permission bits with the set-id and
/// sticky bits as `ls` shows them (`s`/`S`, `t`/`T`).
pub fn permissions(mode: u32, kind: char) -> String {
    const SPECIAL: [(u32, char); 3] = [(0o4000, 's'), (0o2000, 's'), (0o1000, 't')];
    let mut out = String::with_capacity(10);
    out.push(kind);
    for (shift, (flag, letter)) in [6u32, 3, 0].into_iter().zip(SPECIAL) {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (mode & flag != 0, bits & 1 != 0) {
            (true, true) => letter,
            (true, false) => letter.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_bits_as_ls_does() {
        assert_eq!(permissions(0o755, 'd'), "drwxr-xr-x");
        assert_eq!(permissions(0o644, '-'), "-rw-r--r--");
        assert_eq!(permissions(0o4755, '-'), "-rwsr-xr-x");
        assert_eq!(permissions(0o2644, '-'), "-rw-r-Sr--");
        assert_eq!(permissions(0o1777, 'd'), "drwxrwxrwt");
        assert_eq!(permissions(0o777, 'l'), "lrwxrwxrwx");
    }
}
