#!/usr/bin/env bash
# Recording cost: the load bench's concurrency run (bench number 9002: prompt, then echo) twice on the same build,
# once with recording off and once on, then the dropped recording frames and the recordings written.
#   bench/recording.sh [CALLS [CALL_SECONDS]]    # default 200 calls x 20 s
# Env: RECORDING_FORMAT=pcm16|ulaw|alaw (default pcm16; stereo PCM16 is 32 kB per call-second on disk),
# plus everything bench/load.sh reads (BENCH_GROUP_NICE, BENCH_SKIP_BUILD, BENCH_KEEP, BENCH_RAMP ...).
# load.sh passes the environment to the server, so TELEPHONY_RECORDING__* reach it. Both runs are bounded by load.sh.
# The recording counters come from the server's /health at the end and include load.sh's 300 warm-up calls.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CALLS=${1:-200}
CALL_S=${2:-20}
OUT=$(mktemp -d /tmp/telephony-bench-recording.XXXXXX)
export TELEPHONY_RECORDING__FORMAT=${RECORDING_FORMAT:-pcm16}

run() { # run NAME ENABLED
    local name=$1 enabled=$2
    echo "== recording $name: $CALLS calls x ${CALL_S} s (TELEPHONY_RECORDING__ENABLED=$enabled, format $TELEPHONY_RECORDING__FORMAT)"
    local rc=0
    TELEPHONY_RECORDING__ENABLED=$enabled BENCH_KEEP=1 "$ROOT/bench/load.sh" concurrency "$CALLS" "$CALL_S" 2>&1 | tee "$OUT/$name.log" || rc=$?
    # load.sh keeps its work dir with BENCH_KEEP=1 and names it in its output; the server's /health at the end holds
    # the recording counters (completed, failed, droppedFrames).
    local work
    work=$(grep -o '/tmp/telephony-bench\.[A-Za-z0-9]*' "$OUT/$name.log" | head -1 || true)
    if [[ -n "$work" ]]; then
        local health
        health=$(find "$work" -name health-end.json | head -1)
        if [[ -n "$health" ]]; then
            python3 - "$health" "$name" <<'PY' | tee -a "$OUT/$name.log"
import json, sys
h = json.load(open(sys.argv[1]))
r = h.get("recording", {})
print(f"== {sys.argv[2]}: recording {r}")
PY
        fi
        local files
        files=$(find "$work" -path '*recordings*' -name '*.wav' | wc -l)
        echo "== $name: $files recording file(s), $(du -sh "$work" 2>/dev/null | cut -f1) in the work dir" | tee -a "$OUT/$name.log"
        rm -rf "$work"
    fi
    return $rc
}

off_rc=0; on_rc=0
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-} run off false || off_rc=$?
BENCH_SKIP_BUILD=1 run on true || on_rc=$?
echo "== summary (recording off vs on): logs in $OUT"
for n in off on; do
    echo "--- recording $n"
    sed -n '/^----- concurrency/,/^wall time/p' "$OUT/$n.log" | grep -E '^(-----|server CPU|server memory|RTP returned|RTP loss|media engine|calls )'
    grep -E "^== $n: " "$OUT/$n.log" || true
done
exit $(( off_rc | on_rc ))
