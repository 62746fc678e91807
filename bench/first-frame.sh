#!/usr/bin/env bash
# Time from start to the first drawn screen of layerscope's explorer (and of dive's, when DIVE
# names its binary), on the archives given. Runs each in a detached tmux and polls the screen.
#
#   bench/first-frame.sh bench/out/big.tar
#
# Needs tmux. The figure includes reading and analysing the image: what a user waits for.
set -euo pipefail
cd "$(dirname "$0")/.."
LAYERSCOPE=${LAYERSCOPE:-target/release/layerscope}
DIVE=${DIVE:-$(command -v dive || true)}
[ -x "$LAYERSCOPE" ] || cargo build --release --quiet

# Prints seconds until the screen shows $2, running command $1.
first_frame() {
    local cmd=$1 marker=$2 session="first-frame-$$"
    local start end
    start=$(date +%s.%N)
    tmux new-session -d -s "$session" -x 160 -y 48 "env -u CI $cmd; sleep 600"
    while ! tmux capture-pane -p -t "$session" | grep -q "$marker"; do sleep 0.02; done
    end=$(date +%s.%N)
    tmux kill-session -t "$session"
    awk "BEGIN{printf \"%.2f\", $end - $start}"
}

for archive in "$@"; do
    echo "== $archive"
    echo "layerscope: $(first_frame "$LAYERSCOPE $archive" 'Image efficiency score') s"
    if [ -n "$DIVE" ]; then
        echo "dive:       $(first_frame "$DIVE --source docker-archive $archive" 'Image efficiency score') s"
    fi
done
