"""Synthetic group histories for the health scenario suite (tests/scoring/test_health_scenarios.py).

A history is, per local day, the members active that day. It is written straight through
the store's recording API (``apply_result``, the same atomic step a finished game or an
``activity.report`` batch goes through), one batch of messages and one game per four
active members a day, so ten weeks of a group take a fraction of a second. The frame path
itself (``activity.report`` and a real game) is proven by a smaller test in the suite.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from games.base import GameResult, PlayerResult
from server.scoring.activity import report_record
from server.scoring.records import game_record
from server.store import Store

TZ = "Asia/Shanghai"
START = dt.date(2026, 1, 5)  # a Monday: day 0 of every history
DECLINE = 56                 # the day a declining history starts to decline (week 9)
DAYS = 77                    # eleven weeks of history
MEMBERS = [f"m{i:02d}" for i in range(20)]

Pattern = Callable[[int], list[str]]  # day -> members active that day


def local(day: int, hour: int = 0, minute: int = 0) -> float:
    d = START + dt.timedelta(days=day)
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=ZoneInfo(TZ)).timestamp()


def date(day: int) -> str:
    return (START + dt.timedelta(days=day)).isoformat()


def rotation(day: int, members: list[str] = MEMBERS) -> list[str]:
    """A steady group: each member is active four days in five (16 of 20 a day), in turn."""
    return [m for i, m in enumerate(members) if (day + i) % 5 != 0]


def steady(day: int) -> list[str]:
    return rotation(day)


def declining(weekly_factor: float, start: int = DECLINE) -> Pattern:
    """Steady until ``start``, then the members active each day shrink by ``weekly_factor``
    a week, smoothly (a factor ** (1/7) a day): 30% a week is factor 0.7."""
    def pattern(day: int) -> list[str]:
        today = rotation(day)
        if day < start:
            return today
        keep = round(len(today) * weekly_factor ** ((day - start) / 7))
        return today[:keep]
    return pattern


def dead_stop(day: int) -> list[str]:
    return rotation(day) if day < DECLINE else []


def with_weekend_player(day: int) -> list[str]:
    """Steady, plus "wkd" who plays only on Saturdays."""
    return rotation(day) + (["wkd"] if (START + dt.timedelta(days=day)).weekday() == 5 else [])


def young(first: int) -> Pattern:
    """A new group: nothing before day ``first``, steady after."""
    return lambda day: rotation(day) if day >= first else []


EXODUS_LEAVERS = MEMBERS[10:]


def exodus(day: int) -> list[str]:
    """Half the members leave on day DECLINE and are never seen again."""
    today = rotation(day)
    return [m for m in today if m not in EXODUS_LEAVERS] if day >= DECLINE else today


async def write_day(store: Store, app: str, group: str, day: int, active: Iterable[str],
                    messages: int = 3, leavers: Iterable[str] = ()) -> None:
    """One day of a history: a batch with ``messages`` messages from each active member at
    19:00 (and any leaves at 08:00), and one game at 20:00 for each four active members."""
    active = list(active)
    events: list[dict] = [{"kind": "leave", "member": m, "at": local(day, 8)} for m in leavers]
    events += [{"kind": "message", "member": m, "at": local(day, 19), "count": messages} for m in active]
    if events:
        await store.apply_result(report_record(app, group, f"{group}-d{day}", events, local(day, 21), TZ))
    for g in range(0, len(active) - 1, 4):
        players = active[g:g + 4]
        result = GameResult("quiz", tuple(PlayerResult(p, 10 - i, i + 1, won=i == 0) for i, p in enumerate(players)))
        await store.apply_result(game_record(app, group, f"{group}-d{day}-{g}", 1, result, local(day, 20, g), TZ))


async def write_history(store: Store, app: str, group: str, pattern: Pattern, days: int = DAYS,
                        leave: dict[int, list[str]] | None = None) -> None:
    for day in range(days):
        await write_day(store, app, group, day, pattern(day), leavers=(leave or {}).get(day, ()))
