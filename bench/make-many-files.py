#!/usr/bin/env python3
"""Writes a synthetic `docker save` archive with many file versions, to measure layerscope on
images with a million entries: LAYERS layers, each adding, changing and deleting files across a
deep tree of directories.

    python3 bench/make-many-files.py bench/out/many.tar [versions] [layers]

Only the Python standard library is needed.
"""
import hashlib
import io
import json
import random
import sys
import tarfile

out = sys.argv[1] if len(sys.argv) > 1 else "bench/out/many.tar"
versions = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 20
per_layer = versions // layers
rng = random.Random(7)


def path_for(i):
    # Four levels of fan-out, so directories hold tens to hundreds of entries like real images.
    return f"usr/lib/pkg{i % 97}/mod{(i // 97) % 53}/sub{(i // 5141) % 11}/file{i}.dat"


def layer_tar(index):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        dirs = set()
        base = index * per_layer // 2  # half new paths, half overwrites of the previous layer's
        for k in range(per_layer):
            i = base + k
            name = path_for(i)
            parent = name.rsplit("/", 1)[0]
            if parent not in dirs:
                parts = parent.split("/")
                for depth in range(1, len(parts) + 1):
                    d = "/".join(parts[:depth])
                    if d not in dirs:
                        dirs.add(d)
                        info = tarfile.TarInfo(d)
                        info.type = tarfile.DIRTYPE
                        info.mode = 0o755
                        tar.addfile(info)
            if index > 0 and k % 50 == 0:
                # Delete a file an earlier layer added, with its own parent directories present.
                target = path_for(i - per_layer)
                folder, leaf = target.rsplit("/", 1)
                tar.addfile(tarfile.TarInfo(f"{folder}/.wh.{leaf}"))
                continue
            data = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 64)))
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as archive:
    diff_ids, names = [], []
    for index in range(layers):
        data = layer_tar(index)
        diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest())
        name = f"layer{index:02d}/layer.tar"
        names.append(name)
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        print(f"layer {index}: {len(data)} bytes", file=sys.stderr)
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": f"/bin/sh -c step {i}"} for i in range(layers)],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["many:latest"], "Layers": names}]).encode()
    for name, data in ((config_name, config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
