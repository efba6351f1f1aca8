#!/usr/bin/env python3
"""Prints one run's result block from SIPp's stat CSV, the RtpProbe JSON and the monitor JSON; exit 0 when clean
(every call succeeded, no failed call, RTP returned >= 99 % of expected)."""
import argparse
import json
import os
import sys

a = argparse.ArgumentParser()
for opt in ("name", "dir", "load"):
    a.add_argument("--" + opt, required=True)
for opt in ("calls", "call-seconds", "rate", "sipp-rc"):
    a.add_argument("--" + opt, type=int, required=True)
a.add_argument("--elapsed", type=float, required=True)
args = a.parse_args()


def load_json(name):
    try:
        with open(os.path.join(args.dir, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return {}


rows = []
try:
    with open(os.path.join(args.dir, "stat.csv")) as f:
        lines = [l.rstrip("\n").rstrip(";") for l in f if l.strip()]
    header = lines[0].split(";")
    rows = [dict(zip(header, l.split(";"))) for l in lines[1:]]
except (OSError, IndexError):
    pass


def col(row, name, default=0.0):
    try:
        return float(row.get(name, default))
    except (TypeError, ValueError):
        return default


def ms(value):
    # SIPp prints times as HH:MM:SS:mmmuuu
    try:
        h, m, s, frac = value.split(":")
        return (int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(frac) / 1000
    except (AttributeError, ValueError):
        return 0.0


last = rows[-1] if rows else {}
ok = int(col(last, "SuccessfulCall(C)"))
failed = int(col(last, "FailedCall(C)"))
created = int(col(last, "OutgoingCall(C)"))
retrans = int(col(last, "Retransmissions(C)"))
peak_current = int(max((col(r, "CurrentCall") for r in rows), default=0))
# Sustained setup rate: calls created per second over full stat periods while SIPp was still creating calls.
creating = [col(r, "CallRate(P)") for r in rows[1:] if col(r, "TotalCallCreated") < args.calls]
setups = sum(creating) / len(creating) if creating else col(last, "CallRate(C)")
rt_ms = ms(last.get("ResponseTime1(C)"))
rt_max = max((ms(r.get("ResponseTime1(P)")) for r in rows), default=0.0)
probe = load_json("probe.json")
mon = load_json("monitor.json")
expected = ok * args.call_seconds * 50
returned = probe.get("packets", 0)
def udp_counters(name):
    # /proc/net/snmp "Udp:" values: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors ...
    try:
        with open(os.path.join(args.dir, name)) as f:
            return [int(v) for v in f.read().split()[1:]]
    except (OSError, ValueError):
        return []


before, after = udp_counters("udp-before"), udp_counters("udp-after")
udp_drops = {"rcvbuf": after[4] - before[4], "sndbuf": after[5] - before[5]} if len(before) > 5 and len(after) > 5 else {}
# Clean: every call succeeded, SIP retransmissions at most 1 % of calls (a few blips on a shared box; more means the
# server answered late or lost messages), and RTP returned at least 99 % of expected less 2 packets per call (tick
# alignment at answer and at BYE: that tolerance matters only for 1 s calls).
rtp_floor = 0.99 * expected - 2 * ok
clean = (args.sipp_rc == 0 and failed == 0 and ok == args.calls and retrans <= args.calls // 100
         and returned >= rtp_floor)
srv, sipp, prb = mon.get("server", {}), mon.get("sipp", {}), mon.get("probe", {})
errors = 0
try:
    with open(os.path.join(args.dir, "errors.log")) as f:
        errors = sum(1 for l in f if l.strip())
except OSError:
    pass

talk_note = ", sends the callers' speech" if probe.get("talkStreams") else ""
print(f"""
----- {args.name}: {'CLEAN' if clean else 'NOT CLEAN'} -----
target calls            {args.calls} x {args.call_seconds} s, offered {args.rate} calls/s (load avg at end: {args.load})
peak concurrent calls   {peak_current} (SIPp)   {mon.get('activeCallsPeak', 0)} (server /health)
setups/s                {setups:.1f} sustained (SIPp CallRate over creation periods); INVITE->200 avg {rt_ms:.1f} ms, worst period {rt_max:.1f} ms
calls                   {created} created, {ok} successful, {failed} failed (SIPp exit {args.sipp_rc}; error log lines {errors})
SIP retransmissions     {retrans} (SIPp side; clean allows {args.calls // 100})   UDP drops system-wide: {udp_drops}
server CPU % of 1 core  avg {srv.get('cpuAvgPct', 0)}  peak {srv.get('cpuPeakPct', 0)}   threads peak {srv.get('threadsPeak', 0)}
server memory           RSS peak {srv.get('rssPeakMB', 0)} MB, VmHWM {srv.get('hwmMB', 0)} MB (HWM: process lifetime, warm-up and earlier steps included)
SIPp CPU % of 1 core    avg {sipp.get('cpuAvgPct', 0)}  peak {sipp.get('cpuPeakPct', 0)}   threads peak {sipp.get('threadsPeak', 0)}
RtpProbe CPU % 1 core   avg {prb.get('cpuAvgPct', 0)}  peak {prb.get('cpuPeakPct', 0)}   (receives all returned RTP{talk_note})
RTP sent by callers     {probe.get('talkPacketsSent', 'n/a (SIPp pcap)') if probe.get('talkStreams') else 'SIPp play_pcap_audio'}  ({probe.get('talkStreams', 0)} streams, {probe.get('talkLateTicks', 0)} late sender ticks, {probe.get('talkSendErrors', 0)} send errors)
RTP returned/expected   {returned} / {expected} ({(100.0 * returned / expected if expected else 0):.2f} %; clean needs >= {max(0, int(rtp_floor))}), {probe.get('streams', 0)} streams
RTP loss / jitter / gap loss {probe.get('lossPercent', 0)} %, jitter mean {probe.get('jitterMsMean', 0)} ms p99 {probe.get('jitterMsP99', 0)} ms max {probe.get('jitterMsMax', 0)} ms, max gap {probe.get('maxGapMs', 0)} ms
media engine            tick overruns {mon.get('tickOverruns', 0)}, avg tick {mon.get('averageTickDuration')}, max tick {mon.get('maxTickDuration')}, session errors {mon.get('sessionErrors', 0)}, in {mon.get('mediaPacketsIn', 0)} out {mon.get('mediaPacketsOut', 0)}, dropped {mon.get('mediaDropped')}
wall time               {args.elapsed:.1f} s
""".rstrip())
sys.exit(0 if clean else 1)
