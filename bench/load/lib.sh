# Shared shell helpers for bench/load.sh and bench/ivr-queue.sh (sourced, not run).
# The caller sets ROOT, WORK, HEALTH and the *_PID variables it stops in its trap before calling the helpers.

# BENCH_GROUP_NICE=-10: run the bench (server, SIPp, RtpProbe) in its own session and give that session's CFS
# autogroup this nice value. With autogroups (kernel.sched_autogroup_enabled=1) a thread's nice only ranks it inside
# its own session, so on a box shared with other sessions (builds) this is the only knob that lets the system under
# test and its load generator get the CPU they need; it takes CPU from the others while it runs. Off by default.
# Call first thing as `enter_bench_group "$@"`: without BENCH_IN_SESSION it re-runs the script in a new session and
# exits with its status.
enter_bench_group() {
    if [[ -n "${BENCH_GROUP_NICE:-}" && -z "${BENCH_IN_SESSION:-}" ]]; then
        # The bench runs in its own session (setsid), so a Ctrl-C or TERM here is forwarded to it: its trap cleans up.
        BENCH_IN_SESSION=1 setsid "$0" "$@" &
        session_pid=$!
        trap 'kill -TERM "$session_pid" 2>/dev/null' INT TERM
        rc=0; wait "$session_pid" || rc=$?
        if kill -0 "$session_pid" 2>/dev/null; then wait "$session_pid" || rc=$?; fi
        exit $rc
    fi
    if [[ -n "${BENCH_GROUP_NICE:-}" && -w /proc/self/autogroup ]]; then
        echo "$BENCH_GROUP_NICE" >/proc/self/autogroup && echo "== autogroup: $(cat /proc/self/autogroup)"
    fi
}

stop_pid() { # stop one process we started, by pid: TERM, then KILL after 5 s
    local pid=$1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

need() { command -v "$1" >/dev/null || { echo "missing $1: apt-get install -y $2" >&2; exit 2; }; }

build() {
    if [[ "${BENCH_SKIP_BUILD:-0}" == 1 && -x "$ROOT/src/Host/bin/Release/net10.0/Telephony.Host" \
        && -x "$ROOT/bench/RtpProbe/bin/Release/net10.0/Telephony.RtpProbe" ]]; then return; fi
    echo "== building Release (server, RtpProbe)"
    (cd "$ROOT" && dotnet build -c Release src/Host -v q -nologo | grep -E "error|Warn|Elapsed" || true)
    (cd "$ROOT" && dotnet build -c Release bench/RtpProbe -v q -nologo | grep -E "error|Warn|Elapsed" || true)
}

# The callers' speech: an espeak-ng sentence -> 8 kHz headerless mu-law ($WORK/speech.ulaw), as load.sh makes it.
make_speech() {
    [[ -f "$WORK/speech.ulaw" ]] && return 0
    espeak-ng -v en-us -s 150 -a 180 -w "$WORK/s22k.wav" \
        "Thank you for calling the telephony bench. This caller keeps talking for the whole call, so the \
server has real speech to receive, buffer, decode and echo back while many other calls do the same." 2>/dev/null
    sox "$WORK/s22k.wav" -r 8000 -c 1 -b 16 -e signed-integer "$WORK/speech.wav" norm -3
    sox "$WORK/speech.wav" -t raw -r 8000 -c 1 -e mu-law -b 8 "$WORK/speech.ulaw"
}

health_field() { # health_field PY_EXPR: evaluates the expression on /health's JSON (h), "?" when unreachable
    curl -fsS "$HEALTH" 2>/dev/null | python3 -c "import json,sys; h=json.load(sys.stdin); print($1)" 2>/dev/null || echo "?"
}

# Waits (up to 30 s) until the server reports no active call.
wait_idle() {
    local active
    for _ in $(seq 60); do
        active=$(health_field 'h["activeCalls"]')
        [[ "$active" == 0 ]] && return 0
        sleep 0.5
    done
    echo "server still reports $active active calls"
}

udp_snapshot() { awk '/^Udp:/{l=$0} END{print l}' /proc/net/snmp >"$1"; }

# The sipp process under `timeout` / `nice` wrappers started as $1 (the real one, for CPU sampling).
sipp_child() {
    local top=$1 p
    p=$(pgrep -P "$top" -x sipp 2>/dev/null | head -1 || true)
    [[ -z "$p" ]] && p=$(pgrep -P "$(pgrep -P "$top" | head -1)" -x sipp 2>/dev/null | head -1 || true)
    echo "${p:-$top}"
}
