#!/usr/bin/env python3
"""Assemble the `docker save` archive of Docker Engine 25+ from an OCI layout directory.

No tool here writes that layout, so it is rebuilt from what moby's image/tarexport/save.go writes
(Engine API v1.44+ ImageGet): an OCI image layout (oci-layout, index.json, blobs/sha256/<hex>)
whose layers are uncompressed tars, plus Docker's own manifest.json (Config and Layers as
`blobs/sha256/<hex>` paths) and the legacy `repositories` file. Like Docker, it also stores one
legacy v1 JSON blob per layer that nothing references (their ids are made up here, not Docker's).

usage: make-docker25.py OCI_DIR TAG OUT.tar REPO:TAG
       (TAG selects the image in OCI_DIR's index.json by org.opencontainers.image.ref.name)
Needs only python3.
"""
import hashlib
import io
import json
import os
import sys
import tarfile

LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
EPOCH = 0  # Docker sets most of these entries to the Unix epoch.


def go_json(value) -> bytes:
    """Compact JSON as Go's encoding/json writes it (no spaces, keys in the given order)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(oci_dir: str, ref_name: str, out_path: str, repo_tag: str) -> None:
    def blob_path(digest: str) -> str:
        algo, hexd = digest.split(":", 1)
        return os.path.join(oci_dir, "blobs", algo, hexd)

    def read_blob(digest: str) -> bytes:
        with open(blob_path(digest), "rb") as f:
            return f.read()

    with open(os.path.join(oci_dir, "index.json")) as f:
        index = json.load(f)
    matches = [m for m in index["manifests"]
               if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref_name]
    if len(matches) != 1:
        sys.exit(f"{oci_dir}: expected one manifest tagged {ref_name!r} in index.json, found {len(matches)}")
    oci_manifest = json.loads(read_blob(matches[0]["digest"]))
    config_bytes = read_blob(oci_manifest["config"]["digest"])
    config = json.loads(config_bytes)
    config_hex = sha256(config_bytes)

    diff_ids = config["rootfs"]["diff_ids"]
    layer_descs = oci_manifest["layers"]
    for desc, diff_id in zip(layer_descs, diff_ids):
        # Docker 25 with the classic graph drivers stores layers uncompressed, so the blob
        # digest equals the diff_id; anything else means the input was not decompressed.
        if desc["digest"] != diff_id:
            sys.exit(f"{oci_dir}: layer {desc['digest']} is compressed (diff_id {diff_id}); "
                     "export the layout with --dest-decompress first")

    blobs = {config_hex: config_bytes}
    layer_files = {}
    parent = ""
    for i, diff_id in enumerate(diff_ids):
        hexd = diff_id.split(":", 1)[1]
        layer_files[hexd] = blob_path(diff_id)
        chain = diff_ids[: i + 1]
        v1_id = sha256(go_json({"parent": parent, "chain": chain}))
        v1 = {"id": v1_id}
        if parent:
            v1["parent"] = parent
        v1.update({"created": "1970-01-01T00:00:00Z", "container_config": {"Cmd": None}, "os": config.get("os", "linux")})
        v1_bytes = go_json(v1)
        blobs[sha256(v1_bytes)] = v1_bytes
        parent = v1_id

    platform = {"architecture": config.get("architecture", "amd64"), "os": config.get("os", "linux")}
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + config_hex,
            "size": len(config_bytes),
            "platform": platform,
        },
        "layers": [{"mediaType": LAYER_TAR, "digest": d["digest"], "size": d["size"]} for d in layer_descs],
    }
    manifest_bytes = go_json(manifest)
    manifest_hex = sha256(manifest_bytes)
    blobs[manifest_hex] = manifest_bytes

    name, tag = repo_tag.rsplit(":", 1)
    full_name = name if "/" in name else "docker.io/library/" + name
    index_out = go_json({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + manifest_hex,
            "size": len(manifest_bytes),
            "annotations": {
                "io.containerd.image.name": f"{full_name}:{tag}",
                "org.opencontainers.image.ref.name": tag,
            },
            "platform": platform,
        }],
    })
    # Docker writes these two with json.Encoder, hence the trailing newline.
    docker_manifest = go_json([{
        "Config": "blobs/sha256/" + config_hex,
        "RepoTags": [repo_tag],
        "Layers": ["blobs/sha256/" + d.split(":", 1)[1] for d in diff_ids],
    }]) + b"\n"
    repositories = go_json({name: {tag: diff_ids[-1].split(":", 1)[1]}}) + b"\n"

    def add_dir(tar, name):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
        tar.addfile(info)

    def add_bytes(tar, name, data):
        info = tarfile.TarInfo(name)
        info.mode, info.mtime, info.size = 0o644, EPOCH, len(data)
        tar.addfile(info, io.BytesIO(data))

    # moby tars its temp dir with a sorted walk, so entries come in lexical order.
    with tarfile.open(out_path, "w", format=tarfile.PAX_FORMAT) as tar:
        add_dir(tar, "blobs")
        add_dir(tar, "blobs/sha256")
        for hexd in sorted(set(blobs) | set(layer_files)):
            if hexd in layer_files:
                info = tar.gettarinfo(layer_files[hexd], "blobs/sha256/" + hexd)
                info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = 0o644, EPOCH, 0, 0, "", ""
                with open(layer_files[hexd], "rb") as f:
                    tar.addfile(info, f)
            else:
                add_bytes(tar, "blobs/sha256/" + hexd, blobs[hexd])
        add_bytes(tar, "index.json", index_out)
        add_bytes(tar, "manifest.json", docker_manifest)
        add_bytes(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add_bytes(tar, "repositories", repositories)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
