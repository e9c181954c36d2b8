"""Board periods, computed in the group's timezone so a "day" ends at the group's midnight.

Period ids (the last part of a board id):
  ``all``            all-time
  ``d2026-11-22``    one local day
  ``w2026-W47``      one ISO week (Monday to Sunday, ISO year)
  ``m2026-11``       one local calendar month
  ``s<name>``        an operator-defined season (app settings ``seasons``)

A finished period keeps its board: a new period simply writes to a new id, so nothing
ever has to be reset at midnight and yesterday's board stays readable.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Asia/Shanghai"


def zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def local_date(at: float, tz: str | None) -> dt.date:
    return dt.datetime.fromtimestamp(at, zone(tz)).date()


def day_id(d: dt.date) -> str:
    return f"d{d.isoformat()}"


def week_id(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"w{year}-W{week:02d}"


def month_id(d: dt.date) -> str:
    return f"m{d.year}-{d.month:02d}"


@dataclass(frozen=True, slots=True)
class Season:
    """``start`` and ``end`` are local dates, both included."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def id(self) -> str:
        return f"s{self.name}"


def parse_seasons(raw: Any) -> list[Season]:
    """App settings ``seasons``: ``[{"name": "spring", "start": "2026-03-01", "end": "2026-05-31"}]``.
    Malformed entries are skipped rather than failing a result."""
    out: list[Season] = []
    if not isinstance(raw, list):
        return out
    for s in raw:
        try:
            out.append(Season(str(s["name"]), dt.date.fromisoformat(s["start"]), dt.date.fromisoformat(s["end"])))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def periods_at(at: float, tz: str | None, seasons: Iterable[Season] = ()) -> list[str]:
    """Every period a result at ``at`` counts for."""
    d = local_date(at, tz)
    out = ["all", day_id(d), week_id(d), month_id(d)]
    out += [s.id for s in seasons if s.start <= d <= s.end]
    return out


ALIASES = ("all", "day", "today", "yesterday", "week", "last-week", "month", "last-month")


def resolve(period: str, now: float, tz: str | None) -> str:
    """Turn an alias (``day``, ``week``, ``month``, ``yesterday``, ``last-week``, ``last-month``)
    into the period id current at ``now`` in ``tz``; explicit ids pass through unchanged."""
    d = local_date(now, tz)
    if period in ("day", "today"):
        return day_id(d)
    if period == "yesterday":
        return day_id(d - dt.timedelta(days=1))
    if period == "week":
        return week_id(d)
    if period == "last-week":
        return week_id(d - dt.timedelta(days=7))
    if period == "month":
        return month_id(d)
    if period == "last-month":
        return month_id(d.replace(day=1) - dt.timedelta(days=1))
    return period


def valid_period(period: str) -> bool:
    if period == "all" or period in ALIASES:
        return True
    try:
        if period.startswith("d"):
            dt.date.fromisoformat(period[1:])
            return True
        if period.startswith("w"):
            year, week = period[1:].split("-W")
            dt.date.fromisocalendar(int(year), int(week), 1)
            return True
        if period.startswith("m"):
            year, month = period[1:].split("-")
            dt.date(int(year), int(month), 1)
            return len(month) == 2
    except ValueError:
        return False
    return period.startswith("s") and 1 < len(period) <= 65


def group_tz(group_settings: Mapping[str, Any], default: str = DEFAULT_TZ) -> str:
    tz = group_settings.get("timezone") if group_settings else None
    return str(tz) if isinstance(tz, str) and tz else default
