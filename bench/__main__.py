"""``python -m bench all|fanout|inbound|connections|boards|resume|nodes|profile|setup [--quick] ...``

Runs each part against Campfire, the bare-broadcast ceiling and the two peers, interleaving
the servers in every repeat (A B C D, A B C D, ...) so slow drift on a shared machine hits them
all alike; prints a table of medians with their spread and ratios; writes bench/results/*.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable

from bench import harness
from bench.report import connections_table, fanout_table, inbound_table, resume_table

SERVERS = ("ceiling", "socketio", "colyseus", "campfire")
PARTS = ("fanout", "inbound", "connections", "boards", "resume", "nodes")
RESULTS = harness.BENCH / "results"


def profile_for(args: argparse.Namespace) -> dict[str, Any]:
    """Sizes and counts per part; --quick shrinks them so ``all`` finishes in about a minute."""
    q = args.quick
    return {
        "fanout": {"sizes": args.sizes or [10, 100, 1000],
                   "max_deliveries": 30_000 if q else 150_000,
                   "paced_deliveries": 5_000 if q else 60_000,
                   "paced_rate": args.rate, "window": 50, "max_seconds": 10 if q else 30},
        "inbound": {"rooms": 100, "room_size": 10, "questions": 5 if q else 50,
                    "max_seconds": 20 if q else 60},
        "connections": {"levels": [1000] if q else [1000, 5000, 10000], "settle_seconds": 0.5 if q else 2.0,
                        "hold_seconds": 1.0 if q else 25.0, "concurrency": 100},
        "resume": {"members": 500 if q else 2000, "rate": 5, "live_seconds": 1.0 if q else 2.0,
                   "down_seconds": 1.0 if q else 2.0, "after_seconds": 1.0 if q else 2.0, "max_seconds": 60},
    }


def runs(servers: list[str], repeats: int, body: Callable[[harness.Server], dict[str, Any]],
         log: Any) -> dict[str, list[dict[str, Any] | None]]:
    """Interleave servers in every repeat; a server that fails to start or run gets ``None``."""
    out: dict[str, list[dict[str, Any] | None]] = {s: [] for s in servers}
    for rep in range(repeats):
        for kind in servers:
            print(f"  [{rep + 1}/{repeats}] {kind} ...", file=sys.stderr, flush=True)
            server = None
            try:
                server = harness.start_server(kind, log)
                out[kind].append(body(server))
            except Exception as exc:  # a peer failing must not sink the whole run
                print(f"  {kind}: {exc}", file=sys.stderr)
                out[kind].append(None)
            finally:
                if server is not None:
                    server.stop()
    return out


def part_fanout(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    p = prof["fanout"]

    def body(server: harness.Server) -> dict[str, Any]:
        res: dict[str, Any] = {}
        for size in p["sizes"]:
            base = {"members": size, "window": p["window"], "max_seconds": p["max_seconds"]}
            full = harness.run_load(server, "fanout", dict(base, messages=max(1, p["max_deliveries"] // size),
                                                           rate=0), p["max_seconds"] + 120)
            paced = harness.run_load(server, "fanout", dict(base, messages=max(1, p["paced_deliveries"] // size),
                                                            rate=max(1, p["paced_rate"] // size)),
                                     p["max_seconds"] + 120)
            w_full, w_paced = harness.window(full, "start", "end"), harness.window(paced, "start", "end")
            res[str(size)] = {
                "deliveries_per_s": full["deliveries_per_s"],
                "per_cpu_s": full["delivered"] / max(w_full["cpu_s"], 1e-6),
                "cpu_s": w_full["cpu_s"], "busy": w_full["cpu_s"] / max(w_full["wall_s"], 1e-6),
                "delivered": full["delivered"], "expected": full["expected"],
                "paced_rate": p["paced_rate"], "paced_per_cpu_s": paced["delivered"] / max(w_paced["cpu_s"], 1e-6),
                "p50_ms": paced["latency_ms"]["p50"], "p99_ms": paced["latency_ms"]["p99"],
                "paced_delivered": paced["delivered"], "paced_expected": paced["expected"],
                "saturated_p99_ms": full["latency_ms"]["p99"], "raw": {"max": full, "paced": paced},
            }
        return res
    return {"params": p, "runs": runs(args.servers, args.repeats, body, log)}


def part_inbound(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    p = prof["inbound"]

    def body(server: harness.Server) -> dict[str, Any]:
        r = harness.run_load(server, "inbound", p, p["max_seconds"] + 180)
        w = harness.window(r, "start", "end")
        return {"actions_per_s": r["actions_per_s"], "p50_ms": r["latency_ms"]["p50"], "p99_ms": r["latency_ms"]["p99"],
                "per_cpu_s": r["actions"] / max(w["cpu_s"], 1e-6), "busy": w["cpu_s"] / max(w["wall_s"], 1e-6),
                "raw": r}
    return {"params": p, "runs": runs(args.servers, args.repeats, body, log)}


def part_connections(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    p = prof["connections"]

    def body(server: harness.Server) -> dict[str, Any]:
        r = harness.run_load(server, "connections", p, 600)
        base = r["marks"]["base"]["rss_kib"]
        out: dict[str, Any] = {"held": r["held"], "failures": r["failures"], "raw": r}
        for level in p["levels"]:
            m = r["marks"][f"c{level}"]
            opened = r["levels"][str(level)]["open"]
            out[f"kib_per_conn_{level}"] = (m["rss_kib"] - base) / max(opened, 1)
            out[f"opened_per_s_{level}"] = r["levels"][str(level)]["opened_per_s"]
        w = harness.window(r, f"c{max(p['levels'])}", "end")
        out["idle_cpu_per_s"] = w["cpu_s"] / max(w["wall_s"], 1e-6)
        return out
    return {"params": p, "runs": runs(args.servers, args.repeats, body, log)}


def part_resume(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    p = prof["resume"]

    def body(server: harness.Server) -> dict[str, Any]:
        r = harness.run_load(server, "resume", p, 300)
        return {k: r[k] for k in ("all_back_s", "caught_up_s", "missed", "duplicated", "not_caught_up",
                                  "dropped_again", "events_sent", "seqs", "members")}
    servers = [s for s in args.servers if s == "campfire"]
    return {"params": p, "runs": runs(servers, args.repeats, body, log)}


def part_boards(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    try:
        from bench import boards  # written alongside; optional until it lands
    except ImportError as exc:
        print(f"  boards: not available ({exc})", file=sys.stderr)
        return {"skipped": str(exc)}
    return boards.run(args)


def part_nodes(args: argparse.Namespace, prof: dict[str, Any], log: Any) -> dict[str, Any]:
    from bench import nodes

    return nodes.run(args, log)


PART_FUNCS = {"fanout": part_fanout, "inbound": part_inbound, "connections": part_connections,
              "boards": part_boards, "resume": part_resume, "nodes": part_nodes}
TABLES = {"fanout": fanout_table, "inbound": inbound_table, "connections": connections_table,
          "resume": resume_table}


def strip_raw(obj: Any) -> Any:
    """Summaries for the table; the raw per-run figures stay in the JSON file."""
    if isinstance(obj, dict):
        return {k: strip_raw(v) for k, v in obj.items() if k != "raw"}
    if isinstance(obj, list):
        return [strip_raw(v) for v in obj]
    return obj


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import os
    import subprocess
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=harness.ROOT, capture_output=True, text=True)
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "kernel": platform.release(),
            "commit": rev.stdout.strip()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=["all", *PARTS, "profile", "setup", "report"])
    ap.add_argument("file", nargs="?", help="report: a bench/results/*.json file to print as tables")
    ap.add_argument("--quick", action="store_true", help="small counts, one repeat: about a minute for 'all'")
    ap.add_argument("--repeats", type=int, default=None, help="interleaved repeats (default 1 quick, 3 otherwise)")
    ap.add_argument("--servers", default=",".join(SERVERS), help="comma list among " + ",".join(SERVERS))
    ap.add_argument("--sizes", default=None, help="fan-out room sizes, e.g. 10,100,1000")
    ap.add_argument("--rate", type=int, default=10_000, help="offered deliveries/s for the latency runs")
    ap.add_argument("--out", default=None, help="JSON file to write (default bench/results/<time>-<part>.json)")
    ap.add_argument("--seconds", type=float, default=20.0, help="profile: how long to sample the server")
    ap.add_argument("--scenario", choices=["fanout", "inbound"], default="fanout", help="profile: which load")
    ap.add_argument("--verbose", action="store_true", help="show the servers' own output")
    args = ap.parse_args(argv)
    args.servers = [s for s in args.servers.split(",") if s]
    args.sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
    args.repeats = args.repeats or (1 if args.quick else 3)

    if args.part == "report":
        if not args.file:
            ap.error("report needs a results file")
        saved = json.loads(Path(args.file).read_text())
        for part, result in saved["parts"].items():
            if part in TABLES and "runs" in result:
                print(TABLES[part](result) + "\n")
        return 0
    if args.part == "setup":
        return 0 if harness.setup_colyseus() else 1
    if "colyseus" in args.servers and not harness.setup_colyseus():
        args.servers.remove("colyseus")
    if args.part == "profile":
        from bench.profile import profile_campfire
        return profile_campfire(args)

    prof = profile_for(args)
    parts = list(PARTS) if args.part == "all" else [args.part]
    log = None if args.verbose else __import__("subprocess").DEVNULL
    started = time.time()
    report: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                              "quick": args.quick, "repeats": args.repeats, "servers": args.servers,
                              "machine": machine(), "parts": {}}
    for part in parts:
        print(f"== {part}", file=sys.stderr, flush=True)
        t = time.monotonic()
        result = PART_FUNCS[part](args, prof, log)
        result["seconds"] = time.monotonic() - t
        report["parts"][part] = result
        if part in TABLES:
            print(TABLES[part](result))
        elif isinstance(result, dict) and result.get("table"):
            print(result["table"])
        print(flush=True)
    report["seconds"] = time.time() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started))
    out = Path(args.out) if args.out else RESULTS / f"{stamp}-{args.part}{'-quick' if args.quick else ''}.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1, default=str))
    tmp.replace(out)
    print(f"results: {out}  ({report['seconds']:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
