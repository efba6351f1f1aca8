#!/usr/bin/env python3
"""Table of an SRTP bench (bench/srtp.sh): per step, the probe's JSON (calls, RTP back, SRTP authentication, echo)
and the monitor's server CPU series, with the CPU averaged over the window where every call is up (from 2 s after the
last answer to 1 s before the first BYE), and the extra CPU per SRTP call against the step without SRTP.
usage: report.py --work DIR [--load "1 5 15"] STEP_NAME..."""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from report import all_up_series, parse_args, step_files  # noqa: E402  (bench/lib/report.py)

a = parse_args(__doc__, steps=True)

rows = []
for name in a.steps:
    d = os.path.join(a.work, name)
    probe, mon, run = step_files(d)
    if not probe or not mon:
        rows.append({"name": name, "error": "no probe or monitor output (see probe.log)"})
        continue
    series, window = all_up_series(probe, mon, run, default_offset=0.2)
    s, p = probe["srtp"], probe["plain"]
    calls = s["calls"] + p["calls"]
    failed = s["failed"] + p["failed"]
    returned = s["packetsReturned"] + p["packetsReturned"]
    expected = s["packetsExpected"] + p["packetsExpected"]
    ret_pct = 100.0 * returned / expected if expected else 0.0
    echo = s["callsHearingEcho"] + p["callsHearingEcho"]
    clean = (failed == 0 and s["authFailures"] == 0 and s["otherUnprotectErrors"] == 0 and ret_pct >= 99.0
             and (echo == calls or probe["callSeconds"] <= 9 and probe["number"] == "9002"))
    rows.append({
        "name": name, "calls": calls, "srtp": s["calls"], "seconds": probe["callSeconds"],
        "avg": statistics.mean(series) if series else 0.0, "median": statistics.median(series) if series else 0.0,
        "window": window, "samples": len(series),
        "whole": mon["server"]["cpuAvgPct"], "peak": mon["server"]["cpuPeakPct"], "rss": mon["server"]["rssPeakMB"],
        "failed": failed, "retrans": probe["sipRetransmissions"], "ret": ret_pct,
        "loss": max(s["lossPercent"], p["lossPercent"]),
        "auth": f'{s["unprotectOk"]:,} ok / {s["authFailures"]} failed / {s["otherUnprotectErrors"]} other',
        "echo": echo, "setup": max(s["inviteTo200MsMean"], p["inviteTo200MsMean"]),
        "overruns": mon.get("tickOverruns", 0), "clean": clean, "failures": probe.get("failures", {}),
    })

print(f"load average at the end: {a.load}")
print("| step | calls (SRTP) | server CPU % of 1 core, all-up window avg / median (samples) | whole step avg / peak "
      "| RSS peak MB | failed | SIP retrans | RTP returned | loss | SRTP unprotect | calls hearing their echo "
      "| INVITE→200 mean ms | tick overruns | result |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if "error" in r:
        print(f"| {r['name']} | {r['error']} |")
        continue
    win = f"{r['avg']:.1f} / {r['median']:.1f} ({r['samples']}{'' if r['window'] else ', whole step'})"
    print(f"| {r['name']} | {r['calls']} ({r['srtp']}) | {win} | {r['whole']} / {r['peak']} | {r['rss']} | {r['failed']} "
          f"| {r['retrans']} | {r['ret']:.2f} % | {r['loss']} % | {r['auth']} | {r['echo']} / {r['calls']} "
          f"| {r['setup']} | {r['overruns']} | {'CLEAN' if r['clean'] else 'NOT CLEAN'} |")
    if r["failures"]:
        print(f"|  | failures: {r['failures']} |")

base = next((r for r in rows if "error" not in r and r["srtp"] == 0), None)
for r in rows:
    if base is None or "error" in r or r["srtp"] == 0:
        continue
    for label, key in (("avg", "avg"), ("median", "median")):
        extra = r[key] - base[key]
        per_call = extra / r["srtp"]
        # 50 packets/s each way per call: one unprotect and one protect per 10 ms on average
        us_per_packet = extra / 100.0 * 1e6 / (r["srtp"] * 100)
        print(f"extra CPU with {r['srtp']} SRTP calls ({label}): {extra:+.1f} % of a core vs {base['name']}: "
              f"{per_call * 1000:+.1f} % of a core per 1000 SRTP calls, {us_per_packet:+.2f} µs per SRTP packet "
              f"(protect or unprotect)")
