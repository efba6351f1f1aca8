#!/usr/bin/env python3
"""Table of the WebRTC bench (bench/webrtc.sh): per kind (webrtc, plain), the probe's JSON (legs, setup, handshakes,
RTP back, loss, echo) and the server's CPU series averaged over the window where every leg is up (from 2 s after the
last leg is up to 1 s before the first BYE), minus the idle server's CPU, per leg; then the WebRTC/G.711 ratio.
usage: report.py --work DIR [--load "1 5 15"]"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from report import all_up_series, load, parse_args, step_files  # noqa: E402  (bench/lib/report.py)

a = parse_args(__doc__)


idle_mon = load(os.path.join(a.work, "idle", "monitor.json"))
idle_series = [p for _, p in idle_mon["serverCpuSeries"]] if idle_mon else []
idle = statistics.mean(idle_series) if idle_series else 0.0
idle_median = statistics.median(idle_series) if idle_series else 0.0
print(f"load average at the end: {a.load}; idle server {idle:.1f} % (median {idle_median:.1f} %) of one core")
print("| kind | legs | server CPU % of 1 core, all-up window avg / median (samples) | per leg, idle subtracted "
      "(avg / median) | whole step avg / peak | RSS peak MB | probe CPU % avg | failed | handshake failures "
      "| DTLS handshake mean / max ms | INVITE→200 mean ms | RTP returned | loss | SRTP unprotect ok / failed "
      "| legs hearing their echo | tick overruns | result |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
per_leg = {}
for kind in ("webrtc", "plain"):
    d = os.path.join(a.work, kind)
    probe, mon, run = step_files(d)
    if not probe or not mon:
        print(f"| {kind} | no probe or monitor output (see {d}/probe.log) |")
        continue
    k = probe[kind]
    series, window = all_up_series(probe, mon, run, default_offset=0.0)
    avg, med = (statistics.mean(series), statistics.median(series)) if series else (0.0, 0.0)
    legs = k["calls"]
    per_leg[kind] = ((avg - idle) / legs, (med - idle_median) / legs) if legs else (0.0, 0.0)
    hs_fail = k.get("handshakeFailures", 0)
    hs = f'{k["dtlsHandshakeMsMean"]} / {k["dtlsHandshakeMsMax"]}' if kind == "webrtc" else "-"
    unprotect = f'{k["unprotectOk"]:,} / {k["authFailures"] + k["otherUnprotectErrors"]}' if kind == "webrtc" else "-"
    clean = (k["failed"] == 0 and hs_fail == 0 and k["authFailures"] == 0 and k["otherUnprotectErrors"] == 0
             and k["lossPercent"] < 1.0 and k["returnedPercent"] >= 97.0 and k["callsHearingEcho"] == legs)
    print(f"| {kind} | {legs} | {avg:.1f} / {med:.1f} ({len(series)}{'' if window else ', whole step'}) "
          f"| {per_leg[kind][0]:.3f} / {per_leg[kind][1]:.3f} | {mon['server']['cpuAvgPct']} / {mon['server']['cpuPeakPct']} "
          f"| {mon['server']['rssPeakMB']} | {(mon.get('probe') or {}).get('cpuAvgPct', '?')} | {k['failed']} | {hs_fail} "
          f"| {hs} | {k['inviteTo200MsMean']} | {k['returnedPercent']:.2f} % | {k['lossPercent']} % | {unprotect} "
          f"| {k['callsHearingEcho']} / {legs} | {mon.get('tickOverruns', 0)} | {'CLEAN' if clean else 'NOT CLEAN'} |")
    if probe.get("failures"):
        print(f"|  | failures: {probe['failures']} |")
    if kind == "webrtc":
        print(f"|  | ICE connected {k['iceConnected']}, DTLS keyed {k['dtlsKeyed']}, answer→keys mean "
              f"{k['answerToKeysMsMean']} ms (p99 {k['answerToKeysMsP99']}), SRTP before keys {k['srtpBeforeKeys']}, "
              f"RTCP {k['rtcpReceived']}, tone share mean {k['toneShareMean']} min {k['toneShareMin']} |")

if "webrtc" in per_leg and "plain" in per_leg:
    (wa, wm), (pa, pm) = per_leg["webrtc"], per_leg["plain"]
    ratio = lambda x, y: f"{x / y:.1f}x" if y > 0 else "n/a"
    print()
    print(f"CPU per leg, % of one core (avg / median): WebRTC {wa:.3f} / {wm:.3f}, G.711 {pa:.3f} / {pm:.3f}; "
          f"WebRTC / G.711 = {ratio(wa, pa)} / {ratio(wm, pm)}; one core holds ~{100 / wa:.0f} WebRTC legs"
          if wa > 0 else "CPU per leg: not measurable (no CPU above idle)")
