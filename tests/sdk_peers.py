"""Websocket peers that misbehave on purpose, for the SDK's robustness tests: a server whose
n-th connection runs a script, in the test's own event loop."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

import msgpack
from websockets.asyncio.server import ServerConnection, serve

from sdk import Client

SLOW = 60.0  # request/open timeouts: the SDK must never need them to return
GUARD = 10.0  # hang guard, far below SLOW

Script = Callable[[ServerConnection, int], Awaitable[None]]


def pack(frame: dict[str, Any]) -> bytes:
    return msgpack.packb(frame, use_bin_type=True)


async def recv(ws: ServerConnection) -> dict[str, Any]:
    raw = await ws.recv()
    frame: dict[str, Any] = msgpack.unpackb(raw, raw=False)
    return frame


async def welcome(ws: ServerConnection) -> None:
    hello = await recv(ws)
    await ws.send(pack({"type": "welcome", "id": hello["id"], "data": {"app": "a", "role": "bot"}}))


class Scripted:
    """A websocket server whose n-th connection runs ``script(ws, n)``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self.seen: asyncio.Queue[int] = asyncio.Queue()

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1
        n = self.connections
        self.seen.put_nowait(n)
        await self.script(ws, n)

    async def __aenter__(self) -> str:
        self.server = await serve(self.handler, "127.0.0.1", 0)
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}/ws"

    async def __aexit__(self, *exc: Any) -> None:
        self.server.close(close_connections=False)
        for conn in list(self.server.connections):
            conn.transport.abort()
        await self.server.wait_closed()

    async def connection(self, n: int) -> None:
        while True:
            if await asyncio.wait_for(self.seen.get(), GUARD) >= n:
                return


def client_for(url: str, **kw: Any) -> Client:
    async def no_wait(_: float) -> None:
        await asyncio.sleep(0)

    return Client(url, key="cf_test", request_timeout=SLOW, close_timeout=0.2, sleep=no_wait, **kw)
