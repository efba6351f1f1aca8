#!/usr/bin/env bash
# BENCH_STEP_HOOK for bench/load.sh: `perf-hook.sh DIR SERVER_PID BOUND_S`, run beside one measured step.
# Samples the server with `perf record -g` (BENCH_PERF_HZ, default 299) for BENCH_PERF_SECONDS (default 8) starting
# BENCH_PERF_DELAY seconds (default 2) into the step, then writes DIR/perf.txt (flat: self time by symbol) and
# DIR/perf-children.txt (inclusive). Start the server with BENCH_PERFMAP=1 BENCH_WXE=0 so JIT-compiled frames have names.
set -uo pipefail
dir=$1 pid=$2
sleep "${BENCH_PERF_DELAY:-2}"
perf record -q -g -F "${BENCH_PERF_HZ:-299}" -p "$pid" -o "$dir/perf.data" -- sleep "${BENCH_PERF_SECONDS:-8}" </dev/null 2>"$dir/perf-record.log"
perf report -i "$dir/perf.data" --no-children --sort dso,symbol --stdio --percent-limit 0.3 2>/dev/null \
    | grep -v '^$' | grep -v '^ *|' | grep -v '^ *-' | head -150 >"$dir/perf.txt"
perf report -i "$dir/perf.data" --children --sort symbol --stdio --percent-limit 1 -g none 2>/dev/null \
    | grep -v '^$' | head -200 >"$dir/perf-children.txt"
