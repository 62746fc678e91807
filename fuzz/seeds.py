#!/usr/bin/env python3
"""Seeds the fuzz corpora from testdata/: fuzz/corpus/<target>/ for each target.

  tar_reader  every tar in testdata (image archives, conformance archives) and every layer
              inside the image archives, uncompressed
  archive     every image archive, plus each conformance archive wrapped as an image's layer
  manifest    the JSON of every image archive, in the manifest target's document format
              (NUL-separated, digests of later documents as @N, layers as @L)
  dive_ci     the example rules file, and the rules the README and the gate's tests spell out
              (every key, each value format, kebab-case, secrets settings)
  and every saved regression input of the target.

Run from anywhere: python3 fuzz/seeds.py
"""

import gzip
import hashlib
import io
import json
import pathlib
import re
import tarfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
CORPUS = ROOT / "fuzz" / "corpus"
HEX = re.compile(r"[0-9a-f]{64}")


def save(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def images():
    found = sorted(TESTDATA.glob("*.tar")) + sorted((TESTDATA / "tiny").glob("*.tar*"))
    return [p for p in found if p.is_file()]


def members(data):
    """Regular files of a tar (gzip-compressed or not) as name -> bytes."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t:
            if m.isfile():
                out[m.name.lstrip("./")] = t.extractfile(m).read()
    return out


def layers(files):
    for name, data in files.items():
        if data[:2] == b"\x1f\x8b":
            yield gzip.decompress(data)
        elif len(data) >= 512 and data[257:262] == b"ustar":
            yield data


def wrap(layer):
    """A docker save archive whose one layer is `layer`."""
    diff = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]},
            "history": [{"created_by": "/bin/sh -c conformance"}],
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": ["x:latest"], "Layers": ["layer/layer.tar"]}]
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in [
            ("layer/layer.tar", layer),
            (config_name, config),
            ("manifest.json", manifest),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def documents(files):
    """The archive's JSON as the manifest target reads it, or None if it has none."""
    by_hex = {}
    for name, data in files.items():
        m = HEX.search(name)
        if m and data[:1] == b"{":
            by_hex[m.group(0)] = data
    top_name = "manifest.json" if "manifest.json" in files else "index.json"
    if top_name not in files:
        return None
    order = []  # hexes of JSON documents, parents before children

    def rewrite(value, in_layers=False):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                out[k] = rewrite(v, in_layers=(k == "Layers"))
            return out
        if isinstance(value, list):
            return [rewrite(v, in_layers) for v in value]
        if isinstance(value, str):
            m = HEX.search(value)
            if not m:
                return value
            hex_ = m.group(0)
            if hex_ in by_hex:
                if hex_ not in order:
                    order.append(hex_)
                return value.replace(hex_, "@%d" % (order.index(hex_) + 1))
            if in_layers:
                return "@L/layer.tar"
            return value.replace(hex_, "@L")
        return value

    docs = [json.dumps(rewrite(json.loads(files[top_name])), separators=(",", ":"))]
    done = 0
    while done < len(order) and len(order) <= 9:
        docs.append(json.dumps(rewrite(json.loads(by_hex[order[done]])), separators=(",", ":")))
        done += 1
    return "\0".join(docs).encode()


DIVE_CI_SEEDS = [
    "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.2\n",
    "rules:\n  lowest-efficiency: disabled\n  highest-wasted-bytes: 14.75KiB\n  highest-user-wasted-percent: off\n",
    "rules:\n  maxSecretFindings: 0\n  maxHiddenBytes: 1 MB\n  disallowRootUser: true\n  requireHealthcheck: false\n",
    "rules:\n  maxSizeGrowth: 10%\n  maxEfficiencyDrop: 0.02\n  maxNewSecretFindings: 0\n",
    "leaks:\n  maxFileSize: 2MB\n  allowPaths: ['^/usr/share/doc/']\n  allowFingerprints: ['dotenv-file:/app/.env:2']\n  rules:\n    - id: corp-token\n      regex: 'corp_[a-z0-9]{20}'\n      severity: high\n",
    "rules: {lowestEfficiency: '0.9', highestWastedBytes: 15100}\n",
    "# only a comment\n",
    "rules:\n  lowestEfficiency: &a 0.5\n  highestUserWastedPercent: *a\n",
]


def main():
    for path in images():
        data = path.read_bytes()
        save("archive", data)
        if data[:2] != b"\x1f\x8b":
            save("tar_reader", data)
        files = members(data)
        for layer in layers(files):
            save("tar_reader", layer)
        docs = documents(files)
        if docs:
            save("manifest", docs)
    for path in sorted((TESTDATA / "conformance").glob("*.tar")):
        data = path.read_bytes()
        save("tar_reader", data)
        save("archive", wrap(data))
    save("dive_ci", (ROOT / ".dive-ci.example.yaml").read_bytes())
    for rules in DIVE_CI_SEEDS:
        save("dive_ci", rules.encode())
    for target in ["tar_reader", "archive", "manifest", "dive_ci"]:
        for path in sorted((TESTDATA / "fuzz-regressions" / target).glob("*")):
            if path.suffix != ".md":
                save(target, path.read_bytes())
    for target in sorted(CORPUS.iterdir()):
        print(target.name, len(list(target.iterdir())))


if __name__ == "__main__":
    main()
