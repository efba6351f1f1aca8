# The work dir and exit trap every bench script repeats, shared by bench/load.sh, bench/reference.sh, bench/srtp.sh,
# bench/webrtc.sh and bench/ivr-queue.sh (sourced after bench/load/lib.sh, whose stop_pid it uses; not run).

# bench_work PREFIX PID_VAR...: makes the run's work dir (WORK=/tmp/PREFIX.XXXXXX), empties the variables PID_VAR...
# (each holds the pid of a process the script starts, or nothing) and installs the traps: on exit `cleanup` stops
# them in the order given (after bench_cleanup_more when the script defines it: background pids it keeps in an array)
# and the work dir is removed, or kept and named when BENCH_KEEP=1; INT and TERM exit 130 (which runs it).
bench_work() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    shift
    BENCH_PID_VARS=("$@")
    local var
    for var in "$@"; do printf -v "$var" '%s' ""; done
    trap bench_on_exit EXIT
    trap 'exit 130' INT TERM
}

# cleanup: stops every process named by the PID_VARs (and bench_cleanup_more's); the work dir stays. Callable any time.
cleanup() {
    local var
    if declare -F bench_cleanup_more >/dev/null; then bench_cleanup_more; fi
    for var in "${BENCH_PID_VARS[@]}"; do
        stop_pid "${!var}"
        printf -v "$var" '%s' ""
    done
}

# The work dir goes with a sync: on ext4 without a journal (this box's root) the inodes of a deleted file are skipped
# by every file created in the next 60 s, 360 s while their inode-table block is still dirty, and the server of the
# next run pays for each skip when it creates its recordings (bench/README.md, "Deleted files and the next run").
bench_on_exit() {
    cleanup
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; sync; fi
}
