#!/usr/bin/env python3
"""Samples a run until SIGTERM, then writes a JSON summary.
CPU from /proc/PID/stat (utime+stime, % of one core), RSS/HWM/threads from /proc/PID/status, and the server's
/health JSON (activeCalls, media stats, recording counters).
usage: monitor.py OUT.json SERVER_PID SIPP_PID HEALTH_URL [interval_s [PROBE_PID [NAME=PID ...]]]
NAME=PID: more processes to sample (agents' SIPp UAS, other probes); their summaries go under "extra"."""
import json
import os
import signal
import sys
import time
import urllib.request

out, server_pid, sipp_pid, health_url = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
probe_pid = int(sys.argv[6]) if len(sys.argv) > 6 else 0
extra_pids = dict((kv.split("=", 1)[0], int(kv.split("=", 1)[1])) for kv in sys.argv[7:])
tck = os.sysconf("SC_CLK_TCK")
started = time.monotonic()
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tck  # utime, stime (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "Threads"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def health():
    try:
        with urllib.request.urlopen(health_url, timeout=0.5) as r:
            return json.load(r)
    except Exception:  # noqa: BLE001 - a missed sample is fine
        return None


class Proc:
    def __init__(self, pid):
        self.pid = pid
        self.first = cpu_seconds(pid)
        self.first_at = time.monotonic()
        self.last = self.first
        self.last_at = self.first_at
        self.peak = 0.0
        self.rss_peak = 0
        self.hwm = 0
        self.threads_peak = 0
        self.series = []   # [seconds since the monitor started, CPU % over the last interval]

    def sample(self):
        now = time.monotonic()
        c = cpu_seconds(self.pid)
        if c is not None and self.last is not None and now > self.last_at:
            pct = 100.0 * (c - self.last) / (now - self.last_at)
            self.peak = max(self.peak, pct)
            self.series.append([round(now - started, 2), round(pct, 1)])
            self.last, self.last_at = c, now
        s = status(self.pid)
        self.rss_peak = max(self.rss_peak, s.get("VmRSS", 0))
        self.hwm = max(self.hwm, s.get("VmHWM", 0))
        self.threads_peak = max(self.threads_peak, s.get("Threads", 0))

    def summary(self):
        span = self.last_at - self.first_at
        avg = 100.0 * (self.last - self.first) / span if self.first is not None and span > 0 else 0.0
        return {"cpuAvgPct": round(avg, 1), "cpuPeakPct": round(self.peak, 1), "cpuSeconds":
                round((self.last or 0) - (self.first or 0), 1), "rssPeakMB": round(self.rss_peak / 1024, 1),
                "hwmMB": round(self.hwm / 1024, 1), "threadsPeak": self.threads_peak}


server, sipp, probe = Proc(server_pid), Proc(sipp_pid), Proc(probe_pid) if probe_pid else None
extra = {name: Proc(pid) for name, pid in extra_pids.items()}
active_peak = 0
sessions_peak = 0
last_health = None
storage_peak = 0
first_health = health()
while not stop:
    time.sleep(interval)
    server.sample()
    sipp.sample()
    if probe:
        probe.sample()
    for p in extra.values():
        p.sample()
    h = health()
    if h:
        last_health = h
        active_peak = max(active_peak, h.get("activeCalls", 0))
        sessions_peak = max(sessions_peak, (h.get("media") or {}).get("sessions", 0))
        storage_peak = max(storage_peak, (h.get("recording") or {}).get("storagePending", 0) or 0)

media = (last_health or {}).get("media") or {}
media0 = (first_health or {}).get("media") or {}
rec = (last_health or {}).get("recording") or {}
rec0 = (first_health or {}).get("recording") or {}
result = {
    "server": server.summary(),
    "sipp": sipp.summary(),
    "probe": probe.summary() if probe else {},
    "activeCallsPeak": active_peak,
    "mediaSessionsPeak": sessions_peak,
    "storagePendingPeak": storage_peak,
    "tickOverruns": media.get("tickOverruns", 0) - media0.get("tickOverruns", 0),
    "maxTickDuration": media.get("maxTickDuration"),
    "averageTickDuration": media.get("averageTickDuration"),
    "mediaPacketsIn": media.get("packetsIn", 0) - media0.get("packetsIn", 0),
    "mediaPacketsOut": media.get("packetsOut", 0) - media0.get("packetsOut", 0),
    "mediaDropped": media.get("dropped"),
    "sessionErrors": media.get("sessionErrors", 0) - media0.get("sessionErrors", 0),
    "extra": {name: p.summary() for name, p in extra.items()},
    "serverCpuSeries": server.series,
    # recording counters over the sampled span (first to last /health), not the process lifetime
    "recording": {k: rec.get(k, 0) - rec0.get(k, 0) for k in ("completed", "failed", "droppedFrames", "alerts")}
    if rec else {},
    "recordingEnabled": rec.get("enabled"),
}
with open(out, "w") as f:
    json.dump(result, f)
