"""The ceiling: a bare ``websockets`` server that does the least any server must do.

It speaks Campfire's envelope (MessagePack maps) so the payloads are identical: a member's
first frame ``{"type": "join"}`` puts it in the one room; ``announce`` frames are wrapped in an
event with a sequence number, packed once and handed to ``websockets.broadcast()``; ``act`` frames
are decoded and answered with an ``ok`` reply (the inbound ceiling). Nothing is validated, logged
or stored: no real service can do less.
"""
from __future__ import annotations

import argparse
import asyncio

import msgpack
from websockets.asyncio.server import ServerConnection, broadcast, serve

members: set[ServerConnection] = set()
seq = 0


async def handler(ws: ServerConnection) -> None:
    global seq
    try:
        async for raw in ws:
            frame = msgpack.unpackb(raw)
            kind = frame.get("type")
            if kind == "announce":
                seq += 1
                event = {"type": "event", "data": {"room": "r", "seq": seq, "kind": "announce",
                                                    "data": frame.get("data", {})}}
                broadcast(members, msgpack.packb(event))
            elif kind == "act":
                await ws.send(msgpack.packb({"type": "ok", "id": frame.get("id"), "data": {}}))
            elif kind == "join":
                members.add(ws)
                await ws.send(msgpack.packb({"type": "ok", "id": frame.get("id"), "data": {}}))
    finally:
        members.discard(ws)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, max_size=1 << 20, compression=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
