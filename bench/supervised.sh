#!/usr/bin/env bash
# Supervised-call load run: CALLS bridged caller-agent calls (IVR -> queue -> SIPp UAS agents, as bench/ivr-queue.sh),
# of which SUPERVISORS get a supervisor (*81 listen, *82 whisper, *83 barge in turn) while the rest stay plain bridges.
#   bench/supervised.sh [CALLS [CALL_SECONDS [SUPERVISORS]]]     # default 500 calls x 40 s, 50 supervisors
# Supervisors join once every call is bridged and leave before the first calls end. Reported on top of the
# ivr-queue block: supervisor calls (digest auth, setup time), RTP to supervisors, media tick overruns.
# Env: everything bench/ivr-queue.sh reads (BENCH_GROUP_NICE, BENCH_SKIP_BUILD, BENCH_KEEP, BENCH_RAMP, ...).
set -euo pipefail
CALLS=${1:-500}
CALL_S=${2:-40}
export BENCH_SUPERVISORS=${3:-50}
exec "$(dirname "$0")/ivr-queue.sh" "$CALLS" "$CALL_S"
