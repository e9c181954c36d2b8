"""Group health figures: pure functions over facts the store keeps.

Every formula here is written out in docs/operators.md; keep the two in step. The facts:
``daily`` ({ISO day: {member: points}}), ``members`` (first seen, left, invited by,
credited), ``pairs`` (games played together per pair) and ``activity`` (decayed scores
now). ``today`` is the group's local date; windows end with it (today included).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from server.scoring.periods import local_date

if TYPE_CHECKING:
    from server.store import Store

WINDOW_DAYS = 30
HISTORY_DAYS = 35  # the last week plus the four before it
DEFAULT_COOLING_SHARE = 0.5
DEFAULT_RISK_SHARE = 0.25
RISK_MIN_ACTIVE_DAYS = 3
KEY_WEIGHTS = (0.5, 0.3, 0.2)  # activity, distinct co-players, invitations


@dataclass(slots=True)
class GroupFacts:
    today: dt.date
    daily: dict[str, dict[str, float]]
    members: dict[str, dict[str, Any]]
    pairs: dict[tuple[str, str], int]
    activity: dict[str, float] = field(default_factory=dict)


def _days(today: dt.date, n: int, skip: int = 0) -> list[str]:
    """``n`` ISO days ending ``skip`` days before ``today``, oldest first."""
    return [(today - dt.timedelta(days=skip + i)).isoformat() for i in range(n - 1, -1, -1)]


def current_members(f: GroupFacts) -> list[str]:
    """N: every member the group has seen (a join, an act, a game) who has not left."""
    return sorted(m for m, info in f.members.items() if info.get("left") is None)


def daily_active(f: GroupFacts, days: int = WINDOW_DAYS) -> list[tuple[str, int]]:
    """DAM(d) = number of members with any points on local day d."""
    return [(d, sum(1 for p in f.daily.get(d, {}).values() if p > 0)) for d in _days(f.today, days)]


def participation(f: GroupFacts, days: int = WINDOW_DAYS) -> dict[str, float | int]:
    """active = current members with points on any of the ``days`` days; rate = active / N;
    daily_rate = mean DAM / N, where N = current members."""
    members = set(current_members(f))
    n = len(members)
    window = _days(f.today, days)
    active = {m for d in window for m, p in f.daily.get(d, {}).items() if p > 0 and m in members}
    dam = [c for _, c in daily_active(f, days)]
    return {
        "members": n, "active": len(active),
        "rate": len(active) / n if n else 0.0,
        "daily_rate": (sum(dam) / len(dam)) / n if n and dam else 0.0,
    }


def weekly_points(f: GroupFacts, weeks: int = 5) -> list[float]:
    """W[k] = all members' points on days 7k..7k+6 before today (W[0] = the last 7 days)."""
    return [sum(sum(f.daily.get(d, {}).values()) for d in _days(f.today, 7, 7 * k)) for k in range(weeks)]


def _first_day(f: GroupFacts) -> dt.date | None:
    days = [d for d, row in f.daily.items() if any(p > 0 for p in row.values())]
    return dt.date.fromisoformat(min(days)) if days else None


def trend(f: GroupFacts, cooling_share: float = DEFAULT_COOLING_SHARE) -> dict[str, Any]:
    """wow = (W0 - W1) / W1; baseline = mean of W1..Wk, k = the number of whole weeks
    of history before the last 7 days (at most 4); cooling = W0 < share × baseline."""
    w = weekly_points(f)
    first = _first_day(f)
    history_days = (f.today - first).days + 1 - 7 if first else 0
    k = max(0, min(4, history_days // 7))
    baseline = sum(w[1:1 + k]) / k if k else None
    return {
        "weeks": [round(x, 6) for x in w],
        "wow": (w[0] - w[1]) / w[1] if w[1] else None,
        "baseline": baseline, "baseline_weeks": k, "share": cooling_share,
        "cooling": bool(baseline and w[0] < cooling_share * baseline),
    }


def at_risk(f: GroupFacts, risk_share: float = DEFAULT_RISK_SHARE,
            min_active_days: int = RISK_MIN_ACTIVE_DAYS) -> list[dict[str, Any]]:
    """Members (current) active on at least ``min_active_days`` of the 28 days before the
    last 7, whose last-7-days points fell below ``risk_share`` × their weekly average
    over those 28 days. Largest drop first."""
    before = _days(f.today, 28, 7)
    last = _days(f.today, 7)
    out = []
    for m in current_members(f):
        active_days = [d for d in before if f.daily.get(d, {}).get(m, 0) > 0]
        if len(active_days) < min_active_days:
            continue
        avg = sum(f.daily.get(d, {}).get(m, 0.0) for d in before) / 4
        now = sum(f.daily.get(d, {}).get(m, 0.0) for d in last)
        if now < risk_share * avg:
            seen = [d for d in before + last if f.daily.get(d, {}).get(m, 0) > 0]
            out.append({"member": m, "weekly_before": round(avg, 6), "last_week": round(now, 6),
                        "last_active": seen[-1], "drop": round(1 - now / avg, 6)})
    return sorted(out, key=lambda r: (-r["drop"], -r["weekly_before"], r["member"]))


def partners(f: GroupFacts, min_games: int = 1) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for (a, b), n in f.pairs.items():
        if n >= min_games:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def invitations(f: GroupFacts) -> dict[str, int]:
    """Credited invitations per inviter: invitees who went on to play."""
    out: dict[str, int] = {}
    for info in f.members.values():
        if info.get("invited_by") and info.get("credited"):
            out[info["invited_by"]] = out.get(info["invited_by"], 0) + 1
    return out


def key_members(f: GroupFacts, limit: int = 5) -> list[dict[str, Any]]:
    """key = 0.5·a/max(a) + 0.3·c/max(c) + 0.2·i/max(i): a = decayed activity now,
    c = distinct co-players, i = credited invitations (a term is 0 when its max is 0)."""
    co = {m: len(p) for m, p in partners(f).items()}
    inv = invitations(f)
    members = current_members(f)
    maxes = (max((f.activity.get(m, 0.0) for m in members), default=0.0),
             max((co.get(m, 0) for m in members), default=0), max((inv.get(m, 0) for m in members), default=0))
    rows: list[dict[str, Any]] = []
    for m in members:
        parts = (f.activity.get(m, 0.0), co.get(m, 0), inv.get(m, 0))
        key = sum(w * (x / mx if mx else 0.0) for w, x, mx in zip(KEY_WEIGHTS, parts, maxes))
        if key > 0:
            rows.append({"member": m, "key": round(key, 6), "activity": round(parts[0], 6),
                         "coplayers": parts[1], "invited": parts[2]})
    return sorted(rows, key=lambda r: (-r["key"], r["member"]))[:limit]


def coplay_share(f: GroupFacts) -> dict[str, Any]:
    """share = |{m : m played more than once with each of at least two others}| / N."""
    members = current_members(f)
    strong = partners(f, min_games=2)
    tied = [m for m in members if len(strong.get(m, ())) >= 2]
    return {"members": len(members), "tied": len(tied), "share": len(tied) / len(members) if members else 0.0}


def report(f: GroupFacts, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every figure at once; ``settings`` may carry ``cooling_share`` and ``risk_share``."""
    s = settings or {}
    return {
        "today": f.today.isoformat(),
        "daily_active": daily_active(f),
        "participation": participation(f),
        "trend": trend(f, float(s.get("cooling_share", DEFAULT_COOLING_SHARE))),
        "at_risk": at_risk(f, float(s.get("risk_share", DEFAULT_RISK_SHARE))),
        "key_members": key_members(f),
        "coplay": coplay_share(f),
    }


async def load_facts(store: "Store", app: str, group: str, now: float, tz: str) -> GroupFacts:
    """Read what the figures need: 35 days of daily rows (30 for the window, 35 for the
    four-week baseline), members, pairs and decayed activity."""
    today = local_date(now, tz)
    first = (today - dt.timedelta(days=HISTORY_DAYS - 1)).isoformat()
    daily = await store.daily_activity(app, group, first, today.isoformat())
    members = await store.group_members(app, group)
    pairs = await store.coplay_pairs(app, group)
    top = await store.activity_top(app, f"g/{group}", now, limit=max(100, len(members) + 1))
    return GroupFacts(today, daily, members, pairs, {e.member: e.score for e in top})


def health_settings(app_settings: Mapping[str, Any] | None) -> dict[str, Any]:
    raw = (app_settings or {}).get("health")
    return dict(raw) if isinstance(raw, Mapping) else {}
