"""``python -m bench nodes``: Campfire on several nodes sharing one Redis.

Beside the single-node figures of the same run (SQLite, and Redis with one node), the fan-out
and inbound scenarios run with the bot on node A and the members spread over nodes A and B:
half the members' events then come from B following the room's event stream, and half the
inputs are relayed from B to A through A's inbox stream. On a 2-core machine this measures
the relay's cost per event, not more throughput (the nodes share the cores). Then the time
from kill -9 of an owner to its rooms being served again from the other node (p50, max).
CPU figures are node A's only, so only throughput and latency are compared here.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import msgpack
import websockets

from bench import harness
from tests.redis_server import RedisServer, free_port


@dataclass
class NodesServer(harness.Server):
    """Node A (``proc``/``port``) plus the other nodes and the redis-server, stopped together."""

    others: list[subprocess.Popen[bytes]] = field(default_factory=list)
    redis: RedisServer | None = None

    def stop(self) -> None:
        for proc in self.others:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
        super().stop()
        if self.redis is not None:
            self.redis.stop()
            self.redis = None


def start_nodes(n: int, log: Any, lease_seconds: float = 3.0) -> NodesServer:
    redis = RedisServer().start()
    url = redis.url
    created = subprocess.run([harness.campfire_bin(), "apps", "create", "bench", "--store", url],
                             cwd=harness.ROOT, capture_output=True, text=True, timeout=60)
    info: dict[str, Any] = {}
    for line in created.stdout.splitlines():
        if line.startswith("app:"):
            info["app"] = line.split()[1]
        elif line.startswith("key:"):
            info["key"] = line.split()[1]
    if "key" not in info:
        redis.stop()
        raise RuntimeError(f"campfire apps create failed: {created.stdout}{created.stderr}")
    tmp = tempfile.TemporaryDirectory(prefix="campfire-nodes-")
    env = dict(os.environ, PYTHONPATH=str(harness.ROOT), **harness.CAMPFIRE_ENV,
               CAMPFIRE_LEASE_SECONDS=str(lease_seconds), CAMPFIRE_DATA_DIR=tmp.name)
    ports = [free_port() for _ in range(n)]
    procs = [subprocess.Popen(harness.pinned([harness.campfire_bin(), "serve", "--store", url, "--port", str(port),
                                              "--log-level", "warning"], harness.SERVER_CORE),
                              cwd=tmp.name, env=env, stdout=log, stderr=log) for port in ports]
    info["ports"] = ports
    server = NodesServer("campfire", procs[0], ports[0], info, tmp, procs[1:], redis)
    try:
        for port, proc in zip(ports, procs):
            harness._wait_http(f"http://127.0.0.1:{port}/healthz", proc, 30)
    except Exception:
        server.stop()
        raise
    return server


CONFIGS = ("sqlite, 1 node", "redis, 1 node", "redis, 2 nodes")


def _start(config: str, log: Any) -> harness.Server:
    if config == "sqlite, 1 node":
        return harness.start_server("campfire", log)
    return start_nodes(2 if "2 nodes" in config else 1, log)


async def _request(ws: Any, rid: int, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    await ws.send(msgpack.packb({"type": type_, "id": rid, "data": data}, use_bin_type=True))
    while True:
        frame = msgpack.unpackb(await ws.recv(), raw=False)
        if frame.get("id") == rid:
            return frame  # type: ignore[no-any-return]


async def _failover(rooms: int, log: Any) -> list[float]:
    """Seconds from kill -9 of node A to each of its rooms answering ``room.get`` on node B."""
    server = start_nodes(2, log)
    try:
        key = server.info["key"]
        a, b = server.info["ports"]
        bot = await websockets.connect(f"ws://127.0.0.1:{a}/ws", max_size=None)
        await _request(bot, 1, "hello", {"protocol": [1], "key": key})
        ids = []
        for i in range(rooms):
            reply = await _request(bot, 10 + i, "room.create", {"group": f"fo{i}", "game": "quiz"})
            ids.append(reply["data"]["room"]["id"])
        other = await websockets.connect(f"ws://127.0.0.1:{b}/ws", max_size=None)
        await _request(other, 1, "hello", {"protocol": [1], "key": key})
        server.proc.kill()  # kill -9 of the owner
        t0 = time.monotonic()
        times: list[float] = []
        rid = 100
        for room in ids:  # one client asking, room after room, as a bot reconnecting would
            while True:
                rid += 1
                reply = await _request(other, rid, "room.get", {"room": room})
                if reply["type"] == "ok":
                    times.append(time.monotonic() - t0)
                    break
                if time.monotonic() - t0 > 60:
                    raise RuntimeError(f"room {room} not served again: {reply}")
                await asyncio.sleep(0.02)
        await other.close()
        return times
    finally:
        server.stop()


def run(args: Any, log: Any) -> dict[str, Any]:
    quick = args.quick
    sizes = [100, 1000] if not quick else [100]
    deliveries = 20_000 if quick else 100_000
    inbound = {"rooms": 50, "room_size": 10, "questions": 5 if quick else 20, "max_seconds": 60}
    out: dict[str, Any] = {"configs": {}, "params": {"sizes": sizes, "deliveries": deliveries, "inbound": inbound}}
    for config in CONFIGS:
        res: dict[str, Any] = {}
        for size in sizes:
            server = _start(config, log)
            try:
                r = harness.run_load(server, "fanout", {"members": size, "messages": max(1, deliveries // size),
                                                        "rate": 0, "window": 50, "max_seconds": 30}, 300)
                res[f"fanout_{size}"] = {"deliveries_per_s": r["deliveries_per_s"], "p50_ms": r["latency_ms"]["p50"],
                                         "p99_ms": r["latency_ms"]["p99"], "delivered": r["delivered"],
                                         "expected": r["expected"]}
            finally:
                server.stop()
        server = _start(config, log)
        try:
            r = harness.run_load(server, "inbound", inbound, 300)
            res["inbound"] = {"actions_per_s": r["actions_per_s"], "p50_ms": r["latency_ms"]["p50"],
                              "p99_ms": r["latency_ms"]["p99"], "rooms_finished": r["rooms_finished"]}
        finally:
            server.stop()
        out["configs"][config] = res
    times = asyncio.run(_failover(10 if quick else 30, log))
    out["failover"] = {"rooms": len(times), "p50_s": statistics.median(times), "max_s": max(times),
                       "lease_seconds": 3.0}
    out["table"] = table(out)
    return out


def table(out: dict[str, Any]) -> str:
    lines = ["| config | " + " | ".join(f"fan-out {s}: deliveries/s (p50/p99 ms)" for s in out["params"]["sizes"])
             + " | inbound quiz: answers/s (p50/p99 ms) |",
             "|---|" + "---|" * (len(out["params"]["sizes"]) + 1)]
    for config, res in out["configs"].items():
        cells = [f"{res[f'fanout_{s}']['deliveries_per_s']:,.0f} ({res[f'fanout_{s}']['p50_ms']:.1f}/"
                 f"{res[f'fanout_{s}']['p99_ms']:.1f})" for s in out["params"]["sizes"]]
        ib = res["inbound"]
        cells.append(f"{ib['actions_per_s']:,.0f} ({ib['p50_ms']:.1f}/{ib['p99_ms']:.1f})")
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
    fo = out["failover"]
    lines.append(f"\nkill -9 of the owner to its {fo['rooms']} rooms served again from the other node "
                 f"(lease {fo['lease_seconds']:g} s): p50 {fo['p50_s']:.2f} s, max {fo['max_s']:.2f} s")
    return "\n".join(lines)
