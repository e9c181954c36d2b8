"""A Redis that goes away mid-game (issue 10, item 5; docs/PROTOCOL.md, Errors; docs/operators.md,
"When Redis goes away").

A real server on a private redis-server that the test stops and starts again. While Redis is
away, requests that need it get ``unavailable`` (not ``internal``, and without hanging), and
nothing is applied; the question's deadline passes during the outage (the manual clock moves
25 s), so its tick fails too. When Redis is back the room is reloaded from what was committed,
its timer re-armed and its watchers kept, and the game finishes by itself with one result.
"""
from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest

from sdk import Client, ServerError
from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store.redis_store import RedisStore
from tests.redis_server import RedisServer

QUIZ = {"questions": 2, "seconds": 20, "reveal_seconds": 3}


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture
async def outage_server(own_redis: RedisServer, tmp_path: Path, clock: ManualClock) -> AsyncIterator[EmbeddedServer]:
    store = RedisStore(own_redis.url, "outage:")
    await store.open()
    settings = Settings(host="127.0.0.1", port=0, store=own_redis.url, data_dir=str(tmp_path / "data"),
                        lease_seconds=1.0)
    seeds = random.Random(11).getrandbits
    srv = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: seeds(62))
    await srv.start()
    try:
        yield srv
    finally:
        try:
            await asyncio.wait_for(asyncio.shield(srv.stop()), 30)
        except TimeoutError:  # a hung shutdown fails here, naming what it waits for
            for task in asyncio.all_tasks():
                task.print_stack(limit=6)
            raise
        await store.close()


async def _until_owned_again(srv: EmbeddedServer, room: str) -> None:
    """Wait (bounded) for the node to take the room back from the store: its lease lapses in
    real time, so this waits on the node's sweep, not on the test's clock."""
    for _ in range(600):
        if room in srv.services.rooms.rooms:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the room was never reloaded after Redis came back")


async def _finish(bot: Client, clock: ManualClock, room: str) -> None:
    """Question 1's deadline has passed: its reveal comes from the retried tick; then question
    2 is answered and closes on its timer."""
    await clock.advance(1)
    assert (await bot.next_event("reveal", timeout=10)).data["index"] == 0
    await clock.advance(QUIZ["reveal_seconds"] + 1)
    await bot.next_event("question", timeout=10)
    for member in ("u1", "u2"):
        await bot.act(room, {"answer": 0}, player=member)
    await clock.advance(QUIZ["seconds"] + 1)
    await bot.next_event("game_over", timeout=10)


async def _quiz_in_its_first_question(bot: Client) -> str:
    room = await bot.create_room("g1", "quiz", QUIZ)
    await bot.join(room.id, "u1", "Ann")
    await bot.join(room.id, "u2", "Bob")
    await bot.start(room.id)
    await bot.next_event("question", timeout=10)
    return room.id


async def test_during_an_outage_requests_get_unavailable_and_the_game_then_finishes_by_itself(
        own_redis: RedisServer, outage_server: EmbeddedServer, clock: ManualClock) -> None:
    store = outage_server.services.store
    app, key = await create_app(store, "outage-bot")
    async with Client(outage_server.url, key) as bot:
        room = await _quiz_in_its_first_question(bot)
        own_redis.stop()
        with pytest.raises(ServerError) as act:
            await bot.act(room, {"answer": 0}, player="u1")
        assert act.value.code == "unavailable"
        with pytest.raises(ServerError) as settings:
            await bot.set_group("g1", {"lang": "en"})
        assert settings.value.code == "unavailable"
        await clock.advance(25)  # the question's deadline passes while Redis is away: the tick fails
        own_redis.start()
        await _until_owned_again(outage_server, room)
        await _finish(bot, clock, room)

    log = [e.kind for e in await store.read_events(room, 0)]
    assert log.count("game_over") == 1 and log.count("reveal") == 2
    assert await store.get_result(app.id, f"room:{room}:1") is not None
    assert (await store.load_group_settings(app.id, "g1"))[0] == {}  # the refused change was not applied


async def test_after_a_redis_restart_mid_question_the_game_finishes_by_itself(
        own_redis: RedisServer, outage_server: EmbeddedServer, clock: ManualClock) -> None:
    store = outage_server.services.store
    app, key = await create_app(store, "restart-bot")
    async with Client(outage_server.url, key) as bot:
        room = await _quiz_in_its_first_question(bot)
        own_redis.restart()
        await clock.advance(25)
        if room not in outage_server.services.rooms.rooms:  # the tick met the restart: reloaded
            await _until_owned_again(outage_server, room)
        await _finish(bot, clock, room)
    log = [e.kind for e in await store.read_events(room, 0)]
    assert log.count("game_over") == 1
    assert await store.get_result(app.id, f"room:{room}:1") is not None
