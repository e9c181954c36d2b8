"""Log retention (``Store.prune_room_logs``): finished and closed rooms older than the
retention lose their event logs; live, recent and quarantined rooms keep theirs, and results,
boards and activity are untouched. Runs on both stores, on a manual clock."""
from __future__ import annotations

from server.clock import ManualClock
from server.scoring.records import game_record
from server.store import AppRecord, RoomRecord, Store, StoredEvent

try:
    from tests.store.helpers import game, ts
except ImportError:  # tests/store is on sys.path, not its parent
    from helpers import game, ts  # type: ignore[no-redef]

DAY = 86_400.0
TZ = "Asia/Shanghai"
AT = ts("2026-11-22T20:00:00+08:00")


async def _played(store: Store, room_id: str, status: str, at: float, events: int = 3) -> RoomRecord:
    room = RoomRecord(room_id, "a1", "g1", "quiz", status, at, at)
    await store.save_room(room)
    for n in range(1, events + 1):
        await store.commit_step(room, n, {"act": n}, [StoredEvent(n, "e", {"n": n}, "all", at)], None)
    return room


async def _setup(store: Store) -> ManualClock:
    clock = ManualClock()
    await store.create_app(AppRecord("a1", "One", clock.now()))
    return clock


async def test_a_finished_room_older_than_the_retention_keeps_only_its_last_event(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "old", "finished", clock.now())
    clock.jump(31 * DAY)
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 1
    assert [e.seq for e in await store.read_events("old", 0)] == [3]
    assert await store.last_seq("old") == 3
    assert await store.first_seq("old") == 3


async def test_a_closed_room_older_than_the_retention_is_pruned_too(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "gone", "closed", clock.now())
    clock.jump(31 * DAY)
    await store.prune_room_logs(clock.now() - 30 * DAY)
    assert await store.first_seq("gone") == 3


async def test_a_live_room_keeps_its_log_however_old(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "lobby", "lobby", clock.now())
    await _played(store, "live", "playing", clock.now())
    await _played(store, "bad", "quarantined", clock.now())
    clock.jump(365 * DAY)
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 0
    for room in ("lobby", "live", "bad"):
        assert [e.seq for e in await store.read_events(room, 0)] == [1, 2, 3]


async def test_a_recently_finished_room_keeps_its_log(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "recent", "finished", clock.now())
    clock.jump(29 * DAY)
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 0
    assert await store.first_seq("recent") == 1


async def test_pruning_twice_is_harmless(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "old", "finished", clock.now())
    clock.jump(31 * DAY)
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 1
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 0
    assert [e.seq for e in await store.read_events("old", 0)] == [3]


async def test_pruning_leaves_results_boards_and_activity_alone(store: Store) -> None:
    clock = await _setup(store)
    await _played(store, "r1", "finished", clock.now())
    record = game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 3), ("bob", 1), winner="ann"), AT, TZ)
    await store.apply_result(record)
    boards = {b: await store.board_top("a1", b) for b in await store.list_boards("a1")}
    activity = await store.activity_top("a1", "g/g1", AT)
    clock.jump(31 * DAY)
    assert await store.prune_room_logs(clock.now() - 30 * DAY) == 1
    assert await store.get_result("a1", record.key) == record
    assert boards and {b: await store.board_top("a1", b) for b in await store.list_boards("a1")} == boards
    assert activity and await store.activity_top("a1", "g/g1", AT) == activity


async def test_a_pruned_room_reloads_from_its_snapshot_and_numbers_on(store: Store) -> None:
    clock = await _setup(store)
    room = await _played(store, "old", "finished", clock.now())
    await store.commit_step(room, 4, {"act": 4}, [StoredEvent(4, "e", {}, "all", clock.now())], b"snap")
    clock.jump(31 * DAY)
    await store.prune_room_logs(clock.now() - 30 * DAY)
    assert await store.load_room_state("old") == (4, b"snap", [])
    assert await store.last_seq("old") == 4
