"""The direct send path writes one ready-made frame to every member's socket; it must be
used when it can be, and clients must receive exactly the frames the ASGI path would send."""
from __future__ import annotations

import asyncio
import dataclasses
import socket
from typing import Any

import msgpack
import websockets

from server.clock import ManualClock
from server.config import Settings
from server.direct import OP_BINARY, OP_TEXT, frame
from server.run import EmbeddedServer
from server.store import Store
from tests.conftest import RawClient


def test_frames_use_the_shortest_length_encoding() -> None:
    assert frame(b"x" * 5, OP_BINARY)[:2] == bytes([0x82, 5])
    assert frame(b"x" * 300, OP_TEXT)[:4] == bytes([0x81, 126, 1, 44])
    assert frame(b"x" * 70_000, OP_BINARY)[:2] == bytes([0x82, 127])
    assert frame(b"x" * 70_000, OP_BINARY)[2:10] == (70_000).to_bytes(8, "big")


async def _announce_to_members(server: EmbeddedServer, key: str, compression: bool) -> list[Any]:
    bot = RawClient(await websockets.connect(server.url))
    await bot.hello(key=key)
    room = (await bot.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
    token = (await bot.request("token.mint", {"group": "g1", "player": "m1"}))["data"]["token"]
    member = RawClient(await websockets.connect(server.url, compression="deflate" if compression else None))
    await member.hello(token=token)
    await member.request("room.watch", {"room": room})
    texts = RawClient(await websockets.connect(server.url), binary=False)
    await texts.hello(token=token)
    await texts.request("room.watch", {"room": room})
    for i in range(3):
        await bot.request("room.announce", {"room": room, "data": {"n": i, "text": "火" * (40 * i)}})
    await member.drain(0.2)
    await texts.drain(0.2)
    sessions = list(server.services.sessions)
    return [member.events("announce"), texts.events("announce"), [s.direct is not None and s.direct.ready() for s in sessions]]


async def test_members_get_announcements_through_the_direct_path_in_both_formats(
        server: EmbeddedServer, app_key: str) -> None:
    binary, text, ready = await _announce_to_members(server, app_key, compression=False)
    assert [e["data"]["n"] for e in binary] == [0, 1, 2] == [e["data"]["n"] for e in text]
    assert [e["seq"] for e in binary] == [e["seq"] for e in text]
    assert all(ready), "every connection can take frames directly"


async def test_a_connection_with_compression_falls_back_to_the_asgi_path(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    deflate = dataclasses.replace(settings, ws_compression=True)
    async with EmbeddedServer(deflate, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        binary, _, ready = await _announce_to_members(srv, app_key, compression=True)
        assert [e["data"]["n"] for e in binary] == [0, 1, 2]
        assert not all(ready)


def test_an_event_frame_is_built_once_for_all_members() -> None:
    from server.runtime import EventFrame
    from server.store import StoredEvent

    ev = EventFrame("room_1", StoredEvent(4, "announce", {"n": 1}, "all", 0.0))
    assert ev.framed_binary() is ev.framed_binary()
    assert msgpack.unpackb(ev.framed_binary()[2:])["data"]["seq"] == 4


async def test_a_member_too_far_behind_is_disconnected_and_the_room_goes_on(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    small = dataclasses.replace(settings, send_queue_frames=5, frames_per_second=10_000.0, frame_burst=10_000)
    async with EmbeddedServer(small, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        bot = RawClient(await websockets.connect(srv.url))
        await bot.hello(key=app_key)
        room = (await bot.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
        token = (await bot.request("token.mint", {"group": "g1", "player": "m1"}))["data"]["token"]
        # A member whose client stops reading: its buffers fill, then the server's queue.
        # (A small receive buffer makes the kernel's share of the backlog small.)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", srv.port))
        stalled = RawClient(await websockets.connect(srv.url, sock=sock, max_queue=1))
        await stalled.hello(token=token)
        await stalled.request("room.watch", {"room": room})
        session = next(s for s in srv.services.sessions if s.principal and s.principal.player == "m1")
        big = "x" * 50_000
        for n in range(400):
            await bot.request("room.announce", {"room": room, "data": {"n": n, "text": big}})
            if session.closing:
                break
        assert session.closing, "the stalled member was never cut off"
        for _ in range(200):  # the abort is I/O: wait for the server to see the connection gone
            if session not in srv.services.sessions:
                break
            await asyncio.sleep(0.01)
        assert session not in srv.services.sessions
        reply = await bot.request("room.announce", {"room": room, "data": {"n": -1}})
        assert reply["type"] == "ok"
