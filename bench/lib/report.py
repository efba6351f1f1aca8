"""What the bench reports share (bench/srtp/report.py, bench/webrtc/report.py): the --work/--load arguments, the JSON
loader, one step's probe/monitor/run files and the server CPU series of the window where every call is up (from 2 s
after the last answer to 1 s before the first BYE). Imported, not run: a report adds bench/lib to sys.path first."""
import argparse
import json
import os


def parse_args(doc, steps=False):
    """--work DIR (the bench's work dir) and --load "1 5 15" (load average at the end); with steps, STEP_NAME... too."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--work", required=True)
    ap.add_argument("--load", default="?")
    if steps:
        ap.add_argument("steps", nargs="+")
    return ap.parse_args()


def load(path):
    """The JSON in path, or None when it is missing or unreadable (a step that failed before writing it)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def step_files(step_dir):
    """(probe, monitor, run) of one step's folder: probe.json and monitor.json (None when missing), run.json ({})."""
    return load(f"{step_dir}/probe.json"), load(f"{step_dir}/monitor.json"), load(f"{step_dir}/run.json") or {}


def all_up_series(probe, mon, run, default_offset):
    """(series, window): the monitor's server CPU samples of the all-up window (run.json's probeOffsetSeconds, else
    default_offset, shifts the probe's times onto the monitor's); the whole step's samples and window=False when the
    window holds fewer than 3."""
    off = run.get("probeOffsetSeconds", default_offset)
    start, end = off + probe["allUpAtSeconds"] + 2, off + probe["firstByeAtSeconds"] - 1
    series = [p for t, p in mon["serverCpuSeries"] if start <= t <= end] if probe["allUpAtSeconds"] > 0 else []
    if len(series) >= 3:
        return series, True
    return [p for _, p in mon["serverCpuSeries"]], False
