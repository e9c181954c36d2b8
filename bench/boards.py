"""Board speed on both stores, beside redis-benchmark's ZINCRBY as the ceiling.

    python -m bench.boards                     # 1,000,000 members
    python -m bench.boards --members 50000     # a quick run

For each store: fill one board with ``--members`` members (bulk, outside the timed part),
then time score updates (each a full ``apply_result`` with its idempotency record, from
``--concurrency`` tasks), and the p50/p99 latency of a top-10 read and of a rank read for
random members. redis-benchmark runs ZINCRBY against the same private redis-server in the
same run. Everything is printed; nothing is asserted.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from server.store import BoardOp, ResultRecord, Store
from server.store.redis_store import ORDER_WIDTH, RedisStore
from server.store.sqlite_store import SqliteStore

APP, BOARD = "bench", "g/bench:quiz:all"


def _redis_server():  # type: ignore[no-untyped-def]
    try:
        from tests.redis_server import RedisServer
    except ImportError:  # run from elsewhere: tests/ is next to bench/
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from redis_server import RedisServer  # type: ignore[no-redef]
    return RedisServer()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


async def fill_sqlite(store: SqliteStore, n: int) -> None:
    def run(db: Any) -> None:
        with db:
            db.executemany("INSERT OR REPLACE INTO board_scores (app, board, member, score, reached) VALUES (?, ?, ?, ?, ?)",
                           ((APP, BOARD, f"m{i}", float(random.randrange(1_000_000)), i) for i in range(n)))
            db.execute("UPDATE board_clock SET tick = MAX(tick, ?) WHERE id = 1", (n,))

    await store._run(run)  # noqa: SLF001 - bench setup writes the layout directly


async def fill_redis(store: RedisStore, n: int) -> None:
    z, h = store._bkeys(APP, BOARD)  # noqa: SLF001
    step = 10_000
    for start in range(0, n, step):
        async with store.db.pipeline(transaction=False) as pipe:
            zadd, hset = {}, {}
            for i in range(start, min(n, start + step)):
                zm = f"{10**ORDER_WIDTH - 1 - (i + 1):0{ORDER_WIDTH}d}m{i}"
                zadd[zm] = float(random.randrange(1_000_000))
                hset[f"m{i}"] = zm
            pipe.zadd(z, zadd)
            pipe.hset(h, mapping=hset)
            await pipe.execute()
    await store.db.set(f"{store.p}bt:{APP}:{BOARD}", n)
    await store.db.sadd(f"{store.p}boards:{APP}", BOARD)


async def measure(store: Store, n: int, updates: int, reads: int, concurrency: int) -> dict[str, float]:
    rng = random.Random(1)
    counter = iter(range(updates))

    async def updater() -> None:
        for k in counter:
            m = f"m{rng.randrange(n)}"
            await store.apply_result(ResultRecord(APP, f"bench:{k}", "bench", "quiz", 0.0, {},
                                                  (BoardOp(BOARD, m, "incr", 1.0),)))

    t0 = time.perf_counter()
    await asyncio.gather(*(updater() for _ in range(concurrency)))
    ups = updates / (time.perf_counter() - t0)

    top, rank = [], []
    for _ in range(reads):
        t = time.perf_counter()
        await store.board_top(APP, BOARD, 10)
        top.append(time.perf_counter() - t)
        m = f"m{rng.randrange(n)}"
        t = time.perf_counter()
        await store.board_rank(APP, BOARD, m)
        rank.append(time.perf_counter() - t)
    ms = 1000.0
    return {"updates_per_s": round(ups, 1), "top10_p50_ms": round(pct(top, 50) * ms, 3),
            "top10_p99_ms": round(pct(top, 99) * ms, 3), "rank_p50_ms": round(pct(rank, 50) * ms, 3),
            "rank_p99_ms": round(pct(rank, 99) * ms, 3)}


def redis_benchmark(port: int, n: int, requests: int) -> float | None:
    exe = shutil.which("redis-benchmark")
    if not exe:
        return None
    out = subprocess.run([exe, "-p", str(port), "-n", str(requests), "-c", "50", "-r", str(n), "-q",
                          "ZINCRBY", "rb:board", "1", "m:__rand_int__"],
                         capture_output=True, text=True, timeout=300).stdout
    found = re.findall(r"([\d.]+) requests per second", out.replace(",", ""))
    return float(found[-1]) if found else None


async def run_async(members: int, updates: int, reads: int, concurrency: int, stores: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"members": members, "updates": updates, "reads": reads, "concurrency": concurrency}
    tmp = tempfile.mkdtemp(prefix="campfire-bench-")
    server = _redis_server()
    server.start()
    try:
        for name in stores:
            if name == "sqlite":
                store: Store = SqliteStore(f"{tmp}/bench.db")
                await store.open()
                await fill_sqlite(store, members)  # type: ignore[arg-type]
            else:
                store = RedisStore(server.url, "bench:")
                await store.open()
                await fill_redis(store, members)  # type: ignore[arg-type]
            try:
                out[name] = await measure(store, members, updates, reads, concurrency)
            finally:
                await store.close()
        out["redis_benchmark_zincrby_per_s"] = await asyncio.to_thread(
            redis_benchmark, server.port, members, max(100_000, updates))
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def print_report(r: dict[str, Any]) -> None:
    print(f"boards: {r['members']:,} members, {r['updates']:,} updates from {r['concurrency']} tasks, "
          f"{r['reads']:,} reads each")
    print(f"{'store':<8} {'updates/s':>11} {'top10 p50':>10} {'top10 p99':>10} {'rank p50':>9} {'rank p99':>9}")
    for name in ("sqlite", "redis"):
        if name in r:
            m = r[name]
            print(f"{name:<8} {m['updates_per_s']:>11,.0f} {m['top10_p50_ms']:>8.3f}ms {m['top10_p99_ms']:>8.3f}ms "
                  f"{m['rank_p50_ms']:>7.3f}ms {m['rank_p99_ms']:>7.3f}ms")
    zb = r.get("redis_benchmark_zincrby_per_s")
    print(f"{'ceiling':<8} {zb if zb is None else f'{zb:>11,.0f}'}  (redis-benchmark ZINCRBY, 50 clients, same server)")


def run(args: argparse.Namespace | None = None) -> dict[str, Any]:
    """Entry point for the bench runner (bench/__main__.py); reads optional ``members``,
    ``updates``, ``reads``, ``concurrency``, ``stores`` and ``quick`` from ``args``."""
    quick = bool(getattr(args, "quick", False))
    members = getattr(args, "members", None) or (50_000 if quick else 1_000_000)
    updates = getattr(args, "updates", None) or (5_000 if quick else 50_000)
    reads = getattr(args, "reads", None) or (1_000 if quick else 5_000)
    concurrency = getattr(args, "concurrency", None) or 16
    stores = getattr(args, "stores", None) or ["sqlite", "redis"]
    if isinstance(stores, str):
        stores = stores.split(",")
    result = asyncio.run(run_async(members, updates, reads, concurrency, stores))
    print_report(result)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.boards", description=__doc__.split("\n\n")[0])
    p.add_argument("--members", type=int, default=1_000_000, help="board size (default 1,000,000)")
    p.add_argument("--updates", type=int, default=50_000)
    p.add_argument("--reads", type=int, default=5_000)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--stores", default="sqlite,redis")
    p.add_argument("--quick", action="store_true")
    run(p.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
