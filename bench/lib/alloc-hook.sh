#!/usr/bin/env bash
# BENCH_STEP_HOOK for bench/load.sh (perf5): `alloc-hook.sh DIR SERVER_PID BOUND_S`, run beside one measured step.
# Records the server's System.Runtime counters (dotnet.gc.heap.total_allocated, GC pause time, ...) once a second for
# BENCH_ALLOC_SECONDS (default 14: a 10 s step of 1 s calls plus its tail) into DIR/counters.csv; with
# BENCH_ALLOC_TRACE=1 it records an allocation-tick trace instead (GC keyword, verbose: one event per ~100 KB allocated,
# with the allocating type and stack) into DIR/alloc.nettrace. bench/lib/alloc_per_call.py turns counters.csv and the
# step's SIPp stats into bytes allocated per call set up.
set -uo pipefail
dir=$1 pid=$2
secs=${BENCH_ALLOC_SECONDS:-14}
tools=${DOTNET_TOOLS:-$HOME/.dotnet/tools}
dur=$(printf '00:00:%02d' "$secs")
if [[ "${BENCH_ALLOC_TRACE:-0}" == 1 ]]; then
    "$tools/dotnet-trace" collect -p "$pid" --providers 'Microsoft-Windows-DotNETRuntime:0x1:5' \
        --duration "$dur" -o "$dir/alloc.nettrace" </dev/null
else
    "$tools/dotnet-counters" collect -p "$pid" --refresh-interval 1 --format csv -o "$dir/counters.csv" \
        --counters System.Runtime --duration "$dur" </dev/null
fi
