"""The Store contract outside boards: apps, keys, secrets, groups, rooms, packs, check-ins.
Runs on both stores."""
from __future__ import annotations

import pytest

from server.store import AppRecord, KeyRecord, ResultRecord, RoomRecord, Store, StoredEvent


async def test_an_app_round_trips_and_lists_in_creation_order(store: Store) -> None:
    await store.create_app(AppRecord("a2", "Two", 2.0))
    await store.create_app(AppRecord("a1", "One", 1.5, {"x": 1}))
    assert await store.get_app("a1") == AppRecord("a1", "One", 1.5, {"x": 1})
    assert [a.id for a in await store.list_apps()] == ["a1", "a2"]
    assert await store.get_app("nope") is None


async def test_app_settings_are_replaced(store: Store) -> None:
    await store.create_app(AppRecord("a1", "One", 1.0))
    await store.update_app_settings("a1", {"activity_weights": {"message": 0.5}})
    app = await store.get_app("a1")
    assert app is not None and app.settings == {"activity_weights": {"message": 0.5}}


async def test_a_key_is_found_listed_and_revoked_once(store: Store) -> None:
    await store.add_key(KeyRecord("h1", "a1", "cf_ab", 1.0))
    await store.add_key(KeyRecord("h2", "a1", "cf_cd", 2.0))
    assert await store.find_key("h1") == KeyRecord("h1", "a1", "cf_ab", 1.0)
    assert [k.key_hash for k in await store.list_keys("a1")] == ["h1", "h2"]
    assert await store.revoke_key("h1", 5.0) is True
    assert await store.revoke_key("h1", 6.0) is False
    assert await store.revoke_key("missing", 6.0) is False
    key = await store.find_key("h1")
    assert key is not None and key.revoked_at == 5.0


async def test_a_secret_is_generated_once(store: Store) -> None:
    assert await store.get_secret("tokens", b"first") == b"first"
    assert await store.get_secret("tokens", b"second") == b"first"


async def test_group_settings_round_trip(store: Store) -> None:
    assert await store.get_group_settings("a1", "g1") == {}
    await store.set_group_settings("a1", "g1", {"timezone": "Europe/Berlin"})
    assert await store.get_group_settings("a1", "g1") == {"timezone": "Europe/Berlin"}
    assert await store.get_group_settings("a2", "g1") == {}


async def test_remember_keeps_the_newest_items_first(store: Store) -> None:
    for i, item in enumerate(["a", "b", "c", "a", "d"]):
        await store.remember("a1", "g1", "spy", item, float(i), keep=3)
    assert await store.recent("a1", "g1", "spy") == ["d", "a", "c"]
    assert await store.recent("a1", "g1", "quiz") == []


def _room(status: str = "lobby", round_no: int = 0, updated: float = 1.0) -> RoomRecord:
    return RoomRecord("r1", "a1", "g1", "quiz", status, 1.0, updated, round_no)


async def test_rooms_are_scoped_by_app_and_live_rooms_are_listed(store: Store) -> None:
    await store.save_room(_room())
    await store.save_room(RoomRecord("r2", "a1", "g2", "spy", "finished", 2.0, 2.0))
    assert await store.get_room("a1", "r1") == _room()
    assert await store.get_room("a2", "r1") is None
    assert [r.id for r in await store.list_rooms("a1")] == ["r1", "r2"]
    assert [r.id for r in await store.list_rooms("a1", group="g2")] == ["r2"]
    assert [r.id for r in await store.list_rooms("a1", live_only=True)] == ["r1"]
    assert [r.id for r in await store.live_rooms()] == ["r1"]
    await store.save_room(_room("closed", 1, 3.0))
    assert await store.live_rooms() == []
    assert await store.get_room("a1", "r1") == _room("closed", 1, 3.0)


async def test_commit_step_logs_inputs_and_events_and_a_snapshot_drops_covered_inputs(store: Store) -> None:
    room = _room("playing")
    ev = [StoredEvent(1, "start", {"a": 1}, "all", 1.0), StoredEvent(2, "secret", {"w": "x"}, ["p1"], 1.0)]
    await store.commit_step(room, 1, {"act": "start"}, ev, None)
    await store.commit_step(room, 2, {"act": "a"}, [StoredEvent(3, "ans", {}, "bots", 2.0)], None)
    assert await store.load_room_state("r1") == (0, None, [{"act": "start"}, {"act": "a"}])
    assert await store.read_events("r1", 1) == [StoredEvent(2, "secret", {"w": "x"}, ["p1"], 1.0),
                                                StoredEvent(3, "ans", {}, "bots", 2.0)]
    assert [e.seq for e in await store.read_events("r1", 0, limit=2)] == [1, 2]
    assert await store.last_seq("r1") == 3
    await store.commit_step(room, 3, {"act": "b"}, [], b"\x00snap\xff")
    await store.commit_step(room, 4, {"act": "c"}, [], None)
    assert await store.load_room_state("r1") == (3, b"\x00snap\xff", [{"act": "c"}])
    assert await store.last_seq("missing") == 0


async def test_a_repeated_input_number_is_refused_and_changes_nothing(store: Store) -> None:
    room = _room("playing")
    await store.commit_step(room, 1, {"act": "start"}, [StoredEvent(1, "start", {}, "all", 1.0)], None)
    with pytest.raises(Exception):  # noqa: B017 (each store raises its own driver's error)
        await store.commit_step(room, 1, {"act": "again"}, [StoredEvent(2, "x", {}, "all", 1.0)], None)
    assert await store.load_room_state("r1") == (0, None, [{"act": "start"}])
    assert await store.last_seq("r1") == 1


async def test_packs_are_stored_listed_and_deleted(store: Store) -> None:
    await store.put_pack("a1", "quiz", "b", [{"id": "2"}], 1.0)
    await store.put_pack("a1", "quiz", "a", [{"id": "1"}], 2.0)
    await store.put_pack("a1", "spy", "s", [{"id": "s"}], 3.0)
    assert [p["name"] for p in await store.list_packs("a1")] == ["a", "b", "s"]
    assert await store.list_packs("a1", "quiz") == [{"kind": "quiz", "name": "a", "count": 1, "at": 2.0},
                                                    {"kind": "quiz", "name": "b", "count": 1, "at": 1.0}]
    assert await store.pack_items("a1", "quiz") == [{"id": "1"}, {"id": "2"}]
    assert await store.delete_pack("a1", "quiz", "a") is True
    assert await store.delete_pack("a1", "quiz", "a") is False
    assert await store.pack_items("a2", "quiz") == []


async def test_a_checkin_saves_with_its_result_exactly_once(store: Store) -> None:
    result = ResultRecord("a1", "checkin:g1:m1:2026-11-22", "g1", "checkin", 1.0, {"points": 3})
    assert await store.save_checkin("a1", "g1", "m1", {"streak": 1}, result) is True
    assert await store.save_checkin("a1", "g1", "m1", {"streak": 99}, result) is False
    assert await store.get_checkin("a1", "g1", "m1") == {"streak": 1}
    assert await store.get_checkin("a1", "g1", "m2") is None
    await store.save_checkin("a1", "g1", "m2", {"streak": 2})
    assert await store.get_checkin("a1", "g1", "m2") == {"streak": 2}
