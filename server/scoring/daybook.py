"""A group's activity log folded into complete local days: the one input every health figure reads.

Why complete days: a figure over a window that ends "now" changes with the hour (a steady
group reads -14% in the morning and 0% at night). Every window here ends with *yesterday*
in the group's timezone, so a figure is the same at any hour of a day and changes once, at
the group's midnight. Entries of the current (partial) day are left out.

Why recomputed from the log: points are re-weighted with the settings in force when read,
a member's messages are capped per day (one loud member cannot fake a lively group), and
``--at`` reads exactly what had happened by then.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from server.scoring.health_settings import HealthSettings
from server.scoring.periods import zone
from server.store.base import LogEntry


@dataclass(slots=True)
class DayBook:
    today: dt.date                                      # the group's local date "now" (not included)
    points: dict[dt.date, dict[str, float]] = field(default_factory=dict)  # capped, weighted points
    played: dict[str, int] = field(default_factory=dict)        # games finished per member
    invites: dict[str, int] = field(default_factory=dict)       # credited invitations per inviter
    hours: dict[tuple[dt.date, int], set[str]] = field(default_factory=dict)  # members active per local hour
    games: list[tuple[dt.date, tuple[str, ...]]] = field(default_factory=list)  # finished games, in order
    _active: dict[dt.date, frozenset[str]] = field(default_factory=dict)

    def active(self, d: dt.date) -> frozenset[str]:
        """Members with points on local day ``d`` (computed once per day: every figure asks)."""
        found = self._active.get(d)
        if found is None:
            found = self._active[d] = frozenset(m for m, p in self.points.get(d, {}).items() if p > 0)
        return found

    def member_days(self, d: dt.date) -> int:
        return len(self.active(d))


def build(entries: Iterable[LogEntry], today: dt.date, tz: str, s: HealthSettings) -> DayBook:
    """Fold log entries (any order) of days before ``today`` into a DayBook.

    P(d, m) = Σ_kind w(kind) · n(d, m, kind), with n(d, m, message) capped at ``message_cap``."""
    z = zone(tz)
    book = DayBook(today)
    counts: dict[tuple[dt.date, str, str], int] = {}
    slots: dict[int, tuple[dt.date, int]] = {}  # every UTC offset is a multiple of 15 minutes
    for e in entries:
        slot = int(e.at // 900)
        found = slots.get(slot)
        if found is None:
            local = dt.datetime.fromtimestamp(slot * 900, z)
            found = slots[slot] = (local.date(), local.hour)
        d, hour = found
        if d >= today:
            continue
        if e.kind == "game":
            book.games.append((d, e.players))
            continue
        key = (d, e.member, e.kind)
        counts[key] = counts.get(key, 0) + e.n
        if e.kind == "played":
            book.played[e.member] = book.played.get(e.member, 0) + e.n
        elif e.kind == "invite":
            book.invites[e.member] = book.invites.get(e.member, 0) + e.n
        if s.activity_weights.get(e.kind, 0) > 0:
            book.hours.setdefault((d, hour), set()).add(e.member)
    for (d, member, kind), n in counts.items():
        if kind == "message":
            n = min(n, s.message_cap)
        pts = s.activity_weights.get(kind, 0.0) * n
        if pts > 0:
            row = book.points.setdefault(d, {})
            row[member] = row.get(member, 0.0) + pts
    return book


def days(today: dt.date, n: int, skip: int = 0) -> list[dt.date]:
    """The ``n`` complete days ending ``skip`` days before yesterday, oldest first."""
    return [today - dt.timedelta(days=skip + i) for i in range(n, 0, -1)]


def week(today: dt.date, k: int) -> list[dt.date]:
    """Week k: the 7 complete days ``today-7k-7 .. today-7k-1`` (k = 0 is the last 7 days)."""
    return days(today, 7, 7 * k)
