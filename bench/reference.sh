#!/usr/bin/env bash
# The reference load scenario (the benchmark a peer runs; issue 10 item 7, from /work/shared/bench-reference):
# SIPp callers (bench/reference/uac_pcmu_rtpstream.xml) from the trunk address 127.0.0.2, each streaming its own RTP
# (rtp_stream, looped speech) from its own socket, 20 s calls to 9002 (8 s prompt, then echo), recording on, a
# constant CONCURRENT calls (SIPp -l) with new calls replacing ended ones (~CONCURRENT / CALL_SECONDS per second),
# TOTAL calls in all. Then every recording's length is checked against the call length.
#   bench/reference.sh [CONCURRENT [TOTAL [CALL_SECONDS]]]     # default 1000 concurrent, 3000 calls, 20 s
# Env: BENCH_GROUP_NICE=-10 (own session + autogroup nice, see load/lib.sh), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
# BENCH_SERVER_ROOT=/path (run that checkout's built server, e.g. the previous main), BENCH_WARMUP=N (warm-up calls,
# default 200, 2 s each), BENCH_PERFMAP=1 BENCH_WXE=0 (perf map for `perf record -g -p PID`), BENCH_TOOL_NICE (SIPp).
# Clean (the reference's rule): 0 failed calls, 0 SIP retransmissions, every call's recording within 0.5 s of the
# call length. Also printed: server CPU % of one core (utime+stime from /proc/PID/stat, every second), RSS, INVITE->200.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/reference"
# shellcheck source=load/lib.sh
source "$ROOT/bench/load/lib.sh"
enter_bench_group "$@"

CONCURRENT=${1:-1000}
TOTAL=${2:-3000}
CALL_S=${3:-20}
SIP_PORT=45060
HTTP_PORT=48080
RTP_MIN=40000
RTP_MAX=49999
SIPP_PORT=45072
SIPP_MP=38000         # the callers' RTP ports on 127.0.0.2 (SIPp takes one per call from here)
CALLER_IP=127.0.0.2   # the trunk address: no digest auth
SERVER_IP=127.0.0.1
SERVICE=9002
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}

WORK=$(mktemp -d /tmp/telephony-bench-ref.XXXXXX)
SERVER_PID="" SIPP_PID="" MON_PID=""
cleanup() {
    stop_pid "$MON_PID"; stop_pid "$SIPP_PID"; stop_pid "$SERVER_PID"
    MON_PID="" SIPP_PID="" SERVER_PID=""
}
on_exit() {
    cleanup
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

need sipp sip-tester; need espeak-ng espeak-ng; need sox sox; need python3 python3; need curl curl
build
make_speech                       # $WORK/speech.ulaw: 8 kHz raw mu-law speech
cp "$WORK/speech.ulaw" "$WORK/caller.ul"
cp "$HERE/uac_pcmu_rtpstream.xml" "$WORK/"

start_server() {
    local dir="$WORK/server"
    mkdir -p "$dir"
    if curl -fsS "$HEALTH" >/dev/null 2>&1; then echo "something already answers $HEALTH: stop it first" >&2; return 1; fi
    (cd "$SERVER_ROOT" && exec env TELEPHONY_SIP__ADDRESS=$SERVER_IP TELEPHONY_SIP__UDPPORT=$SIP_PORT \
        TELEPHONY_SIP__TCPPORT=$SIP_PORT TELEPHONY_RTP__ADDRESS=$SERVER_IP TELEPHONY_RTP__PORTMIN=$RTP_MIN \
        TELEPHONY_RTP__PORTMAX=$RTP_MAX TELEPHONY_HTTP__ADDRESS=127.0.0.1 TELEPHONY_HTTP__PORT=$HTTP_PORT \
        TELEPHONY_DATA__DIRECTORY="$dir/data" DOTNET_gcServer=${BENCH_GC_SERVER:-0} \
        DOTNET_PerfMapEnabled=${BENCH_PERFMAP:-0} DOTNET_EnableWriteXorExecute=${BENCH_WXE:-1} \
        "$SERVER_ROOT/src/Host/bin/Release/net10.0/Telephony.Host" >"$dir/server.log" 2>&1) &
    SERVER_PID=$!
    for _ in $(seq 150); do
        curl -fsS "$HEALTH" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:"; tail -20 "$dir/server.log"; return 1; }
        sleep 0.2
    done
    echo "server did not answer $HEALTH within 30 s"; return 1
}

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
