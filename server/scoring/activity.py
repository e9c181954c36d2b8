"""Activity points: which acts count, how much, and how they decay.

A member's (and a group's) activity score is the sum of weighted points, each halved
every ``half_life`` seconds since it was earned. Stored as ``points * 2**((t - t0) / h)``
for a fixed reference ``t0``, a score only ever grows, so it can live in a sorted set whose
order never needs rewriting; reading divides by ``2**((now - t0) / h)``. When the exponent
gets large the store re-bases: multiplies the whole set by ``2**(-(t1 - t0) / h)`` and
moves ``t0`` to ``t1`` (see ``REBASE_AFTER``).
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from server.scoring.periods import local_date
from server.store.base import Act, Membership, ResultRecord

DAY = 86_400.0
DEFAULT_HALF_LIFE_DAYS = 7.0
# Re-base once stored values carry a factor above 2**REBASE_AFTER (about 1e12): far from
# double overflow (2**1023), and keeps raw values readable.
REBASE_AFTER = 40.0

DEFAULT_WEIGHTS: dict[str, float] = {
    "checkin": 2.0,   # a daily check-in
    "played": 1.0,    # took part in a finished game
    "won": 2.0,       # won it (on top of "played")
    "message": 0.1,   # a message the bot relays
    "invite": 5.0,    # invited someone who then played a game
}

ACT_KINDS = tuple(DEFAULT_WEIGHTS)
REPORT_KINDS = ("message", "join", "leave")


def weights(app_settings: Mapping[str, Any] | None) -> dict[str, float]:
    """The app's weights: ``activity_weights`` in app settings, over the defaults."""
    out = dict(DEFAULT_WEIGHTS)
    raw = (app_settings or {}).get("activity_weights")
    if isinstance(raw, Mapping):
        for k, v in raw.items():
            if k in out and isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0:
                out[k] = float(v)
    return out


def half_life(app_settings: Mapping[str, Any] | None) -> float:
    raw = (app_settings or {}).get("activity_half_life_days", DEFAULT_HALF_LIFE_DAYS)
    days = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > 0 else DEFAULT_HALF_LIFE_DAYS
    return days * DAY


def grow(points: float, at: float, t0: float, h: float) -> float:
    """What to add to a stored (re-based) score for ``points`` earned at ``at``."""
    return points * math.pow(2.0, (at - t0) / h)


def decayed(stored: float, now: float, t0: float, h: float) -> float:
    """The score at ``now`` of a stored value with reference ``t0``."""
    return stored * math.pow(2.0, -(now - t0) / h)


def needs_rebase(at: float, t0: float, h: float) -> bool:
    return (at - t0) / h > REBASE_AFTER


def game_acts(players: Iterable[tuple[str, bool]], at: float, tz: str, w: Mapping[str, float]) -> list[Act]:
    day = local_date(at, tz).isoformat()
    acts: list[Act] = []
    for member, won in players:
        acts.append(Act(member, "played", w["played"], at, day))
        if won and w["won"]:
            acts.append(Act(member, "won", w["won"], at, day))
    return acts


def report_record(app: str, group: str, batch: str, events: list[dict[str, Any]], now: float, tz: str,
                  app_settings: Mapping[str, Any] | None = None) -> ResultRecord:
    """A bot's batch of ordinary activity as one record keyed by the batch id, so sending
    the same batch twice (a retry after a lost reply) counts once.

    events: ``{"kind": "message", "member": m, "at"?: t, "count"?: n}``,
            ``{"kind": "join", "member": m, "at"?: t, "by"?: inviter}``,
            ``{"kind": "leave", "member": m, "at"?: t}``.
    """
    w = weights(app_settings)
    acts: list[Act] = []
    members: list[Membership] = []
    for e in events:
        at = float(e.get("at") or now)
        member = str(e["member"])
        if e["kind"] == "message":
            n = int(e.get("count") or 1)
            if w["message"]:
                acts.append(Act(member, "message", w["message"] * n, at, local_date(at, tz).isoformat(), n))
            members.append(Membership(member, "seen", at, None))
        elif e["kind"] == "join":
            by = e.get("by")
            members.append(Membership(member, "join", at, str(by) if by else None))
        elif e["kind"] == "leave":
            members.append(Membership(member, "leave", at, None))
    return ResultRecord(
        app=app, key=f"batch:{batch}", group=group, game="activity", at=now,
        payload={"batch": batch, "events": len(events)},
        day=local_date(now, tz).isoformat(), acts=tuple(acts), members=tuple(members),
        invite_points=w["invite"], half_life=half_life(app_settings),
    )
