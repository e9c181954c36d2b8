"""Activity on both stores: weights, decay with re-basing, the bot's batches, invitation
credit, daily rows and co-play pairs."""
from __future__ import annotations

import pytest

try:
    from tests.store.helpers import game, ts
except ImportError:
    from helpers import game, ts  # type: ignore[no-redef]

from server.scoring.activity import DAY, report_record
from server.scoring.records import checkin_record, game_record
from server.store import AppRecord, Store

TZ = "Asia/Shanghai"
AT = ts("2026-11-22T20:00:00+08:00")
WEEK = 7 * DAY


async def test_a_game_adds_played_and_won_points_to_members_and_group(store: Store) -> None:
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 3), ("bob", 1), winner="ann"), AT, TZ))
    top = await store.activity_top("a1", "g/g1", AT)
    assert [(e.member, e.score) for e in top] == [("ann", 3.0), ("bob", 1.0)]
    assert [(e.member, e.score) for e in await store.activity_top("a1", "app", AT)] == [("g1", 4.0)]


async def test_weights_come_from_app_settings(store: Store) -> None:
    settings = {"activity_weights": {"played": 4, "won": 0}}
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 3), winner="ann"), AT, TZ, settings))
    assert (await store.activity_of("a1", "g/g1", "ann", AT)).score == 4.0  # type: ignore[union-attr]


async def test_points_halve_every_half_life(store: Store) -> None:
    await store.apply_result(checkin_record("a1", "g1", "ann", "2026-11-22", 1, AT, TZ))  # 2 points
    assert (await store.activity_of("a1", "g/g1", "ann", AT + WEEK)).score == pytest.approx(1.0)  # type: ignore[union-attr]
    assert (await store.activity_of("a1", "g/g1", "ann", AT + 2 * WEEK)).score == pytest.approx(0.5)  # type: ignore[union-attr]


async def test_the_half_life_is_an_app_setting(store: Store) -> None:
    settings = {"activity_half_life_days": 1}
    await store.create_app(AppRecord("a1", "One", 0.0, settings))
    await store.apply_result(checkin_record("a1", "g1", "ann", "2026-11-22", 1, AT, TZ, settings))
    assert (await store.activity_of("a1", "g/g1", "ann", AT + DAY)).score == pytest.approx(1.0)  # type: ignore[union-attr]


async def test_recent_points_outrank_older_larger_ones(store: Store) -> None:
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("old", 1), winner="old"), AT, TZ))  # 3
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("new", 1)), AT + 2 * WEEK, TZ))  # 1
    top = await store.activity_top("a1", "g/g1", AT + 2 * WEEK)
    assert [(e.member, round(e.score, 9)) for e in top] == [("new", 1.0), ("old", 0.75)]
    assert (await store.activity_of("a1", "g/g1", "old", AT + 2 * WEEK)).rank == 2  # type: ignore[union-attr]


async def test_rebasing_after_many_half_lives_keeps_scores_and_order(store: Store) -> None:
    later = AT + 45 * WEEK  # beyond the re-base threshold of 40 half-lives
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 1), winner="ann"), AT, TZ))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("bob", 1)), later, TZ))
    top = await store.activity_top("a1", "g/g1", later)
    assert [e.member for e in top] == ["bob", "ann"]
    assert top[0].score == pytest.approx(1.0)
    assert top[1].score == pytest.approx(3.0 * 2.0**-45)
    assert (await store.activity_of("a1", "app", "g1", later)).score == pytest.approx(1 + 3.0 * 2.0**-45)  # type: ignore[union-attr]


async def test_a_batch_counts_once_per_batch_id(store: Store) -> None:
    events = [{"kind": "message", "member": "ann", "at": AT, "count": 10},
              {"kind": "message", "member": "bob", "at": AT}]
    assert await store.apply_result(report_record("a1", "g1", "b-1", events, AT, TZ)) is True
    assert await store.apply_result(report_record("a1", "g1", "b-1", events, AT, TZ)) is False
    top = await store.activity_top("a1", "g/g1", AT)
    assert [(e.member, round(e.score, 9)) for e in top] == [("ann", 1.0), ("bob", 0.1)]


async def test_daily_rows_sum_points_per_member_per_local_day(store: Store) -> None:
    await store.apply_result(checkin_record("a1", "g1", "ann", "2026-11-22", 1, AT, TZ))
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 1), ("bob", 0)), AT + 60, TZ))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("bob", 1)), AT + DAY, TZ))
    assert await store.daily_activity("a1", "g1", "2026-11-01", "2026-11-30") == {
        "2026-11-22": {"ann": 3.0, "bob": 1.0}, "2026-11-23": {"bob": 1.0}}
    assert await store.daily_activity("a1", "g1", "2026-11-23", "2026-11-23") == {"2026-11-23": {"bob": 1.0}}


async def test_each_game_counts_one_coplay_for_every_pair(store: Store) -> None:
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 1), ("bob", 0), ("cat", 0)), AT, TZ))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("cat", 1), ("ann", 0)), AT, TZ))
    assert await store.coplay_pairs("a1", "g1") == {("ann", "bob"): 1, ("ann", "cat"): 2, ("bob", "cat"): 1}


async def test_an_inviter_is_credited_once_when_the_invitee_first_plays(store: Store) -> None:
    await store.apply_result(report_record("a1", "g1", "b1", [
        {"kind": "join", "member": "new", "at": AT, "by": "host"}], AT, TZ))
    members = await store.group_members("a1", "g1")
    assert members["new"] == {"first": AT, "left": None, "invited_by": "host", "credited": False}
    assert await store.activity_of("a1", "g/g1", "host", AT) is None
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("new", 1)), AT + 60, TZ))
    await store.apply_result(game_record("a1", "g1", "r2", 1, game("quiz", ("new", 1)), AT + 120, TZ))
    assert (await store.activity_of("a1", "g/g1", "host", AT + 60)).score == pytest.approx(5.0)  # type: ignore[union-attr]
    assert (await store.group_members("a1", "g1"))["new"]["credited"] is True


async def test_members_are_seen_join_and_leave(store: Store) -> None:
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 1)), AT, TZ))
    await store.apply_result(report_record("a1", "g1", "b1", [
        {"kind": "leave", "member": "ann", "at": AT + 10}, {"kind": "join", "member": "bob", "at": AT + 20}], AT, TZ))
    members = await store.group_members("a1", "g1")
    assert members["ann"]["first"] == AT and members["ann"]["left"] == AT + 10
    assert members["bob"] == {"first": AT + 20, "left": None, "invited_by": None, "credited": False}
    await store.apply_result(report_record("a1", "g1", "b2", [{"kind": "join", "member": "ann", "at": AT + 30}], AT, TZ))
    assert (await store.group_members("a1", "g1"))["ann"]["left"] is None
