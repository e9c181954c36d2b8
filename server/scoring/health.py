"""Group health figures: pure functions over a group's DayBook and members.

Every formula here is written out in docs/operators.md ("Group health"); keep the two in
step. All windows are complete local days ending yesterday (see server/scoring/daybook.py),
so a figure reads the same at any hour of a day. "Active on day d" means P(d, m) > 0.

The group's state (``new`` | ``active`` | ``cooling`` | ``dormant``) is a small state
machine run day by day over the last eight weeks, so an alarm, once raised, holds until
the group has really recovered (no flapping from one day to the next), and a group that
has stopped stays in view as ``dormant`` with its last active day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from server.scoring.daybook import DayBook, days, week
from server.scoring.health_settings import DEFAULTS, HealthSettings

WINDOW_DAYS = 30          # participation, monthly active members, daily active list
CONCENTRATION_DAYS = 28   # concentration, heat map, newcomers
NEW_GROUP_DAYS = 21       # a group is judged once it has one week three weeks back
BASELINE_WEEKS = range(2, 8)  # weeks 3..8 back: never the weeks under judgement
STATE_DAYS = 56           # the state machine runs over the last eight weeks
COHORT_WEEKS = 8
KEY_WEIGHTS = (0.5, 0.3, 0.2)  # activity, current co-players, invitations
COPLAY_TIE = 0.5          # decayed games together that make two members current co-players
READ_DAYS = STATE_DAYS + 7 * max(BASELINE_WEEKS) + 7  # history the figures need


@dataclass(slots=True)
class GroupFacts:
    book: DayBook
    members: dict[str, dict[str, Any]]  # as of now: {"first", "left", "invited_by", "credited"}
    first_day: dt.date | None           # the group's first and last active local days (all time)
    last_day: dt.date | None
    roster: int | None = None           # the member count the bot reported, if any
    settings: HealthSettings = field(default_factory=lambda: DEFAULTS)
    day_of: dict[str, dt.date] = field(default_factory=dict)  # member -> local day first seen
    _pairs: dict[tuple[str, str], float] | None = None

    @property
    def today(self) -> dt.date:
        return self.book.today


def current_members(f: GroupFacts) -> list[str]:
    """Members seen (joined, acted, played) and not left."""
    return sorted(m for m, info in f.members.items() if info.get("left") is None)


def member_count(f: GroupFacts) -> int:
    """N = max(current members known, the roster count the bot reported)."""
    return max(len(current_members(f)), f.roster or 0)


def _since_first(f: GroupFacts, ds: list[dt.date]) -> list[dt.date]:
    """Days of a window on or after the group's first active day: a new group is judged
    only from its first day."""
    return [d for d in ds if f.first_day is not None and d >= f.first_day]


def active_in(f: GroupFacts, ds: list[dt.date]) -> set[str]:
    return set().union(*(f.book.active(d) for d in ds)) if ds else set()


def daily_active(f: GroupFacts, n: int = WINDOW_DAYS) -> list[tuple[str, int]]:
    """DAM(d) for the last ``n`` complete days."""
    return [(d.isoformat(), f.book.member_days(d)) for d in days(f.today, n)]


def participation(f: GroupFacts) -> dict[str, Any]:
    """WAU, MAU, stickiness = WAU / MAU; rate = current members active in 30 days / N;
    daily_rate = mean over the window's days since the first active day of
    (current members active that day) / N. Leavers count in neither, so both are ≤ 1."""
    n = member_count(f)
    current = set(current_members(f))
    d30 = days(f.today, WINDOW_DAYS)
    wau, mau = active_in(f, days(f.today, 7)), active_in(f, d30)
    judged = _since_first(f, d30)
    daily = [len(f.book.active(d) & current) / n for d in judged] if n else []
    return {
        "members": n, "known_members": len(current), "roster": f.roster,
        "weekly_active": len(wau), "monthly_active": len(mau),
        "stickiness": len(wau) / len(mau) if mau else None,
        "active": len(mau & current), "rate": len(mau & current) / n if n else 0.0,
        "daily_rate": sum(daily) / len(daily) if daily else 0.0,
    }


def weeks(f: GroupFacts, n: int = 8) -> list[dict[str, Any]]:
    """Per week k (0 = the last 7 complete days): first day, weekly active members,
    member-days (Σ DAM) and points."""
    out = []
    for k in range(n):
        ds = week(f.today, k)
        out.append({"start": ds[0].isoformat(), "active": len(active_in(f, ds)),
                    "member_days": sum(f.book.member_days(d) for d in ds),
                    "points": round(sum(sum(f.book.points.get(d, {}).values()) for d in ds), 6)})
    return out


def _judge(f: GroupFacts, t: dt.date) -> dict[str, Any]:
    """The figures of the cooling rule as they read on day ``t`` (complete days < t)."""
    s = f.settings
    if f.first_day is None or f.first_day >= t:
        return {"state": "new", "baseline": None, "baseline_weeks": 0, "ratio_7": None, "ratio_3": None}
    if not _window(f, t, s.dormant_days):
        return {"state": "dormant", "baseline": None, "baseline_weeks": 0, "ratio_7": None, "ratio_3": None}
    usable = [k for k in BASELINE_WEEKS if t - dt.timedelta(days=7 * k + 7) >= f.first_day]
    if (t - f.first_day).days < NEW_GROUP_DAYS or not usable:
        return {"state": "new", "baseline": None, "baseline_weeks": 0, "ratio_7": None, "ratio_3": None}
    base = _median([_window(f, t - dt.timedelta(days=7 * k), 7) for k in usable])
    base3 = sum(_window(f, t - dt.timedelta(days=7 * k), 3) for k in usable) / len(usable)
    last7, last3 = _window(f, t, 7), _window(f, t, 3)
    r7 = last7 / base if base else None
    r3 = last3 / base3 if base3 else None
    return {"state": None, "baseline": base, "baseline_weeks": len(usable), "ratio_7": r7, "ratio_3": r3}


def _window(f: GroupFacts, end: dt.date, n: int) -> int:
    """Member-days of the ``n`` days before ``end`` (end excluded)."""
    md = f.book.member_days
    return sum(md(end - dt.timedelta(days=i)) for i in range(1, n + 1))


def _median(xs: list[float] | list[int]) -> float:
    s = sorted(xs)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def trend(f: GroupFacts) -> dict[str, Any]:
    """The group's state, run as a state machine over the last ``STATE_DAYS`` days:

    - ``dormant``: no member active on any of the last ``dormant_days`` complete days;
    - ``new``: under three weeks since the first active day (no baseline yet);
    - otherwise B = median member-days of weeks 3..8 back (those after the first active day),
      r7 = member-days of the last 7 days / B, r3 = member-days of the last 3 days / the
      mean of the same three weekdays in those weeks;
      ``cooling`` starts when r7 < cooling_share, or r3 < cooling_share and r7 < recover_share,
      and lasts until r7 ≥ recover_share; else ``active``.
    """
    s = f.settings
    state, since = "new", None
    start = f.today - dt.timedelta(days=STATE_DAYS)
    if f.first_day is not None and f.first_day + dt.timedelta(days=1) > start:
        start = f.first_day + dt.timedelta(days=1)
    t, now = start, _judge(f, f.today)
    while t <= f.today:
        j = now if t == f.today else _judge(f, t)
        new = j["state"]
        if new is None:
            r7, r3 = j["ratio_7"], j["ratio_3"]
            falling = r7 is not None and (r7 < s.cooling_share or (r3 is not None and r3 < s.cooling_share
                                                                  and r7 < s.recover_share))
            recovered = r7 is None or r7 >= s.recover_share
            new = "cooling" if falling or (state == "cooling" and not recovered) else "active"
        if new != state or since is None:
            state, since = new, t
        t += dt.timedelta(days=1)
    ws = [w["member_days"] for w in weeks(f, 2)]
    return {
        "state": state, "since": since.isoformat() if since else f.today.isoformat(),
        "cooling": state == "cooling", "dormant": state == "dormant",
        "first_active": f.first_day.isoformat() if f.first_day else None,
        "last_active": _last_active(f),
        "baseline": now["baseline"], "baseline_weeks": now["baseline_weeks"],
        "ratio_7": _r(now["ratio_7"]), "ratio_3": _r(now["ratio_3"]),
        "wow": _r((ws[0] - ws[1]) / ws[1]) if ws[1] else None,
        "cooling_share": s.cooling_share, "recover_share": s.recover_share,
    }


def _last_active(f: GroupFacts) -> str | None:
    return f.last_day.isoformat() if f.last_day else None


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def at_risk(f: GroupFacts) -> list[dict[str, Any]]:
    """Current members with at least 3 active days, silent for more than
    max(risk_gaps × their usual gap, risk_min_days) days, where the usual gap is the median
    number of days between their consecutive active days and "silent" counts the days since
    their last active day. A weekly player is not at risk on day 6, nor after one missed week."""
    s = f.settings
    active_days: dict[str, list[dt.date]] = {}
    for d in sorted(f.book.points):
        for m in f.book.active(d):
            active_days.setdefault(m, []).append(d)
    out = []
    for m in current_members(f):
        ds = active_days.get(m, [])
        if len(ds) < 3:
            continue
        usual = _median([(b - a).days for a, b in zip(ds, ds[1:])])
        silent = (f.today - ds[-1]).days
        limit = max(s.risk_gaps * usual, s.risk_min_days)
        if silent > limit:
            out.append({"member": m, "usual_gap": usual, "silent_days": silent, "last_active": ds[-1].isoformat(),
                        "active_days": len(ds), "overdue": round(silent / usual, 6)})
    return sorted(out, key=lambda r: (-r["active_days"], r["silent_days"], r["member"]))


def _decay(f: GroupFacts, d: dt.date) -> float:
    """Weight of day d's points now: halves every half-life; yesterday counts fully."""
    return float(2.0 ** (-((f.today - d).days - 1) / f.settings.activity_half_life_days))


def activity_now(f: GroupFacts) -> dict[str, float]:
    """A_m = Σ_d P(d, m) · 2^(−(age of d in days)/h), over complete days (age 0 = yesterday)."""
    out: dict[str, float] = {}
    for d, row in f.book.points.items():
        w = _decay(f, d)
        for m, p in row.items():
            out[m] = out.get(m, 0.0) + p * w
    return out


def coplay_weights(f: GroupFacts) -> dict[tuple[str, str], float]:
    """w(a, b) = Σ over games a and b finished together of 2^(−age/h): who plays together now."""
    if f._pairs is not None:
        return f._pairs
    out: dict[tuple[str, str], float] = {}
    for d, players in f.book.games:
        w = _decay(f, d)
        ps = sorted(set(players))
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                out[(a, b)] = out.get((a, b), 0.0) + w
    f._pairs = out
    return out


def coplayers(f: GroupFacts) -> dict[str, set[str]]:
    """Current co-players: partners with w(a, b) ≥ COPLAY_TIE (one game within a half-life)."""
    out: dict[str, set[str]] = {}
    for (a, b), w in coplay_weights(f).items():
        if w >= COPLAY_TIE:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def coplay(f: GroupFacts, top: int = 10) -> dict[str, Any]:
    """connected = current members with at least ``connected_min`` current co-players;
    share = connected / N; pairs = the strongest current pairs."""
    n = member_count(f)
    partners = coplayers(f)
    members = current_members(f)
    connected = [m for m in members if len(partners.get(m, ())) >= f.settings.connected_min]
    pairs = sorted(((w, a, b) for (a, b), w in coplay_weights(f).items() if w >= COPLAY_TIE), key=lambda x: (-x[0], x[1], x[2]))
    return {"members": n, "min_partners": f.settings.connected_min, "connected": len(connected),
            "share": len(connected) / n if n else 0.0,
            "pairs": [{"a": a, "b": b, "weight": round(w, 6)} for w, a, b in pairs[:top]]}


def key_members(f: GroupFacts, limit: int = 5) -> list[dict[str, Any]]:
    """key = 0.5·a/max a + 0.3·c/max c + 0.2·i/max i over current members who play or
    invite (c + i > 0): a = decayed capped activity, c = current co-players, i = credited
    invitations. A member who only chats is not a key member."""
    a_now = activity_now(f)
    co = {m: len(p) for m, p in coplayers(f).items()}
    members = [m for m in current_members(f) if co.get(m, 0) + f.book.invites.get(m, 0) > 0]
    parts = {m: (a_now.get(m, 0.0), co.get(m, 0), f.book.invites.get(m, 0)) for m in members}
    maxes = [max((p[i] for p in parts.values()), default=0) for i in range(3)]
    rows: list[dict[str, Any]] = []
    for m, p in parts.items():
        key = sum(w * (x / mx if mx else 0.0) for w, x, mx in zip(KEY_WEIGHTS, p, maxes))
        rows.append({"member": m, "key": round(key, 6), "activity": round(p[0], 6), "coplayers": p[1], "invited": p[2]})
    return sorted(rows, key=lambda r: (-r["key"], r["member"]))[:limit]


def concentration(f: GroupFacts) -> dict[str, Any]:
    """Over the last 28 complete days, per-member points T_m: top1 = max T / ΣT,
    top3 = the three largest / ΣT, and absence_factor = the fewest members whose points
    make at least half of ΣT (CHAOSS's contributor absence factor)."""
    totals: dict[str, float] = {}
    for d in days(f.today, CONCENTRATION_DAYS):
        for m, p in f.book.points.get(d, {}).items():
            totals[m] = totals.get(m, 0.0) + p
    ranked = sorted(totals.values(), reverse=True)
    total = sum(ranked)
    if not total:
        return {"top1": None, "top3": None, "absence_factor": 0, "contributors": 0}
    run, factor = 0.0, 0
    for p in ranked:
        run += p
        factor += 1
        if run >= total / 2:
            break
    return {"top1": round(ranked[0] / total, 6), "top3": round(sum(ranked[:3]) / total, 6),
            "absence_factor": factor, "contributors": len(ranked)}


def retention(f: GroupFacts) -> list[dict[str, Any]]:
    """Weekly cohorts: of the members first seen in week k (k = 1..8 back), how many were
    active in week k−1 (the week after) and in week k−4 (four weeks after; null until it
    is complete)."""
    out = []
    for k in range(1, COHORT_WEEKS + 1):
        ds = week(f.today, k)
        cohort = {m for m, d in f.day_of.items() if ds[0] <= d <= ds[-1]}
        nxt = active_in(f, week(f.today, k - 1)) & cohort
        w4 = active_in(f, week(f.today, k - 4)) & cohort if k >= 4 else None
        out.append({"week": ds[0].isoformat(), "new": len(cohort), "active_next_week": len(nxt),
                    "active_week_4": None if w4 is None else len(w4)})
    return out


def churn(f: GroupFacts, n: int = 8) -> list[dict[str, Any]]:
    """Churned in week k = members who left during week k, or whose last active day lies
    in week k and who have been silent for at least ``dormant_days`` since (so the last
    two weeks show leavers only)."""
    last: dict[str, dt.date] = {}
    for d in sorted(f.book.points):
        for m in f.book.active(d):
            last[m] = d
    out = []
    for k in range(n):
        ds = week(f.today, k)
        gone = {m for m, info in f.members.items()
                if info.get("left_day") is not None and ds[0] <= info["left_day"] <= ds[-1]}
        gone |= {m for m, d in last.items()
                 if ds[0] <= d <= ds[-1] and (f.today - d).days > f.settings.dormant_days
                 and f.members.get(m, {}).get("left_day") is None}
        out.append({"week": ds[0].isoformat(), "churned": len(gone)})
    return out


def newcomers(f: GroupFacts) -> dict[str, Any]:
    """Members first seen in the last 28 complete days, and the share who finished a game."""
    window = days(f.today, CONCENTRATION_DAYS)
    new = [m for m, d in f.day_of.items() if window[0] <= d <= window[-1]]
    played = [m for m in new if f.book.played.get(m, 0) > 0]
    return {"new": len(new), "played": len(played), "share": len(played) / len(new) if new else None}


def heatmap(f: GroupFacts) -> dict[str, Any]:
    """hours[w][h] = mean number of distinct members active in hour h of weekday w
    (Monday = 0), over the last 28 complete days (4 of each weekday)."""
    grid = [[0.0] * 24 for _ in range(7)]
    window = days(f.today, CONCENTRATION_DAYS)
    first = window[0]
    for (d, h), members in f.book.hours.items():
        if d >= first:
            grid[d.weekday()][h] += len(members) / (CONCENTRATION_DAYS // 7)
    return {"days": CONCENTRATION_DAYS, "hours": [[round(x, 4) for x in row] for row in grid]}


def report(f: GroupFacts) -> dict[str, Any]:
    """Every figure at once (the ``health.group`` reply)."""
    return {
        "today": f.today.isoformat(),
        "state": trend(f),
        "participation": participation(f),
        "daily_active": daily_active(f),
        "weeks": weeks(f),
        "concentration": concentration(f),
        "at_risk": at_risk(f),
        "key_members": key_members(f),
        "coplay": coplay(f),
        "retention": retention(f),
        "churn": churn(f),
        "newcomers": newcomers(f),
        "heatmap": heatmap(f),
        "settings": f.settings.to_dict(),
    }


def overview(group: str, f: GroupFacts) -> dict[str, Any]:
    """One line of the app's groups list: state, size and breadth (mean daily active
    members over the last 7 complete days)."""
    t, p = trend(f), participation(f)
    breadth = sum(f.book.member_days(d) for d in week(f.today, 0)) / 7
    return {"group": group, "state": t["state"], "since": t["since"], "last_active": t["last_active"],
            "members": p["members"], "weekly_active": p["weekly_active"], "monthly_active": p["monthly_active"],
            "stickiness": p["stickiness"], "breadth": round(breadth, 6), "ratio_7": t["ratio_7"]}


STATE_ORDER = {"cooling": 0, "dormant": 1, "active": 2, "new": 3}


def rank_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cooling groups first (they need action), then dormant, active and new; each by breadth."""
    return sorted(rows, key=lambda r: (STATE_ORDER.get(r["state"], 9), -r["breadth"], r["group"]))
