#!/usr/bin/env bash
# Rebuilds the conformance archives: tar files as GNU tar, bsdtar and Python's tarfile write
# them, each with what GNU tar says about it beside it:
#   NAME.tar.tvf   GNU tar's listing (`tar --numeric-owner --full-time --quoting-style=c -tvf`)
#   NAME.tar.sums  "sha256 name" of every regular file's content as GNU tar extracts it
#   gnu-tar-status.txt  GNU tar's exit status listing each archive (2: it found an error)
# The tests read these files only; none of the tools is needed to run them.
#
# Needs (Debian): tar (GNU tar 1.30 or newer), libarchive-tools (bsdtar), python3, coreutils;
# root (for mknod) on a filesystem with holes (SEEK_HOLE) and user xattrs (ext4, xfs, tmpfs).
# Run from anywhere: ./make.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C TZ=UTC
umask 022

EPOCH=1704067200 # 2024-01-01, as the rest of testdata
GNU=(tar --numeric-owner --owner=0 --group=0 --sort=name --blocking-factor=1)
BSD=(env LC_ALL=C.UTF-8 bsdtar -b 1 --uid 0 --gid 0 --uname root --gname root)
PAXOPT=--pax-option=delete=atime,delete=ctime

# Files whose content is the same on every run.
text() { printf '%s\n' "$2" >"$1"; }
pattern() { head -c "$3" < <(yes "$2") >"$1"; }

# base: what every format holds (v7 too).
base_tree() {
    local d=$1
    mkdir -p "$d/bin" "$d/shared" "$d/dir/sub" "$d/dir/empty" "$d/data"
    text "$d/hello.txt" hello
    text "$d/bin/tool" '#!/bin/sh'
    chmod 4755 "$d/bin/tool"
    chmod 1777 "$d/shared"
    text "$d/dir/sub/file" nested
    text "$d/space name.txt" 'a name with a space'
    text "$d/ünïcödé.txt" 'utf-8 name'
    pattern "$d/data/odd" odd 513
    : >"$d/data/empty"
    ln -s hello.txt "$d/link"
    ln "$d/hello.txt" "$d/hard"
}

# ustar: devices, a fifo, and a name long enough to need the prefix field.
ustar_tree() {
    base_tree "$1"
    mknod "$1/null" c 1 3
    mknod "$1/loop0" b 7 0
    mkfifo "$1/fifo"
    local long="$1/long/$(printf 'a%.0s' {1..90})/$(printf 'b%.0s' {1..30})"
    mkdir -p "$long"
    text "$long/file.txt" 'prefix and name'
}

# gnu: names and targets past ustar's limits, and a time before 1970.
gnu_tree() {
    ustar_tree "$1"
    local longer="$1/longer/$(printf 'b%.0s' {1..200})/$(printf 'c%.0s' {1..80})"
    mkdir -p "$longer"
    text "$longer/payload.bin" 'past 255 bytes'
    ln -s "/$(printf 'target/%.0s' {1..20})end" "$1/longlink"
    ln "$longer/payload.bin" "$1/hard-to-longer"
    text "$1/old" 1960
}

# pax: the same with extended attributes, one holding NUL bytes.
pax_tree() {
    gnu_tree "$1"
    python3 - "$1/hello.txt" <<'EOF'
import os, sys
os.setxattr(sys.argv[1], "user.comment", b"plain text")
os.setxattr(sys.argv[1], "user.binary", b"a\x00b\x00\xff")
EOF
}

# Writes LEN bytes of the file's name at each byte offset of a file of SIZE bytes; the rest
# stays a hole (and reads as zeros, which is what `--hole-detection=raw` looks for).
holes() {
    local file=$1 size=$2 len=$3
    shift 3
    truncate -s "$size" "$file"
    for at in "$@"; do
        head -c "$len" < <(yes "$(basename "$file")") |
            dd of="$file" bs=1 seek="$at" conv=notrunc status=none
    done
}

# sparse: a few holes; so many data regions that old GNU needs two extension headers; all
# hole; data to the very end.
sparse_tree() {
    local d=$1
    mkdir -p "$d"
    holes "$d/few.img" 1048576 100 4096 524388
    holes "$d/many.img" 262144 100 $(seq 0 8192 253952)
    holes "$d/hole.img" 65536 0
    holes "$d/tail.img" 40960 100 40860
    text "$d/plain.txt" 'not sparse'
}

# bsdtar finds holes through the filesystem (4 KiB blocks), so fewer regions keep it small.
bsd_sparse_tree() {
    local d=$1
    mkdir -p "$d"
    holes "$d/few.img" 1048576 100 4096 524388
    holes "$d/hole.img" 65536 0
    holes "$d/tail.img" 40960 100 40860
}

big_sparse_tree() {
    mkdir -p "$1"
    holes "$1/12g.img" 12884901888 100 0 6442450944 12884901788
}

stamp() { find "$1" -exec touch -h -d "@$EPOCH" {} +; }

tree() {
    local name=$1 kind=$2
    local d="$work/$name"
    rm -rf "$d"
    "${kind}_tree" "$d"
    stamp "$d"
    if [[ -e "$d/old" ]]; then touch -d '1960-01-01 00:00:00' "$d/old"; fi
    echo "$d"
}

list() {
    local a=$1
    # GNU tar warns about keywords it does not know (bsdtar's LIBARCHIVE.*); the listing is
    # what matters.
    local status=0
    tar --numeric-owner --full-time --quoting-style=c -tvf "$a" >"$a.tvf" 2>/dev/null || status=$?
    echo "$(basename "$a") $status" >>"$out/gnu-tar-status.txt"
    # Files past 64 MiB (the 12 GiB ones) are listed without a digest: the tests do not hash
    # that many zeros.
    # shellcheck disable=SC2016
    tar -xf "$a" --to-command='if [ "$TAR_SIZE" -gt 67108864 ]; then cat >/dev/null; d=-; else d=$(sha256sum | cut -c1-64); fi; printf "%s %s\n" "$d" "$TAR_REALNAME"' \
        >"$a.sums" 2>/dev/null || true
}

out=$here
rm -f "$out"/*.tar "$out"/*.tvf "$out"/*.sums "$out/gnu-tar-status.txt"

# GNU tar, every --format it writes.
b=$(tree base base)
"${GNU[@]}" --format=v7 -cf "$out/gnu-v7.tar" -C "$b" .
u=$(tree ustar ustar)
"${GNU[@]}" --format=ustar -cf "$out/gnu-ustar.tar" -C "$u" .
g=$(tree gnu gnu)
"${GNU[@]}" --format=oldgnu -cf "$out/gnu-oldgnu.tar" -C "$g" .
"${GNU[@]}" --format=gnu -cf "$out/gnu-gnu.tar" -C "$g" .
p=$(tree pax pax)
"${GNU[@]}" --format=pax --xattrs "$PAXOPT,globexthdr.name=pax_global_header,comment=layerscope" \
    -cf "$out/gnu-pax.tar" -C "$p" .
# ids past octal's range: base-256 in gnu, records in pax.
"${GNU[@]}" --format=gnu --owner=big:3000000 --group=big:4000000 -cf "$out/gnu-gnu-bigid.tar" -C "$b" .
"${GNU[@]}" --format=pax "$PAXOPT" --owner=big:3000000 --group=big:4000000 -cf "$out/gnu-pax-bigid.tar" -C "$b" .

# GNU sparse files in every encoding.
s=$(tree sparse sparse)
"${GNU[@]}" --format=oldgnu --sparse --hole-detection=raw -cf "$out/gnu-oldgnu-sparse.tar" -C "$s" .
"${GNU[@]}" --format=gnu --sparse --hole-detection=raw -cf "$out/gnu-gnu-sparse.tar" -C "$s" .
for v in 0.0 0.1 1.0; do
    "${GNU[@]}" --format=pax "$PAXOPT" --sparse --hole-detection=raw --sparse-version=$v -cf "$out/gnu-pax-sparse-$v.tar" -C "$s" .
done
# 12 GiB apparent size: past octal's 8 GiB, so base-256 in the old GNU header.
z=$(tree big big_sparse)
"${GNU[@]}" --format=gnu --sparse -cf "$out/gnu-gnu-sparse-12g.tar" -C "$z" .
"${GNU[@]}" --format=pax "$PAXOPT" --sparse --sparse-version=1.0 -cf "$out/gnu-pax-sparse-12g.tar" -C "$z" .

# GNU's other entry kinds: incremental dumpdirs ('D'), a volume label ('V'), and the second
# volume of a multi-volume archive, which starts inside a file ('M').
rm -f "$work/snar"
"${GNU[@]}" --format=gnu --listed-incremental="$work/snar" -cf "$out/gnu-incremental.tar" -C "$b" .
"${GNU[@]}" --format=gnu --label='layerscope volume' -cf "$out/gnu-label.tar" -C "$b" .
mkdir -p "$work/mv"
pattern "$work/mv/split.bin" split 30000
stamp "$work/mv"
(cd "$work" && tar --numeric-owner --owner=0 --group=0 --format=gnu -M -L 20 \
    -f "$out/gnu-multivolume-1.tar" -f "$out/gnu-multivolume-2.tar" -c -C mv split.bin)

# bsdtar (libarchive), every tar format it writes.
"${BSD[@]}" --format=v7 -cf "$out/bsd-v7.tar" -C "$b" .
"${BSD[@]}" --format=ustar -cf "$out/bsd-ustar.tar" -C "$u" .
"${BSD[@]}" --format=gnutar -cf "$out/bsd-gnutar.tar" -C "$g" .
"${BSD[@]}" --format=pax -cf "$out/bsd-pax.tar" -C "$p" .
t=$(tree bsd-sparse bsd_sparse)
"${BSD[@]}" --format=pax -cf "$out/bsd-pax-sparse.tar" -C "$t" .

# Python's tarfile.
python3 "$here/pytar.py" "$out"

for a in "$out"/*.tar; do list "$a"; done
du -ch "$out"/*.tar | tail -1
