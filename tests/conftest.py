"""Shared fixtures: a real Campfire server (uvicorn, in this event loop, on a free port)
with a manual clock and its own SQLite file, plus apps and keys to talk to it."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import msgpack
import pytest
import websockets

from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store, open_store
from tests.redis_server import RedisServer

# Real headless Chromium fixtures (browser, phone) for any test folder: tests/browser/plugin.py.
pytest_plugins = ["tests.browser.plugin"]


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server on a free port for the whole session (never the one on 6379)."""
    with RedisServer() as server:
        yield server


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(host="127.0.0.1", port=0, store=str(tmp_path / "campfire.db"), data_dir=str(tmp_path / "data"))


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    st = await open_store(settings.store)
    yield st
    await st.close()


@pytest.fixture
def seed_base() -> int:
    """Seeds the sequence of game seeds for the server fixtures; a test module may override it."""
    return 3


@pytest.fixture
async def server(settings: Settings, clock: ManualClock, store: Store,
                 seed_base: int) -> AsyncIterator[EmbeddedServer]:
    """The real server, with each new game's seed drawn from a fixed sequence: a test that
    runs a game always plays the same game (the suite never depends on the OS's randomness)."""
    seeds = random.Random(seed_base).getrandbits
    srv = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: seeds(62))
    async with srv.running():
        yield srv


@pytest.fixture
async def seeded_server(server: EmbeddedServer) -> EmbeddedServer:
    """The same seeded server, under the name tests that care about the seed ask for."""
    return server


@pytest.fixture
async def app_key(store: Store) -> str:
    _, key = await create_app(store, "test-bot")
    return key


@pytest.fixture
async def other_app_key(store: Store) -> str:
    _, key = await create_app(store, "other-bot")
    return key


class RawClient:
    """A bare websocket speaking the wire protocol by hand: for bad-input tests and for
    checking exactly which frames a connection receives."""

    def __init__(self, ws: Any, binary: bool = True) -> None:
        self.ws = ws
        self.binary = binary
        self.next_id = 0
        self.frames: list[dict[str, Any]] = []  # every frame received, in order

    async def send(self, frame: dict[str, Any]) -> None:
        if self.binary:
            await self.ws.send(msgpack.packb(frame, use_bin_type=True))
        else:
            import json

            await self.ws.send(json.dumps(frame))

    async def send_raw(self, raw: bytes | str) -> None:
        await self.ws.send(raw)

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        import asyncio
        import json

        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame = msgpack.unpackb(raw, raw=False) if isinstance(raw, bytes) else json.loads(raw)
        self.frames.append(frame)
        return frame

    async def request(self, type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a frame and return its reply (ok/error/welcome), collecting events meanwhile."""
        self.next_id += 1
        rid = self.next_id
        await self.send({"type": type_, "id": rid, "data": data or {}})
        while True:
            frame = await self.recv()
            if frame.get("id") == rid and frame["type"] in ("ok", "error", "welcome"):
                return frame

    async def hello(self, key: str | None = None, token: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"protocol": [1]}
        if key:
            data["key"] = key
        if token:
            data["token"] = token
        return await self.request("hello", data)

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [f["data"] for f in self.frames if f["type"] == "event" and (kind is None or f["data"]["kind"] == kind)]

    async def drain(self, timeout: float = 0.05) -> None:
        """Read whatever has already arrived."""

        try:
            while True:
                await self.recv(timeout)
        except TimeoutError:
            pass

    async def close(self) -> None:
        await self.ws.close()


@pytest.fixture
def connect(server: EmbeddedServer) -> Any:
    opened: list[RawClient] = []

    async def open_raw(binary: bool = True) -> RawClient:
        ws = await websockets.connect(server.url, max_size=None)
        client = RawClient(ws, binary)
        opened.append(client)
        return client

    yield open_raw
    # connections are closed by the server's shutdown; nothing to await here
