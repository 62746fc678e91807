#!/usr/bin/env python3
"""Assemble the `docker save` archive the containerd image store writes (Docker 29+, Docker
Desktop) from the multi-platform oci-archive buildah made (tiny/multi-platform.oci.tar).

No tool here writes that layout, so it is rebuilt from what Docker's containerd-backed
`docker save` writes: an OCI layout whose index.json names the image's whole *index* (every
platform, as pulled), the blobs of only the platform the engine has (its manifest, config and
still-compressed layers), the other platforms' blobs absent, plus Docker's own manifest.json
(Config and Layers as `blobs/sha256/<hex>` paths, the layers gzip blobs) naming the one image
it has. dive 0.13.1 cannot read it (dive #510, #534, #718).

usage: make-containerd.py MULTI.oci.tar PLATFORM OUT.tar REPO:TAG
       (PLATFORM, such as linux/amd64, is the one whose blobs are kept)
Needs only python3.
"""
import io
import json
import sys
import tarfile

EPOCH = 0


def go_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def main(src: str, platform: str, out_path: str, repo_tag: str) -> None:
    os_name, arch = platform.split("/")[:2]
    with tarfile.open(src) as t:
        files = {m.name.lstrip("./"): t.extractfile(m).read() for m in t.getmembers() if m.isfile()}

    def blob(digest: str) -> bytes:
        return files["blobs/sha256/" + digest.split(":", 1)[1]]

    top = json.loads(files["index.json"])["manifests"][0]
    index = json.loads(blob(top["digest"]))
    chosen = next(
        m for m in index["manifests"]
        if m["platform"]["os"] == os_name and m["platform"]["architecture"] == arch
    )
    manifest = json.loads(blob(chosen["digest"]))
    kept = [top["digest"], chosen["digest"], manifest["config"]["digest"]]
    kept += [layer["digest"] for layer in manifest["layers"]]

    name = repo_tag if "/" in repo_tag else "docker.io/library/" + repo_tag
    out_index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": top["mediaType"],
            "digest": top["digest"],
            "size": top["size"],
            "annotations": {
                "io.containerd.image.name": name,
                "org.opencontainers.image.ref.name": repo_tag.rsplit(":", 1)[1],
            },
        }],
    }
    docker_manifest = [{
        "Config": "blobs/sha256/" + manifest["config"]["digest"].split(":", 1)[1],
        "RepoTags": [repo_tag],
        "Layers": ["blobs/sha256/" + l["digest"].split(":", 1)[1] for l in manifest["layers"]],
    }]
    entries = [("blobs/", None), ("blobs/sha256/", None)]
    for digest in dict.fromkeys(kept):
        entries.append(("blobs/sha256/" + digest.split(":", 1)[1], blob(digest)))
    entries += [
        ("index.json", go_json(out_index)),
        ("manifest.json", go_json(docker_manifest)),
        ("oci-layout", go_json({"imageLayoutVersion": "1.0.0"})),
    ]
    with tarfile.open(out_path, "w", format=tarfile.PAX_FORMAT) as out:
        for path, data in entries:
            info = tarfile.TarInfo(path)
            info.mtime = EPOCH
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                out.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
