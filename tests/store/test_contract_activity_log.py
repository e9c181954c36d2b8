"""The activity log (``Store.activity_log``/``activity_span``/``activity_groups``) on both
stores: every act of an applied result, invitation credit included, and one ``game`` line
per result with players, written once (an idempotent retry adds nothing) and read by time."""
from __future__ import annotations

from server.scoring.activity import report_record
from server.scoring.records import checkin_record, game_record
from server.store import LogEntry, Store
from tests.store.helpers import game, ts

TZ = "Asia/Shanghai"
T = ts("2026-11-22T10:00:00+08:00")


async def test_a_game_logs_each_act_and_one_game_line(store: Store) -> None:
    record = game_record("a1", "g1", "r1", 1, game("quiz", ("ann", 3), ("bob", 1), winner="ann"), T, TZ)
    assert await store.apply_result(record)
    assert not await store.apply_result(record)  # a retry logs nothing more
    log = await store.activity_log("a1", "g1", 0, T + 1)
    assert sorted((e.kind, e.member) for e in log if e.kind != "game") == [
        ("played", "ann"), ("played", "bob"), ("won", "ann")]
    games = [e for e in log if e.kind == "game"]
    assert len(games) == 1 and sorted(games[0].players) == ["ann", "bob"] and games[0].at == T


async def test_messages_keep_their_count_and_time(store: Store) -> None:
    events = [{"kind": "message", "member": "ann", "at": T - 60, "count": 40},
              {"kind": "join", "member": "cat", "at": T - 30, "by": "ann"}]
    await store.apply_result(report_record("a1", "g1", "b1", events, T, TZ))
    assert await store.activity_log("a1", "g1", 0, T) == [LogEntry(T - 60, "message", "ann", 40, 4.0)]


async def test_invitation_credit_is_logged_for_the_inviter(store: Store) -> None:
    await store.apply_result(report_record("a1", "g1", "b1", [{"kind": "join", "member": "cat", "by": "ann"}], T, TZ))
    await store.apply_result(game_record("a1", "g1", "r1", 1, game("quiz", ("cat", 1), ("bob", 0)), T + 10, TZ))
    log = await store.activity_log("a1", "g1", 0, T + 10)
    assert [(e.member, e.n, e.points) for e in log if e.kind == "invite"] == [("ann", 1, 5.0)]


async def test_reads_are_bounded_by_time_and_scoped_by_app_and_group(store: Store) -> None:
    for i, (app, group) in enumerate([("a1", "g1"), ("a1", "g1"), ("a1", "g2"), ("a2", "g1")]):
        await store.apply_result(checkin_record(app, group, "ann", f"d{i}", 1, T + 3600 * i, TZ))
    assert [e.at for e in await store.activity_log("a1", "g1", T + 1, T + 7200)] == [T + 3600]
    assert await store.activity_span("a1", "g1", T + 10**6) == (T, T + 3600)
    assert await store.activity_span("a1", "g1", T + 1) == (T, T)
    assert await store.activity_span("a1", "g1", T - 1) is None
    assert await store.activity_span("a1", "nope", T + 10**6) is None
    assert await store.activity_groups("a1") == ["g1", "g2"]
    assert await store.activity_groups("a2") == ["g1"]
