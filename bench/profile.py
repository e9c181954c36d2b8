"""``python -m bench profile``: where Campfire's server spends its time under fan-out.

Samples the server with py-spy (``pip install -e .[bench]``) while the fan-out load runs, then
prints the functions with the most samples, by own time and by time including callees. The
raw collapsed stacks go to bench/results/ for a flame graph (e.g. speedscope or flamegraph.pl).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench import harness


def summarize_collapsed(path: Path, top: int = 20) -> str:
    """Own time per function and per source file. (py-spy roots each coroutine's stack at the
    task, so 'including callees' would mislead for asyncio code; own time does not.)"""
    own: Counter[str] = Counter()
    by_file: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack:
            continue
        n = int(count_s)
        total += n
        leaf = stack.split(";")[-1]
        func, _, where = leaf.partition(" (")
        src = where.split(":")[0]
        own[f"{func} ({src.rsplit('/', 1)[-1]})"] += n
        by_file[src] += n
    lines = [f"{total} samples", "", "own time by function:"]
    lines += [f"  {100 * c / total:5.1f}%  {f}" for f, c in own.most_common(top)]
    lines += ["", "own time by source file:"]
    lines += [f"  {100 * c / total:5.1f}%  {f}" for f, c in by_file.most_common(top)]
    return "\n".join(lines)


def profile_campfire(args: argparse.Namespace) -> int:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists() and not shutil.which(spy):
        print("py-spy not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    size = (args.sizes or [100])[0]
    inbound = getattr(args, "scenario", "fanout") == "inbound"
    server = harness.start_server("campfire")
    label = "inbound" if inbound else f"fanout-{size}"
    out = harness.BENCH / "results" / f"profile-{label}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                if inbound:
                    harness.run_load(server, "inbound", {"rooms": 100, "room_size": 10, "questions": 50,
                                                         "max_seconds": 30}, 300)
                else:
                    harness.run_load(server, "fanout", {"members": size, "messages": max(1, 100_000 // size),
                                                        "rate": 0, "window": 20, "max_seconds": 10}, 120)
        # Warm up (connections, imports) before sampling.
        harness.run_load(server, "fanout", {"members": size, "messages": 10, "rate": 0}, 60)
        t = threading.Thread(target=load, daemon=True)
        t.start()
        time.sleep(2.0)
        subprocess.run([spy, "record", "-p", str(server.pid), "-d", str(int(args.seconds)), "-r", "250",
                        "-f", "raw", "-o", str(out), "--nonblocking"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=args.seconds + 60)
        stop.set()
        t.join(120)
    finally:
        server.stop()
    what = "quiz answers (1,000 members, 100 rooms)" if inbound else f"fan-out to rooms of {size}"
    print(f"Campfire server under {what} (py-spy, {args.seconds:.0f}s):")
    print(summarize_collapsed(out))
    print(f"\ncollapsed stacks: {out}")
    return 0
