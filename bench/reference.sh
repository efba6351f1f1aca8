#!/usr/bin/env bash
# The reference load scenario (the benchmark a peer runs; issue 10 item 7, from /work/shared/bench-reference):
# SIPp callers (bench/reference/uac_pcmu_rtpstream.xml) from the trunk address 127.0.0.2, each streaming its own RTP
# (rtp_stream, looped speech) from its own socket, 20 s calls to 9002 (8 s prompt, then echo), recording on, a
# constant CONCURRENT calls (SIPp -l) with new calls replacing ended ones (~CONCURRENT / CALL_SECONDS per second),
# TOTAL calls in all. Then every recording's length is checked against the call length.
#   bench/reference.sh [CONCURRENT [TOTAL [CALL_SECONDS]]]     # default 1000 concurrent, 3000 calls, 20 s
# Env: BENCH_GROUP_NICE=-10 (own session + autogroup nice, see load/lib.sh), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
# BENCH_SERVER_ROOT=/path (run that checkout's built server, e.g. the previous main),
# BENCH_SIP_PORT/BENCH_HTTP_PORT/BENCH_RTP_MIN/BENCH_RTP_MAX (server ports, default 45060/48080/40000-49999), BENCH_WARMUP=N (warm-up calls,
# default 200, 2 s each), BENCH_PERFMAP=1 BENCH_WXE=0 (perf map for `perf record -g -p PID`), BENCH_TOOL_NICE (SIPp).
# Clean (the reference's rule): 0 failed calls, 0 SIP retransmissions, every call's recording within 0.5 s of the
# call length. Also printed: server CPU % of one core (utime+stime from /proc/PID/stat, every second), RSS, INVITE->200.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/reference"
# shellcheck source=load/lib.sh
source "$ROOT/bench/load/lib.sh"
# shellcheck source=lib/server.sh
source "$ROOT/bench/lib/server.sh"
# shellcheck source=lib/common.sh
source "$ROOT/bench/lib/common.sh"
enter_bench_group "$@"

CONCURRENT=${1:-1000}
TOTAL=${2:-3000}
CALL_S=${3:-20}
SIP_PORT=${BENCH_SIP_PORT:-45060}
HTTP_PORT=${BENCH_HTTP_PORT:-48080}
RTP_MIN=${BENCH_RTP_MIN:-40000}
RTP_MAX=${BENCH_RTP_MAX:-49999}
SIPP_PORT=45072
SIPP_MP=38000         # the callers' RTP ports on 127.0.0.2 (SIPp takes one per call from here)
CALLER_IP=127.0.0.2   # the trunk address: no digest auth
SERVER_IP=127.0.0.1
SERVICE=9002
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}

bench_work telephony-bench-ref MON_PID SIPP_PID SERVER_PID

need sipp sip-tester; need espeak-ng espeak-ng; need sox sox; need python3 python3; need curl curl
build
make_speech                       # $WORK/speech.ulaw: 8 kHz raw mu-law speech
cp "$WORK/speech.ulaw" "$WORK/caller.ul"
cp "$HERE/uac_pcmu_rtpstream.xml" "$WORK/"

start_server() { start_bench_server "$WORK/server"; }

# run_sipp NAME LIMIT CALLS RATE CALL_MS: the reference command line (rate period 1 s), in its own folder
run_sipp() {
    local name=$1 limit=$2 calls=$3 rate=$4 call_ms=$5
    local dir="$WORK/$name" bound=$(( (calls / limit + 2) * call_ms / 1000 + 60 ))
    mkdir -p "$dir"
    cp "$WORK/caller.ul" "$WORK/uac_pcmu_rtpstream.xml" "$dir/"
    (cd "$dir" && exec nice -n "${BENCH_TOOL_NICE:--10}" timeout -s KILL $((bound + 30)) sipp $SERVER_IP:$SIP_PORT \
        -sf uac_pcmu_rtpstream.xml -s $SERVICE -i $CALLER_IP -mi $CALLER_IP -p $SIPP_PORT -mp $SIPP_MP -t u1 \
        -l "$limit" -m "$calls" -r "$rate" -rp 1000 -d "$call_ms" \
        -recv_timeout 15000 -timeout "${bound}s" -timeout_error \
        -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log -nostdin >sipp.out 2>&1) &
    SIPP_PID=$!
}

start_server
echo "== server $SERVER_PID ($SERVER_ROOT), warm-up: ${BENCH_WARMUP:-200} calls x 2 s (not measured)"
run_sipp warmup 100 "${BENCH_WARMUP:-200}" 100 2000
wait "$SIPP_PID" || true
SIPP_PID=""
wait_idle

name="ref-$CONCURRENT"
dir="$WORK/$name"
echo "== reference: $CONCURRENT concurrent x ${CALL_S} s, $TOTAL calls, recording on, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
curl -fsS "$HEALTH" >"$WORK/health-start.json" 2>/dev/null || true
since_ms=$(( $(date +%s%N) / 1000000 ))
started=$(date +%s.%N)
run_sipp "$name" "$CONCURRENT" "$TOTAL" 250 $((CALL_S * 1000))
sleep 0.3
sipp_real=$(sipp_child "$SIPP_PID")
echo "server pid $SERVER_PID, sipp pid $sipp_real" >"$dir/pids"
python3 "$ROOT/bench/load/monitor.py" "$dir/monitor.json" "$SERVER_PID" "$sipp_real" "$HEALTH" 1 &
MON_PID=$!
sipp_rc=0
wait "$SIPP_PID" || sipp_rc=$?
SIPP_PID=""
ended=$(date +%s.%N)
stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""
wait_idle
sleep 3   # the recorder closes its files and writes their rows after the calls end
curl -fsS "$HEALTH" >"$dir/health-end.json" 2>/dev/null || true
cp "$WORK/health-start.json" "$dir/" 2>/dev/null || true
rc=0
python3 "$HERE/report.py" --dir "$dir" --db "$WORK/server/data/telephony.db" --since-ms "$since_ms" \
    --concurrent "$CONCURRENT" --calls "$TOTAL" --call-seconds "$CALL_S" --sipp-rc "$sipp_rc" \
    --elapsed "$(echo "$ended - $started" | bc)" --load "$(cut -d' ' -f1-3 /proc/loadavg)" --server "$SERVER_ROOT" || rc=$?
exit $rc
