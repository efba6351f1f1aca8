#!/usr/bin/env bash
# Stops the local cluster started by deploy/cluster/up.sh: the nodes, Kamailio and PostgreSQL, each by its pid file
# (SIGTERM, then SIGKILL after 10 s). Idempotent. usage: deploy/cluster/down.sh [--purge]  (--purge also deletes
# the run directory: databases, logs, recordings). Same CLUSTER_RUN_DIR / CLUSTER_NODES as up.sh.
set -euo pipefail

run="${CLUSTER_RUN_DIR:-/tmp/telephony-cluster}"
nodes="${CLUSTER_NODES:-node-a=127.0.0.11 node-b=127.0.0.12}"
purge=0
[ "${1:-}" = "--purge" ] && purge=1

stop_pid_file() {   # $1 = pid file, $2 = label
    local file="$1" pid
    [ -f "$file" ] || return 0
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            echo "down.sh: $2 (pid $pid) killed after 10 s"
        else
            echo "down.sh: $2 (pid $pid) stopped"
        fi
    fi
    rm -f "$file"
}

for spec in $nodes; do
    stop_pid_file "$run/${spec%%=*}/node.pid" "${spec%%=*}"
done
stop_pid_file "$run/kamailio/kamailio.pid" kamailio

if [ -f "$run/postgres/postmaster.pid.copy" ]; then
    # pg_ctl stop when it can (fast shutdown), else the postmaster's pid.
    bin=""
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin="$d"; done
    if [ -n "$bin" ] && [ -f "$run/postgres/postmaster.pid" ]; then
        as_pg=()
        [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
        if "${as_pg[@]}" "$bin/pg_ctl" -D "$run/postgres" -m fast -w stop >/dev/null 2>&1; then
            echo "down.sh: postgres stopped"
            rm -f "$run/postgres/postmaster.pid.copy"
        fi
    fi
    stop_pid_file "$run/postgres/postmaster.pid.copy" postgres
fi

if [ $purge -eq 1 ]; then
    rm -rf "$run"
    echo "down.sh: removed $run"
fi
echo "cluster: down"
