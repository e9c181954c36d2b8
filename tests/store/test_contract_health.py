"""A seeded 60-day history of one group, applied through the store, yields the documented
health figures, on both stores. The story: two lively weeks, a quiet third week (the
cooling alarm), recovery; three members fade in the last two weeks, one leaves."""
from __future__ import annotations

import datetime as dt
import random

try:
    from tests.store.helpers import game, local_ts
except ImportError:
    from helpers import game, local_ts  # type: ignore[no-redef]

from server.scoring import health
from server.scoring.activity import report_record
from server.scoring.records import game_record
from server.store import Store

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
    active = await simulate(store)

    cooling_days = []
    for day in range(7, 60):
        facts = await health.load_facts(store, "a1", "g1", at(day, 23, 30), TZ)
        if health.trend(facts)["cooling"]:
            cooling_days.append(day)
    assert cooling_days and 14 <= cooling_days[0] <= 20  # the alarm goes off in week three
    assert 20 in cooling_days and 59 not in cooling_days

    facts = await health.load_facts(store, "a1", "g1", at(59, 23, 30), TZ)
    figures = health.report(facts)

    dam = dict(figures["daily_active"])
    assert len(dam) == 30
    for day in range(30, 60):
        assert dam[(START + dt.timedelta(days=day)).isoformat()] == len(active[day])
    assert dam[(START + dt.timedelta(days=59)).isoformat()] == 16

    part = figures["participation"]
    assert part["members"] == 19 and part["active"] == 19 and part["rate"] == 1.0
    assert part["daily_rate"] == (16 * 20 + 4 * 17 + 10 * 16) / 30 / 19

    assert sorted(r["member"] for r in figures["at_risk"]) == FADING  # ordered by drop, then by how active they were
    assert all(r["last_week"] == 0 and r["drop"] == 1.0 for r in figures["at_risk"])

    key = figures["key_members"][0]
    assert key["member"] == "m00" and key["invited"] == 5 and key["coplayers"] == 19
    assert figures["coplay"] == {"members": 19, "tied": 19, "share": 1.0}
    assert figures["trend"]["cooling"] is False and figures["trend"]["baseline_weeks"] == 4
