#!/usr/bin/env python3
"""Writes a `docker save` archive whose files are pseudo-random bytes, so its layers stay as
large compressed as uncompressed: the image for timing a registry read, where the bytes that
cross the wire are what costs.

    python3 bench/make-incompressible.py bench/out/random.tar [megabytes] [layers]

Defaults: 1200 MB in 12 layers, each a few hundred files of 64 kB to 8 MB, a later layer
overwriting and deleting some of an earlier one's. Only the Python standard library is needed.
"""
import hashlib
import io
import json
import random
import sys
import tarfile

out = sys.argv[1] if len(sys.argv) > 1 else "bench/out/random.tar"
total_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1200
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 12
rng = random.Random(11)
per_layer = total_mb * 1024 * 1024 // layers


def add(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = 1704067200
    tar.addfile(info, io.BytesIO(data))


def layer_tar(index):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        written = 0
        n = 0
        while written < per_layer:
            size = min(rng.choice([64 << 10, 512 << 10, 2 << 20, 8 << 20]), per_layer - written)
            add(tar, f"opt/data{index}/part{n % 17}/blob{n}.bin", rng.randbytes(size))
            written += size
            n += 1
        if index > 0:
            # Overwrite one file of the layer below and delete another: waste to find.
            add(tar, f"opt/data{index - 1}/part0/blob0.bin", rng.randbytes(64 << 10))
            add(tar, f"opt/data{index - 1}/part1/.wh.blob1.bin", b"")
    return buf.getvalue()


def main():
    diff_ids, names, history = [], [], []
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as archive:
        for i in range(layers):
            data = layer_tar(i)
            digest = hashlib.sha256(data).hexdigest()
            diff_ids.append("sha256:" + digest)
            names.append(f"{digest}/layer.tar")
            history.append({"created_by": f"/bin/sh -c fetch data {i}"})
            add(archive, f"{digest}/layer.tar", data)
            print(f"layer {i}: {len(data) >> 20} MB", file=sys.stderr)
        config = json.dumps({
            "architecture": "amd64",
            "os": "linux",
            "config": {"Cmd": ["/bin/true"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }).encode()
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        add(archive, config_name, config)
        manifest = [{"Config": config_name, "RepoTags": ["random:latest"], "Layers": names}]
        add(archive, "manifest.json", json.dumps(manifest).encode())


main()
