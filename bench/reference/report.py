#!/usr/bin/env python3
"""Result block of one bench/reference.sh run: SIPp's stat CSV (calls, failures, retransmissions, INVITE->200 from
the rtd timer and its repartition), the monitor JSON (server CPU % of one core each second, RSS), /health (media tick
overruns, recording counters) and the recordings table (each recording's length against the call length).
Exit 0 when clean: every call successful, 0 failed, 0 retransmissions, every recording within 0.5 s of the call."""
import argparse
import json
import os
import sqlite3
import statistics

a = argparse.ArgumentParser()
for opt in ("dir", "db", "load", "server"):
    a.add_argument("--" + opt, required=True)
for opt in ("since-ms", "concurrent", "calls", "call-seconds", "sipp-rc"):
    a.add_argument("--" + opt, type=int, required=True)
a.add_argument("--elapsed", type=float, required=True)
a.add_argument("--tolerance-ms", type=int, default=500)
args = a.parse_args()


def load_json(name):
    try:
        with open(os.path.join(args.dir, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return {}


def stat_rows():
    try:
        with open(os.path.join(args.dir, "stat.csv")) as f:
            lines = [l.rstrip("\n").rstrip(";") for l in f if l.strip()]
        header = lines[0].split(";")
        return [dict(zip(header, l.split(";"))) for l in lines[1:]]
    except (OSError, IndexError):
        return []


def col(row, name, default=0.0):
    try:
        return float(row.get(name, default))
    except (TypeError, ValueError):
        return default


def ms(value):  # SIPp prints times as HH:MM:SS:mmmuuu
    try:
        h, m, s, frac = value.split(":")
        return (int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(frac) / 1000
    except (AttributeError, ValueError):
        return 0.0


def percentile_bucket(row, fraction):
    buckets = sorted((int(k.split("<")[1]), col(row, k)) for k in row if k.startswith("ResponseTimeRepartition1_<"))
    over = next((k for k in row if k.startswith("ResponseTimeRepartition1_>=")), None)
    total = sum(n for _, n in buckets) + (col(row, over) if over else 0)
    seen = 0.0
    for bound, n in buckets:
        seen += n
        if total and seen >= fraction * total:
            return f"< {bound}"
    return f">= {over.split('>=')[1]}" if over else "?"


rows = stat_rows()
last = rows[-1] if rows else {}
created, ok = int(col(last, "OutgoingCall(C)")), int(col(last, "SuccessfulCall(C)"))
failed, retrans = int(col(last, "FailedCall(C)")), int(col(last, "Retransmissions(C)"))
peak = int(max((col(r, "CurrentCall") for r in rows), default=0))
rt_avg = ms(last.get("ResponseTime1(C)"))
rt_worst = max((ms(r.get("ResponseTime1(P)")) for r in rows), default=0.0)
rt_p99 = percentile_bucket(last, 0.99)
try:
    with open(os.path.join(args.dir, "errors.log")) as f:
        error_lines = sum(1 for l in f if l.strip())
except OSError:
    error_lines = 0

mon = load_json("monitor.json")
srv, sipp = mon.get("server", {}), mon.get("sipp", {})
series = [v for _, v in mon.get("serverCpuSeries", [])]
steady = series[5:-5] if len(series) > 20 else series
h0, h1 = load_json("health-start.json"), load_json("health-end.json")
rec0, rec1 = h0.get("recording") or {}, h1.get("recording") or {}
rec = {k: rec1.get(k, 0) - rec0.get(k, 0) for k in ("completed", "failed", "droppedFrames")} if rec1 else {}

nominal = args.call_seconds * 1000
rec_rows, off_nominal, off_call, deltas = 0, 0, 0, []
statuses = {}
try:
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=10)
    q = ("SELECT r.status, r.duration_ms, c.answered_at, c.ended_at FROM recordings r LEFT JOIN calls c ON c.id = r.call_id "
         "WHERE r.started_at >= ?")
    for status, duration, answered, ended in con.execute(q, (args.since_ms,)):
        rec_rows += 1
        statuses[status] = statuses.get(status, 0) + 1
        d = duration or 0
        deltas.append(d - nominal)
        if abs(d - nominal) > args.tolerance_ms:
            off_nominal += 1
        if answered and ended and abs(d - (ended - answered)) > args.tolerance_ms:
            off_call += 1
    con.close()
except sqlite3.Error as e:
    statuses = {"error": str(e)}

clean = (args.sipp_rc == 0 and failed == 0 and ok == args.calls and retrans == 0 and rec_rows == args.calls
         and off_nominal == 0)
print(f"""
----- reference {args.concurrent} concurrent x {args.call_seconds} s, {args.calls} calls: {"CLEAN" if clean else "NOT CLEAN"} -----
server                  {args.server} (load avg at end: {args.load}; wall {args.elapsed:.0f} s)
calls                   {created} created, {ok} successful, {failed} failed (SIPp exit {args.sipp_rc}; error log lines {error_lines}); peak concurrent {peak}
SIP retransmissions     {retrans}
INVITE->200             avg {rt_avg:.1f} ms, p99 {rt_p99} ms, worst 1 s period {rt_worst:.1f} ms
server CPU % of 1 core  avg {srv.get('cpuAvgPct', '?')}, peak {srv.get('cpuPeakPct', '?')}, steady-state median {statistics.median(steady) if steady else '?':.1f} (1 s samples from /proc/PID/stat)
server memory           RSS peak {srv.get('rssPeakMB', '?')} MB, threads peak {srv.get('threadsPeak', '?')}
SIPp CPU % of 1 core    avg {sipp.get('cpuAvgPct', '?')}, peak {sipp.get('cpuPeakPct', '?')}
media engine            tick overruns {mon.get('tickOverruns', '?')} (during the run), max tick {mon.get('maxTickDuration', '?')}, avg tick {mon.get('averageTickDuration', '?')}, packets in {mon.get('mediaPacketsIn', '?')} out {mon.get('mediaPacketsOut', '?')}, dropped {mon.get('mediaDropped', {})}
recordings              {rec_rows} rows {statuses}; recorder: {rec}
recording length        {off_nominal} off the {args.call_seconds} s call length by > {args.tolerance_ms} ms, {off_call} off their call's answered->ended; length - {args.call_seconds} s: min {min(deltas, default=0)} ms, median {statistics.median(deltas) if deltas else 0:.0f} ms, max {max(deltas, default=0)} ms""")
raise SystemExit(0 if clean else 1)
