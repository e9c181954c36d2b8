"""A seeded 60-day history of one group, applied through the store, yields the documented
health figures, on both stores. The story: two lively weeks, a quiet third week (the
cooling alarm), recovery; three members fade in the last two weeks, one leaves."""
from __future__ import annotations

import datetime as dt
import random

import pytest

try:
    from tests.store.helpers import game, local_ts
except ImportError:
    from helpers import game, local_ts  # type: ignore[no-redef]

from server import health_read
from server.scoring.activity import report_record
from server.scoring.records import game_record
from server.store import AppRecord, Store

TZ = "Asia/Shanghai"
START = dt.date(2026, 9, 1)
MEMBERS = [f"m{i:02d}" for i in range(20)]
INVITED = MEMBERS[15:]  # invited by m00 on day 1
FADING = ["m10", "m11", "m12"]  # silent from day 46
LEAVER = "m14"  # leaves on day 50


def at(day: int, hour: int, minute: int = 0) -> float:
    d = START + dt.timedelta(days=day)
    return local_ts(d.year, d.month, d.day, hour, minute, TZ)


def present(day: int) -> list[str]:
    out = [m for m in MEMBERS if not (m in INVITED and day < 2)]
    if day >= 46:
        out = [m for m in out if m not in FADING]
    if day >= 50:
        out = [m for m in out if m != LEAVER]
    return out


async def simulate(store: Store, seed: int = 7) -> dict[int, set[str]]:
    """Apply the 60 days; returns who had any points on each day (for the expectations)."""
    rng = random.Random(seed)
    active: dict[int, set[str]] = {}
    room = 0
    for day in range(60):
        here = present(day)
        events: list[dict] = []
        if day == 1:
            events += [{"kind": "join", "member": m, "at": at(1, 9), "by": "m00"} for m in INVITED]
        if day == 50:
            events.append({"kind": "leave", "member": LEAVER, "at": at(50, 8)})
        quiet = 14 <= day <= 20
        talkers = here[:3] if quiet else here
        events += [{"kind": "message", "member": m, "at": at(day, 10), "count": rng.randint(1, 5)} for m in talkers]
        await store.apply_result(report_record("a1", "g1", f"day{day}", events, at(day, 22), TZ))
        active[day] = set(talkers)
        games = (1 if day % 2 == 0 else 0) if quiet else (4 if day < 14 else 3)
        for g in range(games):
            others = [m for m in here if m != "m00"]
            players = ["m00"] + rng.sample(others, 2 if quiet else rng.randint(3, 5))
            scores = [(p, rng.randint(0, 50)) for p in players]
            winner = max(scores, key=lambda s: s[1])[0]
            room += 1
            await store.apply_result(game_record("a1", "g1", f"r{room}", 1, game("quiz", *scores, winner=winner),
                                                 at(day, 12 + g), TZ))
            active[day] |= set(players)
    return active


async def test_sixty_days_yield_the_documented_health_figures(store: Store) -> None:
    await simulate(store)
    await store.create_app(AppRecord("a1", "A", 0.0))

    states = {}
    for day in range(1, 60):
        report = await health_read.group_report(store, "a1", "g1", at(day, 23, 30), TZ)
        states[day] = report["state"]["state"]
    assert {states[d] for d in range(1, 21)} == {"new"}  # judged only once it has three weeks
    assert states[21] == "cooling"  # the quiet third week (days 14-20), judged as soon as the group may be
    assert states[59] == "active"

    figures = await health_read.group_report(store, "a1", "g1", at(59, 23, 30), TZ)
    assert figures["today"] == (START + dt.timedelta(days=59)).isoformat()
    dam = dict(figures["daily_active"])
    assert len(dam) == 30 and dam[(START + dt.timedelta(days=58)).isoformat()] == 16

    part = figures["participation"]
    assert (part["members"], part["weekly_active"], part["monthly_active"]) == (19, 16, 20)
    assert part["active"] == 19 and part["rate"] == 1.0 and part["stickiness"] == 16 / 20
    assert part["daily_rate"] == pytest.approx((17 * 19 + 13 * 16) / 30 / 19)  # current members only: the leaver is out

    assert sorted(r["member"] for r in figures["at_risk"]) == FADING  # silent 14 days, daily players before
    assert all(r["usual_gap"] == 1 and r["silent_days"] == 14 for r in figures["at_risk"])

    key = figures["key_members"][0]
    assert key["member"] == "m00" and key["invited"] == 5 and key["coplayers"] == 19
    assert figures["coplay"]["connected"] == 19 and figures["coplay"]["members"] == 19
    assert figures["churn"][1]["churned"] == 1  # the leaver, in the week they left
    assert figures["newcomers"] == {"new": 0, "played": 0, "share": None}
