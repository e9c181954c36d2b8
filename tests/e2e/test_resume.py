"""Resume: a client that reconnects with the last sequence number it saw receives exactly
the events it missed, in order, then live events."""
from __future__ import annotations

import asyncio

import websockets

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.conftest import RawClient


async def test_watch_after_a_sequence_number_replays_exactly_the_missed_events_then_live_ones(
        server: EmbeddedServer, app_key: str, clock: ManualClock) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 3})
        token = await bot.mint_token("g1", "u1", "Alice")
        member = RawClient(await websockets.connect(server.url))
        await member.hello(token=token)
        await member.request("room.join", {"room": room.id})
        await bot.join(room.id, "u2", "Bob")
        await bot.start(room.id)
        await member.drain()
        seen = max(e["seq"] for e in member.events())
        await member.close()

        await bot.act(room.id, {"answer": 0}, player="u2")  # events the member misses
        await clock.advance(30)

        again = RawClient(await websockets.connect(server.url))
        await again.hello(token=token)
        reply = await again.request("room.watch", {"room": room.id, "after": seen})
        replayed = [e["seq"] for e in again.events()]
        last = reply["data"]["seq"]
        assert replayed == await _visible_to_u1(server, room.id, seen, last)
        await bot.act(room.id, {"answer": 1}, player="u2")
        await again.drain()
        live = [e["seq"] for e in again.events()][len(replayed):]
        assert live and live == await _visible_to_u1(server, room.id, last, live[-1])
        await again.close()


async def _visible_to_u1(server: EmbeddedServer, room: str, after: int, upto: int) -> list[int]:
    """The log's events in (after, upto] that member u1 may see: public ones and u1's own."""
    events = await server.services.store.read_events(room, after)
    return [e.seq for e in events if e.seq <= upto and (e.to == "all" or (e.to != "bots" and "u1" in e.to))]


async def test_the_sdk_reconnects_and_delivers_every_event_once_in_order(
        server: EmbeddedServer, app_key: str, clock: ManualClock) -> None:
    async with Client(server.url, app_key, backoff=(0.01, 0.05)) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 3, "seconds": 10, "reveal_seconds": 1})
        await bot.join(room.id, "u1", "Alice")
        await bot.start(room.id)
        # Drop the bot's connection from the server side, then let the game run on without it.
        for session in list(server.services.sessions):
            await session.ws.close(code=1012)
        await clock.advance(11)
        await clock.advance(2)
        for _ in range(200):
            if bot.reconnects:
                break
            await asyncio.sleep(0.01)
        assert bot.reconnects == 1
        await clock.advance(30)
        seqs = []
        async for ev in bot.events():
            seqs.append(ev.seq)
            if ev.kind == "game_over":
                break
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        stored = await server.services.store.read_events(room.id, seqs[0] - 1)
        assert [e.seq for e in stored] == seqs
