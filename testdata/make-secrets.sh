#!/usr/bin/env bash
# Builds testdata/secrets.oci.tar: an image that plants one secret of each common kind in its
# layers and then hides every one of them the three ways a layer can (a whiteout, an overwrite,
# an opaque directory), next to files that look like secrets but are not (a code reference to a
# password variable, random base64, a low-entropy example password). The secrets are generated
# here from a fixed seed and are not real credentials.
#
#   testdata/make-secrets.sh
#
# Needs (Debian packages): buildah skopeo python3, plus apt access for
# `apt-get download busybox-static`. Run as root (the overlay driver needs it).
set -euo pipefail
cd "$(dirname "$0")"
epoch=${SOURCE_DATE_EPOCH:-1704067200}
export SOURCE_DATE_EPOCH=$epoch

work=$(mktemp -d "${TMPDIR:-/tmp}/layerscope-secrets.XXXXXX")
store=(--storage-driver overlay --root "$work/store" --runroot "$work/run")
cleanup() {
    buildah "${store[@]}" rm -a >/dev/null 2>&1 || true
    buildah "${store[@]}" rmi -af >/dev/null 2>&1 || true
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT

ctx=$work/ctx
mkdir -p "$work/deb" "$ctx/rootfs"/{bin,etc,tmp}
(cd "$work/deb" && apt-get download busybox-static >/dev/null 2>&1) \
    || { echo "apt-get download busybox-static failed; run apt-get update first" >&2; exit 1; }
dpkg -x "$work"/deb/busybox-static_*.deb "$work/deb/x"
cp "$work/deb/x/bin/busybox" "$ctx/rootfs/bin/busybox"
for applet in sh rm mkdir echo; do ln -s busybox "$ctx/rootfs/bin/$applet"; done
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime="@$epoch" -C "$ctx/rootfs" -cf "$ctx/rootfs.tar" .
rm -rf "$ctx/rootfs"

python3 - "$ctx" <<'PY'
import base64, json, random, string, sys
ctx = sys.argv[1]
r = random.Random(42)
def rs(n, alpha=string.ascii_letters + string.digits):
    return "".join(r.choice(alpha) for _ in range(n))
def b64(n):
    return base64.b64encode(bytes(r.getrandbits(8) for _ in range(n))).decode()
files = {
    "gh.txt": f"token: ghp_{rs(36)}\n",
    "npmrc": f"//registry.npmjs.org/:_authToken=npm_{rs(36)}\n",
    "slack.cfg": f"SLACK_TOKEN=xoxb-{rs(11, string.digits)}-{rs(12, string.digits)}-{rs(24)}\n",
    "server.key": "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(b64(48) for _ in range(12)) + "\n-----END RSA PRIVATE KEY-----\n",
    "sa.json": json.dumps({
        "type": "service_account", "project_id": "demo-" + rs(6).lower(),
        "private_key_id": rs(40, "0123456789abcdef"),
        "private_key": "-----BEGIN PRIVATE KEY-----\n" + b64(96) + "\n-----END PRIVATE KEY-----\n",
        "client_email": "svc@demo.iam.gserviceaccount.com"}, indent=2),
    "kubeconfig": f"apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: {b64(60)}\n",
    "glpat.sh": f"#!/bin/sh\nexport GITLAB_TOKEN=glpat-{rs(20)}\n",
    # Look-alikes that are not secrets.
    "app.py": "import os\nDB_PASSWORD = os.environ.get('DB_PASSWORD')\nprint('hello')\n",
    "random.b64": b64(3000) + "\n",
    "README.md": "Set password=changeme for local testing.\n",
}
for name, text in files.items():
    with open(f"{ctx}/{name}", "w") as f:
        f.write(text)
PY
find "$ctx" -exec touch -h -d "@$epoch" {} +

cat >"$ctx/Containerfile" <<'CF'
FROM scratch
ADD rootfs.tar /
COPY gh.txt /app/gh.txt
COPY npmrc /root/.npmrc
RUN mkdir -p /srv/keys /srv/cache
COPY server.key /srv/keys/server.key
COPY sa.json /srv/cache/sa.json
COPY kubeconfig /root/.kube/config
COPY slack.cfg glpat.sh /srv/cache/
COPY app.py random.b64 README.md /app/
RUN rm /app/gh.txt /root/.npmrc && rm -rf /srv/keys
RUN echo 'token: redacted' > /srv/cache/slack.cfg
RUN rm -rf /srv/cache && mkdir /srv/cache && echo ok > /srv/cache/done
RUN rm -rf /root/.kube
CF

buildah bud --quiet --isolation chroot --layers --format docker --timestamp "$epoch" \
    "${store[@]}" -t secrets -f "$ctx/Containerfile" "$ctx" >/dev/null
rm -f secrets.oci.tar
skopeo copy -q "containers-storage:[overlay@$work/store+$work/run]localhost/secrets:latest" \
    oci-archive:secrets.oci.tar:secrets
ls -l secrets.oci.tar
