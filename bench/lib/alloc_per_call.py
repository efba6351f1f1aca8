#!/usr/bin/env python3
"""Bytes allocated per call set up, from bench/lib/alloc-hook.sh's counters.csv (dotnet-counters, 1 s increments).
Usage: alloc_per_call.py STEP_DIR [CALLS]  (CALLS defaults to SIPp's successful calls in STEP_DIR/stat.csv).
Prints the sums over the recorded window: bytes allocated, per call, GC pause share, exceptions by type, gen0/1/2."""
import csv
import os
import sys
from collections import defaultdict

d = sys.argv[1]
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 0
if not calls:
    with open(os.path.join(d, "stat.csv")) as f:
        rows = [l.rstrip("\n").rstrip(";").split(";") for l in f if l.strip()]
    calls = int(dict(zip(rows[0], rows[-1]))["SuccessfulCall(C)"])
sums, seconds = defaultdict(float), set()
with open(os.path.join(d, "counters.csv")) as f:
    for row in csv.DictReader(f):
        name = row["Counter Name"]
        if "/ 1 sec" in name:
            sums[name] += float(row["Mean/Increment"] or 0)
            if name.startswith("dotnet.gc.heap.total_allocated"):
                seconds.add(row["Timestamp"])
alloc = sums["dotnet.gc.heap.total_allocated (By / 1 sec)"]
pause = sums["dotnet.gc.pause.time (s / 1 sec)"]
print(f"window {len(seconds)} s, calls {calls}: allocated {alloc / 1e6:.1f} MB = {alloc / calls / 1024:.1f} KB per call; "
      f"GC paused {pause:.2f} s ({100 * pause / max(len(seconds), 1):.1f} % of the window)")
for k in sorted(sums):
    if k.startswith(("dotnet.exceptions", "dotnet.gc.collections")):
        print(f"  {k}: {sums[k]:.0f}")
