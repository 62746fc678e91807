//! What the final filesystem says about how the image was built: package-manager caches left
//! behind, set-id programs and world-writable paths.

use layerscope_format::bytes as bytes_text;
use layerscope_tree::{EntryKind, ImageTree, NodeId, Stack};

use crate::hygiene::{
    HygieneFinding, PACKAGE_CACHE, SETUID, STOCK_SETUID, WORLD_WRITABLE, finding,
};

/// A cache directory: where, what it is, which files count and how to avoid it.
struct Cache {
    dir: &'static str,
    what: &'static str,
    /// Only files with this suffix count.
    suffix: Option<&'static str>,
    fix: &'static str,
}

const CACHES: &[Cache] = &[
    Cache {
        dir: "var/lib/apt/lists",
        what: "apt package lists",
        suffix: None,
        fix: "end the RUN that installs packages with `&& rm -rf /var/lib/apt/lists/*`",
    },
    Cache {
        dir: "var/cache/apt/archives",
        what: "downloaded .deb packages",
        suffix: Some(".deb"),
        fix: "run `apt-get clean` in the same RUN as `apt-get install`",
    },
    Cache {
        dir: "var/cache/apk",
        what: "apk cache",
        suffix: None,
        fix: "use `apk add --no-cache`",
    },
    Cache {
        dir: "var/cache/dnf",
        what: "dnf cache",
        suffix: None,
        fix: "run `dnf clean all` in the same RUN as `dnf install`",
    },
    Cache {
        dir: "var/cache/yum",
        what: "yum cache",
        suffix: None,
        fix: "run `yum clean all` in the same RUN as `yum install`",
    },
    Cache {
        dir: "root/.cache/pip",
        what: "pip cache",
        suffix: None,
        fix: "use `pip install --no-cache-dir`",
    },
    Cache {
        dir: "root/.npm/_cacache",
        what: "npm cache",
        suffix: None,
        fix: "run `npm cache clean --force` in the same RUN, or use a cache mount",
    },
];

/// Directories where world-writable files are expected.
const SCRATCH_DIRS: [&str; 3] = ["tmp", "var/tmp", "dev/shm"];

/// The set-id programs of stock Debian, Ubuntu, Alpine, Fedora and RHEL bases (paths without
/// the leading `/`), which a base image ships whatever is built on it.
const STOCK_SET_ID: &[&str] = &[
    "bin/bbsuid",
    "bin/mount",
    "bin/ping",
    "bin/su",
    "bin/umount",
    "sbin/unix_chkpwd",
    "usr/bin/at",
    "usr/bin/bsd-write",
    "usr/bin/chage",
    "usr/bin/chfn",
    "usr/bin/chsh",
    "usr/bin/crontab",
    "usr/bin/dotlockfile",
    "usr/bin/expiry",
    "usr/bin/fusermount",
    "usr/bin/fusermount3",
    "usr/bin/gpasswd",
    "usr/bin/mount",
    "usr/bin/newgidmap",
    "usr/bin/newgrp",
    "usr/bin/newuidmap",
    "usr/bin/passwd",
    "usr/bin/ping",
    "usr/bin/pkexec",
    "usr/bin/ssh-agent",
    "usr/bin/su",
    "usr/bin/sudo",
    "usr/bin/umount",
    "usr/bin/wall",
    "usr/bin/write",
    "usr/lib/dbus-1.0/dbus-daemon-launch-helper",
    "usr/lib/openssh/ssh-keysign",
    "usr/libexec/openssh/ssh-keysign",
    "usr/sbin/pam_extrausers_chkpwd",
    "usr/sbin/unix_chkpwd",
];

pub(crate) fn caches(tree: &ImageTree, stack: &Stack, out: &mut Vec<HygieneFinding>) {
    for cache in CACHES {
        let Some(dir) = tree.lookup(cache.dir) else {
            continue;
        };
        let (mut files, mut bytes) = (0_u64, 0_u64);
        let mut pending = vec![dir];
        while let Some(node) = pending.pop() {
            if !stack.is_present(node) {
                continue;
            }
            pending.extend_from_slice(tree.children(node));
            let Some(entry) = stack.visible(node).map(|r| tree.entry(r)) else {
                continue;
            };
            let name = tree.name(node);
            if entry.kind == EntryKind::File
                && name != "lock"
                && cache.suffix.is_none_or(|s| name.ends_with(s))
            {
                files += 1;
                bytes = bytes.saturating_add(entry.size);
            }
        }
        if files > 0 {
            let message = format!(
                "{} left in /{}: {files} files, {}",
                cache.what,
                cache.dir,
                bytes_text(bytes)
            );
            let mut found = finding(PACKAGE_CACHE, PACKAGE_CACHE.severity, message);
            found.fix = cache.fix;
            found.paths = vec![format!("/{}", cache.dir)];
            out.push(found);
        }
    }
}

/// Set-id and world-writable files of the final filesystem. The set-id programs every
/// distribution base ships (`passwd`, `su`, `mount`, …) are one low finding that lists them;
/// any other is a finding of its own.
pub(crate) fn modes(tree: &ImageTree, stack: &Stack, out: &mut Vec<HygieneFinding>) {
    let scratch: Vec<NodeId> = SCRATCH_DIRS.iter().filter_map(|d| tree.lookup(d)).collect();
    let mut stock_paths = Vec::new();
    for node in 0..tree.node_count() as NodeId {
        let Some(entry) = stack.visible(node).map(|r| tree.entry(r)) else {
            continue;
        };
        let file = matches!(entry.kind, EntryKind::File | EntryKind::Hardlink);
        if file && entry.mode & 0o6000 != 0 {
            let bits = match entry.mode & 0o6000 {
                0o4000 => "setuid",
                0o2000 => "setgid",
                _ => "setuid and setgid",
            };
            let path = tree.path(node);
            if STOCK_SET_ID.contains(&&path[1..]) {
                stock_paths.push(path);
            } else {
                let message = format!("{path} is {bits} (mode {:04o})", entry.mode & 0o7777);
                let mut found = finding(SETUID, SETUID.severity, message);
                found.paths = vec![path];
                out.push(found);
            }
        }
        let dir = entry.kind == EntryKind::Dir;
        if (file || dir)
            && entry.mode & 0o002 != 0
            && !(dir && entry.mode & 0o1000 != 0)
            && !scratch.iter().any(|&s| tree.is_within(node, s))
        {
            let path = tree.path(node);
            let what = if dir { "directory" } else { "file" };
            let message = format!(
                "{what} {path} is world-writable (mode {:04o})",
                entry.mode & 0o7777
            );
            let mut found = finding(WORLD_WRITABLE, WORLD_WRITABLE.severity, message);
            found.paths = vec![path];
            out.push(found);
        }
    }
    if !stock_paths.is_empty() {
        stock_paths.sort();
        let message = format!(
            "{} set-id programs of the base distribution: {}",
            stock_paths.len(),
            stock_paths.join(", ")
        );
        let mut found = finding(STOCK_SETUID, STOCK_SETUID.severity, message);
        found.paths = stock_paths;
        out.push(found);
    }
}
