"""Boards on both stores: exactly-once results, periods, tie order, paging and the
neighbourhood and friends queries."""
from __future__ import annotations

import pytest

try:
    from tests.store.helpers import game, local_ts, ts
except ImportError:
    from helpers import game, local_ts, ts  # type: ignore[no-redef]

from server.scoring.records import checkin_record, game_record
from server.store import BoardEntry, BoardOp, ResultRecord, Store

TZ = "Asia/Shanghai"
AT = ts("2026-11-22T20:00:00+08:00")


def op_record(key: str, *ops: BoardOp) -> ResultRecord:
    return ResultRecord("a1", key, "g1", "ops", AT, {}, ops)


async def snapshot(store: Store) -> tuple:
    boards = await store.list_boards("a1")
    tops = [await store.board_top("a1", b, 100) for b in boards]
    return (boards, tops, await store.activity_top("a1", "g/g1", AT, 100), await store.activity_top("a1", "app", AT),
            await store.daily_activity("a1", "g1", "2026-11-01", "2026-11-30"),
            await store.group_members("a1", "g1"), await store.coplay_pairs("a1", "g1"))


async def test_applying_the_same_result_twice_changes_nothing(store: Store) -> None:
    record = game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 30), ("bob", 10), winner="ann"), AT, TZ)
    assert await store.apply_result(record) is True
    once = await snapshot(store)
    assert await store.apply_result(record) is False
    assert await snapshot(store) == once
    assert (await store.board_top("a1", "g/g1:quiz:all"))[0] == BoardEntry("ann", 30, 1)


async def test_a_result_reads_back_with_everything_it_carried(store: Store) -> None:
    record = game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 30), ("bob", 10), winner="ann"), AT, TZ)
    await store.apply_result(record)
    assert await store.get_result("a1", "room:r1:1") == record
    assert await store.get_result("a2", "room:r1:1") is None


async def test_a_game_counts_on_every_period_of_the_group_and_the_app(store: Store) -> None:
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 30)), AT, TZ))
    for scope, member in (("g/g1", "ann"), ("app", "g1/ann")):
        for g in ("quiz", "all"):
            for period in ("all", "d2026-11-22", "w2026-W47", "m2026-11"):
                assert await store.board_rank("a1", f"{scope}:{g}:{period}", member) == BoardEntry(member, 30, 1)
    assert await store.list_boards("a1", "g/g1:quiz:") == [
        "g/g1:quiz:all", "g/g1:quiz:d2026-11-22", "g/g1:quiz:m2026-11", "g/g1:quiz:w2026-W47"]


async def test_a_checkin_counts_on_checkin_boards_only(store: Store) -> None:
    await store.apply_result(checkin_record("a1", "g1", "ann", "2026-11-22", 5, AT, TZ))
    assert await store.board_rank("a1", "g/g1:checkin:d2026-11-22", "ann") == BoardEntry("ann", 5, 1)
    assert await store.board_size("a1", "g/g1:all:all") == 0


async def test_daily_and_weekly_boards_roll_over_at_the_groups_midnight(store: Store) -> None:
    before = ts("2026-11-22T23:59:59+08:00")  # Sunday night in Shanghai, 15:59:59 UTC
    after = ts("2026-11-23T00:00:01+08:00")  # Monday
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 10)), before, TZ))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("bob", 20)), after, TZ))
    assert [e.member for e in await store.board_top("a1", "g/g1:quiz:d2026-11-22")] == ["ann"]
    assert [e.member for e in await store.board_top("a1", "g/g1:quiz:d2026-11-23")] == ["bob"]
    assert [e.member for e in await store.board_top("a1", "g/g1:quiz:w2026-W47")] == ["ann"]
    assert [e.member for e in await store.board_top("a1", "g/g1:quiz:w2026-W48")] == ["bob"]
    assert [e.member for e in await store.board_top("a1", "g/g1:quiz:m2026-11")] == ["bob", "ann"]


async def test_the_same_instant_falls_on_different_days_in_different_timezones(store: Store) -> None:
    at = ts("2026-11-22T17:00:00+00:00")  # 01:00 on the 23rd in Shanghai, noon on the 22nd in New York
    await store.apply_result(game_record("a1", "sh", "r1", 1, game("quiz", ("ann", 1)), at, "Asia/Shanghai"))
    await store.apply_result(game_record("a1", "ny", "r2", 1, game("quiz", ("bob", 1)), at, "America/New_York"))
    assert await store.board_size("a1", "g/sh:quiz:d2026-11-23") == 1
    assert await store.board_size("a1", "g/ny:quiz:d2026-11-22") == 1


@pytest.mark.parametrize(("iso", "day", "month"), [
    ("2026-11-01T03:59:00+00:00", "d2026-10-31", "m2026-10"),  # 23:59 EDT, before fall-back
    ("2026-11-01T04:30:00+00:00", "d2026-11-01", "m2026-11"),  # 00:30 EDT
    ("2026-11-02T04:30:00+00:00", "d2026-11-01", "m2026-11"),  # 23:30 EST: the 25-hour day
    ("2026-11-02T05:00:00+00:00", "d2026-11-02", "m2026-11"),  # midnight EST
    ("2026-03-09T03:30:00+00:00", "d2026-03-08", "m2026-03"),  # 23:30 EDT: the 23-hour day
    ("2026-03-09T04:30:00+00:00", "d2026-03-09", "m2026-03"),  # 00:30 EDT (a fixed -5 would say the 8th)
])
async def test_days_follow_new_york_across_daylight_saving_changes(store: Store, iso: str, day: str,
                                                                   month: str) -> None:
    await store.apply_result(game_record("a1", "ny", "r1", 1, game("quiz", ("ann", 7)), ts(iso), "America/New_York"))
    assert await store.board_rank("a1", f"g/ny:quiz:{day}", "ann") == BoardEntry("ann", 7, 1)
    assert await store.board_rank("a1", f"g/ny:quiz:{month}", "ann") == BoardEntry("ann", 7, 1)


async def test_a_season_board_counts_results_between_its_local_dates(store: Store) -> None:
    settings = {"seasons": [{"name": "autumn", "start": "2026-11-01", "end": "2026-11-22"}]}
    inside = local_ts(2026, 11, 22, 23, 30, TZ)
    outside = local_ts(2026, 11, 23, 0, 30, TZ)
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 5)), inside, TZ, settings))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("bob", 9)), outside, TZ, settings))
    assert [e.member for e in await store.board_top("a1", "g/g1:all:sautumn")] == ["ann"]


async def test_ties_go_to_whoever_reached_the_score_first(store: Store) -> None:
    await store.apply_result(op_record("k1", BoardOp("b:x:all", "late", "incr", 5)))
    await store.apply_result(op_record("k2", BoardOp("b:x:all", "early", "incr", 10)))
    await store.apply_result(op_record("k3", BoardOp("b:x:all", "late", "incr", 5)))
    await store.apply_result(op_record("k4", BoardOp("b:x:all", "zed", "incr", 10)))
    top = await store.board_top("a1", "b:x:all")
    assert [(e.member, e.score, e.rank) for e in top] == [("early", 10, 1), ("late", 10, 2), ("zed", 10, 3)]
    assert await store.board_rank("a1", "b:x:all", "zed") == BoardEntry("zed", 10, 3)


async def test_operator_ops_best_set_and_incr(store: Store) -> None:
    b = "g/g1:quiz:all"
    await store.apply_result(op_record("k1", BoardOp(b, "ann", "best", 50)))
    await store.apply_result(op_record("k2", BoardOp(b, "ann", "best", 40)))
    assert (await store.board_rank("a1", b, "ann")).score == 50  # type: ignore[union-attr]
    await store.apply_result(op_record("k3", BoardOp(b, "ann", "incr", 2.5)))
    assert (await store.board_rank("a1", b, "ann")).score == 52.5  # type: ignore[union-attr]
    await store.apply_result(op_record("k4", BoardOp(b, "ann", "set", 7)))
    assert (await store.board_rank("a1", b, "ann")).score == 7  # type: ignore[union-attr]
    await store.apply_result(op_record("k5", BoardOp(b, "ann", "set", -3)))
    assert (await store.board_rank("a1", b, "ann")).score == -3  # type: ignore[union-attr]


async def test_an_unchanged_best_keeps_its_place_in_a_tie(store: Store) -> None:
    b = "g/g1:quiz:all"
    await store.apply_result(op_record("k1", BoardOp(b, "ann", "best", 50)))
    await store.apply_result(op_record("k2", BoardOp(b, "bob", "best", 50)))
    await store.apply_result(op_record("k3", BoardOp(b, "ann", "best", 50)))
    assert [e.member for e in await store.board_top("a1", b)] == ["ann", "bob"]


async def _fill(store: Store, n: int, board: str = "g/g1:quiz:all") -> None:
    await store.apply_result(op_record("fill", *(BoardOp(board, f"m{i:02d}", "set", 100 - i) for i in range(n))))


async def test_cursor_paging_walks_the_whole_board_once(store: Store) -> None:
    await _fill(store, 25)
    seen, cursor, pages = [], None, 0
    while True:
        entries, cursor = await store.board_page("a1", "g/g1:quiz:all", 10, cursor)
        seen += entries
        pages += 1
        if cursor is None:
            break
    assert pages == 3
    assert [e.member for e in seen] == [f"m{i:02d}" for i in range(25)]
    assert [e.rank for e in seen] == list(range(1, 26))
    with pytest.raises(ValueError):
        await store.board_page("a1", "g/g1:quiz:all", 10, "not-a-cursor!")


async def test_around_me_shows_the_neighbours_and_clips_at_the_ends(store: Store) -> None:
    await _fill(store, 10)
    b = "g/g1:quiz:all"
    assert [e.rank for e in await store.board_around("a1", b, "m05", 2, 2)] == [4, 5, 6, 7, 8]
    assert [e.member for e in await store.board_around("a1", b, "m00", 2, 1)] == ["m00", "m01"]
    assert [e.member for e in await store.board_around("a1", b, "m09", 1, 3)] == ["m08", "m09"]
    assert await store.board_around("a1", b, "nobody") == []


async def test_within_a_list_ranks_only_those_members(store: Store) -> None:
    await _fill(store, 10)
    got = await store.board_within("a1", "g/g1:quiz:all", ["m07", "m02", "ghost", "m05", "m02"])
    assert got == [BoardEntry("m02", 98, 1), BoardEntry("m05", 95, 2), BoardEntry("m07", 93, 3)]
    entries = await store.board_entries("a1", "g/g1:quiz:all", ["m07", "m02"])
    assert [(e.member, e.rank) for e in entries] == [("m02", 3), ("m07", 8)]


async def test_boards_are_walled_per_app(store: Store) -> None:
    await _fill(store, 3)
    assert await store.board_top("a2", "g/g1:quiz:all") == []
    assert await store.board_rank("a2", "g/g1:quiz:all", "m00") is None
    assert await store.list_boards("a2") == []


async def test_scores_keep_full_double_precision(store: Store) -> None:
    b = "g/g1:quiz:all"
    await store.apply_result(op_record("k1", BoardOp(b, "ann", "set", 0.1)))
    await store.apply_result(op_record("k2", BoardOp(b, "ann", "incr", 0.2)))
    await store.apply_result(op_record("k3", BoardOp(b, "bob", "set", 2.0**53 + 2)))
    assert (await store.board_rank("a1", b, "ann")).score == 0.1 + 0.2  # type: ignore[union-attr]
    assert (await store.board_rank("a1", b, "bob")).score == 2.0**53 + 2  # type: ignore[union-attr]
