"""The Store contract for records changed by read, compute, write back (docs/ARCHITECTURE.md,
principle 9): versioned writes refuse a write over one the writer did not see, and a room
create registers the room atomically (one live room per group, idempotency keys). Runs on
both stores; the concurrent cases run many tasks against the store at once."""
from __future__ import annotations

import asyncio

import pytest

from server.store import AppRecord, Conflict, GroupBusy, ResultRecord, RoomRecord, Store


def _room(room_id: str, group: str = "g1", app: str = "a1", at: float = 1.0) -> RoomRecord:
    return RoomRecord(room_id, app, group, "quiz", "lobby", at, at, 0)


async def test_a_checkin_write_over_a_version_it_did_not_read_is_refused(store: Store) -> None:
    assert await store.load_checkin("a1", "g1", "m1") == (None, 0)
    assert await store.save_checkin("a1", "g1", "m1", {"days": ["d1"]}, version=0) is True
    record, version = await store.load_checkin("a1", "g1", "m1")
    assert record == {"days": ["d1"]} and version == 1
    with pytest.raises(Conflict):
        await store.save_checkin("a1", "g1", "m1", {"days": ["d2"]}, version=0)
    result = ResultRecord("a1", "checkin:g1:m1:d2", "g1", "checkin", 1.0, {"points": 3})
    with pytest.raises(Conflict):
        await store.save_checkin("a1", "g1", "m1", {"days": ["d1", "d2"]}, result, version=0)
    assert await store.get_result("a1", result.key) is None  # refused whole: no points either
    assert await store.save_checkin("a1", "g1", "m1", {"days": ["d1", "d2"]}, result, version=1) is True
    assert await store.load_checkin("a1", "g1", "m1") == ({"days": ["d1", "d2"]}, 2)


async def test_of_many_writers_holding_one_version_exactly_one_lands(store: Store) -> None:
    await store.save_checkin("a1", "g1", "m1", {"n": 0}, version=0)

    async def write(i: int) -> bool:
        try:
            await store.save_checkin("a1", "g1", "m1", {"n": i}, version=1)
        except Conflict:
            return False
        return True

    landed = await asyncio.gather(*(write(i) for i in range(1, 21)))
    assert landed.count(True) == 1
    record, version = await store.load_checkin("a1", "g1", "m1")
    assert version == 2 and record == {"n": landed.index(True) + 1}


async def test_group_settings_writes_are_versioned(store: Store) -> None:
    assert await store.load_group_settings("a1", "g1") == ({}, 0)
    await store.set_group_settings("a1", "g1", {"lang": "en"}, version=0)
    assert await store.load_group_settings("a1", "g1") == ({"lang": "en"}, 1)
    with pytest.raises(Conflict):
        await store.set_group_settings("a1", "g1", {"lang": "zh"}, version=0)
    await store.set_group_settings("a1", "g1", {"lang": "zh"})  # unversioned: the operator's overwrite
    assert await store.load_group_settings("a1", "g1") == ({"lang": "zh"}, 2)


async def test_app_settings_writes_are_versioned(store: Store) -> None:
    await store.create_app(AppRecord("a1", "One", 1.0))
    app = await store.get_app("a1")
    assert app is not None and app.version == 0
    await store.update_app_settings("a1", {"seasons": []}, version=app.version)
    with pytest.raises(Conflict):
        await store.update_app_settings("a1", {"x": 1}, version=app.version)
    fresh = await store.get_app("a1")
    assert fresh is not None and fresh.settings == {"seasons": []} and fresh.version == 1
    await store.update_app_settings("missing", {"x": 1}, version=0)  # no app: nothing to change
    assert await store.get_app("missing") is None


async def test_an_exclusive_create_is_refused_while_the_group_has_a_live_room(store: Store) -> None:
    assert await store.create_room(_room("r1"), exclusive=True) == (_room("r1"), True)
    with pytest.raises(GroupBusy) as busy:
        await store.create_room(_room("r2"), exclusive=True)
    assert busy.value.room == "r1"
    assert (await store.create_room(_room("r3", group="g2"), exclusive=True))[1] is True
    assert (await store.create_room(_room("r4", app="a2"), exclusive=True))[1] is True
    assert (await store.create_room(_room("r5"), exclusive=False))[1] is True  # one_game_per_group off


async def test_the_group_is_free_again_once_its_room_is_finished_or_closed(store: Store) -> None:
    first = _room("r1")
    await store.create_room(first, exclusive=True)
    first.status = "closed"
    await store.save_room(first)
    second = _room("r2")
    assert (await store.create_room(second, exclusive=True))[1] is True
    second.status = "finished"
    await store.commit_step(second, 1, {"op": "create"}, [], b"snapshot")
    assert (await store.create_room(_room("r3"), exclusive=True))[1] is True


async def test_of_fifty_simultaneous_exclusive_creates_exactly_one_lands(store: Store) -> None:
    async def create(i: int) -> bool:
        try:
            return (await store.create_room(_room(f"r{i}"), exclusive=True))[1]
        except GroupBusy:
            return False

    created = await asyncio.gather(*(create(i) for i in range(50)))
    assert created.count(True) == 1
    assert [r.id for r in await store.list_rooms("a1", "g1", live_only=True)] == [f"r{created.index(True)}"]


async def test_a_create_retried_with_its_key_returns_the_first_room(store: Store) -> None:
    assert (await store.create_room(_room("r1"), exclusive=True, key="k1"))[1] is True
    again, created = await store.create_room(_room("r2"), exclusive=True, key="k1")
    assert (again.id, created) == ("r1", False)
    other_app, created = await store.create_room(_room("r3", app="a2"), exclusive=True, key="k1")
    assert (other_app.id, created) == ("r3", True)  # keys are per app

