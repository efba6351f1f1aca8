#!/usr/bin/env bash
# IVR + queue load bench: every call goes through an IVR tree into a queue and is answered by a simulated agent.
#   bench/ivr-queue.sh [CALLS [CALL_SECONDS]]          # default 200 calls x 30 s, all up at once
# Callers: SIPp UAC from 127.0.0.2 (the trunk: no auth) to the bench DID, media from RtpProbe (speech, and the menu
# digit 2 by RFC 4733). IVR: greeting (3.1 s) -> menu (digit 2, barge-in) -> queue 'bench' (longest-idle, wrap-up 0).
# Agents: CALLS bench extensions (5000...) register with digest auth (load/sipua.py from 127.0.0.3, Contact = the
# agents' UAS port; SIPp 3.6 cannot take per-line digest credentials); one SIPp UAS answers every agent INVITE, media from a second RtpProbe (speech back).
# Supervisors (BENCH_SUPERVISORS=N, see bench/supervised.sh): once every call is bridged, N supervisor extensions
# (8000...) dial *81/*82/*83 + an agent on a call (modes in turn), digest auth (load/sipua.py from 127.0.0.4), media
# from their own RtpProbe.
# Env: BENCH_GROUP_NICE=-10, BENCH_SKIP_BUILD=1, BENCH_KEEP=1, BENCH_RAMP (calls/s, default CALLS/10),
#      BENCH_IVR_MENU=0 (greeting -> queue, no digit), BENCH_AGENTS (default CALLS), BENCH_WARMUP (warm-up calls,
#      default min(CALLS,100), 0 = none), BENCH_RECORDING=false (default: the bench config records every call, like
#      the sample config), BENCH_SUPERVISORS, BENCH_SUP_RAMP (supervisor calls/s, default 25),
#      BENCH_SIP_PORT/BENCH_HTTP_PORT/BENCH_RTP_MIN/BENCH_RTP_MAX (default 55060/58080/50000-54999).
# Bounded in time; every process started here is stopped on exit (trap).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/bench/ivr-queue"
LOAD="$ROOT/bench/load"
SERVER_ROOT=${BENCH_SERVER_ROOT:-$ROOT}   # another checkout's build (e.g. the previous main) to compare against
# shellcheck source=load/lib.sh
source "$LOAD/lib.sh"
# shellcheck source=lib/server.sh
source "$ROOT/bench/lib/server.sh"
# shellcheck source=lib/common.sh
source "$ROOT/bench/lib/common.sh"
enter_bench_group "$@"

CALLS=${1:-200}
CALL_S=${2:-30}
AGENTS=${BENCH_AGENTS:-$CALLS}
SUPERVISORS=${BENCH_SUPERVISORS:-0}
RAMP=${BENCH_RAMP:-$(( CALLS / 10 > 10 ? CALLS / 10 : 10 ))}
WARMUP=${BENCH_WARMUP:-$(( CALLS < 100 ? CALLS : 100 ))}
MENU=${BENCH_IVR_MENU:-1}

SIP_PORT=${BENCH_SIP_PORT:-55060}
HTTP_PORT=${BENCH_HTTP_PORT:-58080}
RTP_MIN=${BENCH_RTP_MIN:-50000}
RTP_MAX=${BENCH_RTP_MAX:-54999}
SERVER_IP=127.0.0.1
CALLER_IP=127.0.0.2      # the trunk address: no digest auth
AGENT_IP=127.0.0.3       # agents' registrations, their UAS and their RtpProbe
SUP_IP=127.0.0.4         # supervisors' SIPp and RtpProbe
CALLER_SIP=55070; CALLER_MP=56000      # SIPp binds MP and MP+2; the SDP advertises MP+4 = the RtpProbe
UAS_SIP=55080;    UAS_MP=56100
REG_SIP=55090
SUP_SIP=55100;    SUP_MP=56200
HEALTH="http://127.0.0.1:$HTTP_PORT/health"
QUEUES_API="http://127.0.0.1:$HTTP_PORT/api/queues"
LOGIN_API="http://127.0.0.1:$HTTP_PORT/api/auth/login"
AUTH=()   # a bearer token of the bench's console account (7999, make_config.py), once the server is up
api_get() { curl -fsS "${AUTH[@]}" "$@"; }
sign_in() {
    local token
    token=$(curl -fsS -H 'Content-Type: application/json' -d '{"user":"7999","password":"bench7999"}' "$LOGIN_API" 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null) || token=""
    if [[ -n "$token" ]]; then AUTH=(-H "Authorization: Bearer $token"); fi   # a server without accounts: no header
}
if [[ "$MENU" == 1 ]]; then DID=0800999001; DTMF="2@4000"; IVR_S=5; else DID=0800999000; DTMF=""; IVR_S=4; fi

bench_work telephony-bench-ivr MON_PID SERVER_PID
declare -a BG_PIDS=()   # SIPp instances and probes of the current phase

stop_bg() { local p; for p in "${BG_PIDS[@]}"; do stop_pid "$p"; done; BG_PIDS=(); }
bench_cleanup_more() { stop_bg; }

need sipp sip-tester; need espeak-ng espeak-ng; need sox sox; need python3 python3; need curl curl; need bc bc
(( AGENTS >= CALLS )) || { echo "BENCH_AGENTS ($AGENTS) must be >= CALLS ($CALLS): every call gets its own agent" >&2; exit 2; }
(( SUPERVISORS <= CALLS )) || { echo "BENCH_SUPERVISORS must be <= CALLS" >&2; exit 2; }
# Ports: a caller leg and an agent leg per call, a supervisor leg each; two ports (RTP, RTCP) per session.
if (( (2 * CALLS + SUPERVISORS) * 2 > RTP_MAX - RTP_MIN + 1 )); then
    echo "RTP range $RTP_MIN-$RTP_MAX is too small for $CALLS calls: set BENCH_RTP_MIN/BENCH_RTP_MAX" >&2; exit 2
fi

TOOL_NICE=${BENCH_TOOL_NICE:--10}
PROBE="$ROOT/bench/RtpProbe/bin/Release/net10.0/Telephony.RtpProbe"

start_server() {
    mkdir -p "$WORK/config"
    cp "$HERE/config/"*.yaml "$WORK/config/"
    python3 "$HERE/make_config.py" "$WORK/config" "$AGENTS" "$SUPERVISORS"
    start_bench_server "$WORK/server" TELEPHONY_PATHS__CONFIGDIRECTORY="$WORK/config" \
        TELEPHONY_PATHS__SOUNDSDIRECTORY="$ROOT/sounds" TELEPHONY_RECORDING__ENABLED="${BENCH_RECORDING:-true}" || return 1
    sign_in
}

# Every bench agent registers (digest) with its Contact on the agents' UAS; waits until the queue has them all.
register_agents() {
    local dir="$WORK/register"
    mkdir -p "$dir"
    echo "== registering $AGENTS agents (digest, 100/s)"
    local rc=0
    # long steps run in the background and are waited for, so a TERM/INT runs the trap at once (bash defers traps
    # until a foreground child ends)
    timeout -s KILL $(( AGENTS / 50 + 60 )) python3 "$LOAD/sipua.py" register $SERVER_IP:$SIP_PORT $AGENT_IP:$REG_SIP \
        "$WORK/config/agents.csv" $UAS_SIP --rate 100 >"$dir/register.json" 2>"$dir/register.log" &
    local ua=$!; BG_PIDS+=("$ua")
    wait "$ua" || rc=$?
    BG_PIDS=()
    local staffed="?"
    for _ in $(seq 60); do
        staffed=$(api_get "$QUEUES_API" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["queues"][0]["staffedAgents"])' 2>/dev/null || echo "?")
        [[ "$staffed" == "$AGENTS" ]] && break
        sleep 0.5
    done
    echo "== registration: $(cat "$dir/register.json" 2>/dev/null) (exit $rc); $staffed of $AGENTS agents logged in"
    [[ "$staffed" == "$AGENTS" ]]
}

# start_agents DIR BOUND: the agents' UAS (answers everything) and their RtpProbe (talks back), for one phase.
start_agents() {
    local dir=$1 bound=$2
    mkdir -p "$dir"
    nice -n "$TOOL_NICE" "$PROBE" $AGENT_IP $(( UAS_MP + 4 )) $(( bound + 10 )) 5 "$WORK/speech.ulaw" \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    AGENT_PROBE_PID=$!; BG_PIDS+=("$AGENT_PROBE_PID")
    (cd "$dir" && exec nice -n "$TOOL_NICE" timeout -s KILL $(( bound + 20 )) sipp -sf "$HERE/uas-agent.xml" \
        -i $AGENT_IP -p $UAS_SIP -mi $AGENT_IP -mp $UAS_MP -timeout "${bound}s" -buff_size 4194304 -nostdin \
        -trace_stat -stf "$dir/stat.csv" -fd 1 -trace_err -error_file "$dir/errors.log" >"$dir/sipp.out" 2>&1) &
    UAS_PID=$!; BG_PIDS+=("$UAS_PID")
    sleep 0.3
}

caller_scenario() { # the load bench's caller with the bench DID; with the menu, the offer carries telephone-event
    local out=$1 call_s=$2
    sed -e '/pcap:begin/,/pcap:end/d' -e "s#@CALL_MS@#$((call_s * 1000))#" "$LOAD/uac-bench.xml" >"$out"
    if [[ -n "$DTMF" ]]; then
        sed -i -e 's#m=audio \[media_port+4\] RTP/AVP 0$#m=audio [media_port+4] RTP/AVP 0 101#' \
            -e 's#a=rtpmap:0 PCMU/8000#a=rtpmap:0 PCMU/8000\n      a=rtpmap:101 telephone-event/8000\n      a=fmtp:101 0-16#' "$out"
    fi
}

# Supervisors join once every call is bridged: each dials *81/*82/*83 (in turn) + an agent the queue shows OnCall.
run_supervisors() {
    local dir=$1 sup_s=$2
    mkdir -p "$dir"
    api_get "$QUEUES_API" >"$dir/queues-before.json" 2>/dev/null || true
    python3 - "$dir/queues-before.json" "$WORK/config/supervisors.csv" "$SUPERVISORS" >"$dir/supervisors.csv" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))
on_call = sorted(a["agent"] for a in q.get("agents", []) if a.get("state") == "OnCall")
sups = [l.strip() for l in open(sys.argv[2]) if ";" in l]
n = int(sys.argv[3])
print("SEQUENTIAL")
for i, (sup, agent) in enumerate(zip(sups[:n], on_call)):
    print(f"{sup};*8{1 + i % 3}{agent}")
PY
    local lines; lines=$(( $(wc -l <"$dir/supervisors.csv") - 1 ))
    echo "== supervisors: $lines of $SUPERVISORS dial an agent on a call (listen *81: $(grep -c ';\*81' "$dir/supervisors.csv"), whisper *82: $(grep -c ';\*82' "$dir/supervisors.csv"), barge *83: $(grep -c ';\*83' "$dir/supervisors.csv")), ${sup_s} s each ($(python3 -c 'import json,sys; print(sum(a["state"] == "OnCall" for a in json.load(open(sys.argv[1]))["agents"]))' "$dir/queues-before.json" 2>/dev/null || echo "?") agents on calls)"
    local bound=$(( sup_s + SUPERVISORS / ${BENCH_SUP_RAMP:-25} + 40 ))
    nice -n "$TOOL_NICE" "$PROBE" $SUP_IP $(( SUP_MP + 4 )) $(( bound + 10 )) 5 "$WORK/speech.ulaw" \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    local probe=$!; BG_PIDS+=("$probe")
    sleep 0.3
    local rc=0
    nice -n "$TOOL_NICE" timeout -s KILL "$bound" python3 "$LOAD/sipua.py" call $SERVER_IP:$SIP_PORT $SUP_IP:$SUP_SIP \
        "$dir/supervisors.csv" $(( SUP_MP + 4 )) "$sup_s" --rate "${BENCH_SUP_RAMP:-25}" >"$dir/sipua.json" 2>"$dir/sipua.log" &
    local ua=$!; BG_PIDS+=("$ua")
    wait "$ua" || rc=$?
    echo "$rc" >"$dir/sipp-rc"
    wait "$probe" 2>/dev/null || true
}

# run_phase NAME CALLS CALL_SECONDS RATE MEASURED(0|1)
run_phase() {
    local name=$1 calls=$2 call_s=$3 rate=$4 measured=$5
    local dir="$WORK/$name"
    mkdir -p "$dir"
    local ramp_s=$(( (calls + rate - 1) / rate ))
    local bound=$(( ramp_s + call_s + 40 ))
    caller_scenario "$dir/uac.xml" "$call_s"
    start_agents "$dir/agents" "$bound"
    nice -n "$TOOL_NICE" "$PROBE" $CALLER_IP $(( CALLER_MP + 4 )) $(( bound + 10 )) 5 "$WORK/speech.ulaw" $DTMF \
        >"$dir/probe.json" 2>"$dir/probe.log" &
    local caller_probe=$!; BG_PIDS+=("$caller_probe")
    sleep 0.5
    udp_snapshot "$dir/udp-before"
    curl -fsS "$HEALTH" >"$dir/health-start.json" 2>/dev/null || true
    local started started_ms
    started=$(date +%s.%N); started_ms=$(date +%s%3N)
    (cd "$dir" && exec nice -n "$TOOL_NICE" timeout -s KILL $(( bound + 20 )) sipp $SERVER_IP:$SIP_PORT -sf "$dir/uac.xml" -s $DID \
        -i $CALLER_IP -p $CALLER_SIP -mi $CALLER_IP -mp $CALLER_MP \
        -m "$calls" -l "$calls" -r "$rate" -timeout "${bound}s" -timeout_error -recv_timeout 15s \
        -buff_size 4194304 -nostdin -trace_stat -stf "$dir/stat.csv" -fd 1 -trace_err -error_file "$dir/errors.log" \
        >"$dir/sipp.out" 2>&1) &
    local sipp_pid=$!; BG_PIDS+=("$sipp_pid")
    sleep 0.3
    if [[ "$measured" == 1 ]]; then
        python3 "$LOAD/monitor.py" "$dir/monitor.json" "$SERVER_PID" "$(sipp_child "$sipp_pid")" "$HEALTH" 1 "$caller_probe" \
            "agents-uas=$(sipp_child "$UAS_PID")" "agents-probe=$AGENT_PROBE_PID" &
        MON_PID=$!
    fi
    local sup_s=0
    if [[ "$measured" == 1 && "$SUPERVISORS" -gt 0 ]]; then
        # all calls up and bridged at ramp_s + IVR time; the first calls end at call_s
        local sup_at=$(( ramp_s + IVR_S + 3 ))
        local sup_ramp_s=$(( (SUPERVISORS + ${BENCH_SUP_RAMP:-25} - 1) / ${BENCH_SUP_RAMP:-25} ))
        sup_s=$(( call_s - sup_at - sup_ramp_s - 4 ))
        if (( sup_s < 5 )); then
            echo "== CALL_SECONDS too short for supervisors (they need >= 5 s after every call is bridged at ~${sup_at} s)" >&2
            sup_s=0
        else
            sleep $(( sup_at - 1 )) & wait $!
            run_supervisors "$dir/supervisors" "$sup_s"
        fi
    fi
    local sipp_rc=0
    wait "$sipp_pid" || sipp_rc=$?
    local ended; ended=$(date +%s.%N)
    udp_snapshot "$dir/udp-after"
    if [[ -n "$MON_PID" ]]; then stop_pid "$MON_PID"; wait "$MON_PID" 2>/dev/null || true; MON_PID=""; fi
    wait "$caller_probe" 2>/dev/null || true
    wait_idle
    wait "$AGENT_PROBE_PID" 2>/dev/null || true
    stop_pid "$UAS_PID"; wait "$UAS_PID" 2>/dev/null || true
    BG_PIDS=()
    curl -fsS "$HEALTH" >"$dir/health-end.json" 2>/dev/null || true
    api_get "$QUEUES_API" >"$dir/queues-end.json" 2>/dev/null || true
    [[ "$measured" == 1 ]] || return 0
    # call records are written behind the calls: wait for the storage queue to drain
    for _ in $(seq 60); do [[ "$(health_field 'h["recording"]["storagePending"]')" == 0 ]] && break; sleep 0.5; done
    local sup_args=()
    if [[ "$sup_s" -gt 0 ]]; then
        sup_args=(--supervisors-dir "$dir/supervisors" --supervisors "$SUPERVISORS" --supervisor-seconds "$sup_s")
    fi
    python3 "$LOAD/report.py" --name "$name" --calls "$calls" --call-seconds "$call_s" --rate "$rate" \
        --sipp-rc "$sipp_rc" --elapsed "$(echo "$ended - $started" | bc)" --dir "$dir" \
        --load "$(cut -d' ' -f1-3 /proc/loadavg)" --agents-dir "$dir/agents" \
        --db "$WORK/server/data/telephony.db" --since-ms "$started_ms" --queues "$dir/queues-end.json" \
        --server-log "$WORK/server/server.log" --dialed "$DID" --cpu-window $(( ramp_s + IVR_S + 6 )) $(( call_s - 6 )) \
        "${sup_args[@]}"
}

[[ $(id -u) == 0 ]] || echo "note: not root: the media threads' and tools' nice -10 is skipped" >&2
build
make_speech
echo "== ivr-queue: $CALLS calls x ${CALL_S} s to $DID ($([[ "$MENU" == 1 ]] && echo "greeting, menu digit 2 by RFC 4733" || echo "greeting"), queue 'bench'), $AGENTS agents, $SUPERVISORS supervisors, ramp $RAMP calls/s"
start_server
register_agents || { echo "agents did not all log in: see $WORK/register" >&2; BENCH_KEEP=1; exit 1; }
if (( WARMUP > 0 )); then
    echo "== warm-up: $WARMUP calls x 8 s through the IVR and queue (not measured)"
    run_phase warmup "$WARMUP" 8 50 0 || true
fi
rc=0
run_phase "ivr-queue-$CALLS" "$CALLS" "$CALL_S" "$RAMP" 1 || rc=$?
stop_bench_server
exit $rc
