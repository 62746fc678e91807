#!/usr/bin/env bash
# Time from start to the first drawn screen of layerscope's explorer (and of dive's, when DIVE
# names its binary), on the archives given. Runs each in a detached tmux and polls the screen.
#
#   bench/first-frame.sh bench/out/big.tar
#
# Needs tmux. The figure includes reading and analysing the image: what a user waits for; for
# layerscope also when the digest checks running beside the explorer have finished.
set -euo pipefail
cd "$(dirname "$0")/.."
LAYERSCOPE=${LAYERSCOPE:-target/release/layerscope}
DIVE=${DIVE:-$(command -v dive || true)}
[ -x "$LAYERSCOPE" ] || cargo build --release --quiet

# Prints seconds until the screen shows $2, running command $1; with $3, also the seconds
# until the screen shows that.
first_frame() {
    local cmd=$1 marker=$2 later=${3:-} session="first-frame-$$"
    local start end
    start=$(date +%s.%N)
    tmux new-session -d -s "$session" -x 160 -y 48 "env -u CI $cmd; sleep 600"
    while ! tmux capture-pane -p -t "$session" | grep -q "$marker"; do sleep 0.02; done
    end=$(date +%s.%N)
    awk "BEGIN{printf \"%.2f s\", $end - $start}"
    if [ -n "$later" ]; then
        while ! tmux capture-pane -p -t "$session" | grep -q "$later"; do sleep 0.02; done
        end=$(date +%s.%N)
        awk "BEGIN{printf \", '$later' after %.2f s\", $end - $start}"
    fi
    tmux kill-session -t "$session"
}

for archive in "$@"; do
    echo "== $archive"
    echo "layerscope: $(first_frame "$LAYERSCOPE $archive" 'Image efficiency score' 'digests checked')"
    echo "--no-verify: $(first_frame "$LAYERSCOPE --no-verify $archive" 'Image efficiency score')"
    if [ -n "$DIVE" ]; then
        echo "dive:       $(first_frame "$DIVE --source docker-archive $archive" 'Image efficiency score')"
    fi
done
