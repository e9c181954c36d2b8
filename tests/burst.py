"""Send a burst of requests to a Campfire server from another process, one request per
connection, so that the server finds every frame of the burst waiting at the same moment:
what many bots on many machines do at once.

Why a process and a held loop: a server under test runs in the test's event loop. Clients
in that loop (or in a thread, sharing the GIL) reach it one frame at a time, and on a busy
machine even a separate client process gets descheduled between its sends, so the first
request is often served alone. So :func:`burst` lets the child connect and say hello, then
holds the test's event loop (the server's) while the child writes every frame, and only
then lets the server read: all the frames are in its sockets before it handles any. That
is a barrier, not a sleep: it waits for the child to say it has sent everything.

The child is ``python -m tests.burst URL KEY``: it reads a JSON list of ``[type, data]``
from a line of stdin, connects, prints ``ready``, waits for ``go``, sends, prints ``sent``,
then prints the replies (ok or error frames) as one JSON line, in request order.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import msgpack
import websockets


async def _reply(ws: Any, rid: int) -> dict[str, Any]:
    while True:
        frame = msgpack.unpackb(await asyncio.wait_for(ws.recv(), 120), raw=False)
        if frame.get("id") == rid and frame["type"] in ("ok", "error", "welcome"):
            return dict(frame)


async def _child(url: str, key: str) -> None:
    requests = json.loads(sys.stdin.readline())
    sockets = [await websockets.connect(url, max_size=None) for _ in requests]
    try:
        for ws in sockets:
            await ws.send(msgpack.packb({"type": "hello", "id": 0, "data": {"protocol": [1], "key": key}}))
            hello = await _reply(ws, 0)
            if hello["type"] != "welcome":
                raise SystemExit(f"hello refused: {hello}")
        frames = [msgpack.packb({"type": t, "id": 1, "data": d}, use_bin_type=True) for t, d in requests]
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("expected 'go'")
        for ws, frame in zip(sockets, frames):
            await ws.send(frame)
        print("sent", flush=True)
        replies = await asyncio.gather(*(_reply(ws, 1) for ws in sockets))
        print(json.dumps(replies), flush=True)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))


async def burst(url: str, key: str, requests: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run the burst in a child process (cwd: the repository root) and return its replies."""
    # A blocking Popen on purpose: the loop is held while the child sends (module docstring).
    proc = subprocess.Popen([sys.executable, "-m", "tests.burst", url, key],  # noqa: ASYNC220
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(json.dumps(requests) + "\n")
        proc.stdin.flush()
        # The server must run while the child connects: wait for "ready" off the loop.
        ready = await asyncio.to_thread(proc.stdout.readline)
        if ready.strip() != "ready":
            raise RuntimeError(f"burst child failed to connect: {ready!r}")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        # Hold the loop (and so the server) until every frame is written: see the docstring.
        sent = proc.stdout.readline()
        if sent.strip() != "sent":
            raise RuntimeError(f"burst child failed to send: {sent!r}")
        line = await asyncio.to_thread(proc.stdout.readline)
        return list(json.loads(line))
    finally:
        await asyncio.to_thread(proc.wait)


if __name__ == "__main__":
    asyncio.run(_child(sys.argv[1], sys.argv[2]))
