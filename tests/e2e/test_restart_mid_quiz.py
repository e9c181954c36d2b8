"""A server restarted in the middle of a quiz loses no answer and carries on with its timers."""
from __future__ import annotations

import itertools

import pytest

from sdk import Client
from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store, open_store
from server.store.redis_store import RedisStore

_namespaces = itertools.count()


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "sqlite":
        return settings.store
    return request.getfixturevalue("redis_server").url


async def _open(url: str, namespace: str) -> Store:
    """A fresh store connection, as a restarted process would open it."""
    if url.startswith("redis://"):
        store: Store = RedisStore(url, prefix=namespace)
        await store.open()
        return store
    return await open_store(url)


async def test_restarting_mid_quiz_keeps_every_answer_and_the_quiz_finishes_on_its_timers(
        settings: Settings, clock: ManualClock, store_url: str) -> None:
    namespace = f"restart{next(_namespaces)}:"
    store = await _open(store_url, namespace)
    _, key = await create_app(store, "bot")
    first = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: 11)
    await first.start()
    async with Client(first.url, key, reconnect=False) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 3, "seconds": 20, "reveal_seconds": 2})
        for member in ("u1", "u2", "u3"):
            await bot.join(room.id, member, member.upper())
        await bot.start(room.id)
        await clock.advance(1)
        await bot.act(room.id, {"answer": 0}, player="u1")
        await bot.act(room.id, {"answer": 1}, player="u2")
        last_seen = (await bot.view(room.id))["room"]["seq"]
    await first.stop()
    await store.close()

    # A new process: a new store connection and a new server on the same data.
    store = await _open(store_url, namespace)
    second = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: 11)
    await second.start()
    try:
        async with Client(second.url, key) as bot:
            restored = await bot.watch(room.id, after=last_seen)
            assert restored.status == "playing"
            view = await bot.view(room.id, player="u1")
            assert view["view"]["you"]["answered"] is True
            assert (await bot.view(room.id, player="u2"))["view"]["you"]["answered"] is True
            assert (await bot.view(room.id, player="u3"))["view"]["you"]["answered"] is False
            # The last member answers after the restart; the first question's timer still fires.
            await bot.act(room.id, {"answer": 2}, player="u3")
            reveal = (await bot.next_event("reveal", timeout=5)).data
            assert set(reveal["answers"]) == {"u1", "u2", "u3"}
            for _ in range(2):
                await clock.advance(3)
                await bot.next_event("question", timeout=5)
                await clock.advance(21)
                await bot.next_event("reveal", timeout=5)
            over = await bot.next_event("game_over", timeout=5)
            assert over.result is not None and {p.player for p in over.result.players} == {"u1", "u2", "u3"}
            seqs = [e.seq for e in (await store.read_events(room.id, 0))]
            assert seqs == list(range(1, len(seqs) + 1))
    finally:
        await second.stop()
        await store.close()


async def test_a_timer_that_fell_due_while_the_server_was_down_fires_on_restart(
        settings: Settings, clock: ManualClock) -> None:
    store = await open_store(settings.store)
    _, key = await create_app(store, "bot")
    first = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: 11)
    await first.start()
    async with Client(first.url, key, reconnect=False) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10})
        await bot.join(room.id, "u1", "Alice")
        await bot.start(room.id)
    await first.stop()
    await clock.advance(60)  # the deadline passes while nothing runs

    second = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: 11)
    await second.start()
    try:
        await clock.advance(0)  # the re-armed timer is already due
        async with Client(second.url, key) as bot:
            assert (await bot.room(room.id)).status == "finished"
            result = await store.get_result(second.services.rooms.rooms[room.id].record.app, f"room:{room.id}:1")
            assert result is not None
    finally:
        await second.stop()
        await store.close()
