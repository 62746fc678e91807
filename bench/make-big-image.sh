#!/usr/bin/env bash
# Builds a realistic 1 GB+ image (Debian bookworm base plus a dozen layers of toolchains, docs,
# a purge and a late apt cleanup) for the benchmarks. The result is too big to commit, so it goes
# to $1 (default bench/out/, which is git-ignored).
#
#   bench/make-big-image.sh [OUT_DIR] [NAME]
#
# Writes OUT_DIR/big.tar              docker-archive as skopeo writes it (layers also symlinked)
#        OUT_DIR/big-desymlinked.tar  the classic Docker <= 24 layout, which dive 0.13.1 also reads
#        OUT_DIR/big-gzip.oci.tar     oci-archive, gzip layers
#
# NAME (default big) names the files. NAME=medium leaves the LLVM step out: 11 layers of about
# 2 GB, the size the first-screen target is stated for; big is 12 layers of about 2.9 GB.
#
# Needs (Debian packages): debootstrap buildah skopeo python3, and access to a Debian mirror
# (debootstrap and the RUN steps download packages). Run as root. About 5 minutes with a fast
# mirror; 7 GB of disk in OUT_DIR, plus about 4 GB in TMPDIR while it runs. Package versions
# follow the mirror, so a rebuild months later differs: compare benchmark runs on one build.
set -euo pipefail
name=${2:-big}
case $name in
    big) leave_out='' ;;
    medium) leave_out='llvm clang' ;;
    *) echo "unknown NAME $name: big or medium" >&2; exit 2 ;;
esac
# OUT_DIR is taken as the caller typed it, relative to where the script was started.
out=${1:-$(dirname "$0")/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")"
here=$(pwd)

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d "${TMPDIR:-/tmp}/make-big-image.XXXXXX")
store=(--storage-driver overlay --root "$work/storage" --runroot "$work/run")
cleanup() {
    buildah "${store[@]}" rm -a >/dev/null 2>&1 || true
    buildah "${store[@]}" rmi -af >/dev/null 2>&1 || true
    # The overlay driver leaves its own bind mount behind; rm -rf cannot remove a mount point.
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== debootstrap (minbase bookworm)"
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log"; exit 1; }
mkdir "$work/ctx"
# Numeric owners and a fixed order keep the base layer reproducible between runs.
tar --numeric-owner --sort=name -C "$work/rootfs" -cf "$work/ctx/rootfs.tar" .
rm -rf "$work/rootfs"

# One package group per RUN so the image has many mid-sized layers, the way hand-written
# Dockerfiles do; the purge and the late cache cleanup leave waste that dive and layerscope report.
cat >"$work/ctx/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD rootfs.tar /
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update
RUN apt-get install -y gcc g++ make
RUN apt-get install -y python3 python3-pip python3-venv python3-dev
RUN apt-get install -y perl libperl-dev
RUN apt-get install -y default-jdk-headless
RUN apt-get install -y llvm clang
RUN apt-get install -y git curl ca-certificates
RUN apt-get install -y man-db manpages manpages-dev python3-doc
RUN apt-get install -y nodejs
RUN apt-get purge -y g++ && apt-get autoremove -y && rm -rf /usr/share/doc /usr/share/man
RUN apt-get clean && rm -rf /var/lib/apt/lists/*
LABEL org.opencontainers.image.title="layerscope benchmark image"
CMD ["/bin/bash"]
CONTAINERFILE
if [ -n "$leave_out" ]; then
    grep -v -- "$leave_out" "$work/ctx/Containerfile" >"$work/ctx/Containerfile.chosen"
    mv "$work/ctx/Containerfile.chosen" "$work/ctx/Containerfile"
fi

echo "== buildah bud"
buildah bud --isolation chroot --layers --format docker "${store[@]}" \
    -t big -f "$work/ctx/Containerfile" "$work/ctx"

src="containers-storage:[overlay@$work/storage+$work/run]localhost/big:latest"
rm -f "$out/$name.tar" "$out/$name-desymlinked.tar" "$out/$name-gzip.oci.tar"
echo "== export"
skopeo copy -q "$src" "docker-archive:$out/$name.tar:$name:latest"
python3 "$here/../testdata/desymlink.py" "$out/$name.tar" "$out/$name-desymlinked.tar"
skopeo copy -q "$src" "oci-archive:$out/$name-gzip.oci.tar:latest"

ls -l "$out/$name".tar "$out/$name"-*.tar
echo "layers: $(tar -xOf "$out/$name.tar" manifest.json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["Layers"]))')"
