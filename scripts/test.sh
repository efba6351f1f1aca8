#!/usr/bin/env bash
# The project's test command: installs the SIP peers when missing, builds the solution in Release,
# runs every test project (unit + interop) and prints "N passed, N failed, N skipped" as the last line.
#
#   scripts/test.sh                  # everything
#   scripts/test.sh --unit           # unit test projects only (tests/*.Tests except Interop.Tests)
#   scripts/test.sh --filter EXPR    # dotnet test --filter pass-through
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

FILTER=""
UNIT_ONLY=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter) FILTER="${2:?--filter needs an expression}"; shift 2 ;;
        --filter=*) FILTER="${1#--filter=}"; shift ;;
        --unit) UNIT_ONLY=1; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- 1. peers -------------------------------------------------------------------------------------
install_peers() {
    local missing=0
    for tool in sipp baresip sox soxi espeak-ng svwar svcrack openssl systemd-analyze kamailio kamcmd; do
        command -v "$tool" >/dev/null 2>&1 || missing=1
    done
    [[ -d /usr/lib/baresip/modules && -f /usr/lib/baresip/modules/g711.so \
       && -f /usr/lib/baresip/modules/ctrl_tcp.so && -f /usr/lib/baresip/modules/aufile.so \
       && -f /usr/lib/baresip/modules/sndfile.so && -f /usr/lib/baresip/modules/dtls_srtp.so \
       && -f /usr/lib/baresip/modules/ice.so && -f /usr/lib/baresip/modules/opus.so ]] || missing=1
    # Opus legs use the system libopus when Concentus can load libopus.so (0 B per frame; the managed port allocates).
    compgen -G "/usr/lib/*/libopus.so" >/dev/null || missing=1
    # mu-law output needs libsox-fmt-all on some installs; check the format list.
    if command -v sox >/dev/null 2>&1 && ! sox -h 2>/dev/null | grep -qw ul; then missing=1; fi
    # The browser tests (tests/Browser.Tests) drive Debian's Chromium through Playwright (no browser download).
    [[ -x /usr/lib/chromium/chromium ]] || missing=1
    # Kamailio's registrations in PostgreSQL (ClusterRegistrationTests: loginOnRegister behind Kamailio).
    compgen -G "/usr/lib/*/kamailio/modules/db_postgres.so" >/dev/null || missing=1
    [[ $missing -eq 0 ]] && return 0

    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    echo "test.sh: installing SIP peers, audio tools and the browser (sipp, baresip, sox, espeak-ng, sipvicious, libopus, openssl, chromium)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends \
        sip-tester baresip baresip-core sox libsox-fmt-all espeak-ng sipvicious libopus-dev openssl chromium chromium-driver systemd kamailio kamailio-postgres-modules
}

if [[ $UNIT_ONLY -eq 0 ]]; then
    install_peers
fi

# --- 1b. PostgreSQL ------------------------------------------------------------------------------
# The storage tests run on SQLite and on PostgreSQL. Unless TELEPHONY_TEST_POSTGRES already names a server, a throwaway
# cluster is started on 127.0.0.1 (port TELEPHONY_TEST_POSTGRES_PORT, 55432) in a temp folder, and removed at exit.
start_postgres() {
    local initdb
    initdb="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$initdb" ]]; then
        local sudo=""
        if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
        echo "test.sh: installing postgresql (storage tests on PostgreSQL)"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update
        $sudo apt-get install -y --no-install-recommends postgresql
        initdb="$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    fi
    local bin port dir as=()
    bin="$(dirname "$initdb")"
    port="${TELEPHONY_TEST_POSTGRES_PORT:-55432}"
    dir="$(mktemp -d /tmp/telephony-pg.XXXXXX)"
    # PostgreSQL refuses to run as root: the cluster then belongs to the postgres user.
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 >"$dir/initdb.log"
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
        "-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
    PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
    PG_DIR="$dir"
    trap 'stop_postgres' EXIT
    export TELEPHONY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "test.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the storage tests"
}

stop_postgres() {
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}

if [[ -z "${TELEPHONY_TEST_POSTGRES:-}" ]]; then
    start_postgres
fi

# --- 2. build -------------------------------------------------------------------------------------
RESULTS="${TEST_RESULTS_DIR:-$ROOT/TestResults}"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

summary() {
    # Prints "N passed, N failed, N skipped" from every .trx under $RESULTS.
    python3 - "$RESULTS" <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in pathlib.Path(sys.argv[1]).rglob("*.trx"):
    try:
        root = ET.parse(trx).getroot()
    except ET.ParseError:
        failed += 1
        continue
    for r in root.iterfind(".//t:UnitTestResult", ns):
        outcome = r.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending", "Skipped"):
            skipped += 1
        else:
            failed += 1
import os
failed += int(os.environ.get("UNFINISHED", "0"))  # a test project killed at its time cap wrote no results
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

coverage() {
    # Line coverage of src/Pbx/Calls (assembly Telephony.Pbx.Calls) from the unit-test projects that collect it
    # (Pbx.Tests, Calls.Tests): each .trx names its test dll and keeps its cobertura file under its deployment root.
    # Lines are merged across the runs (a line counts when any run hit it). Prints one line; the per-file table goes
    # to $RESULTS/coverage-calls.txt, and files under 80 % are listed above the line.
    python3 - "$RESULTS" <<'PY'
import sys, pathlib, collections, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
results = pathlib.Path(sys.argv[1])
projects = {"telephony.pbx.tests.dll", "telephony.calls.tests.dll"}
lines = collections.defaultdict(dict)
for trx in results.rglob("*.trx"):
    try:
        root = ET.parse(trx).getroot()
    except ET.ParseError:
        continue
    test = root.find(".//t:UnitTest", ns)
    deployment = root.find(".//t:Deployment", ns)
    if test is None or deployment is None:
        continue
    if pathlib.PurePath(test.get("storage", "")).name.lower() not in projects:
        continue
    for report in (trx.parent / deployment.get("runDeploymentRoot", "") / "In").rglob("coverage.cobertura.xml"):
        for package in ET.parse(report).getroot().iter("package"):
            if package.get("name") != "Telephony.Pbx.Calls":
                continue
            for cls in package.iter("class"):
                name = cls.get("filename", "").replace("\\", "/")
                for line in cls.iter("line"):
                    n, hits = int(line.get("number")), int(line.get("hits"))
                    lines[name][n] = max(lines[name].get(n, 0), hits)
total = sum(len(v) for v in lines.values())
if total == 0:
    print("Line coverage of src/Pbx/Calls (unit tests): n/a (no coverage data)")
    sys.exit(0)
covered = sum(1 for v in lines.values() for h in v.values() if h > 0)
rows = sorted((sum(1 for h in v.values() if h > 0) / len(v), sum(1 for h in v.values() if h > 0), len(v),
               name.split("src/Pbx/Calls/")[-1]) for name, v in lines.items())
with open(results / "coverage-calls.txt", "w") as out:
    for share, hit, count, name in rows:
        out.write(f"{100 * share:5.1f} %  {hit:4}/{count:4}  {name}\n")
for share, hit, count, name in rows:
    if share < 0.8:
        print(f"  {100 * share:5.1f} %  {hit:4}/{count:4}  src/Pbx/Calls/{name}")
print(f"Line coverage of src/Pbx/Calls (unit tests): {100 * covered / total:.1f} %")
PY
}

if ! dotnet build Telephony.sln -c Release -nologo; then
    echo "test.sh: build failed" >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

# --- 3. test --------------------------------------------------------------------------------------
# Each test project runs on its own, one after another (the end-to-end tests measure real-time audio and ring timers
# and should not share the two cores with unit tests beside them), under its own time cap, so one slow or hung
# project never takes the others' results with it. Unit projects first, then the end-to-end ones.
TARGETS=()
for proj in tests/*.Tests/*.csproj; do
    case "$proj" in
        tests/Interop.Tests/*|tests/Browser.Tests/*) ;;
        *) TARGETS+=("$proj") ;;
    esac
done
if [[ $UNIT_ONLY -eq 0 ]]; then
    TARGETS+=(tests/Interop.Tests/Telephony.Interop.Tests.csproj tests/Browser.Tests/Telephony.Browser.Tests.csproj)
fi

TEST_ARGS=(-c Release --no-build --logger "trx" --results-directory "$RESULTS")
if [[ -n "$FILTER" ]]; then
    TEST_ARGS+=(--filter "$FILTER")
fi

# Coverage of the call layer is collected in the same run (coverlet.collector, only the Telephony.Pbx.Calls assembly
# instrumented) for the unit projects that reference the collector.
COVERAGE_ARGS=(--collect "XPlat Code Coverage" --
    "DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Format=cobertura"
    "DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Include=[Telephony.Pbx.Calls]*")

test_rc=0
for target in "${TARGETS[@]}"; do
    cap=10m
    case "$target" in
        tests/Interop.Tests/*) cap=25m ;;
        tests/Browser.Tests/*) cap=10m ;;
    esac
    args=("${TEST_ARGS[@]}")
    if grep -q 'coverlet.collector' "$target"; then
        args+=("${COVERAGE_ARGS[@]}")
    fi
    # A hard cap so a hung peer can never eat the CI budget.
    rc=0
    timeout --kill-after=30s "$cap" dotnet test "$target" "${args[@]}" || rc=$?
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        echo "test.sh: $target did not finish within $cap: counted as one failure" >&2
        UNFINISHED=$(( ${UNFINISHED:-0} + 1 ))
    fi
    if [[ $rc -ne 0 ]]; then test_rc=$rc; fi
done
export UNFINISHED=${UNFINISHED:-0}

coverage || true
line="$(summary)"
read -r n_passed _ n_failed _ n_skipped _ <<<"$line"
echo "$line"
if [[ $test_rc -ne 0 || $n_failed -ne 0 || $(( n_passed + n_failed )) -eq 0 ]]; then
    exit 1
fi
exit 0
