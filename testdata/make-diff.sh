#!/usr/bin/env bash
# Builds testdata/diff/v1.tar and testdata/diff/v2.tar: two versions of one small image, as a
# pull request would change it, for `layerscope diff`. From v1 to v2:
#   - a package is added: /usr/lib/pkg (a library and its data, 150 kB);
#   - a file changes: /app/main.txt, and /etc/app/config.yml grows;
#   - a directory is removed: /app/docs;
#   - a layer is reordered: the config is copied before the app instead of after it;
#   - a secret is planted: /app/.env (generated, not a real credential).
#
#   testdata/make-diff.sh
#
# Needs (Debian packages): buildah skopeo python3. Run as root (the overlay driver needs it).
set -euo pipefail
cd "$(dirname "$0")"
epoch=${SOURCE_DATE_EPOCH:-1704067200}
export SOURCE_DATE_EPOCH=$epoch

work=$(mktemp -d "${TMPDIR:-/tmp}/layerscope-diff.XXXXXX")
store=(--storage-driver overlay --root "$work/store" --runroot "$work/run")
cleanup() {
    buildah "${store[@]}" rm -a >/dev/null 2>&1 || true
    buildah "${store[@]}" rmi -af >/dev/null 2>&1 || true
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT

for v in v1 v2; do mkdir -p "$work/$v/app" "$work/$v/etc"; done
python3 - "$work" <<'PY'
import os, random, sys
work = sys.argv[1]
rng = random.Random(20240102)
def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
for v in ("v1", "v2"):
    root = f"{work}/{v}"
    write(f"{root}/base/etc/os-release", b'NAME="diffbase"\nID=diffbase\n')
    write(f"{root}/base/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n")
    write(f"{root}/app/lib/util.txt", b"util v1\n")
    write(f"{root}/app/bin/run", b"#!/bin/sh\necho run\n")
write(f"{work}/v1/app/main.txt", b"main v1\n")
write(f"{work}/v2/app/main.txt", b"main v2: now with the new package\n")
for name in ("guide", "faq", "changelog"):
    write(f"{work}/v1/app/docs/{name}.md", f"# {name}\n".encode() + rng.randbytes(3000).hex().encode())
write(f"{work}/v1/etc/app/config.yml", b"listen: 8080\n")
write(f"{work}/v2/etc/app/config.yml", b"listen: 8080\nworkers: 4\nfeatures: [pkg]\n")
write(f"{work}/v2/pkg/libpkg.so", rng.randbytes(120 * 1024))
write(f"{work}/v2/pkg/data/table.bin", rng.randbytes(30 * 1024))
token = "ghp_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(36))
write(f"{work}/v2/app/.env", f"GITHUB_TOKEN={token}\n".encode())
PY
for v in v1 v2; do
    tar --numeric-owner --owner=0 --group=0 --sort=name --mtime="@$epoch" -C "$work/$v/base" -cf "$work/$v/base.tar" .
    rm -rf "$work/$v/base"
done
cat >"$work/v1/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD base.tar /
COPY app/ /app/
COPY etc/app/config.yml /etc/app/config.yml
USER 1000
CONTAINERFILE
cat >"$work/v2/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD base.tar /
COPY etc/app/config.yml /etc/app/config.yml
COPY app/ /app/
COPY pkg/ /usr/lib/pkg/
USER 1000
CONTAINERFILE
for v in v1 v2; do
    find "$work/$v" -exec touch -h -d "@$epoch" {} +
    chmod -R u=rwX,go=rX "$work/$v"
    buildah bud --quiet --isolation chroot --layers --format docker --timestamp "$epoch" \
        "${store[@]}" -t "localhost/diffdemo:$v" -f "$work/$v/Containerfile" "$work/$v" >/dev/null
    rm -f "diff/$v.tar"
    skopeo copy -q "containers-storage:[overlay@$work/store+$work/run]localhost/diffdemo:$v" \
        "docker-archive:diff/$v.tar:diffdemo:$v"
done
ls -l diff
