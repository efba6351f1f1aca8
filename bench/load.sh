#!/usr/bin/env bash
# Load bench: SIPp on loopback against the Telephony server, bench number 9002 (prompt ~8 s, then echo).
#   bench/load.sh concurrency [CALLS [CALL_SECONDS]]   # default 1000 calls x 20 s, all up at once
#   bench/load.sh rate [START STEP MAX [STEP_SECONDS]]  # 1 s calls, rate stepped until a step is not clean
#   bench/load.sh all                                   # both with defaults
# Env: BENCH_GROUP_NICE=-10 (see below), BENCH_SKIP_BUILD=1 (reuse the Release build), BENCH_KEEP=1 (keep the work dir),
# BENCH_RAMP=calls/s for the concurrency ramp (default CALLS/10), BENCH_RATE_STEPS="50 100 200 ..." (explicit list for
# the rate run), BENCH_SERVER_ROOT=/path (run that checkout's built server, e.g. the previous main, with these scripts),
# BENCH_SIP_PORT/BENCH_TLS_PORT/BENCH_HTTP_PORT/BENCH_HTTPS_PORT/BENCH_RTP_MIN/BENCH_RTP_MAX (server ports, default
# 25060/25061/28080/28443/30000-39999), BENCH_SIPP_PORT/BENCH_SIPP_MEDIA_PORT (SIPp's SIP port and media base, default
# 25070/26000; RtpProbe listens on the media base + 4),
# BENCH_STEP_HOOK=script (run as `script DIR SERVER_PID BOUND_S` beside each measured step, waited for after SIPp;
# bench/lib/alloc-hook.sh records the GC's allocation counter and an allocation-tick trace),
# BENCH_CLEAN=sip (a step counts as clean on the SIP part of the rule alone: every call set up, retransmissions <= 1 %).
# Every run is bounded in time; all processes started here are stopped on exit (trap).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/load"
# shellcheck source=load/lib.sh
source "$HERE/lib.sh"
# shellcheck source=lib/server.sh
source "$ROOT/bench/lib/server.sh"
# shellcheck source=lib/common.sh
source "$ROOT/bench/lib/common.sh"
enter_bench_group "$@"   # BENCH_GROUP_NICE: own session + autogroup nice (see lib.sh)
SIP_PORT=${BENCH_SIP_PORT:-25060}
TLS_PORT=${BENCH_TLS_PORT:-25061}   # not the default 5061: another bench or server on the box may hold it
HTTP_PORT=${BENCH_HTTP_PORT:-28080}
HTTPS_PORT=${BENCH_HTTPS_PORT:-28443}  # not the default 8443, for the same reason
RTP_MIN=${BENCH_RTP_MIN:-30000}
RTP_MAX=${BENCH_RTP_MAX:-39999}
SIPP_PORT=${BENCH_SIPP_PORT:-25070}
SIPP_MP=${BENCH_SIPP_MEDIA_PORT:-26000}   # SIPp binds MP and MP+2; the SDP advertises MP+4, where RtpProbe listens
PROBE_PORT=$((SIPP_MP + 4))
CALLER_IP=127.0.0.2    # the trunk address: calls from it need no digest auth
SERVER_IP=127.0.0.1
SERVICE=9002
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}   # another checkout's build (e.g. the previous main) to compare against

bench_work telephony-bench MON_PID SIPP_PID PROBE_PID SERVER_PID

need sipp sip-tester; need espeak-ng espeak-ng; need sox sox; need python3 python3; need curl curl
[[ $(id -u) == 0 ]] || { echo "play_pcap_audio needs root (raw socket)" >&2; exit 2; }

# Speech pcap: espeak-ng sentence -> 8 kHz PCMU, repeated to at least SECONDS, 20 ms packets.
make_pcap() {
    local seconds=$1 out="$WORK/speech-$1s.pcap"
    make_speech
    [[ -f "$out" ]] || python3 "$HERE/make_pcap.py" "$WORK/speech.ulaw" "$out" "$seconds" >/dev/null
    echo "$out"
}

start_server() { start_bench_server "$WORK/server-$1"; }
renice_media() { # experiment: BENCH_MEDIA_RENICE=-10 renices the server's media-loop threads
    [[ -n "${BENCH_MEDIA_RENICE:-}" ]] || return 0
    local t
    for t in /proc/"$SERVER_PID"/task/*; do
        if grep -q '^media-loop' "$t/comm" 2>/dev/null; then renice -n "$BENCH_MEDIA_RENICE" -p "${t##*/}" >/dev/null; fi
    done
}

# One server per mode, warmed up first: a fresh .NET process spends its first seconds in the JIT (tiered
# compilation took ~40 % of the server's CPU in a cold 10 s step), which is not what a running PBX pays.
start_warm_server() {
    start_server "$1"
    renice_media
    echo "== warm-up: 300 calls x 2 s at 100 calls/s (not measured)"
    run_one "warmup-$1" 300 2 100 300 >/dev/null || true
}

# run_one NAME CALLS CALL_SECONDS RATE LIMIT -> prints the result block; exit status 0 when clean
run_one() {
    local name=$1 calls=$2 call_s=$3 rate=$4 limit=$5
    local dir="$WORK/$name" pcap scenario
    mkdir -p "$dir"
    pcap=$(make_pcap $((call_s + 2)))
    scenario="$dir/uac.xml"
    local media=${BENCH_MEDIA:-probe} talk=""
    if [[ "$media" == pcap ]]; then
        sed -e "s#@PCAP@#$pcap#" -e "s#@CALL_MS@#$((call_s * 1000))#" "$HERE/uac-bench.xml" >"$scenario"
    else
        sed -e '/pcap:begin/,/pcap:end/d' -e "s#@CALL_MS@#$((call_s * 1000))#" "$HERE/uac-bench.xml" >"$scenario"
        talk="$WORK/speech.ulaw"
    fi
    local ramp_s=$(( (calls + rate - 1) / rate ))
    local bound=$(( ramp_s + call_s + 40 ))
    nice -n "${BENCH_TOOL_NICE:--10}" "$ROOT/bench/RtpProbe/bin/Release/net10.0/Telephony.RtpProbe" $CALLER_IP $PROBE_PORT $((bound + 10)) 5 $talk \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    PROBE_PID=$!
    sleep 0.5
    awk '/^Udp:/{l=$0} END{print l}' /proc/net/snmp >"$dir/udp-before"
    curl -fsS "$HEALTH" >"$dir/health-start.json" 2>/dev/null || true   # counters at the start (recording.sh)
    local started=$(date +%s.%N)
    (cd "$dir" && exec nice -n "${BENCH_TOOL_NICE:--10}" timeout -s KILL $((bound + 20)) sipp $SERVER_IP:$SIP_PORT -sf "$scenario" -s $SERVICE \
        -i $CALLER_IP -p $SIPP_PORT -mi $CALLER_IP -mp $SIPP_MP \
        -m "$calls" -l "$limit" -r "$rate" -timeout "${bound}s" -timeout_error -recv_timeout 15s \
        -buff_size 4194304 -nostdin -trace_stat -stf "$dir/stat.csv" -fd 1 -trace_rtt -rtt_freq 100 -trace_err -error_file "$dir/errors.log" \
        >"$dir/sipp.out" 2>&1) &
    SIPP_PID=$!
    sleep 0.3
    local sipp_real
    sipp_real=$(pgrep -P "$SIPP_PID" -x sipp 2>/dev/null | head -1 || true)
    [[ -z "$sipp_real" ]] && sipp_real=$(pgrep -P "$(pgrep -P "$SIPP_PID" | head -1)" -x sipp 2>/dev/null | head -1 || true)
    echo "server pid $SERVER_PID, sipp pid ${sipp_real:-?}" >"$dir/pids"; ps -o pid,ppid,cmd -p "$SERVER_PID" >>"$dir/pids"
    python3 "$HERE/monitor.py" "$dir/monitor.json" "$SERVER_PID" "${sipp_real:-$SIPP_PID}" "$HEALTH" 1 "$PROBE_PID" &
    MON_PID=$!
    local hook_pid=""
    if [[ -n "${BENCH_STEP_HOOK:-}" && "$name" != warmup-* ]]; then   # e.g. bench/lib/alloc-hook.sh (perf5)
        "$BENCH_STEP_HOOK" "$dir" "$SERVER_PID" "$bound" >"$dir/hook.log" 2>&1 &
        hook_pid=$!
    fi
    local sipp_rc=0
    wait "$SIPP_PID" || sipp_rc=$?
    SIPP_PID=""
    [[ -n "$hook_pid" ]] && { wait "$hook_pid" 2>/dev/null || true; }
    local ended=$(date +%s.%N)
    awk '/^Udp:/{l=$0} END{print l}' /proc/net/snmp >"$dir/udp-after"
    stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""
    wait "$PROBE_PID" 2>/dev/null || true; PROBE_PID=""     # exits 5 s after the last packet
    curl -fsS "$HEALTH" >"$dir/health-end.json" 2>/dev/null || true
    wait_idle
    python3 "$HERE/report.py" --name "$name" --calls "$calls" --call-seconds "$call_s" --rate "$rate" \
        --sipp-rc "$sipp_rc" --elapsed "$(echo "$ended - $started" | bc)" --dir "$dir" \
        --load "$(cut -d' ' -f1-3 /proc/loadavg)" --clean-rule "${BENCH_CLEAN:-all}"
}

concurrency() {
    local calls=${1:-1000} call_s=${2:-20}
    local rate=${BENCH_RAMP:-$(( calls / 10 > 10 ? calls / 10 : 10 ))}
    build
    start_warm_server concurrency
    echo "== concurrency: $calls calls x ${call_s} s to $SERVICE, ramp $rate calls/s"
    local rc=0
    run_one "concurrency-$calls" "$calls" "$call_s" "$rate" "$calls" || rc=$?
    stop_bench_server
    return $rc
}

rate() {
    local start=${1:-50} step=${2:-100} max=${3:-1000} step_s=${4:-10}
    local steps=${BENCH_RATE_STEPS:-}
    if [[ -z "$steps" ]]; then
        steps="$start"
        local r=$(( start < step ? step : start + step ))
        while (( r <= max )); do steps="$steps $r"; r=$(( r + step )); done
    fi
    build
    start_warm_server rate
    echo "== setup rate: 1 s calls to $SERVICE, ${step_s} s per step, steps: $steps"
    local last_clean="none" r
    for r in $steps; do
        if run_one "rate-$r" $(( r * step_s )) 1 "$r" $(( r * 5 )); then
            last_clean=$r
        else
            echo "== rate $r/s is not clean: stopping"
            break
        fi
    done
    echo "== largest clean setup rate: $last_clean calls/s"
    stop_bench_server
}

case "${1:-all}" in
    concurrency) shift; concurrency "$@" ;;
    rate) shift; rate "$@" ;;
    all) concurrency || true; rate ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
esac
