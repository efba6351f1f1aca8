#!/usr/bin/env bash
# A local Telephony cluster on loopback, for development and tests (see deploy/cluster/README.md):
#   PostgreSQL 127.0.0.13:55433   a throwaway database (initdb under the run directory)
#   Kamailio   127.0.0.10:5060    deploy/kamailio/kamailio.cfg: dispatcher over the nodes, registrar of the phones
#   node-a     127.0.0.11:5060    Telephony.Host (Release build), HTTP 127.0.0.11:8080, own data directory
#   node-b     127.0.0.12:5060    Telephony.Host (Release build), HTTP 127.0.0.12:8080, own data directory
# usage: deploy/cluster/up.sh [--no-build] [--status]
# Idempotent: what already runs (pid file + live process) is left alone. The last line is a status line.
# Stop everything with deploy/cluster/down.sh. Environment overrides (defaults in brackets):
#   CLUSTER_RUN_DIR [/tmp/telephony-cluster]  CLUSTER_SIP_PORT [5060]  CLUSTER_HTTP_PORT [8080]
#   CLUSTER_PG_HOST [127.0.0.13]  CLUSTER_PG_PORT [55433]  CLUSTER_NODES ["node-a=127.0.0.11 node-b=127.0.0.12"]
#   CLUSTER_PROXY_ADDRESS [127.0.0.10]  CLUSTER_POSTGRES [auto|off]  CLUSTER_KAMAILIO_SHM_MB [128] (~0.15 MB per call/s)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${CLUSTER_RUN_DIR:-/tmp/telephony-cluster}"
sip_port="${CLUSTER_SIP_PORT:-5060}"
http_port="${CLUSTER_HTTP_PORT:-8080}"
pg_host="${CLUSTER_PG_HOST:-127.0.0.13}"
pg_port="${CLUSTER_PG_PORT:-55433}"
proxy="${CLUSTER_PROXY_ADDRESS:-127.0.0.10}"
nodes="${CLUSTER_NODES:-node-a=127.0.0.11 node-b=127.0.0.12}"
want_pg="${CLUSTER_POSTGRES:-auto}"
build=1
status_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --status) status_only=1 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "up.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

host_dll="$repo/src/Host/bin/Release/net10.0/Telephony.Host.dll"
mkdir -p "$run"

# A pid file whose process runs (a zombie, e.g. a node just killed with -9 and not reaped yet, counts as gone).
alive() {
    [ -f "$1" ] || return 1
    local pid
    pid="$(cat "$1")"
    kill -0 "$pid" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$pid/status"
}

pg_bin() {
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

# The PostgreSQL storage provider exists in this tree when src/Recording/Storage can open a PostgreSQL database.
pg_provider() { grep -rqs "ForPostgres" "$repo/src/Recording/Storage"; }

status_line() {
    local parts=() name addr
    if alive "$run/postgres/postmaster.pid.copy"; then parts+=("postgres $pg_host:$pg_port up"); elif [ -d "$run/postgres" ]; then parts+=("postgres down"); fi
    if alive "$run/kamailio/kamailio.pid"; then parts+=("kamailio $proxy:$sip_port up"); else parts+=("kamailio down"); fi
    for spec in $nodes; do
        name="${spec%%=*}"; addr="${spec#*=}"
        if alive "$run/$name/node.pid"; then
            if curl -fsS -m 2 "http://$addr:$http_port/health" >/dev/null 2>&1; then parts+=("$name $addr up"); else parts+=("$name $addr starting"); fi
        else
            parts+=("$name down")
        fi
    done
    local dispatcher=""
    if alive "$run/kamailio/kamailio.pid" && command -v kamcmd >/dev/null 2>&1; then
        dispatcher="$(kamcmd -s "unix:$run/kamailio/kamailio.ctl" dispatcher.list 2>/dev/null \
            | awk '$1 == "ID:" {set=$2} $1 == "URI:" {u=$2} $1 == "FLAGS:" {if (set == 1) {printf "%s%s=%s", sep, u, $2; sep=" "}}')" || true
    fi
    echo "cluster: $(IFS=,; echo "${parts[*]}" | sed 's/,/, /g')${dispatcher:+; dispatcher: $dispatcher}"
}

if [ $status_only -eq 1 ]; then
    status_line
    exit 0
fi

command -v kamailio >/dev/null 2>&1 || { echo "up.sh: kamailio is not installed (apt-get install kamailio)" >&2; exit 1; }

# --- 1. PostgreSQL --------------------------------------------------------------------------------
pg_note=""
if [ "$want_pg" != off ] && bin="$(pg_bin)" && [ -n "$bin" ]; then
    pgdata="$run/postgres"
    as_pg=()
    if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi   # initdb refuses to run as root
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        mkdir -p "$pgdata"
        if [ ${#as_pg[@]} -gt 0 ]; then chown postgres "$pgdata"; chmod 711 "$run"; fi
        "${as_pg[@]}" "$bin/initdb" -D "$pgdata" -U telephony --auth=trust -E UTF8 >"$run/postgres-initdb.log" 2>&1 \
            || { echo "up.sh: initdb failed, see $run/postgres-initdb.log" >&2; exit 1; }
    fi
    if ! alive "$run/postgres/postmaster.pid.copy"; then
        "${as_pg[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 30 \
            -o "-c listen_addresses=$pg_host -p $pg_port -k $pgdata -c fsync=off" start >/dev/null \
            || { echo "up.sh: PostgreSQL did not start, see $pgdata/server.log" >&2; exit 1; }
        head -1 "$pgdata/postmaster.pid" >"$pgdata/postmaster.pid.copy"
        "${as_pg[@]}" "$bin/createdb" -h "$pg_host" -p "$pg_port" -U telephony telephony 2>/dev/null || true
    fi
    pg_url="Host=$pg_host;Port=$pg_port;Username=telephony;Database=telephony"
    echo "$pg_url" >"$run/postgres.connection"
    if pg_provider; then
        pg_note="nodes store in PostgreSQL ($pg_url)"
    else
        pg_url=""
        pg_note="PostgreSQL runs (queue leases, tests: $run/postgres.connection) but this tree has no PostgreSQL storage provider: each node keeps its own SQLite database in its data directory"
    fi
else
    pg_url=""
    pg_note="no PostgreSQL (CLUSTER_POSTGRES=off or not installed): each node keeps its own SQLite database in its data directory"
fi

# --- 2. Kamailio ----------------------------------------------------------------------------------
if [ $build -eq 1 ]; then
    echo "up.sh: building src/Host (Release)"
    dotnet build "$repo/src/Host" -c Release -v quiet -nologo >"$run/build.log" 2>&1 \
        || { echo "up.sh: build failed, see $run/build.log" >&2; tail -20 "$run/build.log" >&2; exit 1; }
fi
[ -f "$host_dll" ] || { echo "up.sh: $host_dll is missing (run without --no-build)" >&2; exit 1; }
kam="$run/kamailio"
mkdir -p "$kam"
# Kamailio challenges REGISTER with the nodes' credentials: its subscriber table (HA1 only) from config/extensions.yaml.
(cd "$repo" && dotnet "$host_dll" cluster kamailio-subscribers --config "$repo/config" --output "$kam/db" >"$kam/subscribers.log" 2>&1) \
    || { echo "up.sh: kamailio-subscribers failed, see $kam/subscribers.log" >&2; cat "$kam/subscribers.log" >&2; exit 1; }
: >"$kam/dispatcher.list.new"
for set in 1 2; do
    flags=$([ $set -eq 1 ] && echo 8 || echo 0)   # set 1 probed, set 2 = last resort, never probed
    for spec in $nodes; do
        echo "$set sip:${spec#*=}:$sip_port $flags 0 duid=${spec%%=*}" >>"$kam/dispatcher.list.new"
    done
done
mv "$kam/dispatcher.list.new" "$kam/dispatcher.list"
# loginOnRegister behind Kamailio: with PostgreSQL and db_postgres.so, Kamailio writes its registrations through to the
# cluster database (location table) and the nodes follow it (cluster.locationTable).
usrloc_args=()
if [ -f "$run/postgres.connection" ] && alive "$run/postgres/postmaster.pid.copy" \
    && compgen -G "/usr/lib/*/kamailio/modules/db_postgres.so" >/dev/null \
    && [ -n "${bin:-}" ] && "$bin/psql" -q -h "$pg_host" -p "$pg_port" -U telephony -d telephony -f "$repo/deploy/kamailio/location-postgres.sql" >"$kam/location.log" 2>&1; then
    usrloc_args=(-A "USRLOC_DB_URL=\"postgres://telephony@$pg_host:$pg_port/telephony\"")
fi
if ! alive "$kam/kamailio.pid"; then
    rm -f "$kam/kamailio.pid"
    kamailio -f "$repo/deploy/kamailio/kamailio.cfg" -DD -E -Y "$kam" -P "$kam/kamailio.pid" -m "${CLUSTER_KAMAILIO_SHM_MB:-128}" -M 8 \
        -A "LISTEN=udp:$proxy:$sip_port" -A "LISTEN_TCP=tcp:$proxy:$sip_port" \
        -A "DS_LIST=\"$kam/dispatcher.list\"" -A "CTL_SOCKET=\"unix:$kam/kamailio.ctl\"" \
        -A "PROXY_URI=\"sip:proxy@$proxy:$sip_port\"" -A "SUBSCRIBER_DB=\"text://$kam/db\"" "${usrloc_args[@]}" >"$kam/kamailio.log" 2>&1 &
    for _ in $(seq 50); do alive "$kam/kamailio.pid" && break; sleep 0.1; done
    alive "$kam/kamailio.pid" || { echo "up.sh: Kamailio did not start, see $kam/kamailio.log" >&2; tail -5 "$kam/kamailio.log" >&2; exit 1; }
else
    kamcmd -s "unix:$kam/kamailio.ctl" dispatcher.reload >/dev/null 2>&1 || true
fi

# --- 3. Nodes -------------------------------------------------------------------------------------

for spec in $nodes; do
    name="${spec%%=*}"; addr="${spec#*=}"
    dir="$run/$name"
    mkdir -p "$dir/data"
    alive "$dir/node.pid" && continue
    env_args=(
        TELEPHONY_SIP__ADDRESS="$addr" TELEPHONY_SIP__UDPPORT="$sip_port" TELEPHONY_SIP__TCPPORT="$sip_port" TELEPHONY_SIP__TLSPORT=0
        TELEPHONY_RTP__ADDRESS="$addr" TELEPHONY_HTTP__ADDRESS="$addr" TELEPHONY_HTTP__PORT="$http_port" TELEPHONY_HTTP__HTTPSPORT=0
        TELEPHONY_CLUSTER__NODEID="$name" TELEPHONY_CLUSTER__PROXY="$proxy:$sip_port"
        TELEPHONY_TRUNKS__0__ALLOWFROM__0=127.0.0.2 TELEPHONY_TRUNKS__0__ALLOWFROM__1="$proxy"
        TELEPHONY_DATA__DIRECTORY="$dir/data" TELEPHONY_PATHS__CONFIGDIRECTORY="$repo/config"
        TELEPHONY_PATHS__SOUNDSDIRECTORY="$repo/sounds" ASPNETCORE_URLS="http://$addr:$http_port"
    )
    if [ -n "$pg_url" ]; then
        env_args+=(TELEPHONY_STORAGE__PROVIDER=postgres TELEPHONY_STORAGE__CONNECTIONSTRING="$pg_url")
    fi
    if [ -f "$run/postgres.connection" ] && alive "$run/postgres/postmaster.pid.copy"; then
        env_args+=(TELEPHONY_CLUSTER__DATABASE="$(cat "$run/postgres.connection")")   # queue leases
        if [ ${#usrloc_args[@]} -gt 0 ]; then env_args+=(TELEPHONY_CLUSTER__LOCATIONTABLE=location); fi   # loginOnRegister via Kamailio
    fi
    (cd "$repo" && exec env "${env_args[@]}" dotnet "$host_dll" >"$dir/node.log" 2>&1) &
    echo $! >"$dir/node.pid"
done

# Ready = every node answers /health and Kamailio sees it active (its OPTIONS probe got 200).
for _ in $(seq 120); do
    ready=1
    for spec in $nodes; do
        name="${spec%%=*}"; addr="${spec#*=}"
        alive "$run/$name/node.pid" || { echo "up.sh: $name exited, see $run/$name/node.log" >&2; tail -5 "$run/$name/node.log" >&2; exit 1; }
        curl -fsS -m 1 "http://$addr:$http_port/health" >/dev/null 2>&1 || ready=0
    done
    if [ $ready -eq 1 ]; then
        active="$(kamcmd -s "unix:$kam/kamailio.ctl" dispatcher.list 2>/dev/null | grep -c 'FLAGS: AP' || true)"
        [ "${active:-0}" -ge "$(echo "$nodes" | wc -w)" ] && break
    fi
    sleep 0.5
done

echo "up.sh: $pg_note"
echo "up.sh: logs and pid files under $run; call sip:9000@$proxy:$sip_port (echo) through Kamailio"
status_line
