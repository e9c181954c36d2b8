"""python-socketio's AsyncServer as a peer, served by uvicorn as the docs recommend.

Same room semantics as the ceiling: ``join`` enters the one room; ``announce`` emits an
``event`` with a sequence number to the room (skipping the sender); ``act`` is acknowledged.
Payloads are the same maps, carried as Socket.IO's JSON text packets.
"""
from __future__ import annotations

import argparse
from typing import Any

import socketio
import uvicorn

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], logger=False, engineio_logger=False)
app = socketio.ASGIApp(sio)
seq = 0


@sio.on("join")
async def join(sid: str, data: Any = None) -> dict[str, Any]:
    await sio.enter_room(sid, "r")
    return {"ok": True}


@sio.on("announce")
async def announce(sid: str, data: dict[str, Any]) -> None:
    global seq
    seq += 1
    await sio.emit("event", {"room": "r", "seq": seq, "kind": "announce", "data": data}, room="r", skip_sid=sid)


@sio.on("act")
async def act(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
