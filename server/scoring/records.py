"""Result records: what a finished game or a check-in writes, applied exactly once.

Everything a result changes (every period board, activity, daily rows, co-play pairs,
invitation credit) is in the record, so the store applies it in one atomic step.
"""
from __future__ import annotations

from typing import Any

from games.base import GameResult
from server.scoring import activity
from server.scoring.boards import checkin_ops, result_ops
from server.scoring.periods import local_date, parse_seasons, periods_at
from server.store import Act, ResultRecord


def game_record(app: str, group: str, room: str, round_no: int, result: GameResult, at: float,
                tz: str, app_settings: dict[str, Any] | None = None) -> ResultRecord:
    settings = app_settings or {}
    periods = periods_at(at, tz, parse_seasons(settings.get("seasons")))
    w = activity.weights(settings)
    return ResultRecord(
        app=app, key=f"room:{room}:{round_no}", group=group, game=result.game, at=at,
        payload={"room": room, "round": round_no, **result.to_dict()},
        ops=tuple(result_ops(group, result, periods)),
        day=local_date(at, tz).isoformat(),
        acts=tuple(activity.game_acts(((p.player, p.won) for p in result.players), at, tz, w)),
        players=tuple(p.player for p in result.players),
        invite_points=w["invite"], half_life=activity.half_life(settings),
    )


def checkin_record(app: str, group: str, member: str, day: str, points: int, at: float,
                   tz: str, app_settings: dict[str, Any] | None = None) -> ResultRecord:
    settings = app_settings or {}
    periods = periods_at(at, tz, parse_seasons(settings.get("seasons")))
    w = activity.weights(settings)
    local = local_date(at, tz).isoformat()
    return ResultRecord(
        app=app, key=f"checkin:{group}:{member}:{day}", group=group, game="checkin", at=at,
        payload={"member": member, "day": day, "points": points},
        ops=tuple(checkin_ops(group, member, points, periods)),
        day=local, acts=(Act(member, "checkin", w["checkin"], at, local),) if w["checkin"] else (),
        invite_points=w["invite"], half_life=activity.half_life(settings),
    )
