#!/usr/bin/env bash
# Recording cost: the load bench's concurrency run (bench number 9002: prompt, then echo) twice on the same build,
# once with recording off and once on, then one on-vs-off table: server CPU avg/peak, RSS, RTP returned, tick
# overruns, recordings written, dropped recording frames, failed recordings, bytes on disk.
#   bench/recording.sh [CALLS [CALL_SECONDS]]    # default 1000 calls x 20 s (the echo bench's largest clean run)
# Env: RECORDING_FORMAT=pcm16|ulaw|alaw (default pcm16; stereo PCM16 is 32 kB per call-second on disk),
# plus everything bench/load.sh reads (BENCH_GROUP_NICE, BENCH_SKIP_BUILD, BENCH_KEEP, BENCH_RAMP ...).
# load.sh passes the environment to the server, so TELEPHONY_RECORDING__* reach it. Both runs are bounded by load.sh
# (each starts and stops its own server and tools). Recording counters are the measured run's only: /health at its
# start and after its calls ended (load.sh's warm-up calls are excluded), files and bytes from the recordings table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CALLS=${1:-1000}
CALL_S=${2:-20}
OUT=$(mktemp -d /tmp/telephony-bench-recording.XXXXXX)
export TELEPHONY_RECORDING__FORMAT=${RECORDING_FORMAT:-pcm16}
declare -A WORKS=()

LOAD_PID=""
on_exit() {
    local w
    if [[ -n "$LOAD_PID" ]]; then kill -TERM "$LOAD_PID" 2>/dev/null; wait "$LOAD_PID" 2>/dev/null || true; fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        echo "logs and work dirs kept: $OUT ${WORKS[*]:-}"
    else
        # every work dir load.sh named, including one of a run stopped half-way
        for w in "${WORKS[@]:-}" $(cat "$OUT"/*.log 2>/dev/null | grep -o '/tmp/telephony-bench\.[A-Za-z0-9]*' | sort -u); do
            [[ -n "$w" && "$w" == /tmp/telephony-bench.* ]] && rm -rf "$w"
        done
        rm -rf "$OUT"
    fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

run() { # run NAME ENABLED
    local name=$1 enabled=$2
    echo "== recording $name: $CALLS calls x ${CALL_S} s (TELEPHONY_RECORDING__ENABLED=$enabled, format $TELEPHONY_RECORDING__FORMAT)"
    local rc=0
    # load.sh runs in the background and is waited for, so a TERM/INT here reaches it at once (its trap cleans up)
    TELEPHONY_RECORDING__ENABLED=$enabled BENCH_KEEP=1 "$ROOT/bench/load.sh" concurrency "$CALLS" "$CALL_S" >"$OUT/$name.log" 2>&1 &
    LOAD_PID=$!
    tail -n +1 -f --pid="$LOAD_PID" "$OUT/$name.log" &
    local tail_pid=$!
    wait "$LOAD_PID" || rc=$?
    LOAD_PID=""
    wait "$tail_pid" 2>/dev/null || true
    # load.sh keeps its work dir with BENCH_KEEP=1 and names it on its last line
    WORKS[$name]=$(grep -o '/tmp/telephony-bench\.[A-Za-z0-9]*' "$OUT/$name.log" | tail -1 || true)
    echo "$rc" >"$OUT/$name.rc"
    return $rc
}

off_rc=0; on_rc=0
run off false || off_rc=$?
BENCH_SKIP_BUILD=1 run on true || on_rc=$?

python3 - "$OUT" "$CALLS" "$CALL_S" "$TELEPHONY_RECORDING__FORMAT" "${WORKS[off]:-}" "${WORKS[on]:-}" <<'PY'
import glob, json, os, re, sqlite3, sys
out, calls, call_s, fmt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
works = {"off": sys.argv[5], "on": sys.argv[6]}


def load(path):
    try:
        with open(path) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return {}


cols = {}
for name, work in works.items():
    c = {}
    run_dir = (glob.glob(os.path.join(work, f"concurrency-{calls}")) or [""])[0] if work else ""
    log = open(os.path.join(out, f"{name}.log"), errors="replace").read()
    m = re.search(r"^----- concurrency-\d+: (CLEAN|NOT CLEAN) -----", log, re.M)
    c["result"] = m.group(1) if m else "no result"
    mon, probe = load(os.path.join(run_dir, "monitor.json")), load(os.path.join(run_dir, "probe.json"))
    srv = mon.get("server", {})
    c["cpu"] = f"{srv.get('cpuAvgPct', '?')} / {srv.get('cpuPeakPct', '?')}"
    c["rss"] = f"{srv.get('rssPeakMB', '?')}"
    m = re.search(r"^calls\s+(\d+) created, (\d+) successful, (\d+) failed", log, re.M)
    c["calls"] = f"{m.group(2)} ok / {m.group(3)} failed" if m else "?"
    expected = calls * call_s * 50
    got = probe.get("packets", 0)
    c["rtp"] = f"{got} / {expected} ({100.0 * got / expected:.2f} %)" if expected else "?"
    c["loss"] = f"{probe.get('lossPercent', '?')} % / {probe.get('jitterMsMean', '?')} ms"
    try:
        max_tick = f"{float(str(mon.get('maxTickDuration'))[6:]) * 1000:.0f} ms"
    except ValueError:
        max_tick = "?"
    c["ticks"] = f"{mon.get('tickOverruns', '?')} (max tick {max_tick}, server lifetime)"
    h0, h1 = load(os.path.join(run_dir, "health-start.json")), load(os.path.join(run_dir, "health-end.json"))
    r0, r1 = h0.get("recording") or {}, h1.get("recording") or {}
    for k in ("completed", "failed", "droppedFrames", "alerts"):
        c[k] = (r1.get(k, 0) - r0.get(k, 0)) if r1 else "?"
    c["pending"] = r1.get("storagePending", "?")
    # the measured run's recordings: rows started after health-start.json was written
    since = int(os.path.getmtime(os.path.join(run_dir, "health-start.json")) * 1000) if run_dir and os.path.exists(os.path.join(run_dir, "health-start.json")) else 0
    files = size = dur = 0
    statuses = {}
    db = (glob.glob(os.path.join(work, "server-concurrency", "data", "*.db")) or [""])[0] if work else ""
    if db:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
            for status, n, b, d in con.execute("SELECT status, COUNT(*), COALESCE(SUM(size_bytes),0), COALESCE(SUM(duration_ms),0) "
                                               "FROM recordings WHERE started_at >= ? GROUP BY status", (since,)):
                statuses[status] = n
                files += n; size += b; dur += d
            con.close()
        except sqlite3.Error as e:
            statuses = {"error": str(e)}
    c["files"] = f"{files} {statuses}" if statuses else "0"
    c["disk"] = f"{size / 1e6:.0f} MB ({size / max(dur / 1000, 1) / 1000:.1f} kB per call-second)" if size else "0 MB"
    cols[name] = c

rows = [("result (load.sh rule)", "result"), ("calls", "calls"), ("server CPU % of 1 core avg / peak", "cpu"),
        ("server RSS peak MB", "rss"), ("RTP returned / expected", "rtp"), ("RTP loss / jitter mean", "loss"),
        ("media tick overruns", "ticks"), ("recordings completed (run only)", "completed"),
        ("recordings failed", "failed"), ("dropped recording frames", "droppedFrames"), ("alerts raised", "alerts"),
        ("recordings rows (status)", "files"), ("recorded bytes on disk", "disk"), ("DB writes still queued at end", "pending")]
print(f"\n===== recording cost: {calls} calls x {call_s} s, format {fmt}, load avg now {open('/proc/loadavg').read().split()[:3]} =====")
print(f"| {'':34} | {'recording off':40} | {'recording on':40} |")
print(f"|{'-' * 36}|{'-' * 42}|{'-' * 42}|")
for label, key in rows:
    print(f"| {label:34} | {str(cols['off'].get(key, '?')):40} | {str(cols['on'].get(key, '?')):40} |")
try:
    off_cpu = float(cols["off"]["cpu"].split(" / ")[0]); on_cpu = float(cols["on"]["cpu"].split(" / ")[0])
    print(f"recording adds {on_cpu - off_cpu:+.1f} % of one core on average ({(on_cpu / off_cpu - 1) * 100 if off_cpu else 0:+.0f} %)")
except (ValueError, KeyError):
    pass
PY
[[ "${BENCH_KEEP:-0}" == 1 ]] && echo "== logs: $OUT/off.log $OUT/on.log"
exit $(( off_rc | on_rc ))
