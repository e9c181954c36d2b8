"""Each health formula on small hand-made facts (the 60-day story runs through the stores in
tests/store/test_contract_health.py)."""
from __future__ import annotations

import datetime as dt

from server.scoring import health
from server.scoring.health import GroupFacts

TODAY = dt.date(2026, 11, 22)


def day(n: int) -> str:
    """n days before TODAY."""
    return (TODAY - dt.timedelta(days=n)).isoformat()


def member(left: float | None = None, by: str | None = None, credited: bool = False) -> dict:
    return {"first": 0.0, "left": left, "invited_by": by, "credited": credited}


def facts(daily: dict, members: dict | None = None, pairs: dict | None = None, activity: dict | None = None) -> GroupFacts:
    names = {m for row in daily.values() for m in row}
    return GroupFacts(TODAY, daily, members or {m: member() for m in names}, pairs or {}, activity or {})


def test_daily_active_counts_members_with_points_each_day() -> None:
    f = facts({day(0): {"a": 1, "b": 0.5}, day(2): {"a": 1}})
    dam = dict(health.daily_active(f, days=3))
    assert dam == {day(2): 1, day(1): 0, day(0): 2}


def test_participation_divides_by_current_members() -> None:
    f = facts({day(0): {"a": 1}, day(40): {"b": 1}},
              members={"a": member(), "b": member(), "c": member(), "gone": member(left=1.0)})
    p = health.participation(f)
    assert (p["members"], p["active"], p["rate"]) == (3, 1, 1 / 3)
    assert p["daily_rate"] == (1 / 30) / 3


def test_week_over_week_and_the_cooling_flag() -> None:
    daily = {day(d): {"a": 10.0} for d in range(7, 35)}  # four weeks of 70
    daily.update({day(d): {"a": 4.0} for d in range(0, 7)})  # last week 28 < 0.5 × 70
    t = health.trend(facts(daily))
    assert t["weeks"][:2] == [28.0, 70.0] and t["baseline"] == 70.0 and t["baseline_weeks"] == 4
    assert t["wow"] == (28 - 70) / 70 and t["cooling"] is True
    assert health.trend(facts(daily), cooling_share=0.3)["cooling"] is False


def test_a_young_group_is_compared_with_the_weeks_it_has() -> None:
    daily = {day(d): {"a": 10.0} for d in range(7, 14)}
    daily[day(0)] = {"a": 1.0}
    t = health.trend(facts(daily))
    assert t["baseline_weeks"] == 1 and t["baseline"] == 70.0 and t["cooling"] is True
    assert health.trend(facts({day(0): {"a": 1.0}}))["cooling"] is False  # no baseline yet


def test_members_at_risk_were_regulars_and_nearly_stopped() -> None:
    daily: dict = {}
    for d in range(7, 35, 2):
        daily.setdefault(day(d), {}).update({"fading": 2.0, "steady": 2.0, "rare": 0.0})
    daily[day(21)]["rare"] = 5.0  # active on one day only: not a regular
    daily[day(1)] = {"steady": 3.0, "fading": 0.1}
    risk = health.at_risk(facts(daily))
    assert [r["member"] for r in risk] == ["fading"]
    assert risk[0]["weekly_before"] == 7.0 and risk[0]["last_week"] == 0.1 and risk[0]["last_active"] == day(1)


def test_key_members_weigh_activity_coplayers_and_invitations() -> None:
    members = {"a": member(), "b": member(), "c": member(by="a", credited=True), "d": member(by="a")}
    pairs = {("a", "b"): 1, ("a", "c"): 3, ("b", "c"): 1}
    keys = health.key_members(facts({}, members, pairs, {"a": 5.0, "b": 10.0, "c": 1.0}))
    assert [k["member"] for k in keys] == ["b", "a", "c"]  # b: 0.5 + 0.3; a: 0.25 + 0.3 + 0.2
    assert keys[1] == {"member": "a", "key": 0.75, "activity": 5.0, "coplayers": 2, "invited": 1}


def test_coplay_share_counts_members_with_two_repeat_partners() -> None:
    members = {m: member() for m in "abcd"}
    pairs = {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1, ("a", "d"): 5}
    assert health.coplay_share(facts({}, members, pairs)) == {"members": 4, "tied": 1, "share": 0.25}
