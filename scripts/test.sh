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
    for tool in sipp baresip sox soxi espeak-ng svwar svcrack openssl; do
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
    [[ $missing -eq 0 ]] && return 0

    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    echo "test.sh: installing SIP peers, audio tools and the browser (sipp, baresip, sox, espeak-ng, sipvicious, libopus, openssl, chromium)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends \
        sip-tester baresip baresip-core sox libsox-fmt-all espeak-ng sipvicious libopus-dev openssl chromium chromium-driver
}

if [[ $UNIT_ONLY -eq 0 ]]; then
    install_peers
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
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

if ! dotnet build Telephony.sln -c Release -nologo; then
    echo "test.sh: build failed" >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

# --- 3. test --------------------------------------------------------------------------------------
TARGETS=()
if [[ $UNIT_ONLY -eq 1 ]]; then
    for proj in tests/*.Tests/*.csproj; do
        case "$proj" in
            tests/Interop.Tests/*|tests/Browser.Tests/*) ;;
            *) TARGETS+=("$proj") ;;
        esac
    done
else
    TARGETS+=("Telephony.sln")
fi

# -m:1 runs the test projects one after another: the end-to-end tests measure real-time audio and ring
# timers, and should not share the two cores with the unit-test projects running beside them.
TEST_ARGS=(-c Release --no-build -m:1 --logger "trx" --results-directory "$RESULTS")
if [[ -n "$FILTER" ]]; then
    TEST_ARGS+=(--filter "$FILTER")
fi

test_rc=0
for target in "${TARGETS[@]}"; do
    # A hard cap so a hung peer can never eat the CI budget.
    timeout --kill-after=30s 20m dotnet test "$target" "${TEST_ARGS[@]}" || test_rc=$?
done

line="$(summary)"
read -r n_passed _ n_failed _ n_skipped _ <<<"$line"
echo "$line"
if [[ $test_rc -ne 0 || $n_failed -ne 0 || $(( n_passed + n_failed )) -eq 0 ]]; then
    exit 1
fi
exit 0
