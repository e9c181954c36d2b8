"""How long rooms live (issue 10, item 6; docs/PROTOCOL.md, Rooms; docs/operators.md, "Room
lifetimes"): a lobby nobody starts closes after ``lobby_ttl`` and frees its group, restarts
included, and a finished or closed room leaves the server's memory while its log and result
stay readable from the store. Times move on the manual clock."""
from __future__ import annotations

from pathlib import Path

import httpx

from sdk import Client
from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store

TTL = Settings().lobby_ttl


async def test_a_lobby_nobody_starts_closes_after_lobby_ttl_and_frees_its_group(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        await bot.join(room.id, "u1", "Ann")
        await clock.advance(TTL - 1)
        assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "lobby"
        await clock.advance(2)
        closed = await bot.next_event("room_closed", timeout=10)
        assert closed.data == {"reason": "expired"}
        assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "closed"
        again = await bot.create_room("g1", "quiz", {"questions": 1})
        assert again.id != room.id


async def test_a_started_game_is_not_expired_as_a_lobby(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 20})
        await bot.join(room.id, "u1", "Ann")
        await bot.start(room.id)
        await clock.advance(10)
        assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "playing"


async def test_a_lobby_left_over_from_before_a_restart_still_expires(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    first = EmbeddedServer(settings, clock=clock, store=store)
    async with first.running():
        async with Client(first.url, app_key) as bot:
            room = await bot.create_room("g1", "quiz", {"questions": 1})
    await clock.advance(TTL + 60)  # the server was down when the lobby's time ran out
    second = EmbeddedServer(settings, clock=clock, store=store)
    async with second.running():
        await clock.advance(1)
        async with Client(second.url, app_key) as bot:
            assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "closed"
            await bot.create_room("g1", "quiz", {"questions": 1})


async def test_a_finished_game_leaves_memory_and_its_log_and_result_stay_readable(
        server: EmbeddedServer, clock: ManualClock, store: Store, tmp_path: Path) -> None:
    app, key = await create_app(store, "lifetimes-bot")
    async with Client(server.url, key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 20})
        await bot.join(room.id, "u1", "Ann")
        await bot.start(room.id)
        await bot.next_event("question", timeout=10)
        await clock.advance(21)
        await bot.next_event("game_over", timeout=10)
        await bot.ping()  # a barrier: the game's last step is done
        assert room.id not in server.services.rooms.rooms
        assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "finished"
    assert await store.get_result(app.id, f"room:{room.id}:1") is not None
    async with httpx.AsyncClient(base_url=server.http) as http:
        reply = await http.get(f"/v1/rooms/{room.id}/events", headers={"Authorization": f"Bearer {key}"})
    assert reply.status_code == 200
    assert "game_over" in [e["kind"] for e in reply.json()["events"]]


async def test_a_closed_room_leaves_memory(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        await bot.request("room.close", {"room": room.id})
        assert room.id not in server.services.rooms.rooms
        assert (await bot.request("room.get", {"room": room.id}))["room"]["status"] == "closed"
