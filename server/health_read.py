"""Reads what the health figures need from the store, as of an instant: the edge between the
store and the pure figures in server/scoring/health.py (used by the websocket and REST
handlers and by ``campfire health``).

"As of" means: log entries after ``now`` are not read, a member first seen later does not
count, a member who left later still counts, and the bot's roster count is used only if
it had been reported by then.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from server.scoring import health, health_settings
from server.scoring.daybook import build
from server.scoring.periods import group_tz, local_date, zone
from server.store import Store


class UnknownGroup(LookupError):
    """The group has no activity, no members and no settings: nothing to report on."""


def midnight(d: dt.date, tz: str) -> float:
    return dt.datetime.combine(d, dt.time(0), tzinfo=zone(tz)).timestamp()


def parse_at(value: float | int | str, tz: str) -> float:
    """Epoch seconds, or an ISO date/time; one without an offset is read in ``tz`` (the
    group's zone), so "2026-11-22" means the group's midnight, not the machine's."""
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)  # digits in a query string
    except ValueError:
        pass
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date or time (like 2026-11-22 or 2026-11-22T20:00:00+08:00) "
                         "nor epoch seconds") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone(tz))
    return when.timestamp()


async def load_facts(store: Store, app: str, group: str, now: float, default_tz: str,
                     app_settings: Mapping[str, Any] | None = None) -> tuple[health.GroupFacts, str]:
    """(facts, timezone). Raises UnknownGroup for a group the app has never seen."""
    gs = await store.get_group_settings(app, group)
    tz = group_tz(gs, default_tz)
    span = await store.activity_span(app, group, now)
    members_all = await store.group_members(app, group)
    if span is None and not members_all and not gs:
        raise UnknownGroup(group)
    today = local_date(now, tz)
    since = midnight(today - dt.timedelta(days=health.READ_DAYS), tz)
    settings = health_settings.effective(app_settings, gs)
    entries = await store.activity_log(app, group, since, now) if span else []
    book = build(entries, today, tz, settings)
    members: dict[str, dict[str, Any]] = {}
    day_of: dict[str, dt.date] = {}
    for m, info in members_all.items():
        if info["first"] > now:
            continue
        left = info.get("left")
        left_now = left if left is not None and left <= now else None
        members[m] = {**info, "left": left_now,
                      "left_day": local_date(left_now, tz) if left_now is not None else None}
        day_of[m] = local_date(info["first"], tz)
    roster = gs.get("roster") if isinstance(gs.get("roster"), Mapping) else None
    count = int(roster["count"]) if roster and float(roster.get("at", 0)) <= now else None
    facts = health.GroupFacts(
        book=book, members=members,
        first_day=local_date(span[0], tz) if span else None, last_day=local_date(span[1], tz) if span else None,
        roster=count, settings=settings, day_of=day_of)
    return facts, tz


async def group_report(store: Store, app: str, group: str, now: float, default_tz: str) -> dict[str, Any]:
    record = await store.get_app(app)
    facts, tz = await load_facts(store, app, group, now, default_tz, record.settings if record else {})
    return {"group": group, "timezone": tz, "at": now, **health.report(facts)}


async def groups_overview(store: Store, app: str, now: float, default_tz: str) -> list[dict[str, Any]]:
    """Every group with activity, dormant ones included, ranked by health.rank_groups."""
    record = await store.get_app(app)
    rows = []
    for group in await store.activity_groups(app):
        facts, _ = await load_facts(store, app, group, now, default_tz, record.settings if record else {})
        rows.append(health.overview(group, facts))
    return health.rank_groups(rows)
