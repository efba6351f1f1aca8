#!/usr/bin/env bash
# WebRTC load bench (issue 15): server CPU per WebRTC-style leg (ICE-lite, DTLS-SRTP, Opus 48 kHz) next to a G.711 leg,
# SIPp-free. RtpProbe's calls mode is caller, signalling and media at once, on our own libraries: LEGS concurrent calls
# from the trunk address 127.0.0.2 (WebRTC legs over SIP over WebSocket, G.711 legs over UDP) to the echo number 9000, placed at RATE/s so the DTLS handshakes are spread. In the
# webrtc step every call offers UDP/TLS/RTP/SAVPF with Opus like a browser, runs ICE checks (USE-CANDIDATE, consent every
# 5 s), a DTLS 1.2 client handshake (ECDSA P-256, fingerprint checked), then sends a replayed 20 ms Opus tone over SRTP
# keyed from the DTLS exporter and unprotects, decodes and checks the echo; in the plain step every call is PCMU RTP/AVP.
# One warm server runs an idle step and both steps; its CPU is sampled every second from /proc/PID/stat.
#   bench/webrtc.sh [LEGS [CALL_SECONDS [RATE]]]     # default 200 legs x 45 s (~30 s with every leg up), 20 calls/s
# Env: BENCH_GROUP_NICE=-10 (own session + autogroup nice, see load/lib.sh), BENCH_SKIP_BUILD=1, BENCH_KEEP=1,
# BENCH_WARMUP=N (warm-up calls of each kind, 3 s, not measured; default 20), BENCH_TOOL_NICE (RtpProbe, default -10),
# BENCH_RECORDING=true (TELEPHONY_RECORDING__ENABLED, default false: the leg's own cost), BENCH_SERVER_ROOT=/path,
# BENCH_WEBRTC_SIP=ws|udp (the WebRTC legs' signalling, default ws: SIP over WebSocket at /sip on the HTTP port, one
# connection per leg, as browsers do; the G.711 legs use UDP), BENCH_SIP_PORT/BENCH_HTTP_PORT (default 17960/17980), BENCH_RTP_MIN/BENCH_RTP_MAX (default 47000/52999).
# Printed: server CPU % of one core over the window where every leg is up (avg and median), minus the idle server, per
# leg, for each kind and their ratio; loss, RTP returned, handshake failures, DTLS handshake time, echo heard.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/webrtc"
# shellcheck source=load/lib.sh
source "$ROOT/bench/load/lib.sh"
# shellcheck source=lib/server.sh
source "$ROOT/bench/lib/server.sh"
# shellcheck source=lib/common.sh
source "$ROOT/bench/lib/common.sh"
enter_bench_group "$@"

LEGS=${1:-200}
CALL_S=${2:-45}
RATE=${3:-20}
SIP_PORT=${BENCH_SIP_PORT:-17960}
HTTP_PORT=${BENCH_HTTP_PORT:-17980}
RTP_MIN=${BENCH_RTP_MIN:-47000}
RTP_MAX=${BENCH_RTP_MAX:-52999}
PROBE_SIP=$((SIP_PORT + 10))
PROBE_RTP=$((SIP_PORT + 14))
CALLER_IP=127.0.0.2    # the trunk address: no digest auth
SERVER_IP=127.0.0.1
NUMBER=9000            # echo from the first packet
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}
PROBE="$ROOT/bench/RtpProbe/bin/Release/net10.0/Telephony.RtpProbe"

bench_work telephony-bench-webrtc MON_PID PROBE_PID SERVER_PID

need python3 python3; need curl curl
build

start_server() { # the shared start (bench/lib/server.sh): TLS and HTTPS off, recording as BENCH_RECORDING says
    TLS_PORT=0 HTTPS_PORT=0 start_bench_server "$WORK/server" TELEPHONY_RECORDING__ENABLED="${BENCH_RECORDING:-false}"
}

# run_probe NAME LEGS WEBRTC CALL_SECONDS: one step; RtpProbe's JSON in NAME/probe.json, the monitor's in monitor.json
run_probe() {
    local name=$1 legs=$2 webrtc=$3 call_s=$4 dir="$WORK/$1"
    mkdir -p "$dir"
    local bound=$(( legs / RATE + call_s + 60 ))
    local probe_started mon_started
    probe_started=$(date +%s.%N)
    nice -n "${BENCH_TOOL_NICE:--10}" timeout -s KILL $((bound + 20)) "$PROBE" calls --server $SERVER_IP:$SIP_PORT \
        --local $CALLER_IP --sip-port $PROBE_SIP --rtp-port $PROBE_RTP --number $NUMBER --calls "$legs" \
        --webrtc "$webrtc" --seconds "$call_s" --rate "$RATE" --timeout "$bound" \
        --ws "$([[ $webrtc -gt 0 && ${BENCH_WEBRTC_SIP:-ws} == ws ]] && echo "ws://127.0.0.1:$HTTP_PORT/sip" || true)" \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    PROBE_PID=$!
    sleep 0.3
    # The probe's own CPU is sampled too: `timeout` forks it (nice execs timeout), so it is the wrapper's child.
    local child
    child=$(pgrep -P "$PROBE_PID" 2>/dev/null | head -1 || true)
    python3 "$ROOT/bench/load/monitor.py" "$dir/monitor.json" "$SERVER_PID" "$SERVER_PID" "$HEALTH" 1 "${child:-$PROBE_PID}" &
    MON_PID=$!
    mon_started=$(date +%s.%N)
    echo "{\"probeOffsetSeconds\": $(echo "$probe_started - $mon_started" | bc)}" >"$dir/run.json"
    local rc=0
    wait "$PROBE_PID" || rc=$?
    PROBE_PID=""
    stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""
    wait_idle
    return $rc
}

start_server
w=${BENCH_WARMUP:-20}
echo "== server $SERVER_PID ($SERVER_ROOT); warm-up: $w WebRTC + $w G.711 calls x 3 s (not measured)"
run_probe warmup-webrtc "$w" "$w" 3 || true
run_probe warmup-plain "$w" 0 3 || true
echo "== idle server, 10 s"
mkdir -p "$WORK/idle"
python3 "$ROOT/bench/load/monitor.py" "$WORK/idle/monitor.json" "$SERVER_PID" "$SERVER_PID" "$HEALTH" 1 &
MON_PID=$!
sleep 10
stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""
for kind in webrtc plain; do
    echo "== $LEGS $kind legs x ${CALL_S} s to $NUMBER at $RATE/s, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
    run_probe "$kind" "$LEGS" $([[ $kind == webrtc ]] && echo "$LEGS" || echo 0) "$CALL_S" || true
done
echo
python3 "$HERE/report.py" --work "$WORK" --load "$(cut -d' ' -f1-3 /proc/loadavg)"
