#!/usr/bin/env bash
# SRTP load bench (issue 11): the extra server CPU of an SRTP call. RtpProbe's calls mode is caller, signalling and
# media at once (Debian's SIPp 3.6.1 has no SRTP): CALLS concurrent calls from the trunk address 127.0.0.2 to 9002
# (~8 s prompt, then echo; recorded, as in the sample config), each talking PCMU for CALL_SECONDS; in each step M of them
# offer RTP/SAVP with a=crypto AES_CM_128_HMAC_SHA1_80 (SDES, RFC 4568) and protect/unprotect with our Srtp library,
# the rest plain RTP/AVP. One warm server runs every step; the server's CPU is sampled every second.
#   bench/srtp.sh [CALLS [CALL_SECONDS [STEPS]]]     # default 1000 calls x 20 s, steps "0 CALLS/2 CALLS" (SRTP calls)
# Env: BENCH_GROUP_NICE=-10 (own session + autogroup nice, see load/lib.sh), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
# BENCH_NUMBER=9000 (the echo number: echo from the first packet, no prompt), BENCH_RAMP=calls/s (default CALLS/10),
# BENCH_WARMUP=N (warm-up calls, half SRTP, 2 s each; default 200), BENCH_TOOL_NICE (RtpProbe, default -10),
# BENCH_RECORDING=false (TELEPHONY_RECORDING__ENABLED), BENCH_SERVER_ROOT=/path (another checkout's built server),
# BENCH_SIP_PORT/BENCH_HTTP_PORT/BENCH_RTP_MIN/BENCH_RTP_MAX (server ports, default 24060/24080/61000-64999),
# BENCH_PROBE_SIP_PORT/BENCH_PROBE_RTP_PORT (RtpProbe's, default SIP port + 10 / + 14).
# Clean: every call answered and ended by our BYE, every SRTP packet authenticated, every call heard its own audio
# echoed, >= 99 % of the expected RTP back. Printed: server CPU % of one core (avg and median over the window where
# every call is up, and over the whole step), RSS, and the extra CPU per SRTP call against the plain step.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/srtp"
# shellcheck source=load/lib.sh
source "$ROOT/bench/load/lib.sh"
# shellcheck source=lib/server.sh
source "$ROOT/bench/lib/server.sh"
# shellcheck source=lib/common.sh
source "$ROOT/bench/lib/common.sh"
enter_bench_group "$@"

CALLS=${1:-1000}
CALL_S=${2:-20}
STEPS=${3:-"0 $((CALLS / 2)) $CALLS"}
SIP_PORT=${BENCH_SIP_PORT:-24060}
TLS_PORT=0 HTTPS_PORT=0
HTTP_PORT=${BENCH_HTTP_PORT:-24080}
RTP_MIN=${BENCH_RTP_MIN:-61000}   # outside the kernel's ephemeral range (32768-60999); 2 ports per echo call
RTP_MAX=${BENCH_RTP_MAX:-64999}
PROBE_SIP=${BENCH_PROBE_SIP_PORT:-$((SIP_PORT + 10))}
PROBE_RTP=${BENCH_PROBE_RTP_PORT:-$((SIP_PORT + 14))}
CALLER_IP=127.0.0.2    # the trunk address: no digest auth; the bench turns on trunks[0].srtp: optional
SERVER_IP=127.0.0.1
NUMBER=${BENCH_NUMBER:-9002}
RAMP=${BENCH_RAMP:-$(( CALLS / 10 > 10 ? CALLS / 10 : 10 ))}
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}
PROBE="$ROOT/bench/RtpProbe/bin/Release/net10.0/Telephony.RtpProbe"

bench_work telephony-bench-srtp MON_PID PROBE_PID SERVER_PID

need espeak-ng espeak-ng; need sox sox; need python3 python3; need curl curl
build
make_speech

start_server() {
    start_bench_server "$WORK/server" TELEPHONY_TRUNKS__0__SRTP=optional \
        TELEPHONY_RECORDING__ENABLED="${BENCH_RECORDING:-true}"
}

# run_probe NAME CALLS SRTP CALL_SECONDS RATE: one step, RtpProbe's JSON in NAME/probe.json, the monitor's in monitor.json
run_probe() {
    local name=$1 calls=$2 srtp=$3 call_s=$4 rate=$5 dir="$WORK/$1"
    mkdir -p "$dir"
    local bound=$(( calls / rate + call_s + 60 ))
    python3 "$ROOT/bench/load/monitor.py" "$dir/monitor.json" "$SERVER_PID" "$SERVER_PID" "$HEALTH" 1 &
    MON_PID=$!
    local mon_started probe_started
    mon_started=$(date +%s.%N)
    sleep 0.2
    probe_started=$(date +%s.%N)
    nice -n "${BENCH_TOOL_NICE:--10}" timeout -s KILL $((bound + 20)) "$PROBE" calls --server $SERVER_IP:$SIP_PORT \
        --local $CALLER_IP --sip-port $PROBE_SIP --rtp-port $PROBE_RTP --number "$NUMBER" --calls "$calls" --srtp "$srtp" \
        --seconds "$call_s" --rate "$rate" --talk "$WORK/speech.ulaw" --timeout "$bound" \
        --expect-echo $([[ "$NUMBER" == 9002 && "$call_s" -le 9 ]] && echo 0 || echo 1) \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    PROBE_PID=$!
    echo "{\"probePid\": $PROBE_PID, \"probeOffsetSeconds\": $(echo "$probe_started - $mon_started" | bc)}" >"$dir/run.json"
    local rc=0
    wait "$PROBE_PID" || rc=$?
    PROBE_PID=""
    stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""
    wait_idle
    rm -rf "$WORK/server/data/recordings"   # 20 s stereo WAVs: ~0.6 GB per 1000 calls
    return $rc
}

start_server
echo "== server $SERVER_PID ($SERVER_ROOT); warm-up: ${BENCH_WARMUP:-200} calls x 2 s, half SRTP (not measured)"
w=${BENCH_WARMUP:-200}
run_probe warmup "$w" $((w / 2)) 2 100 || true
names=()
for m in $STEPS; do
    echo "== $CALLS calls x ${CALL_S} s to $NUMBER, $m SRTP, ramp $RAMP calls/s, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
    run_probe "step-$m" "$CALLS" "$m" "$CALL_S" "$RAMP" || true
    names+=("step-$m")
    python3 "$HERE/report.py" --work "$WORK" --load "$(cut -d' ' -f1-3 /proc/loadavg)" "step-$m"
done
echo
python3 "$HERE/report.py" --work "$WORK" --load "$(cut -d' ' -f1-3 /proc/loadavg)" "${names[@]}"
