"""Each health formula (docs/operators.md, "Group health") on small hand-made logs, in
memory: the pure code in server/scoring/daybook.py and server/scoring/health.py.
The same figures through the stores and the server: tests/store/test_contract_health.py
and tests/scoring/test_health_scenarios.py."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable
from zoneinfo import ZoneInfo

import pytest

from server.scoring import health
from server.scoring.daybook import build
from server.scoring.health import GroupFacts
from server.scoring.health_settings import DEFAULTS, HealthSettings
from server.store import LogEntry

TZ = "Asia/Shanghai"
TODAY = dt.date(2026, 11, 23)  # a Monday


def at(days_ago: int, hour: int = 20) -> float:
    d = TODAY - dt.timedelta(days=days_ago)
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=ZoneInfo(TZ)).timestamp()


def act(days_ago: int, member: str, kind: str = "checkin", n: int = 1, hour: int = 20) -> LogEntry:
    return LogEntry(at(days_ago, hour), kind, member, n)


def game(days_ago: int, *players: str) -> LogEntry:
    return LogEntry(at(days_ago), "game", players=players)


def facts(entries: Iterable[LogEntry], members: dict[str, dict[str, Any]] | None = None, roster: int | None = None,
          settings: HealthSettings = DEFAULTS, first_seen: dict[str, int] | None = None) -> GroupFacts:
    entries = list(entries)
    book = build(entries, TODAY, TZ, settings)
    names = {e.member for e in entries if e.member}
    members = members if members is not None else {m: {"first": 0.0, "left": None} for m in names}
    active = [d for d, row in book.points.items() if row]
    day_of = {m: TODAY - dt.timedelta(days=(first_seen or {}).get(m, 200)) for m in members}
    return GroupFacts(book, members, min(active, default=None), max(active, default=None), roster, settings, day_of)


def every_day(member: str, first: int, last: int = 1, step: int = 1) -> list[LogEntry]:
    """``member`` checks in every ``step`` days from ``first`` days ago to ``last`` days ago."""
    return [act(d, member) for d in range(first, last - 1, -step)]


def test_todays_acts_are_left_out_until_the_day_is_complete() -> None:
    book = build([act(0, "a", hour=9), act(1, "a")], TODAY, TZ, DEFAULTS)
    assert list(book.points) == [TODAY - dt.timedelta(days=1)]


def test_a_members_messages_count_up_to_the_daily_cap() -> None:
    book = build([act(1, "loud", "message", 400), act(1, "loud", "message", 100), act(1, "quiet", "message", 3)],
                 TODAY, TZ, DEFAULTS)
    assert book.points[TODAY - dt.timedelta(days=1)] == {"loud": pytest.approx(2.0), "quiet": pytest.approx(0.3)}


def test_weights_are_applied_when_read() -> None:
    s = HealthSettings(activity_weights={**DEFAULTS.activity_weights, "checkin": 5.0})
    assert build([act(1, "a")], TODAY, TZ, s).points[TODAY - dt.timedelta(days=1)] == {"a": 5.0}


def test_participation_never_counts_leavers_and_uses_the_bots_roster() -> None:
    entries = every_day("a", 10) + every_day("gone", 10)
    members = {"a": {"first": 0.0, "left": None}, "gone": {"first": 0.0, "left": 1.0}, "b": {"first": 0.0, "left": None}}
    p = health.participation(facts(entries, members))
    assert (p["members"], p["active"], p["rate"], p["daily_rate"]) == (2, 1, 0.5, 0.5)
    assert health.participation(facts(entries, members, roster=10))["rate"] == 0.1


def test_a_new_group_is_judged_from_its_first_day() -> None:
    p = health.participation(facts([act(1, "a"), act(1, "b")]))
    assert p["daily_rate"] == 1.0 and p["stickiness"] == 1.0


def test_stickiness_is_weekly_over_monthly_active_members() -> None:
    p = health.participation(facts(every_day("a", 20) + [act(20, "b")]))
    assert (p["weekly_active"], p["monthly_active"], p["stickiness"]) == (1, 2, 0.5)


def steady_group(days: int, members: int = 10) -> list[LogEntry]:
    return [e for i in range(members) for e in every_day(f"m{i}", days)]


def test_a_group_under_three_weeks_old_is_new_and_never_cooling() -> None:
    assert health.trend(facts(steady_group(20)))["state"] == "new"
    entries = steady_group(20) + []
    entries = [e for e in entries if e.at < at(10)]  # stopped ten days ago
    assert health.trend(facts(entries))["state"] == "new"


def test_the_baseline_leaves_out_the_two_weeks_under_judgement() -> None:
    entries = [e for e in steady_group(63) if e.at < at(14) or e.member < "m5"]  # half stopped two weeks ago
    t = health.trend(facts(entries))
    assert t["baseline"] == 70 and t["baseline_weeks"] == 6 and t["ratio_7"] == 0.5
    assert t["state"] == "cooling" and t["since"] == (TODAY - dt.timedelta(days=12)).isoformat()


def test_cooling_holds_until_the_group_is_back_near_its_baseline() -> None:
    low = [e for e in steady_group(63) if not (at(20) <= e.at < at(6) and e.member >= "m7")]  # 3 of 10 away for two weeks
    t = health.trend(facts(low))
    assert t["ratio_7"] == pytest.approx(67 / 70) and t["state"] == "active"  # back above recover_share 0.9
    held = [e for e in steady_group(63) if not (at(20) <= e.at < at(3) and e.member >= "m7")]
    t = health.trend(facts(held))
    assert t["ratio_7"] == pytest.approx(58 / 70) and t["state"] == "cooling"  # above 0.8, under 0.9: still cooling


def test_no_activity_for_two_weeks_is_dormant_with_the_last_active_day() -> None:
    entries = [e for e in steady_group(60) if e.at < at(20)]
    t = health.trend(facts(entries))
    assert t["state"] == "dormant" and t["last_active"] == (TODAY - dt.timedelta(days=21)).isoformat()
    assert t["since"] == (TODAY - dt.timedelta(days=6)).isoformat()


def test_at_risk_follows_each_members_own_rhythm() -> None:
    weekly = every_day("weekly", 62, 6, step=7)  # last played 6 days ago, every 7 days
    daily = every_day("daily", 40, 9)              # a daily player silent for 9 days
    assert [r["member"] for r in health.at_risk(facts(weekly + daily))] == ["daily"]
    lapsed = every_day("weekly", 64, 15, step=7)   # missed two weeks: silent 15 > 2 × 7
    risk = health.at_risk(facts(lapsed))
    assert risk == [{"member": "weekly", "usual_gap": 7, "silent_days": 15, "last_active": (
        TODAY - dt.timedelta(days=15)).isoformat(), "active_days": 8, "overdue": pytest.approx(15 / 7)}]


def test_concentration_shows_one_member_carrying_the_group() -> None:
    entries = every_day("loud", 20) * 5 + every_day("a", 20, step=4) + every_day("b", 20, step=4)
    c = health.concentration(facts(entries))
    assert c["top1"] == pytest.approx(200 / 220) and c["top3"] == 1.0 and c["absence_factor"] == 1


def test_coplay_decays_and_connectedness_counts_current_partners() -> None:
    old = [game(30, "a", "b", "c", "d")] * 3  # 2^(-29/7) each: long ago
    new = [game(1, "a", "b", "c", "d"), game(2, "a", "e")]
    f = facts(old + new + [act(1, m) for m in "abcde"])
    w = health.coplay_weights(f)
    assert w[("a", "b")] == pytest.approx(1 + 3 * 2 ** (-29 / 7)) and w[("a", "e")] == pytest.approx(2 ** (-1 / 7))
    assert health.coplay(facts(old + [act(1, m) for m in "abcd"]))["connected"] == 0
    c = health.coplay(f)
    assert (c["connected"], c["members"], c["min_partners"]) == (4, 5, 3)  # a, b, c, d; e has one partner


def test_key_members_need_to_play_or_invite() -> None:
    entries = every_day("chatter", 10) * 3 + [game(1, "a", "b"), act(1, "a", "played"), act(1, "b", "played"),
                                              act(1, "a", "invite")]
    keys = health.key_members(facts(entries))
    assert [k["member"] for k in keys] == ["a", "b"]
    assert keys[0]["invited"] == 1 and keys[0]["coplayers"] == 1


def test_weekly_cohorts_retention_and_churn() -> None:
    entries = (every_day("old", 60) + every_day("stays", 30) + [act(30, "tries")]
               + every_day("quits", 44, 28))
    f = facts(entries, first_seen={"old": 60, "stays": 30, "tries": 30, "quits": 44})
    cohorts = {c["week"]: c for c in health.retention(f)}
    w5 = cohorts[(TODAY - dt.timedelta(days=35)).isoformat()]  # days 35..29 ago
    assert (w5["new"], w5["active_next_week"], w5["active_week_4"]) == (2, 1, 1)
    churn = {c["week"]: c["churned"] for c in health.churn(f)}
    assert churn[(TODAY - dt.timedelta(days=28)).isoformat()] == 1  # "quits": last seen 28 days ago
    assert churn[(TODAY - dt.timedelta(days=35)).isoformat()] == 1  # "tries": once, 30 days ago


def test_newcomers_share_who_finished_a_game() -> None:
    entries = [act(5, "n1", "played"), act(5, "n2", "message")]
    n = health.newcomers(facts(entries, first_seen={"n1": 5, "n2": 5}))
    assert n == {"new": 2, "played": 1, "share": 0.5}


def test_heatmap_is_mean_active_members_per_hour_of_week() -> None:
    entries = [act(d, "a", hour=21) for d in (1, 8, 15, 22)] + [act(1, "b", hour=21), act(1, "b", hour=21)]
    grid = health.heatmap(facts(entries))["hours"]
    sunday = (TODAY - dt.timedelta(days=1)).weekday()
    assert grid[sunday][21] == 1.25 and sum(map(sum, grid)) == 1.25
