"""Several real ``campfire serve`` processes on one test-started redis-server.

``Cluster`` starts the redis-server and N nodes (``sys.executable -m server.cli serve``, each
on its own free port, cwd at the repo root), creates an app, and can kill -9, stop (SIGSTOP)
and continue any node. ``Agent`` is one websocket connection speaking the wire protocol by
hand: it keeps every event frame it receives, in order and without dropping duplicates (so
a test can check a stream is exact), and moves to another node with a resume
(``room.watch {after}``) when its node dies.

Also used by scripts/killtest.py and the bench's nodes part.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import msgpack
import websockets

from server.auth import create_app
from server.store.redis_store import RedisStore
from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]


class Node:
    def __init__(self, index: int, redis_url: str, workdir: str, env: dict[str, str]) -> None:
        self.index = index
        self.redis_url = redis_url
        self.port = free_port()
        self.log_path = os.path.join(workdir, f"node{index}.log")
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.node_id = ""

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--store", self.redis_url, "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "info"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"node {self.index} exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as resp:
                    self.node_id = json.loads(resp.read())["node"]
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"node {self.index} did not start:\n{self.log()[-3000:]}")

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no goodbye, no lease released."""
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def pause(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""


class Cluster:
    """``async with Cluster(3, seed=1) as cluster:`` … ``cluster.key`` is a bot key of a fresh app."""

    def __init__(self, n: int = 3, *, seed: int = 1, lease_seconds: float = 1.0, relay_timeout: float = 3.0) -> None:
        self.workdir = tempfile.mkdtemp(prefix="campfire-nodes-")
        self.redis = RedisServer()
        self.n = n
        self.seed = seed
        self.lease_seconds = lease_seconds
        self.relay_timeout = relay_timeout
        self.nodes: list[Node] = []
        self.store: RedisStore | None = None
        self.app = ""
        self.key = ""

    def _env(self, index: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPFIRE_")}
        env.update(CAMPFIRE_LEASE_SECONDS=str(self.lease_seconds), CAMPFIRE_RELAY_TIMEOUT=str(self.relay_timeout),
                   CAMPFIRE_GAME_SEED=str(self.seed * 100 + index + 1),
                   CAMPFIRE_DATA_DIR=os.path.join(self.workdir, f"data{index}"), PYTHONUNBUFFERED="1")
        return env

    async def __aenter__(self) -> "Cluster":
        self.redis.start()
        self.store = RedisStore(self.redis.url)
        await self.store.open()
        record, self.key = await create_app(self.store, "bot")
        self.app = record.id
        for _ in range(self.n):
            self.add_node()
        await asyncio.to_thread(lambda: [node.wait_ready() for node in self.nodes])
        return self

    def add_node(self) -> Node:
        node = Node(len(self.nodes), self.redis.url, self.workdir, self._env(len(self.nodes)))
        node.start()
        self.nodes.append(node)
        return node

    async def restart(self, node: Node) -> None:
        """A new process in the killed one's place (same port, new node id)."""
        node.kill()
        node.start()
        await asyncio.to_thread(node.wait_ready)

    async def __aexit__(self, *exc: Any) -> None:
        for node in self.nodes:
            node.stop()
        if self.store is not None:
            await self.store.close()
        self.redis.stop()

    def logs(self) -> str:
        return "\n".join(f"--- node {n.index} ({n.node_id}) ---\n{n.log()[-4000:]}" for n in self.nodes)

    @property
    def db(self) -> Any:
        assert self.store is not None
        return self.store.db

    async def owner(self, room: str) -> Node | None:
        raw = await self.db.get(f"cf:lease:{room}")
        node_id = raw.decode() if raw else None
        return next((n for n in self.nodes if n.node_id == node_id and n.alive), None)

    async def epoch(self, room: str) -> int:
        return int(await self.db.hget(f"cf:room:{room}", "epoch") or 0)


class Lost(Exception):
    """The agent's connection dropped."""


class Agent:
    """One connection (a bot with ``key`` or a member with ``token``) to one node of ``urls``."""

    def __init__(self, name: str, urls: list[str], first: int, *, key: str | None = None,
                 token: str | None = None) -> None:
        self.name = name
        self.urls = urls
        self.at = first
        self.key, self.token = key, token
        self.events: list[dict[str, Any]] = []  # every event frame's data, as received
        self.news = asyncio.Event()
        self.reconnects = 0
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ids = 0
        self.connected = False

    async def connect(self) -> dict[str, Any]:
        self._ws = await websockets.connect(self.urls[self.at], max_size=None, open_timeout=5)
        self.connected = True
        self._reader = asyncio.create_task(self._read())
        hello: dict[str, Any] = {"protocol": [1]}
        hello.update({"key": self.key} if self.key else {"token": self.token})
        return await self.request("hello", hello)

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                frame = msgpack.unpackb(raw, raw=False)
                if frame["type"] == "event":
                    self.events.append(frame["data"])
                    self.news.set()
                    continue
                fut = self._pending.pop(frame.get("id"), None)
                if fut is not None and not fut.done():
                    fut.set_result(frame)
        except (websockets.ConnectionClosed, OSError):
            pass
        finally:
            self.connected = False
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(Lost(self.name))
            self._pending.clear()
            self.news.set()

    async def request(self, type_: str, data: dict[str, Any], timeout: float = 15.0) -> dict[str, Any]:
        """The reply frame ({"type": "ok"|"error"|"welcome", ...}); raises Lost if the connection drops."""
        if not self.connected:
            raise Lost(self.name)
        self._ids += 1
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._ids] = fut
        try:
            await self._ws.send(msgpack.packb({"type": type_, "id": self._ids, "data": data}, use_bin_type=True))
        except (websockets.ConnectionClosed, OSError):
            raise Lost(self.name) from None
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise Lost(self.name) from None

    def last_seq(self, room: str) -> int:
        return max((e["seq"] for e in self.events if e["room"] == room), default=0)

    async def move(self, rooms: list[str], alive: list[int]) -> None:
        """Reconnect to the next live node and resume every room from the last seq seen."""
        for attempt in range(50):
            self.at = alive[(alive.index(self.at) + 1) % len(alive)] if self.at in alive else alive[attempt % len(alive)]
            try:
                await self.close()
                await self.connect()
                for room in rooms:
                    reply = await self.request("room.watch", {"room": room, "after": self.last_seq(room)})
                    if reply["type"] != "ok":
                        raise Lost(f"{self.name}: resume refused: {reply['data']}")
                self.reconnects += 1
                return
            except (TimeoutError, Lost, OSError, websockets.InvalidHandshake):
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name} could not move to another node")

    async def wait_for(self, pred: Any, timeout: float) -> dict[str, Any] | None:
        """The first event (from now on or already received) matching ``pred``, or None."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for ev in self.events[seen:]:
                if pred(ev):
                    return ev
            seen = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0 or not self.connected:
                return None
            self.news.clear()
            try:
                await asyncio.wait_for(self.news.wait(), left)
            except TimeoutError:
                return None

    async def close(self) -> None:
        if self._ws is not None:
            try:
                await self._ws.close()
            except Exception:
                pass
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 2)
            except (TimeoutError, Exception):
                self._reader.cancel()
        self.connected = False


def visible(ev: dict[str, Any], player: str | None) -> bool:
    """Whether a log event (with ``to``) reaches a bot (player None) or that member."""
    to = ev.get("to", "all")
    if to == "all" or player is None:
        return True
    return to != "bots" and player in to


async def stream_problems(agent: Agent, room: str, log: list[dict[str, Any]], player: str | None,
                          since: int) -> list[str]:
    """How ``agent``'s events of ``room`` differ from the log (from seq ``since`` on): gaps,
    duplicates, reordering, different content, or events it should not see."""
    got = [e for e in agent.events if e["room"] == room]
    want = [e for e in log if e["seq"] > since and visible(e, player)]
    problems = []
    seqs = [e["seq"] for e in got]
    if len(seqs) != len(set(seqs)):
        problems.append(f"{agent.name}: duplicate seqs")
    if seqs != sorted(seqs):
        problems.append(f"{agent.name}: out of order")
    if [(e["seq"], e["kind"], e["data"]) for e in got] != [(e["seq"], e["kind"], e["data"]) for e in want]:
        missing = sorted(set(e["seq"] for e in want) - set(seqs))
        extra = sorted(set(seqs) - set(e["seq"] for e in want))
        problems.append(f"{agent.name}: stream differs from the log (missing {missing[:10]}, extra {extra[:10]})")
    return problems


async def room_log(store: RedisStore, room: str) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "kind": e.kind, "data": e.data, "to": e.to} for e in await store.read_events(room, 0)]
