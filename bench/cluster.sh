#!/usr/bin/env bash
# Cluster bench: PostgreSQL + Kamailio + 1, 2 and 3 Telephony nodes on loopback (deploy/cluster/up.sh), SIPp calling
# through Kamailio from the trunk address 127.0.0.2. All of it shares this box's cores, so the numbers show how the
# work spreads (per node, per core, Kamailio's own share), not what N machines would do.
#   bench/cluster.sh rate [RATES [STEP_SECONDS]]      # setups/s: short echo calls (9000) at each rate, per node count
#   bench/cluster.sh concurrent [CALLS [CALL_SECONDS]] # CALLS calls of CALL_SECONDS with RTP both ways, per node count
#   bench/cluster.sh failover [KILLS]                  # 2 nodes, 20 calls/s; kill -9 a node KILLS times
#   bench/cluster.sh all                               # the three with their defaults
# Env: BENCH_CLUSTER_NODES="1 2 3" (node counts), BENCH_SKIP_BUILD=1 (reuse the Release build of src/Host).
# Addresses: Kamailio 127.0.0.20:5060, nodes 127.0.0.21..23 (SIP 5060, HTTP 8080), PostgreSQL 127.0.0.29:55434, so it
# does not meet deploy/cluster/up.sh's defaults or the interop tests. Every run is bounded; everything started here is
# stopped on exit (deploy/cluster/down.sh --purge).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-all}
NODE_COUNTS=${BENCH_CLUSTER_NODES:-1 2 3}
PROXY=127.0.0.20
PG_HOST=127.0.0.29
PG_PORT=55434
CALLER_IP=127.0.0.2
SIPP_PORT=25170
SIPP_MP=27000
RUN_BASE=/tmp/telephony-cluster-bench
HZ=$(getconf CLK_TCK)
OUT=$(mktemp -d /tmp/telephony-cluster-bench-out.XXXXXX)
CURRENT_RUN="" CURRENT_NODES=""

need() { command -v "$1" >/dev/null || { echo "missing $1: apt-get install -y $2" >&2; exit 2; }; }
need sipp sip-tester; need kamailio kamailio; need kamcmd kamailio; need psql postgresql-client; need python3 python3

node_spec() { # node_spec N -> "node-a=127.0.0.21 node-b=127.0.0.22 ..."
    local n=$1 i spec="" letters=(a b c d e f)
    for ((i = 0; i < n; i++)); do spec+="node-${letters[i]}=127.0.0.$((21 + i)) "; done
    echo "${spec% }"
}

cluster_env() {
    export CLUSTER_RUN_DIR="$CURRENT_RUN" CLUSTER_NODES="$CURRENT_NODES" CLUSTER_PROXY_ADDRESS=$PROXY \
        CLUSTER_PG_HOST=$PG_HOST CLUSTER_PG_PORT=$PG_PORT CLUSTER_KAMAILIO_SHM_MB=512
}

up() { # up N: a fresh cluster of N nodes
    CURRENT_RUN="$RUN_BASE-$1" CURRENT_NODES=$(node_spec "$1")
    cluster_env
    rm -rf "$CURRENT_RUN"
    "$ROOT/deploy/cluster/up.sh" --no-build | tail -1
    # Warm-up (not measured): the nodes' JIT, pools and database connections, Kamailio's first transactions.
    sipp_run "warmup-$1-$RANDOM" 20 $((40 * $1)) 100 -sf "$ROOT/bench/cluster/uac-routed.xml" >/dev/null
}

down() {
    [[ -z "$CURRENT_RUN" ]] && return 0
    cluster_env
    "$ROOT/deploy/cluster/down.sh" --purge >/dev/null 2>&1 || true
    CURRENT_RUN=""
}
trap 'down; pkill -f "sipp $PROXY" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

node_pids() { for spec in $CURRENT_NODES; do cat "$CURRENT_RUN/${spec%%=*}/node.pid"; done; }
kamailio_pids() { pgrep -f "kamailio -f $ROOT/deploy/kamailio/kamailio.cfg" | tr '\n' ' '; }
ticks() { # ticks PID... -> utime+stime summed (processes that are gone count 0)
    local total=0 p t
    for p in "$@"; do
        t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo "$total"
}
invites() { # invites NODE -> INVITEs the node logged so far
    grep -c "INVITE .* to 9000" "$CURRENT_RUN/$1/node.log" 2>/dev/null || true
}

# sipp_run NAME RATE CALLS CALL_MS [scenario args...]: SIPp through Kamailio, bounded; prints "ok failed retrans p50 p99".
sipp_run() {
    local name=$1 rate=$2 calls=$3 call_ms=$4 dir="$OUT/$1"
    shift 4
    mkdir -p "$dir"
    local bound=$((calls / rate + call_ms / 1000 + 40))
    (cd "$dir" && timeout -s KILL $bound sipp $PROXY:5060 -s 9000 -i $CALLER_IP -p $SIPP_PORT -mp $SIPP_MP "$@" \
        -r "$rate" -m "$calls" -l $((rate * (call_ms / 1000 + 3) + 100)) -d "$call_ms" \
        -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 -bg >/dev/null 2>&1 || true)
    sleep 1
    local pid
    pid=$(pgrep -f "sipp $PROXY:5060" | head -1 || true)
    while [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
    python3 - "$dir" <<'PY'
import csv, glob, sys
d = sys.argv[1]
rows = list(csv.reader(open(glob.glob(d + "/*stat.csv")[0]), delimiter=";"))
head, last = rows[0], rows[-1]
col = lambda n: int(last[head.index(n)])
rtt = []
for f in glob.glob(d + "/*rtt.csv"):
    for r in csv.reader(open(f), delimiter=";"):
        try: rtt.append(float(r[1]))
        except (ValueError, IndexError): pass
rtt.sort()
q = lambda p: rtt[min(len(rtt) - 1, int(p * len(rtt)))] if rtt else float("nan")
print(col("SuccessfulCall(C)"), col("FailedCall(C)"), col("Retransmissions(C)"), f"{q(0.5):.0f}", f"{q(0.99):.0f}")
PY
}

# measure NAME RATE CALLS CALL_MS [sipp args]: one SIPp run with CPU of every node and of Kamailio over it.
measure() {
    local name=$1 rate=$2 calls=$3 call_ms=$4
    shift 4
    local nodes_pids kam_pids n0 k0 t0 result secs n1 k1 spread="" spec
    read -r -a nodes_pids <<<"$(node_pids | tr '\n' ' ')"
    read -r -a kam_pids <<<"$(kamailio_pids)"
    declare -A before=()
    for spec in $CURRENT_NODES; do before[${spec%%=*}]=$(invites "${spec%%=*}"); done
    n0=$(ticks "${nodes_pids[@]}"); k0=$(ticks "${kam_pids[@]}"); t0=$(date +%s.%N)
    result=$(sipp_run "$name" "$rate" "$calls" "$call_ms" "$@")
    secs=$(python3 -c "import time; print(time.time() - $t0)")
    n1=$(ticks "${nodes_pids[@]}"); k1=$(ticks "${kam_pids[@]}")
    for spec in $CURRENT_NODES; do spread+="$(( $(invites "${spec%%=*}") - ${before[${spec%%=*}]} ))/"; done
    read -r ok failed retrans p50 p99 <<<"$result"
    python3 - "$name" "$rate" "$ok" "$failed" "$retrans" "$p50" "$p99" "$n0" "$n1" "$k0" "$k1" "$secs" "$HZ" "${spread%/}" "$calls" <<'PY'
import sys
name, rate, ok, failed, retrans, p50, p99, n0, n1, k0, k1, secs, hz, spread, calls = sys.argv[1:]
secs = float(secs); hz = int(hz)
nodes = (int(n1) - int(n0)) / hz / secs * 100
kam = (int(k1) - int(k0)) / hz / secs * 100
clean = int(failed) == 0 and int(retrans) <= 0.01 * int(calls)
print(f"{name:<22} rate {rate:>5}/s  calls {ok:>6} ok {failed:>4} failed {retrans:>6} retrans  INVITE->200 p50 {p50} ms p99 {p99} ms"
      f"  CPU nodes {nodes:5.1f} %  kamailio {kam:5.1f} %  per node {spread}  {'CLEAN' if clean else 'NOT CLEAN'}")
PY
}

run_rate() {
    local rates=${1:-200 400 600 800 1000} step=${2:-15} n rate
    for n in $NODE_COUNTS; do
        up "$n"
        for rate in $rates; do
            measure "rate-${n}node-${rate}" "$rate" $((rate * step)) 200 -sf "$ROOT/bench/cluster/uac-routed.xml" | tee -a "$OUT/summary.txt"
            sleep 3
        done
        down
    done
}

run_concurrent() {
    local calls=${1:-600} call_s=${2:-20} n
    local ul="$OUT/caller.ul"
    [[ -f "$ul" ]] || python3 - "$ul" <<'PY'
import math, sys
# 1 s of a 440 Hz tone as raw G.711 mu-law (rtp_stream loops it).
def ulaw(x):
    s = max(-32635, min(32635, int(x)))
    sign = 0x80 if s < 0 else 0
    s = abs(s) + 0x84
    e = 7
    for i in range(7, -1, -1):
        if s & (0x4000 >> (7 - i)): e = i; break
    m = (s >> (e + 3)) & 0x0F
    return (~(sign | (e << 4) | m)) & 0xFF
open(sys.argv[1], "wb").write(bytes(ulaw(8000 * math.sin(2 * math.pi * 440 * n / 8000)) for n in range(8000)))
PY
    for n in $NODE_COUNTS; do
        up "$n"
        mkdir -p "$OUT/concurrent-${n}node" && cp "$ul" "$OUT/concurrent-${n}node/caller.ul"
        measure "concurrent-${n}node" $((calls / 10)) "$calls" $((call_s * 1000)) -sf "$ROOT/bench/cluster/uac-routed-rtp.xml" \
            | tee -a "$OUT/summary.txt"
        down
    done
}

# Failover: 2 nodes, SIPp at 20 calls/s of 0.2 s through Kamailio the whole time; every 12 s one node (alternating) is
# killed with SIGKILL. Measured per kill: when Kamailio marks it inactive, when the survivor holds every queue lease,
# and (at the end) how many calls failed in all: only calls in flight on the killed node may fail.
run_failover() {
    local kills=${1:-10} i victim survivor t0 detect lease
    up 2
    local queues
    queues=$(psql -h $PG_HOST -p $PG_PORT -U telephony -d telephony -Atc "SELECT count(*) FROM queue_leases" 2>/dev/null || echo 0)
    [[ "${queues:-0}" -gt 0 ]] || { echo "failover: no queue leases in PostgreSQL (cluster.database not set?)" >&2; queues=0; }
    local total=$((kills * 12 * 20 + 200))
    mkdir -p "$OUT/failover"
    (cd "$OUT/failover" && timeout -s KILL $((kills * 12 + 120)) sipp $PROXY:5060 -s 9000 -i $CALLER_IP -p $SIPP_PORT \
        -mp $SIPP_MP -sf "$ROOT/bench/cluster/uac-routed.xml" -r 20 -m $total -d 200 -trace_stat -stf stat.csv -fd 1 -trace_err -bg >/dev/null 2>&1 || true)
    sleep 5
    for ((i = 0; i < kills; i++)); do
        # The node that owns the queues (so every kill measures a lease takeover), else alternate.
        victim=$(psql -h $PG_HOST -p $PG_PORT -U telephony -d telephony -Atc \
            "SELECT owner FROM queue_leases WHERE expires_at > now() GROUP BY owner ORDER BY count(*) DESC LIMIT 1" 2>/dev/null || true)
        [[ "$victim" == node-a || "$victim" == node-b ]] || victim=node-$([[ $((i % 2)) -eq 0 ]] && echo a || echo b)
        victim_addr=127.0.0.$([[ $victim == node-a ]] && echo 21 || echo 22)
        survivor=node-$([[ $victim == node-a ]] && echo b || echo a)
        victim_owned=$(psql -h $PG_HOST -p $PG_PORT -U telephony -d telephony -Atc \
            "SELECT count(*) FROM queue_leases WHERE owner = '$victim' AND expires_at > now()" 2>/dev/null || echo 0)
        t0=$(date +%s.%N)
        victim_pid=$(cat "$CURRENT_RUN/$victim/node.pid")
        kill -KILL "$victim_pid"
        detect="" lease=""
        for _ in $(seq 200); do
            now=$(date +%s.%N)
            if [[ -z "$detect" ]] && kamcmd -s "unix:$CURRENT_RUN/kamailio/kamailio.ctl" dispatcher.list 2>/dev/null \
                | awk -v v="$victim_addr" '$1=="URI:"{u=$2} $1=="FLAGS:" && $2 ~ /^I/ && index(u, v) {print u}' | grep -q .; then
                detect=$(python3 -c "print(f'{$now - $t0:.2f}')")
            fi
            if [[ -z "$lease" ]]; then
                owned=$(psql -h $PG_HOST -p $PG_PORT -U telephony -d telephony -Atc \
                    "SELECT count(*) FROM queue_leases WHERE owner = '$survivor' AND expires_at > now()" 2>/dev/null || echo 0)
                [[ "$queues" -gt 0 && "${owned:-0}" -ge "$queues" ]] && lease=$(python3 -c "print(f'{$now - $t0:.2f}')")
            fi
            [[ -n "$detect" && -n "$lease" ]] && break
            sleep 0.05
        done
        echo "kill $((i + 1)): $victim (owned $victim_owned of $queues queues)  kamailio marked it inactive after ${detect:-?} s, $survivor held all $queues queue leases after ${lease:-?} s" \
            | tee -a "$OUT/summary.txt"
        for _ in $(seq 100); do   # gone (or a zombie nobody reaped yet) before up.sh starts it again
            kill -0 "$victim_pid" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$victim_pid/status" || break
            sleep 0.1
        done
        cluster_env
        "$ROOT/deploy/cluster/up.sh" --no-build >/dev/null || { echo "failover: $victim did not come back" >&2; break; }
        sleep 6
    done
    pid=$(pgrep -f "sipp $PROXY:5060" | head -1 || true)
    [[ -n "$pid" ]] && kill -INT "$pid" 2>/dev/null || true
    sleep 3
    python3 - "$OUT/failover" <<'PY' | tee -a "$OUT/summary.txt"
import csv, glob, sys
rows = list(csv.reader(open(glob.glob(sys.argv[1] + "/*stat.csv")[0]), delimiter=";"))
h, l = rows[0], rows[-1]
c = lambda n: l[h.index(n)]
print(f"failover: {c('SuccessfulCall(C)')} calls ok, {c('FailedCall(C)')} failed (calls in flight on a killed node), "
      f"{c('Retransmissions(C)')} retransmissions")
PY
    down
}

[[ "${BENCH_SKIP_BUILD:-0}" == 1 ]] || dotnet build "$ROOT/src/Host" -c Release -v quiet -nologo >/dev/null
case "$MODE" in
    rate) shift || true; run_rate "${1:-}" "${2:-}" ;;
    concurrent) shift || true; run_concurrent "${1:-}" "${2:-}" ;;
    failover) shift || true; run_failover "${1:-}" ;;
    all) run_rate; run_concurrent; run_failover ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown mode $MODE (rate|concurrent|failover|all)" >&2; exit 2 ;;
esac
echo "summary: $OUT/summary.txt"
