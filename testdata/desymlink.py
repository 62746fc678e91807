#!/usr/bin/env python3
"""Rewrite a skopeo/podman docker-archive into the classic `docker save` layout (Docker <= 24).

skopeo and podman store each layer once as a top-level `<diffid>.tar` and add `<v1id>/layer.tar`
as a tar *symlink* to it. dive 0.13.1 reads a symlinked layer entry as an empty layer, and Docker
<= 24 never wrote symlinks, so this script moves each layer's bytes to `<v1id>/layer.tar`, drops
the now-unreferenced top-level copy and points manifest.json at the moved entries. Every other
entry keeps its name and content.

usage: desymlink.py IN.tar OUT.tar
Needs only python3.
"""
import io
import json
import posixpath
import sys
import tarfile
from collections import defaultdict


def main(src_path: str, dst_path: str) -> None:
    with tarfile.open(src_path, "r:") as src:
        members = src.getmembers()
        by_name = {m.name: m for m in members}

        # Layer order matters when one blob backs several v1 ids (an image listing the same
        # layer twice, or two images sharing it), so keep the symlinks per target in order.
        links_to = defaultdict(list)
        for m in members:
            if m.issym():
                target = posixpath.normpath(posixpath.join(posixpath.dirname(m.name), m.linkname))
                if target in by_name and by_name[target].isfile():
                    links_to[target].append(m.name)

        manifest = json.load(src.extractfile(by_name["manifest.json"]))
        for image in manifest:
            used = defaultdict(int)
            layers = []
            for layer in image["Layers"]:
                names = links_to.get(layer)
                if not names:
                    layers.append(layer)
                    continue
                layers.append(names[used[layer] % len(names)])
                used[layer] += 1
            image["Layers"] = layers
        manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()

        with tarfile.open(dst_path, "w", format=tarfile.PAX_FORMAT) as dst:
            for m in members:
                if m.name in links_to:
                    continue
                if m.name == "manifest.json":
                    info = tarfile.TarInfo(m.name)
                    info.mode, info.mtime, info.size = m.mode, m.mtime, len(manifest_bytes)
                    dst.addfile(info, io.BytesIO(manifest_bytes))
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(m.name), m.linkname)) if m.issym() else None
                if target in links_to:
                    blob = by_name[target]
                    info = tarfile.TarInfo(m.name)
                    info.mode, info.mtime, info.size = blob.mode, blob.mtime, blob.size
                    info.uid, info.gid, info.uname, info.gname = blob.uid, blob.gid, blob.uname, blob.gname
                    dst.addfile(info, src.extractfile(blob))
                    continue
                dst.addfile(m, src.extractfile(m) if m.isfile() else None)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
