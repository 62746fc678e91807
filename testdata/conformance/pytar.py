#!/usr/bin/env python3
"""Writes the conformance archives that Python's tarfile makes: ustar, GNU and PAX.

Entries are described here rather than read from disk, so devices, huge ids, dates before
1970 and odd PAX records need neither root nor a special filesystem. Usage: pytar.py OUTDIR
"""

import io
import sys
import tarfile

EPOCH = 1704067200  # 2024-01-01, as the rest of testdata
BEFORE_1970 = -315619200  # 1960-01-01


def info(name, kind=tarfile.REGTYPE, mode=0o644, data=b"", **extra):
    t = tarfile.TarInfo(name)
    t.type = kind
    t.mode = mode
    t.mtime = extra.pop("mtime", EPOCH)
    t.uid = extra.pop("uid", 0)
    t.gid = extra.pop("gid", 0)
    t.uname = "root"
    t.gname = "root"
    for key, value in extra.items():
        setattr(t, key, value)
    if kind in (tarfile.REGTYPE, tarfile.AREGTYPE):
        t.size = len(data)
    return t, data


def common():
    """Entries every format can hold."""
    return [
        info("etc/", tarfile.DIRTYPE, 0o755),
        info("etc/hostname", data=b"python\n"),
        info("etc/shadow", mode=0o640, data=b"root:*:19000::::::\n"),
        info("bin/", tarfile.DIRTYPE, 0o755),
        info("bin/tool", mode=0o4755, data=b"#!/bin/sh\necho tool\n"),
        info("tmp/", tarfile.DIRTYPE, 0o1777),
        info("etc/localtime", tarfile.SYMTYPE, 0o777, linkname="/usr/share/zoneinfo/UTC"),
        info("etc/hostname.bak", tarfile.LNKTYPE, 0o644, linkname="etc/hostname"),
        info("dev/null", tarfile.CHRTYPE, 0o666, devmajor=1, devminor=3),
        info("dev/loop0", tarfile.BLKTYPE, 0o660, devmajor=7, devminor=0),
        info("run/initctl", tarfile.FIFOTYPE, 0o600),
        info("data/empty", data=b""),
        info("data/block", data=bytes(range(256)) * 2),
        info("data/odd", data=b"x" * 513),
        info("with space/a file.txt", data=b"spaces\n"),
    ]


def long_names():
    """Names and targets past the 100-byte field, and past ustar's 255 bytes."""
    deep = "usr/lib/" + "/".join(["segment%02d" % i for i in range(12)]) + "/module.py"
    longer = "opt/" + "n" * 240 + "/payload.bin"
    return [
        info(deep, data=b"deep\n"),
        info(longer, data=b"longer\n"),
        info("opt/link-to-longer", tarfile.SYMTYPE, 0o777, linkname="/" + longer),
        info("opt/hard-to-longer", tarfile.LNKTYPE, linkname=longer),
    ]


def write(path, fmt, entries, **kw):
    with tarfile.open(path, "w", format=fmt, **kw) as tar:
        for t, data in entries:
            tar.addfile(t, io.BytesIO(data) if t.isreg() else None)


def main(out):
    write(f"{out}/py-ustar.tar", tarfile.USTAR_FORMAT, common() + long_names()[:1])
    # GNU: long names as 'L'/'K' records, ids and times out of octal range as base-256.
    write(
        f"{out}/py-gnu.tar",
        tarfile.GNU_FORMAT,
        common()
        + long_names()
        + [
            info("srv/big-ids", data=b"ids\n", uid=3_000_000, gid=70_000_000),
            info("srv/old", data=b"1960\n", mtime=BEFORE_1970),
            info("srv/future", data=b"far\n", mtime=2**36),
        ],
    )
    # PAX: the same, with records for what ustar cannot hold, and xattrs whose values hold
    # NUL bytes.
    write(
        f"{out}/py-pax.tar",
        tarfile.PAX_FORMAT,
        common()
        + long_names()
        + [
            info("srv/big-ids", data=b"ids\n", uid=3_000_000, gid=70_000_000),
            info("srv/old", data=b"1960\n", mtime=BEFORE_1970),
            info("srv/fraction", data=b"frac\n", mtime=EPOCH + 0.25),
            info("srv/ünïcödé.txt", data=b"utf-8 name\n"),
            info(
                "srv/xattrs",
                data=b"xattrs\n",
                pax_headers={
                    "SCHILY.xattr.user.comment": "plain",
                    "SCHILY.xattr.user.binary": "a\x00b\x00",
                    "SCHILY.xattr.security.capability": "\x01\x00\x00\x02",
                },
            ),
        ],
    )
    # A global header first (as `git archive` writes one) and a name that is not UTF-8, which
    # Python records with hdrcharset=BINARY.
    write(
        f"{out}/py-pax-global.tar",
        tarfile.PAX_FORMAT,
        [
            info("app/", tarfile.DIRTYPE, 0o755),
            info("app/main.txt", data=b"main\n"),
            info("app/latin1-\udce9t\udce9.txt", data=b"latin-1 name\n"),
        ],
        pax_headers={"comment": "layerscope conformance"},
        encoding="utf-8",
        errors="surrogateescape",
    )
    # A PAX path holding a NUL byte: GNU tar cuts the name there.
    write(
        f"{out}/py-pax-nul-path.tar",
        tarfile.PAX_FORMAT,
        [info("app/", tarfile.DIRTYPE, 0o755), info("app/cut\x00" + "x" * 120, data=b"nul\n")],
    )


if __name__ == "__main__":
    main(sys.argv[1])
