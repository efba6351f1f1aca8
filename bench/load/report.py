#!/usr/bin/env python3
"""Prints one run's result block from SIPp's stat CSV, the RtpProbe JSON and the monitor JSON; exit 0 when clean
(every call succeeded, no failed call, RTP returned >= 99 % of expected).
Optional, for the IVR/queue runs: --agents-dir (the agents' SIPp UAS stat.csv and RtpProbe probe.json),
--supervisors-dir (the supervisors' sipua.json and probe.json, --supervisors N x
--supervisor-seconds S), --db and --since-ms (call records: outcomes, queue wait, talk time), --queues (GET /api/queues
at the end), --server-log (queue entry -> agent connected per interaction, from the server's Information lines).
Each adds lines to the block and conditions to CLEAN."""
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
a.add_argument("--agents-dir")
a.add_argument("--supervisors-dir")
a.add_argument("--supervisors", type=int, default=0)
a.add_argument("--supervisor-seconds", type=int, default=0)
a.add_argument("--db")
a.add_argument("--since-ms", type=int, default=0)
a.add_argument("--queues")
a.add_argument("--server-log")
a.add_argument("--cpu-window", type=float, nargs=2, metavar=("FROM_S", "TO_S"),
               help="also print the server CPU averaged over this window (seconds after the run started)")
a.add_argument("--dialed", help="count only call records to this number (the callers' DID)")
a.add_argument("--clean-rule", choices=("all", "sip"), default="all",
               help="sip: the exit status follows the SIP part of the rule only (setup-rate runs on a busy box)")
args = a.parse_args()


def load_json(name, folder=None):
    try:
        with open(os.path.join(folder or args.dir, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return {}


def stat_rows(folder):
    try:
        with open(os.path.join(folder, "stat.csv")) as f:
            lines = [l.rstrip("\n").rstrip(";") for l in f if l.strip()]
        header = lines[0].split(";")
        return [dict(zip(header, l.split(";"))) for l in lines[1:]]
    except (OSError, IndexError):
        return []


def error_lines(folder):
    try:
        with open(os.path.join(folder, "errors.log")) as f:
            return sum(1 for l in f if l.strip())
    except OSError:
        return 0


rows = stat_rows(args.dir)


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


def rt_percentile(row, fraction):
    """Upper bound (ms) of the SIPp ResponseTimeRepartition1 bucket holding the given fraction of INVITE->200 times."""
    buckets = sorted(((int(k.split("<")[1]), col(row, k)) for k in row if k.startswith("ResponseTimeRepartition1_<")))
    total = sum(n for _, n in buckets) + col(row, next((k for k in row if k.startswith("ResponseTimeRepartition1_>=")), ""))
    seen = 0.0
    for bound, n in buckets:
        seen += n
        if total and seen >= fraction * total:
            return f"< {bound}"
    return f">= {buckets[-1][0]}" if buckets else "?"


def rtt_times(folder):
    """Every INVITE->200 time (ms) from SIPp's -trace_rtt file(s) (<scenario>_<pid>_rtt.csv: date_ms;rtt_ms;rtd_no)."""
    times = []
    try:
        names = [n for n in os.listdir(folder) if n.endswith("_rtt.csv")]
    except OSError:
        return times
    for name in names:
        with open(os.path.join(folder, name)) as f:
            for line in f:
                parts = line.strip().rstrip(";").split(";")
                if len(parts) >= 3 and parts[2].strip() == "1":
                    try:
                        times.append(float(parts[1]))
                    except ValueError:
                        pass
    return sorted(times)


def exact_percentile(times, fraction):
    """Nearest-rank percentile of sorted times."""
    return times[min(len(times) - 1, max(0, int(round(fraction * len(times) + 0.5)) - 1))]


rtts = rtt_times(args.dir)
if rtts:
    rt_pcts = ", ".join(f"p{int(f * 100)} {exact_percentile(rtts, f):.1f}" for f in (0.5, 0.95, 0.99))
    rt_p99_text = f"{rt_pcts} ms (SIPp -trace_rtt, {len(rtts)} calls), max {rtts[-1]:.1f} ms"
else:
    rt_p99_text = f"p99 {rt_percentile(last, 0.99)} ms (repartition bucket; no -trace_rtt file)"
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
sip_clean = args.sipp_rc == 0 and failed == 0 and ok == args.calls and retrans <= args.calls // 100
clean = sip_clean and returned >= rtp_floor
srv, sipp, prb = mon.get("server", {}), mon.get("sipp", {}), mon.get("probe", {})
errors = error_lines(args.dir)
extra_lines = []


def rtp_line(label, p, expected_packets):
    got = p.get("packets", 0)
    pct = 100.0 * got / expected_packets if expected_packets else 0.0
    return (f"{label:<24}{got} / {expected_packets} ({pct:.2f} %), {p.get('streams', 0)} streams, loss "
            f"{p.get('lossPercent', 0)} %, jitter mean {p.get('jitterMsMean', 0)} ms p99 {p.get('jitterMsP99', 0)} ms, "
            f"max gap {p.get('maxGapMs', 0)} ms"), got, expected_packets


cdr = {}
if args.db:
    import sqlite3
    try:
        con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=10)
        q = con.execute("SELECT outcome, COUNT(*), AVG(wait_ms), MAX(wait_ms), AVG(talk_ms), "
                        "SUM(CASE WHEN ivr_path LIKE '%no-digit%' THEN 1 ELSE 0 END), SUM(talk_ms) "
                        "FROM calls WHERE started_at >= ? AND (? IS NULL OR dialed = ?) GROUP BY outcome",
                        (args.since_ms, args.dialed, args.dialed)).fetchall()
        cdr = {"outcomes": {str(o): n for o, n, *_ in q}, "rows": sum(n for _, n, *_ in q)}
        answered = [r for r in q if str(r[0]).lower() == "answered"]
        if answered:
            _, n, wait_avg, wait_max, talk_avg, no_digit, talk_sum = answered[0]
            cdr.update(waitAvg=wait_avg or 0, waitMax=wait_max or 0, talkAvg=talk_avg or 0, noDigit=no_digit or 0,
                       talkSum=talk_sum or 0, answered=n)
        sup = con.execute("SELECT COUNT(*) FROM events WHERE type LIKE 'supervision.started%' AND occurred_at >= ?",
                          (args.since_ms,)).fetchone()
        cdr["supervisionStarted"] = sup[0] if sup else 0
        con.close()
    except sqlite3.Error as e:
        cdr = {"error": str(e)}
    if "error" in cdr:
        extra_lines.append(f"call records (CDR)      unreadable: {cdr['error']}")
    else:
        extra_lines.append(f"call records (CDR)      {cdr['rows']} rows since the run started{' to ' + args.dialed if args.dialed else ''}, outcomes {cdr['outcomes']}")
        if cdr.get("waitMax"):
            extra_lines.append(f"queue wait (CDR)        mean {cdr.get('waitAvg', 0):.0f} ms, max {cdr.get('waitMax', 0)} ms; talk mean "
                               f"{cdr.get('talkAvg', 0) / 1000:.1f} s")

# From the server log: per interaction, answered by the IVR -> entered the queue -> connected to an agent -> completed.
qlog = {}
if args.server_log:
    import datetime
    import re
    since = datetime.datetime.fromtimestamp(args.since_ms / 1000) if args.since_ms else None
    pats = [("answer", re.compile(r"answered \(\w+\), interaction (\w+)")),
            ("enter", re.compile(r"^Queue \S+: caller \S+ enters \(interaction (\w+)")),
            ("connect", re.compile(r"^Queue \S+: (\w+) connected to agent")),
            ("complete", re.compile(r"^Queue \S+: (\w+) completed with"))]
    times = {}
    ivr_ends = {}
    start_tod = None
    if since is not None:
        start_tod = ((since.hour * 60 + since.minute) * 60 + since.second) * 1000 + since.microsecond // 1000 - 1000
    ivr_end = re.compile(r"^Call \S+: IVR ended \((\w+)\) at ([\w.-]+);")
    try:
        with open(args.server_log, errors="replace") as f:
            for line in f:
                if len(line) < 20 or line[0] != "[" or line[13] != " ":
                    continue
                hh, mm, rest = line[1:13].split(":")
                ss, ms_ = rest.split(".")
                t = ((int(hh) * 60 + int(mm)) * 60 + int(ss)) * 1000 + int(ms_)
                if start_tod is not None and t < start_tod:
                    continue
                msg = line[19:].rstrip("\n")
                m = ivr_end.search(msg)
                if m:
                    key = f"{m.group(1)} at {m.group(2)}"
                    ivr_ends[key] = ivr_ends.get(key, 0) + 1
                    continue
                for kind, pat in pats:
                    m = pat.search(msg)
                    if m:
                        times.setdefault(m.group(1), {})[kind] = t
                        break
    except (OSError, ValueError):
        pass
    if start_tod is not None:
        times = {k: v for k, v in times.items() if "answer" in v or "enter" in v}
    waits = sorted(v["connect"] - v["enter"] for v in times.values() if "enter" in v and "connect" in v)
    ivr = [v["enter"] - v["answer"] for v in times.values() if "enter" in v and "answer" in v]
    talks = [v["complete"] - v["connect"] for v in times.values() if "complete" in v and "connect" in v]
    qlog = {"interactions": len(times), "connected": len(waits), "talkMsSum": sum(talks)}
    if waits:
        extra_lines.append(f"queue wait (server log) mean {sum(waits) / len(waits):.0f} ms, p99 {waits[min(len(waits) - 1, int(len(waits) * 0.99))]} ms, "
                           f"max {waits[-1]} ms over {len(waits)} calls (entered queue -> connected to agent); IVR time mean "
                           f"{(sum(ivr) / len(ivr) / 1000 if ivr else 0):.2f} s (answer -> queue)")
    else:
        extra_lines.append(f"queue wait (server log) no queue entries found in {args.server_log}")
    extra_lines.append(f"IVR ends (server log)   {ivr_ends}")

agents_ok = None
agent_rtp_ok = True
if args.agents_dir:
    arows = stat_rows(args.agents_dir)
    alast = arows[-1] if arows else {}
    agents_ok = int(col(alast, "SuccessfulCall(C)"))
    afailed = int(col(alast, "FailedCall(C)"))
    aincoming = int(col(alast, "IncomingCall(C)"))
    apeak = int(max((col(r, "CurrentCall") for r in arows), default=0))
    extra_lines.append(f"agent answers           {aincoming} INVITEs to agents, {agents_ok} answered and ended normally, "
                       f"{afailed} failed (SIPp UAS; peak {apeak} agent calls at once; error log lines "
                       f"{error_lines(args.agents_dir)})")
    ap = load_json("probe.json", args.agents_dir)
    # The server sends to an agent from its answer to the end of the call: talk time in the call records.
    aexp = int(qlog["talkMsSum"] / 20) if qlog.get("talkMsSum") else ok * args.call_seconds * 50
    line, agot, aexp = rtp_line("RTP to agents/expected", ap, aexp)
    extra_lines.append(line + " (expected: agent talk time from the server log x 50/s)")
    agent_rtp_ok = agot >= 0.99 * aexp - 2 * max(agents_ok, 1)

sup_ok = None
sup_rtp_ok = True
if args.supervisors_dir:
    su = load_json("sipua.json", args.supervisors_dir)
    sup_ok = su.get("succeeded", 0)
    extra_lines.append(f"supervisor calls        {args.supervisors} offered, {su.get('attempted', 0)} dialed, {sup_ok} successful, "
                       f"{su.get('failed', 0)} failed {su.get('reasons', {})}; INVITE->200 mean {su.get('setupMsMean', 0)} ms "
                       f"max {su.get('setupMsMax', 0)} ms (digest included); supervision.started events "
                       f"{cdr.get('supervisionStarted', '?')}")
    sp = load_json("probe.json", args.supervisors_dir)
    line, sgot, sexp = rtp_line("RTP to supervisors/exp", sp, sup_ok * args.supervisor_seconds * 50)
    extra_lines.append(line)
    sup_rtp_ok = sgot >= 0.99 * sexp - 2 * max(sup_ok, 1)

if args.queues:
    try:
        with open(args.queues) as f:
            qj = json.load(f)
        agents_by_state = {}
        for ag in qj.get("agents", []):
            agents_by_state[ag.get("state")] = agents_by_state.get(ag.get("state"), 0) + 1
        extra_lines.append(f"queues at the end       completed {qj.get('completed')}, abandoned {qj.get('abandoned')}, "
                           f"overflowed {qj.get('overflowed')} (since start-up, warm-up included); agents {agents_by_state}")
    except (OSError, ValueError):
        pass

if args.cpu_window and mon.get("serverCpuSeries"):
    w = [pct for t, pct in mon["serverCpuSeries"] if args.cpu_window[0] <= t <= args.cpu_window[1]]
    if w:
        extra_lines.append(f"server CPU in window    avg {sum(w) / len(w):.1f}  peak {max(w):.1f} % of 1 core over t = "
                           f"{args.cpu_window[0]:.0f}-{args.cpu_window[1]:.0f} s (every call bridged; supervisors in, if any)")
if mon.get("extra"):
    extra_lines.append("other tools CPU % 1 core " + ", ".join(
        f"{k} avg {v.get('cpuAvgPct', 0)} peak {v.get('cpuPeakPct', 0)}" for k, v in mon["extra"].items()))

rec = mon.get("recording") or {}
if rec:
    extra_lines.append(f"recording               {'on' if mon.get('recordingEnabled') else 'off'}: completed {rec.get('completed')}, "
                       f"failed {rec.get('failed')}, dropped frames {rec.get('droppedFrames')} (during the run); "
                       f"storage queue peak {mon.get('storagePendingPeak', '?')} item(s) behind")

if agents_ok is not None:
    clean = clean and agents_ok == ok and agent_rtp_ok
if cdr and "error" not in cdr:
    clean = clean and cdr.get("answered", 0) == args.calls
if sup_ok is not None:
    clean = clean and sup_ok == args.supervisors and sup_rtp_ok

talk_note = ", sends the callers' speech" if probe.get("talkStreams") else ""
print(f"""
----- {args.name}: {'CLEAN' if clean else 'NOT CLEAN'} -----
target calls            {args.calls} x {args.call_seconds} s, offered {args.rate} calls/s (load avg at end: {args.load})
peak concurrent calls   {peak_current} (SIPp)   {mon.get('activeCallsPeak', 0)} (server /health)
setups/s                {setups:.1f} sustained (SIPp CallRate over creation periods); INVITE->200 avg {rt_ms:.1f} ms, worst period {rt_max:.1f} ms
INVITE->200             {rt_p99_text}
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
for l in extra_lines:
    print(l)
if args.clean_rule == "sip":
    print(f"SIP part of the rule     {'clean' if sip_clean else 'NOT clean'} (every call successful, retransmissions <= 1 %)")
    sys.exit(0 if sip_clean else 1)
sys.exit(0 if clean else 1)
