"""Log retention (docs/operators.md, "Log retention"; docs/PROTOCOL.md, room.watch): the
server prunes the event log of a room closed more than ``log_retention_days`` ago on its own
clock, and a resume from before what the log still holds is answered ``behind`` with the
room's view instead of a replay. Times move on the manual clock."""
from __future__ import annotations

import dataclasses

from sdk import Client
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store

DAY = 86_400.0
RETENTION = Settings().log_retention_days * DAY


async def _closed_room(bot: Client) -> str:
    room = await bot.create_room("g1", "quiz", {"questions": 1})
    await bot.join(room.id, "u1", "Ann")
    await bot.join(room.id, "u2", "Bob")
    await bot.close_room(room.id)
    return room.id


async def test_a_closed_room_loses_its_log_after_the_retention_on_the_server_clock(
        server: EmbeddedServer, clock: ManualClock, store: Store, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await _closed_room(bot)
        last = await store.last_seq(room)
        await clock.advance(RETENTION - DAY)
        assert await store.first_seq(room) == 1
        await clock.advance(2 * DAY)
        assert [e.seq for e in await store.read_events(room, 0)] == [last]


async def test_a_live_room_keeps_its_log_past_the_retention(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    server = EmbeddedServer(dataclasses.replace(settings, lobby_ttl=0), clock=clock, store=store)
    async with server.running(), Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        await bot.join(room.id, "u1", "Ann")
        await clock.advance(RETENTION + DAY)  # a lobby that never expires stays live
        assert await store.first_seq(room.id) == 1


async def test_a_resume_from_a_pruned_log_is_answered_behind_with_the_view(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await _closed_room(bot)
        await clock.advance(RETENTION + 2 * DAY)
    async with Client(server.url, app_key) as late:
        reply = await late.request("room.watch", {"room": room, "after": 1})
        assert reply["behind"] is True
        assert reply["room"]["status"] == "closed"
        assert "view" in reply


async def test_a_resume_within_the_log_is_not_behind(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await _closed_room(bot)
        reply = await bot.request("room.watch", {"room": room, "after": 1})
        assert "behind" not in reply


async def test_the_sdk_surfaces_behind_as_one_event_and_goes_on_from_now(
        server: EmbeddedServer, clock: ManualClock, store: Store, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await _closed_room(bot)
        await clock.advance(RETENTION + 2 * DAY)
    async with Client(server.url, app_key) as late:
        await late.watch(room, after=1)
        behind = await late.next_event("behind", timeout=10)
        assert behind.room == room and behind.seq == await store.last_seq(room)
        assert behind.data["room"]["id"] == room and "view" in behind.data
