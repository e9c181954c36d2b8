"""Room leases and fencing on a real redis-server: one owner at a time, an epoch that rises
with each new owner, and a commit under a stale epoch refused with nothing written."""
from __future__ import annotations

import asyncio
import itertools
from typing import AsyncIterator

import pytest

from server.nodes.leases import RedisNodes
from server.store import Fenced, RoomRecord, StoredEvent
from server.store.redis_store import RedisStore
from tests.redis_server import RedisServer

_prefixes = itertools.count()


@pytest.fixture
async def store(redis_server: RedisServer) -> AsyncIterator[RedisStore]:
    s = RedisStore(redis_server.url, prefix=f"lease{next(_prefixes)}:")
    await s.open()
    yield s
    await s.close()


def _room() -> RoomRecord:
    return RoomRecord("room_1", "app_1", "g1", "quiz", "lobby", 1.0, 1.0)


async def test_a_room_has_one_owner_and_each_new_owner_a_higher_epoch(store: RedisStore) -> None:
    a, b = RedisNodes(store.db, store.p, 0.2, "node_a"), RedisNodes(store.db, store.p, 0.2, "node_b")
    assert await a.acquire("room_1") == (1, None)
    assert await b.acquire("room_1") == (None, "node_a")
    assert await a.acquire("room_1") == (1, None)  # already ours: same epoch
    await a.release("room_1")
    assert await b.acquire("room_1") == (2, None)
    assert await b.owner("room_1") == "node_b"


async def test_a_lapsed_lease_is_taken_by_another_node_and_the_old_owner_learns_it_lost(store: RedisStore) -> None:
    a, b = RedisNodes(store.db, store.p, 0.15, "node_a"), RedisNodes(store.db, store.p, 0.15, "node_b")
    assert (await a.acquire("room_1"))[0] == 1  # a never renews (no start): its lease lapses
    lost: list[str] = []

    async def on_lost(room_id: str) -> None:
        lost.append(room_id)

    for _ in range(100):
        if (await b.acquire("room_1"))[0] is not None:
            break
        await asyncio.sleep(0.02)
    assert b.held == {"room_1": 2}
    await a.start(on_lost)
    for _ in range(100):
        if lost:
            break
        await asyncio.sleep(0.02)
    await a.close()
    assert lost == ["room_1"] and a.held == {}
    assert await b.owner("room_1") == "node_b"


async def test_a_commit_under_a_stale_epoch_is_refused_and_writes_nothing(store: RedisStore) -> None:
    a, b = RedisNodes(store.db, store.p, 5, "node_a"), RedisNodes(store.db, store.p, 5, "node_b")
    room = _room()
    await a.acquire(room.id)
    await store.commit_step(room, 1, {"op": "create"}, [StoredEvent(1, "room_created", {}, "all", 1.0)], b"s1", 1)
    await a.release(room.id)
    assert (await b.acquire(room.id))[0] == 2
    with pytest.raises(Fenced):
        await store.commit_step(room, 2, {"op": "announce"}, [StoredEvent(2, "announce", {"by": "a"}, "all", 2.0)],
                                None, 1)
    assert [e.seq for e in await store.read_events(room.id, 0)] == [1]
    await store.commit_step(room, 2, {"op": "announce"}, [StoredEvent(2, "announce", {"by": "b"}, "all", 2.0)], None, 2)
    assert [e.data for e in await store.read_events(room.id, 0)] == [{}, {"by": "b"}]


async def test_a_new_epoch_is_above_the_snapshots_even_if_the_rooms_epoch_was_lost(store: RedisStore) -> None:
    """Redis replicates asynchronously: a fail-over can lose the latest epoch, not the snapshot's."""
    a = RedisNodes(store.db, store.p, 5, "node_a")
    room = _room()
    for _ in range(3):
        await a.acquire(room.id)
        await a.release(room.id)
    await store.commit_step(room, 1, {"op": "create"}, [], b"s", 3)
    await store.db.hdel(f"{store.p}room:{room.id}", "epoch")
    assert (await a.acquire(room.id))[0] == 4
