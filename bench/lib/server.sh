# The bench server's start, readiness wait and stop, shared by bench/load.sh, bench/reference.sh, bench/srtp.sh, bench/webrtc.sh and
# bench/ivr-queue.sh (sourced after bench/load/lib.sh, not run).
# The caller sets before start_bench_server: SERVER_ROOT (the checkout whose Release build runs), SERVER_IP, SIP_PORT
# (UDP and TCP), HTTP_PORT, RTP_MIN, RTP_MAX, HEALTH (its /health URL), SERVER_PID (stopped in its trap); optionally
# TLS_PORT and HTTPS_PORT (unset: the config's; 0: off).
# Every start also passes BENCH_GC_SERVER (DOTNET_gcServer, default 0) and BENCH_PERFMAP / BENCH_WXE (perf map for
# `perf record -g -p PID`; defaults 0 and 1, the runtime's own).

# start_bench_server DIR [NAME=VALUE ...]: runs the server with its data in DIR/data and its log in DIR/server.log, the
# extra NAME=VALUE pairs added to its environment; sets SERVER_PID and returns 0 once HEALTH answers (30 s at most),
# 1 when something already answers HEALTH, when the server exits (its log's tail is printed) or when it stays silent.
start_bench_server() {
    local dir=$1
    shift
    mkdir -p "$dir"
    if curl -fsS "$HEALTH" >/dev/null 2>&1; then echo "something already answers $HEALTH: stop it first" >&2; return 1; fi
    local -a ports=()
    [[ -n "${TLS_PORT:-}" ]] && ports+=("TELEPHONY_SIP__TLSPORT=$TLS_PORT")
    [[ -n "${HTTPS_PORT:-}" ]] && ports+=("TELEPHONY_HTTP__HTTPSPORT=$HTTPS_PORT")
    (cd "$SERVER_ROOT" && exec env TELEPHONY_SIP__ADDRESS="$SERVER_IP" TELEPHONY_SIP__UDPPORT="$SIP_PORT" \
        TELEPHONY_SIP__TCPPORT="$SIP_PORT" "${ports[@]}" \
        TELEPHONY_RTP__ADDRESS="$SERVER_IP" TELEPHONY_RTP__PORTMIN="$RTP_MIN" TELEPHONY_RTP__PORTMAX="$RTP_MAX" \
        TELEPHONY_HTTP__ADDRESS=127.0.0.1 TELEPHONY_HTTP__PORT="$HTTP_PORT" TELEPHONY_DATA__DIRECTORY="$dir/data" \
        DOTNET_gcServer="${BENCH_GC_SERVER:-0}" DOTNET_PerfMapEnabled="${BENCH_PERFMAP:-0}" \
        DOTNET_EnableWriteXorExecute="${BENCH_WXE:-1}" "$@" \
        "$SERVER_ROOT/src/Host/bin/Release/net10.0/Telephony.Host" >"$dir/server.log" 2>&1) &
    SERVER_PID=$!
    wait_server_ready "$dir/server.log"
}

# wait_server_ready LOG: 0 once HEALTH answers; 1 when SERVER_PID exits first (LOG's tail printed) or after 30 s.
wait_server_ready() {
    local log=$1
    for _ in $(seq 150); do
        curl -fsS "$HEALTH" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:"; tail -20 "$log"; return 1; }
        sleep 0.2
    done
    echo "server did not answer $HEALTH within 30 s"; return 1
}

# stop_bench_server: TERM (KILL after 5 s) the server started here, and forget its pid.
stop_bench_server() {
    stop_pid "$SERVER_PID"
    SERVER_PID=""
}
