"""Redis under stress: two OS processes applying the same result at once, and a
redis-server that goes away and comes back."""
from __future__ import annotations

import asyncio
import multiprocessing as mp
from typing import AsyncIterator, Iterator

import pytest

try:
    from tests.redis_server import RedisServer
    from tests.store.helpers import game, ts
except ImportError:
    from helpers import game, ts  # type: ignore[no-redef]
    from redis_server import RedisServer  # type: ignore[no-redef]

from server.scoring.records import game_record
from server.store.redis_store import RedisStore

AT = ts("2026-11-22T20:00:00+08:00")


def _record(n: int = 1):  # type: ignore[no-untyped-def]
    return game_record("a1", "g1", f"r{n}", 1, game("quiz", ("ann", 10), ("bob", 5), winner="ann"), AT, "Asia/Shanghai")


def _apply_in_child(url: str, prefix: str, start: "mp.synchronize.Barrier", out: "mp.Queue[list[bool]]") -> None:
    async def go() -> list[bool]:
        store = RedisStore(url, prefix)
        await store.open()
        try:
            start.wait()  # both processes fire together
            return [await store.apply_result(_record(n)) for n in range(20)]
        finally:
            await store.close()

    out.put(asyncio.run(go()))


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture
async def rstore(own_redis: RedisServer) -> AsyncIterator[RedisStore]:
    store = RedisStore(own_redis.url, "f:")
    await store.open()
    yield store
    await store.close()


async def test_two_processes_applying_the_same_results_apply_each_once(own_redis: RedisServer,
                                                                       rstore: RedisStore) -> None:
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_apply_in_child, args=(own_redis.url, "f:", barrier, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [await asyncio.to_thread(out.get, True, 30) for _ in procs]
    for p in procs:
        p.join(10)
    assert [a or b for a, b in zip(*results)] == [True] * 20
    assert [a and b for a, b in zip(*results)] == [False] * 20  # never both
    top = await rstore.board_top("a1", "g/g1:quiz:all")
    assert [(e.member, e.score) for e in top] == [("ann", 200), ("bob", 100)]
    assert (await rstore.activity_of("a1", "g/g1", "ann", AT)).score == pytest.approx(60.0)  # type: ignore[union-attr]
    assert await rstore.coplay_pairs("a1", "g1") == {("ann", "bob"): 20}


async def test_the_store_reconnects_after_redis_restarts(own_redis: RedisServer, rstore: RedisStore) -> None:
    assert await rstore.apply_result(_record(1)) is True
    await asyncio.to_thread(own_redis.restart)
    assert await rstore.apply_result(_record(1)) is False  # the saved data came back, the script is reloaded
    assert await rstore.apply_result(_record(2)) is True
    assert (await rstore.board_rank("a1", "g/g1:quiz:all", "ann")).score == 20  # type: ignore[union-attr]


async def test_a_request_made_while_redis_is_down_succeeds_once_it_is_back(own_redis: RedisServer,
                                                                          rstore: RedisStore) -> None:
    await rstore.apply_result(_record(1))
    await asyncio.to_thread(own_redis.stop)
    pending = asyncio.create_task(rstore.board_top("a1", "g/g1:quiz:all"))
    await asyncio.sleep(0)  # let it hit the closed port and start retrying
    await asyncio.to_thread(own_redis.start)
    assert [e.member for e in await asyncio.wait_for(pending, 10)] == ["ann", "bob"]
